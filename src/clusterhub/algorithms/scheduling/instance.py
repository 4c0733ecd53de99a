"""Inputs checked and compiled into indexed form: slots by time, people and requests by
position, and each person's usable slots as an integer bit mask (bit i = i-th slot by time)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from .types import MeetingRequest, Person, ScheduleConfig, Slot

NO_CAP = 1 << 30
TIER_MUST, TIER_ACCEPTED, TIER_PROPOSED = 2, 1, 0


@dataclass
class Instance:
    slots: list[Slot]  # sorted by start
    sessions: list[int]  # session index of each slot, -1 for none
    session_masks: list[int]  # slots of each session index
    tables: list[int]
    people: list[Person]
    usable: list[int]  # slots each person can meet in (agenda and availability)
    cap: list[int]
    cap_session: list[int]
    requests: list[MeetingRequest]
    ra: list[int]
    rb: list[int]
    weight: list[float]
    tier: list[int]
    common: list[int]  # usable[a] & usable[b]
    fixed: dict[int, tuple[int, int]]  # request index -> (slot index, table): never moves
    previous: dict[int, tuple[int, int]]  # movable placements from an earlier run
    conflicts: list[int]  # fixed requests that break an agenda, availability or a cap

    @property
    def n_slots(self) -> int:
        return len(self.slots)

    def session_of(self, s: int) -> int:
        return self.sessions[s]


def _usable_mask(person: Person, starts: list[int], ends: list[int], index: dict[int, int]) -> int:
    n = len(starts)
    if person.available_slots is None:
        mask = (1 << n) - 1
    else:
        mask = 0
        for sid in person.available_slots:
            if sid in index:
                mask |= 1 << index[sid]
    for b_start, b_end in person.busy:
        if b_end <= b_start:
            continue
        # Slots are disjoint and sorted, so ends are sorted too: the overlapping ones form a run.
        lo = bisect_right(ends, b_start)
        hi = bisect_left(starts, b_end)
        if hi > lo:
            mask &= ~(((1 << (hi - lo)) - 1) << lo)
    return mask


def compile_instance(
    slots: Sequence[Slot],
    people: Sequence[Person],
    requests: Sequence[MeetingRequest],
    config: ScheduleConfig,
) -> Instance:
    """Check the input and index it. Raises ValueError for duplicate ids, slots that overlap
    or have end <= start or negative tables, requests naming unknown people or a person twice,
    two requests for one pair, weight <= 0, a locked or published request that is not placed,
    a placement in an unknown slot or outside 1..tables, and fixed meetings that clash with
    one another (one table twice, or one person twice in a slot)."""
    ordered = sorted(slots, key=lambda s: (s.start, s.end, s.id))
    if len({s.id for s in ordered}) != len(ordered):
        raise ValueError("slot ids must be unique")
    for s in ordered:
        if s.end <= s.start:
            raise ValueError(f"slot {s.id} must end after it starts")
        if s.tables < 0:
            raise ValueError(f"slot {s.id} has a negative number of tables")
    for prev, nxt in pairwise(ordered):
        if nxt.start < prev.end:
            raise ValueError(f"slots {prev.id} and {nxt.id} overlap")
    index = {s.id: i for i, s in enumerate(ordered)}
    session_ids: dict[int, int] = {}
    sessions = [-1 if s.session is None else session_ids.setdefault(s.session, len(session_ids))
                for s in ordered]  # fmt: skip
    session_masks = [0] * len(session_ids)
    for i, g in enumerate(sessions):
        if g >= 0:
            session_masks[g] |= 1 << i
    starts = [s.start for s in ordered]
    ends = [s.end for s in ordered]

    if len({p.id for p in people}) != len(people):
        raise ValueError("person ids must be unique")
    people = list(people)
    pindex = {p.id: i for i, p in enumerate(people)}
    usable = [_usable_mask(p, starts, ends, index) for p in people]
    default_cap = config.max_meetings_per_person
    default_session = config.max_per_session
    cap = [_cap(p.max_meetings, default_cap) for p in people]
    cap_session = [_cap(p.max_per_session, default_session) for p in people]

    requests = list(requests)
    if len({r.id for r in requests}) != len(requests):
        raise ValueError("request ids must be unique")
    ra: list[int] = []
    rb: list[int] = []
    pairs: set[tuple[int, int]] = set()
    for r in requests:
        if r.a not in pindex or r.b not in pindex:
            raise ValueError(f"request {r.id} names an unknown person")
        if r.a == r.b:
            raise ValueError(f"request {r.id} pairs a person with themselves")
        if not r.weight > 0:
            raise ValueError(f"request {r.id} must have a positive weight")
        pair = (min(r.a, r.b), max(r.a, r.b))
        if pair in pairs:
            raise ValueError(f"two requests for the pair {pair}")
        pairs.add(pair)
        ra.append(pindex[r.a])
        rb.append(pindex[r.b])
    common = [usable[a] & usable[b] for a, b in zip(ra, rb, strict=True)]
    tier = [
        TIER_MUST if r.must_meet else TIER_PROPOSED if r.proposed else TIER_ACCEPTED
        for r in requests
    ]
    inst = Instance(
        slots=ordered, sessions=sessions, session_masks=session_masks,
        tables=[s.tables for s in ordered], people=people, usable=usable, cap=cap,
        cap_session=cap_session, requests=requests, ra=ra, rb=rb,
        weight=[float(r.weight) for r in requests], tier=tier, common=common,
        fixed={}, previous={}, conflicts=[],
    )  # fmt: skip
    _placements(inst, index, config)
    return inst


def _cap(own: int | None, default: int | None) -> int:
    value = own if own is not None else default
    if value is None:
        return NO_CAP
    if value < 0:
        raise ValueError("caps must not be negative")
    return value


def _placements(inst: Instance, index: dict[int, int], config: ScheduleConfig) -> None:
    taken: set[tuple[int, int]] = set()
    seats: set[tuple[int, int]] = set()
    for i, r in enumerate(inst.requests):
        if r.placed is None:
            if r.locked or r.published:
                raise ValueError(f"request {r.id} is locked or published but not placed")
            continue
        sid, table = r.placed
        if sid not in index:
            raise ValueError(f"request {r.id} is placed in unknown slot {sid}")
        s = index[sid]
        if not 1 <= table <= inst.tables[s]:
            raise ValueError(f"request {r.id} is placed at table {table}, not in 1..tables")
        if r.locked or (r.published and not config.allow_moving_published):
            if (s, table) in taken:
                raise ValueError(f"two fixed meetings at table {table} of slot {sid}")
            for p in (inst.ra[i], inst.rb[i]):
                if (p, s) in seats:
                    raise ValueError(f"person {inst.people[p].id} has two fixed meetings in {sid}")
                seats.add((p, s))
            taken.add((s, table))
            inst.fixed[i] = (s, table)
            if not inst.common[i] >> s & 1:
                inst.conflicts.append(i)
        else:
            inst.previous[i] = (s, table)
    _cap_conflicts(inst)


def _cap_conflicts(inst: Instance) -> None:
    count = [0] * len(inst.people)
    per_session: dict[tuple[int, int], int] = {}
    over: set[int] = set()
    for i, (s, _table) in sorted(inst.fixed.items(), key=lambda kv: (kv[1][0], kv[0])):
        g = inst.sessions[s]
        for p in (inst.ra[i], inst.rb[i]):
            count[p] += 1
            if count[p] > inst.cap[p]:
                over.add(i)
            if g >= 0:
                per_session[p, g] = per_session.get((p, g), 0) + 1
                if per_session[p, g] > inst.cap_session[p]:
                    over.add(i)
    inst.conflicts = sorted(set(inst.conflicts) | over)


def bit_matrix(masks: Sequence[int], width: int) -> np.ndarray:
    """Bit masks as a boolean matrix, one row per mask, column i = bit i."""
    out = np.zeros((len(masks), width), dtype=bool)
    for lo in range(0, width, 62):
        w = min(62, width - lo)
        chunk = np.fromiter(((m >> lo) & ((1 << w) - 1) for m in masks), np.int64, len(masks))
        out[:, lo : lo + w] = (chunk[:, None] >> np.arange(w, dtype=np.int64)) & 1
    return out
