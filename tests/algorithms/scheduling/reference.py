"""An independent reading of the scheduling rules for the tests: a checker of every hard rule
and of the "why not" answers, and a plain CP-SAT model solved tier by tier. It shares no code
with the library beyond its dataclasses."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ortools.sat.python import cp_model

from clusterhub.algorithms.scheduling import (
    MeetingRequest,
    Person,
    Schedule,
    ScheduleConfig,
    Slot,
)


def usable(person: Person, slot: Slot) -> bool:
    if person.available_slots is not None and slot.id not in person.available_slots:
        return False
    return all(not (b_start < slot.end and slot.start < b_end) for b_start, b_end in person.busy)


def caps(person: Person, config: ScheduleConfig) -> tuple[int | None, int | None]:
    total = (
        person.max_meetings if person.max_meetings is not None else config.max_meetings_per_person
    )
    session = (
        person.max_per_session if person.max_per_session is not None else config.max_per_session
    )
    return total, session


def is_fixed(r: MeetingRequest, config: ScheduleConfig) -> bool:
    return r.placed is not None and (
        r.locked or (r.published and not config.allow_moving_published)
    )


def objective(requests: Sequence[MeetingRequest], scheduled: set[int]) -> tuple[int, int, int]:
    """Weight in thousandths of must-meet, other accepted, and proposed meetings."""
    out = [0, 0, 0]
    for r in requests:
        if r.id in scheduled:
            out[_tier(r)] += round(r.weight * 1000)
    return out[0], out[1], out[2]


def _at_least(count: int, cap: int | None) -> bool:
    return cap is not None and count >= cap


def _tier(r: MeetingRequest) -> int:
    return 0 if r.must_meet else 2 if r.proposed else 1


def violations(
    slots: Sequence[Slot],
    people: Sequence[Person],
    requests: Sequence[MeetingRequest],
    config: ScheduleConfig,
    result: Schedule,
) -> list[str]:
    """Every broken rule, in words; empty when the schedule keeps them all."""
    out: list[str] = []
    slot = {s.id: s for s in slots}
    person = {p.id: p for p in people}
    req = {r.id: r for r in requests}
    where = {a.request: (a.slot, a.table) for a in result.assignments}
    if len(where) != len(result.assignments):
        out.append("a request is scheduled twice")
    if set(where) & set(result.unscheduled) or set(where) | set(result.unscheduled) != set(req):
        out.append("scheduled and unscheduled do not partition the requests")
    seats = Counter((s, t) for s, t in where.values())
    out += [f"table {t} of slot {s} used twice" for (s, t), k in seats.items() if k > 1]
    out += [f"table {t} outside 1..{slot[s].tables}" for s, t in where.values()
            if not 1 <= t <= slot[s].tables]  # fmt: skip
    in_slot = Counter((p, where[r.id][0]) for r in requests if r.id in where for p in (r.a, r.b))
    out += [f"person {p} twice in slot {s}" for (p, s), k in in_slot.items() if k > 1]
    fixed_count: Counter[int] = Counter()
    fixed_session: Counter[tuple[int, int | None]] = Counter()
    for r in requests:
        if is_fixed(r, config):
            assert r.placed is not None
            if where.get(r.id) != r.placed:
                out.append(f"fixed request {r.id} moved from {r.placed} to {where.get(r.id)}")
            for p in (r.a, r.b):
                fixed_count[p] += 1
                fixed_session[p, slot[r.placed[0]].session] += 1
        elif r.id in where:
            s = slot[where[r.id][0]]
            for p in (r.a, r.b):
                if not usable(person[p], s):
                    out.append(f"request {r.id} meets in slot {s.id}, unusable for {p}")
    total: Counter[int] = Counter()
    per_session: Counter[tuple[int, int | None]] = Counter()
    for r in requests:
        if r.id in where:
            for p in (r.a, r.b):
                total[p] += 1
                per_session[p, slot[where[r.id][0]].session] += 1
    for p in people:
        cap, cap_session = caps(p, config)
        if cap is not None and total[p.id] > max(cap, fixed_count[p.id]):
            out.append(f"person {p.id} has {total[p.id]} meetings, cap {cap}")
        for (q, g), k in per_session.items():
            limit = None if cap_session is None else max(cap_session, fixed_session[q, g])
            if q == p.id and g is not None and limit is not None and k > limit:
                out.append(f"person {q} has {k} meetings in session {g}")
    out += _why_not_problems(slots, people, requests, config, result, where, total, per_session)
    return out


def _why_not_problems(
    slots: Sequence[Slot],
    people: Sequence[Person],
    requests: Sequence[MeetingRequest],
    config: ScheduleConfig,
    result: Schedule,
    where: dict[int, tuple[int, int]],
    total: Counter[int],
    per_session: Counter[tuple[int, int | None]],
) -> list[str]:
    out = []
    person = {p.id: p for p in people}
    slot = {s.id: s for s in slots}
    busy = {(p, where[r.id][0]) for r in requests if r.id in where for p in (r.a, r.b)}
    load = Counter(s for s, _t in where.values())
    for r in requests:
        if r.id in where:
            continue
        a, b = person[r.a], person[r.b]
        shared = [s for s in slots if usable(a, s) and usable(b, s)]
        free = [s for s in shared if (a.id, s.id) not in busy and (b.id, s.id) not in busy]
        within = [
            s for s in free
            if all(caps(p, config)[1] is None or s.session is None
                   or per_session[p.id, s.session] < (caps(p, config)[1] or 0) for p in (a, b))
        ]  # fmt: skip
        capped = [p.id for p in (a, b) if _at_least(total[p.id], caps(p, config)[0])]
        with_table = [s for s in within if load[s.id] < slot[s.id].tables]
        why = result.unscheduled[r.id]
        if not shared:
            expected = "no_common_slot"
        elif capped:
            expected = "cap_reached"
        elif not free:
            expected = "no_common_slot"
        elif not within:
            expected = "cap_reached"
        elif not with_table:
            expected = "no_table"
        else:
            out.append(f"request {r.id} fits in slot {with_table[0].id} but is unscheduled")
            continue
        if why.code != expected:
            out.append(f"request {r.id}: reason {why.code}, expected {expected}")
        if expected == "cap_reached" and why.person not in (a.id, b.id):
            out.append(f"request {r.id}: cap_reached names {why.person}")
    return out


def kept(
    slots: Sequence[Slot],
    people: Sequence[Person],
    requests: Sequence[MeetingRequest],
    config: ScheduleConfig,
) -> set[int]:
    """Earlier placements that may move but must stay scheduled: those that still fit where
    they were, given the fixed meetings and, by tier then weight then input order, the
    earlier placements kept before them."""
    person = {p.id: p for p in people}
    slot = {s.id: s for s in slots}
    taken: Counter[int] = Counter()
    seat: set[tuple[int, int]] = set()
    total: Counter[int] = Counter()
    per_session: Counter[tuple[int, int | None]] = Counter()

    def take(r: MeetingRequest, s: int) -> None:
        taken[s] += 1
        for p in (r.a, r.b):
            seat.add((p, s))
            total[p] += 1
            per_session[p, slot[s].session] += 1

    def fits(r: MeetingRequest, s: int) -> bool:
        for p in (r.a, r.b):
            cap, cap_session = caps(person[p], config)
            if (p, s) in seat or not usable(person[p], slot[s]):
                return False
            if cap is not None and total[p] >= cap:
                return False
            g = slot[s].session
            if g is not None and cap_session is not None and per_session[p, g] >= cap_session:
                return False
        return taken[s] < slot[s].tables

    for r in requests:
        if is_fixed(r, config):
            assert r.placed is not None
            take(r, r.placed[0])
    out = set()
    earlier = [r for r in requests if r.placed is not None and not is_fixed(r, config)]
    order = sorted(
        enumerate(earlier), key=lambda ir: (_tier(ir[1]), -round(ir[1].weight * 1000), ir[0])
    )
    for _i, r in order:
        assert r.placed is not None
        if fits(r, r.placed[0]):
            take(r, r.placed[0])
            out.add(r.id)
    return out


def optimum(
    slots: Sequence[Slot],
    people: Sequence[Person],
    requests: Sequence[MeetingRequest],
    config: ScheduleConfig,
    seconds: float = 20.0,
) -> tuple[int, int, int]:
    """The best objective() over all feasible schedules, tier by tier, by CP-SAT. A fixed
    meeting is a constant 1 and only relaxes a rule it already breaks; the kept() earlier
    placements must stay scheduled."""
    stay = kept(slots, people, requests, config)
    person = {p.id: p for p in people}
    session = {s.id: s.session for s in slots}
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    fixed: set[int] = set()
    for r in requests:
        if is_fixed(r, config):
            assert r.placed is not None
            x[r.id, r.placed[0]] = model.new_constant(1)
            fixed.add(r.id)
            continue
        options = [s.id for s in slots if usable(person[r.a], s) and usable(person[r.b], s)]
        for s in options:
            x[r.id, s] = model.new_bool_var(f"x{r.id}_{s}")
        if r.id in stay:
            model.add(sum(x[r.id, s] for s in options) == 1)
        else:
            model.add(sum(x[r.id, s] for s in options) <= 1)
    ends = {r.id: (r.a, r.b) for r in requests}
    by_slot: dict[int, list[tuple[int, int]]] = {}
    by_person: dict[int, list[tuple[int, int]]] = {}
    for k in x:
        by_slot.setdefault(k[1], []).append(k)
        for p in ends[k[0]]:
            by_person.setdefault(p, []).append(k)

    def limit(keys: list[tuple[int, int]], cap: int) -> None:
        model.add(sum(x[k] for k in keys) <= max(cap, sum(1 for k in keys if k[0] in fixed)))

    tables = {s.id: s.tables for s in slots}
    for s, keys in by_slot.items():
        limit(keys, tables[s])
    for p in people:
        mine = by_person.get(p.id, [])
        for s in tables:
            limit([k for k in mine if k[1] == s], 1)
        cap, cap_session = caps(p, config)
        if cap is not None:
            limit(mine, cap)
        if cap_session is not None:
            for g in {v for v in session.values() if v is not None}:
                limit([k for k in mine if session[k[1]] == g], cap_session)
    tier_of = {r.id: _tier(r) for r in requests}
    weight = {r.id: round(r.weight * 1000) for r in requests}
    best: list[int] = []
    for tier in (0, 1, 2):
        terms = sum(weight[k[0]] * x[k] for k in x if tier_of[k[0]] == tier)
        model.maximize(terms)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = seconds
        solver.parameters.num_workers = 2
        status = solver.solve(model)
        assert status == cp_model.OPTIMAL, f"reference model: {solver.status_name(status)}"
        value = round(solver.objective_value)
        best.append(value)
        model.add(terms >= value)
    return best[0], best[1], best[2]
