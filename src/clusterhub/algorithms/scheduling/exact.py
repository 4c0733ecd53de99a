"""The time-indexed model solved exactly by OR-Tools CP-SAT: x[r, s] = 1 when request r meets
in slot s. It polishes the heuristic schedule on small instances (hinted with it, so it never
returns worse) and is the "exact" method of the benchmark."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .heuristic import bits
from .state import State

if TYPE_CHECKING:
    from ortools.sat.python.cp_model import IntVar


@dataclass
class ExactResult:
    slot_of: dict[int, int]  # open request index -> slot index, for the scheduled ones
    optimal: bool
    found: bool


def count_variables(state: State, open_requests: list[int]) -> int:
    return sum(_slots(state, r).bit_count() for r in open_requests)


def _slots(state: State, r: int) -> int:
    """Slots open request r could use next to the meetings `state` holds."""
    inst = state.inst
    a, b = inst.ra[r], inst.rb[r]
    return inst.common[r] & ~(state.busy[a] | state.busy[b] | state.full)


def solve_exact(
    state: State,
    open_requests: list[int],
    weight: list[int],
    keep: set[int],
    hint: dict[int, int] | None,
    *,
    seed: int,
    time_limit: float,
    deterministic: bool = True,
) -> ExactResult:
    """Maximise, tier by tier (must-meet, accepted, proposed), the integer weight of the open
    requests given `state`, which holds only the fixed meetings; requests in `keep` must stay
    scheduled. Each tier's optimum becomes a constraint for the next; a tier that runs out of
    time ends the search with the best schedule found."""
    # CP-SAT pulls in pandas (most of a second): only runs that use it pay for the import.
    from ortools.sat.python import cp_model

    if sum(weight[r] for r in open_requests) >= 1 << 53:
        return ExactResult({}, optimal=False, found=False)  # would overflow CP-SAT's sums
    inst = state.inst
    model = cp_model.CpModel()
    x: dict[tuple[int, int], IntVar] = {}
    per_person_slot: dict[tuple[int, int], list[IntVar]] = {}
    per_slot: dict[int, list[IntVar]] = {}
    per_person: dict[int, list[IntVar]] = {}
    per_session: dict[tuple[int, int], list[IntVar]] = {}
    by_tier: dict[int, list[tuple[IntVar, int]]] = {}
    for r in open_requests:
        mine = []
        for s in bits(_slots(state, r)):
            var = model.new_bool_var(f"x{r}_{s}")
            x[r, s] = var
            mine.append(var)
            per_slot.setdefault(s, []).append(var)
            g = inst.sessions[s]
            for p in (inst.ra[r], inst.rb[r]):
                per_person_slot.setdefault((p, s), []).append(var)
                per_person.setdefault(p, []).append(var)
                if g >= 0:
                    per_session.setdefault((p, g), []).append(var)
        if not mine:
            if r in keep:
                return ExactResult({}, optimal=False, found=False)
            continue
        if r in keep:
            model.add_exactly_one(mine)
        else:
            model.add_at_most_one(mine)
        by_tier.setdefault(inst.tier[r], []).extend((var, weight[r]) for var in mine)
    for vars_ in per_person_slot.values():
        if len(vars_) > 1:
            model.add_at_most_one(vars_)
    for s, vars_ in per_slot.items():
        room = inst.tables[s] - state.load[s]
        if len(vars_) > room:
            model.add(sum(vars_) <= room)
    for p, vars_ in per_person.items():
        room = inst.cap[p] - state.count[p]
        if len(vars_) > room:
            model.add(sum(vars_) <= max(0, room))
    for (p, g), vars_ in per_session.items():
        room = inst.cap_session[p] - state.session_count[p][g]
        if len(vars_) > room:
            model.add(sum(vars_) <= max(0, room))

    chosen = dict(hint or {})
    found = hint is not None
    left = time_limit
    for tier in sorted(by_tier, reverse=True):
        objective = sum(w * var for var, w in by_tier[tier])
        model.maximize(objective)
        model.clear_hints()
        if found:
            for (r, s), var in x.items():
                model.add_hint(var, chosen.get(r) == s)
        solver = cp_model.CpSolver()
        solver.parameters.random_seed = seed
        if deterministic:
            solver.parameters.num_workers = 1
            solver.parameters.max_deterministic_time = max(0.01, left)
        else:
            solver.parameters.max_time_in_seconds = max(0.01, left)
        status = solver.solve(model)
        left -= solver.deterministic_time if deterministic else solver.wall_time
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return ExactResult(chosen, optimal=False, found=found)
        chosen = {r: s for (r, s), var in x.items() if solver.boolean_value(var)}
        found = True
        if status != cp_model.OPTIMAL:
            return ExactResult(chosen, optimal=False, found=True)
        model.add(objective >= round(solver.objective_value))
    return ExactResult(chosen, optimal=True, found=found)
