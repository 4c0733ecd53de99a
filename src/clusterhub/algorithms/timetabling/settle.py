"""Keep what need not move: after the search, each session that has a current place
(`Session.current`) and was moved goes back there when every hard rule still holds and the
clashes do not grow; when one moved session stands in that place, the two trade places if
that holds too (the search often swaps two equal sessions). Repeated until nothing more goes
back, so a proposal moves only sessions whose move pays (a clash fewer, or room for one that
does). The clashes never grow; the rules are checked as the property tests check them (room,
speakers with travel, the session's own starts, After / SameDay / NotParallel)."""

from __future__ import annotations

from collections.abc import Mapping

from .instance import Instance
from .types import After, NotParallel, SameDay


def settle(
    inst: Instance,
    cand: Mapping[tuple[int, int], list[int]],
    placed: dict[int, tuple[int, int]],
) -> dict[int, tuple[int, int]]:
    """`placed` with as many sessions as allowed back at their current place."""
    placed = dict(placed)
    dur = {s.id: s.duration for s in inst.sessions}
    related: dict[int, list[object]] = {}
    for c in inst.constraints:
        if isinstance(c, After):
            ids: tuple[int, ...] = (c.first, c.then)
        elif isinstance(c, SameDay | NotParallel):
            ids = (c.a, c.b)
        else:
            continue
        for sid in ids:
            related.setdefault(sid, []).append(c)
    speaking: dict[int, list[int]] = {}
    for s in inst.sessions:
        for p in s.speakers:
            speaking.setdefault(p, []).append(s.id)
    weights: dict[int, dict[int, int]] = {}
    for (a, b), w in inst.overlap.items():
        weights.setdefault(a, {})[b] = w
        weights.setdefault(b, {})[a] = w

    def cost(where: Mapping[int, tuple[int, int]], moving: tuple[int, ...]) -> int:
        """The clashes of the `moving` sessions placed as in `where` (pairs counted once)."""
        total = 0
        for sid in moving:
            t = where[sid][1]
            for other, w in weights.get(sid, {}).items():
                if other in where and not (other in moving and other < sid):
                    to = where[other][1]
                    if t < to + dur[other] and to < t + dur[sid]:
                        total += w
        return total

    def day(t: int) -> int:
        return inst.day_of(t)

    def fits(where: Mapping[int, tuple[int, int]], sid: int) -> bool:
        r, t = where[sid]
        if t not in cand.get((sid, r), ()):
            return False  # grid, room, capacity, availability, window
        end = t + dur[sid]
        for other, (ro, to) in where.items():
            if other != sid and ro == r and t < to + dur[other] and to < end:
                return False
        before, after = inst.pad[sid, r]
        for p in inst.by_id[sid].speakers:
            for other in speaking[p]:
                if other == sid or other not in where:
                    continue
                ro, to = where[other]
                bo, ao = inst.pad[other, ro]
                if t - before < to + dur[other] + ao and to - bo < end + after:
                    return False
        for c in related.get(sid, ()):
            if isinstance(c, After):
                if where[c.then][1] < where[c.first][1] + dur[c.first] + c.gap:
                    return False
            elif isinstance(c, SameDay):
                if day(where[c.a][1]) != day(where[c.b][1]):
                    return False
            elif isinstance(c, NotParallel):
                ta, tb = where[c.a][1], where[c.b][1]
                if ta < tb + dur[c.b] and tb < ta + dur[c.a]:
                    return False
        return True

    def blockers(sid: int, r: int, t: int) -> list[int]:
        return [
            o for o, (ro, to) in placed.items()
            if o != sid and ro == r and t < to + dur[o] and to < t + dur[sid]
        ]  # fmt: skip

    def moved(sid: int) -> bool:
        s = inst.by_id[sid]
        return s.current is not None and s.pinned is None and placed.get(sid) != s.current

    changed = True
    while changed:
        changed = False
        for s in inst.sessions:
            if not moved(s.id):
                continue
            assert s.current is not None
            home = s.current
            trials: list[dict[int, tuple[int, int]]] = [{s.id: home}]
            block = blockers(s.id, *home)
            if len(block) == 1 and moved(block[0]):
                trials.append({s.id: home, block[0]: placed[s.id]})  # trade places
            for change in trials:
                where = {**placed, **change}
                keys = tuple(change)
                if all(fits(where, k) for k in keys) and cost(where, keys) <= cost(placed, keys):
                    placed.update(change)
                    changed = True
                    break
    return placed
