"""Why an unscheduled request is not in the schedule, true of the final schedule.

Checked in this order, the first that holds is the answer:
1. no_common_slot: the two agendas share no usable slot at all (availability, own sessions);
2. cap_reached: one of them already has as many meetings as their overall cap allows;
3. no_common_slot: every shared usable slot holds a meeting of one of them;
4. cap_reached: every shared free slot is in a session where one of them reached the
   per-session cap;
5. no_table: a shared free slot within the caps exists, but all its tables are taken.
The solver only stops when no unscheduled request fits anywhere, so one of these holds.
"""

from __future__ import annotations

from .state import State
from .types import WhyNot


def why_not(state: State, r: int) -> WhyNot:
    inst = state.inst
    a, b = inst.ra[r], inst.rb[r]
    ida, idb = inst.people[a].id, inst.people[b].id
    shared = inst.common[r]
    if not shared:
        return WhyNot("no_common_slot")
    if state.count[a] >= inst.cap[a]:
        return WhyNot("cap_reached", ida)
    if state.count[b] >= inst.cap[b]:
        return WhyNot("cap_reached", idb)
    free = shared & ~(state.busy[a] | state.busy[b])
    if not free:
        return WhyNot("no_common_slot")
    within = free & ~(state.blocked[a] | state.blocked[b])
    if not within:
        return WhyNot("cap_reached", ida if free & state.blocked[a] else idb)
    if not within & ~state.full:
        return WhyNot("no_table")
    raise RuntimeError(f"request {inst.requests[r].id} fits in a free slot but was left out")
