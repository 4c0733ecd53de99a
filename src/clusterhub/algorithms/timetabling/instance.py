"""Validation and the candidate placements: for every session and room, the start times the
hard rules that concern that session alone allow (pre-filtering is much cheaper for CP-SAT
than constraints). See docs/algorithms/timetabling.md."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .types import (
    After,
    Constraint,
    Day,
    Room,
    Session,
    Speaker,
    TimetableConfig,
    TimeWindow,
    Window,
)


@dataclass
class Instance:
    days: list[Day]
    rooms: dict[int, Room]
    speakers: dict[int, Speaker]
    sessions: list[Session]  # in input order
    by_id: dict[int, Session]
    constraints: list[Constraint]
    overlap: dict[tuple[int, int], int]  # every pair (a < b) with people wanting both
    config: TimetableConfig
    windows: dict[int, list[TimeWindow]] = field(default_factory=dict)
    grid: dict[int, list[int]] = field(default_factory=dict)  # session -> starts on the days
    # (session, room) -> (pad before, pad after) for the speakers (travel)
    pad: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)

    def day_of(self, t: int) -> int:
        return next((k for k, d in enumerate(self.days) if d.start <= t < d.end), -1)

    def day_name(self, k: int) -> str:
        return self.days[k].name or f"day {k + 1}"

    def clock(self, t: int) -> str:
        k = self.day_of(t)
        if k < 0:
            k = next((k for k, d in enumerate(self.days) if d.start <= t <= d.end), -1)
        hm = f"{t % 1440 // 60:02d}:{t % 60:02d}"
        return f"{self.day_name(k)} {hm}" if k >= 0 else hm


def inside(lo: int, hi: int, windows: Iterable[Window] | None) -> bool:
    """[lo, hi) lies within one of `windows` (None: anywhere)."""
    return windows is None or any(a <= lo and hi <= b for a, b in windows)


def compile_instance(
    days: Sequence[Day],
    rooms: Sequence[Room],
    speakers: Sequence[Speaker],
    sessions: Sequence[Session],
    constraints: Sequence[Constraint],
    overlap: Mapping[tuple[int, int], int],
    config: TimetableConfig,
) -> Instance:
    """Raises ValueError for duplicate ids, unknown references, durations <= 0, days or
    windows that end before they start, a negative overlap or a bad slot size."""
    if config.slot_minutes <= 0:
        raise ValueError("slot_minutes must be positive")
    for kind, items in (
        ("day", days),
        ("room", rooms),
        ("speaker", speakers),
        ("session", sessions),
    ):
        ids = [x.id for x in items]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate {kind} id")
    for d in days:
        if d.end <= d.start:
            raise ValueError(f"day {d.id} ends before it starts")
    by_id = {s.id: s for s in sessions}
    room_ids = {r.id for r in rooms}
    speaker_ids = {p.id for p in speakers}
    for s in sessions:
        if s.duration <= 0:
            raise ValueError(f"session {s.id} has no duration")
        if set(s.speakers) - speaker_ids or (s.rooms is not None and s.rooms - room_ids):
            raise ValueError(f"session {s.id} names an unknown speaker or room")
        if s.pinned is not None and s.pinned[0] not in room_ids:
            raise ValueError(f"session {s.id} is pinned in an unknown room")
        if min(s.travel_before, s.travel_after) < 0:
            raise ValueError(f"session {s.id} has negative travel time")
    windows: dict[int, list[TimeWindow]] = {}
    for c in constraints:
        refs = (
            [c.session]
            if isinstance(c, TimeWindow)
            else ([c.first, c.then] if isinstance(c, After) else [c.a, c.b])
        )
        if any(r not in by_id for r in refs) or (len(refs) == 2 and refs[0] == refs[1]):
            raise ValueError(f"constraint {c} names an unknown session or the same one twice")
        if isinstance(c, TimeWindow):
            if c.end <= c.start:
                raise ValueError(f"constraint {c} ends before it starts")
            windows.setdefault(c.session, []).append(c)
    pairs: dict[tuple[int, int], int] = {}
    for (a, b), w in overlap.items():
        if w < 0 or a not in by_id or b not in by_id:
            raise ValueError(f"bad overlap {(a, b)}: {w}")
        if a != b and w > 0:
            key = (min(a, b), max(a, b))
            pairs[key] = pairs.get(key, 0) + int(w)
    inst = Instance(
        days=sorted(days, key=lambda d: d.start),
        rooms={r.id: r for r in rooms},
        speakers={p.id: p for p in speakers},
        sessions=list(sessions),
        by_id=by_id,
        constraints=list(constraints),
        overlap=pairs,
        config=config,
        windows=windows,
    )
    step = config.slot_minutes
    for s in sessions:
        inst.grid[s.id] = [
            t for d in inst.days for t in range(d.start, d.end - s.duration + 1, step)
        ]
        for r in rooms:
            travel = r.travel_minutes
            inst.pad[s.id, r.id] = (max(s.travel_before, travel), max(s.travel_after, travel))
    return inst


def room_ok(inst: Instance, s: Session, r: Room) -> bool:
    return (s.rooms is None or r.id in s.rooms) and r.capacity >= s.need


def room_starts(inst: Instance, s: Session, r: Room) -> list[int]:
    """Starts on the grid when room r is open for s (ignores capacity and the room list)."""
    return [t for t in inst.grid[s.id] if inside(t, t + s.duration, r.available)]


def window_ok(inst: Instance, s: Session, t: int) -> bool:
    return all(w.start <= t and t + s.duration <= w.end for w in inst.windows.get(s.id, ()))


def speaker_ok(inst: Instance, s: Session, r: Room, p: Speaker, t: int) -> bool:
    before, after = inst.pad[s.id, r.id]
    return inside(t - before, t + s.duration + after, p.available)


def candidates(inst: Instance, *, filtered: bool = True) -> dict[tuple[int, int], list[int]]:
    """(session, room) -> allowed starts. Pinned sessions get only their placement. Without
    `filtered`, time windows and speaker availability are left to the (explanation) model."""
    out: dict[tuple[int, int], list[int]] = {}
    for s in inst.sessions:
        if s.pinned is not None:
            out[s.id, s.pinned[0]] = [s.pinned[1]]
            continue
        for r in inst.rooms.values():
            if not room_ok(inst, s, r):
                continue
            starts = room_starts(inst, s, r)
            if filtered:
                starts = [
                    t
                    for t in starts
                    if window_ok(inst, s, t)
                    and all(speaker_ok(inst, s, r, inst.speakers[p], t) for p in s.speakers)
                ]
            if starts:
                out[s.id, r.id] = starts
    return out


def modelled_pairs(inst: Instance) -> dict[tuple[int, int], int]:
    """The audience overlaps the objective optimises: at least `min_overlap`, and among the
    top `max_pairs_per_session` of either of its sessions."""
    cfg = inst.config
    pairs = {k: w for k, w in inst.overlap.items() if w >= cfg.min_overlap}
    k = cfg.max_pairs_per_session
    if k is None:
        return pairs
    per: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for key, w in pairs.items():
        for s in key:
            per.setdefault(s, []).append((w, key))
    keep: set[tuple[int, int]] = set()
    for lst in per.values():
        lst.sort(key=lambda x: (-x[0], x[1]))
        keep.update(key for _, key in lst[:k])
    return {key: pairs[key] for key in sorted(keep)}


def clashes(
    inst: Instance,
    placed: Mapping[int, tuple[int, int]],
    pairs: Mapping[tuple[int, int], int] | None = None,
) -> int:
    """People-pairs of wanted sessions that overlap in time, over `pairs` (default: every
    pair of the input)."""
    total = 0
    for (a, b), w in (inst.overlap if pairs is None else pairs).items():
        if a in placed and b in placed:
            sa, sb = placed[a][1], placed[b][1]
            if sa < sb + inst.by_id[b].duration and sb < sa + inst.by_id[a].duration:
                total += w
    return total
