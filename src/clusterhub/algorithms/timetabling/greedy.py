"""The greedy baseline (and the solver's first hint): sessions one by one, hardest first and
each after the sessions it must follow, each at the allowed (start, room) that adds the fewest
clashes with the sessions already placed, smallest fitting room first."""

from __future__ import annotations

from collections.abc import Mapping

from .instance import Instance
from .types import After, NotParallel, SameDay


def greedy(
    inst: Instance, cand: Mapping[tuple[int, int], list[int]], attempts: int = 20
) -> dict[int, tuple[int, int]] | None:
    """session -> (room, start) for every session, or None when it gets stuck. A session it
    gets stuck on goes first in the next attempt ("squeaky wheel")."""
    urgent: list[int] = []
    for _ in range(attempts):
        placed: dict[int, tuple[int, int]] = {}
        stuck = _attempt(inst, cand, urgent, placed)
        if stuck is None:
            return placed
        if stuck < 0 or stuck in urgent:
            return None
        urgent.insert(0, stuck)
    return None


def _attempt(
    inst: Instance,
    cand: Mapping[tuple[int, int], list[int]],
    urgent: list[int],
    placed: dict[int, tuple[int, int]],
) -> int | None:
    """Fill `placed`; the session it got stuck on (-1: a cycle), or None when done."""
    dur = {s.id: s.duration for s in inst.sessions}
    options: dict[int, list[tuple[int, int]]] = {}
    for (sid, r), starts in cand.items():
        options.setdefault(sid, []).extend((t, r) for t in starts)
    preds: dict[int, list[After]] = {}
    succs: dict[int, list[After]] = {}
    partners: dict[int, list[tuple[int, bool]]] = {}  # (other, same_day: else not parallel)
    for c in inst.constraints:
        if isinstance(c, After):
            preds.setdefault(c.then, []).append(c)
            succs.setdefault(c.first, []).append(c)
        elif isinstance(c, SameDay | NotParallel):
            same = isinstance(c, SameDay)
            partners.setdefault(c.a, []).append((c.b, same))
            partners.setdefault(c.b, []).append((c.a, same))
    weight: dict[int, dict[int, int]] = {}
    for (a, b), w in inst.overlap.items():
        weight.setdefault(a, {})[b] = w
        weight.setdefault(b, {})[a] = w
    tail = _tails(inst, succs)
    rank = {s: i for i, s in enumerate(urgent)}
    room_busy: dict[int, list[tuple[int, int]]] = {}
    speaker_busy: dict[int, list[tuple[int, int]]] = {}

    def put(s: int, r: int, t: int) -> None:
        placed[s] = (r, t)
        room_busy.setdefault(r, []).append((t, t + dur[s]))
        before, after = inst.pad[s, r]
        for p in inst.by_id[s].speakers:
            speaker_busy.setdefault(p, []).append((t - before, t + dur[s] + after))

    for sess in inst.sessions:
        if sess.pinned is not None:
            put(sess.id, *sess.pinned)
    todo = [s.id for s in inst.sessions if s.pinned is None]
    while todo:
        ready = [s for s in todo if all(c.first in placed for c in preds.get(s, ()))]
        if not ready:
            return -1  # a cycle of "after" rules
        s = min(ready, key=lambda s: (rank.get(s, len(rank)), -len(succs.get(s, ())),
                                      len(options.get(s, ())), -inst.by_id[s].need, s))  # fmt: skip
        best: tuple[int, int, int, int, int] | None = None
        for t, r in options.get(s, ()):
            end = t + dur[s]
            if any(placed[c.first][1] + dur[c.first] + c.gap > t for c in preds.get(s, ())):
                continue
            if any(c.then in placed and end + c.gap > placed[c.then][1] for c in succs.get(s, ())):
                continue
            if any(a < end and t < b for a, b in room_busy.get(r, ())):
                continue
            before, after = inst.pad[s, r]
            if any(
                a < end + after and t - before < b
                for p in inst.by_id[s].speakers
                for a, b in speaker_busy.get(p, ())
            ):
                continue
            if not _partners_ok(inst, placed, partners.get(s, []), t, end, dur):
                continue
            cost = sum(
                w
                for o, w in weight.get(s, {}).items()
                if o in placed and placed[o][1] < end and t < placed[o][1] + dur[o]
            )
            # Leave the day room for the parts that must follow.
            day = inst.days[inst.day_of(t)]
            key = (int(end + tail[s] > day.end), cost, t, inst.rooms[r].capacity, r)
            if best is None or key < best:
                best = key
        if best is None:
            return s
        put(s, best[4], best[2])
        todo.remove(s)
    return None


def _tails(inst: Instance, succs: Mapping[int, list[After]]) -> dict[int, int]:
    """Minutes the sessions that must follow s need after it ends (longest chain)."""
    memo: dict[int, int] = {}

    def tail(s: int, depth: int) -> int:
        if s not in memo:
            memo[s] = 0 if depth > len(inst.sessions) else max(
                (c.gap + inst.by_id[c.then].duration + tail(c.then, depth + 1)
                 for c in succs.get(s, ())), default=0)  # fmt: skip
        return memo[s]

    return {s.id: tail(s.id, 0) for s in inst.sessions}


def _partners_ok(
    inst: Instance,
    placed: Mapping[int, tuple[int, int]],
    partners: list[tuple[int, bool]],
    t: int,
    end: int,
    dur: Mapping[int, int],
) -> bool:
    for o, same_day in partners:
        if o not in placed:
            continue
        to = placed[o][1]
        if same_day and inst.day_of(to) != inst.day_of(t):
            return False
        if not same_day and to < end and t < to + dur[o]:
            return False
    return True
