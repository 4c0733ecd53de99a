"""The pipeline behind `timetable`: validate, pre-check, greedy start, CP-SAT, explanation."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from .bound import crowding_bound
from .explain import TIME_LIMIT, explain, prechecks
from .greedy import greedy
from .instance import candidates, clashes, compile_instance, modelled_pairs
from .lns import improve
from .model import build, hint
from .settle import settle
from .types import (
    Conflict,
    Constraint,
    Day,
    Placement,
    Room,
    Session,
    Speaker,
    Status,
    Timetable,
    TimetableConfig,
)

# Shares of the time limit: CP-SAT on the whole model (of what is left after the greedy), then
# (wall-clock mode) the crowding bound's cutting planes; the rest goes to the neighbourhoods.
FULL_SHARE = 0.2
BOUND_SHARE = 0.3


def run(
    days: Sequence[Day],
    rooms: Sequence[Room],
    speakers: Sequence[Speaker],
    sessions: Sequence[Session],
    constraints: Sequence[Constraint],
    overlap: Mapping[tuple[int, int], int],
    config: TimetableConfig,
) -> Timetable:
    t0 = time.perf_counter()
    inst = compile_instance(days, rooms, speakers, sessions, constraints, overlap, config)
    pairs = modelled_pairs(inst)
    total = len(inst.overlap)

    def infeasible(conflicts: Sequence[Conflict], status: Status = "infeasible") -> Timetable:
        return Timetable(
            status=status,
            placements={},
            clashes=0,
            objective=0,
            bound=0,
            gap=0.0,
            conflicts=tuple(c.text for c in conflicts),
            conflict_items=tuple(conflicts),
            pairs_modelled=len(pairs),
            pairs_total=total,
            seconds=time.perf_counter() - t0,
        )

    early = prechecks(inst)
    if early:
        return infeasible(early)
    cand = candidates(inst)
    start = greedy(inst, cand)
    greedy_clashes = clashes(inst, start) if start is not None else None
    if any(not any((s.id, r) in cand for r in inst.rooms) for s in inst.sessions):
        status = cp_model.INFEASIBLE  # the filters left a session no start: no need to solve
        solver = None
    else:
        built = build(inst, cand, pairs)
        if start is not None:
            hint(built, inst, start)
        solver = cp_model.CpSolver()
        solver.parameters.random_seed = config.seed
        if config.deterministic:
            solver.parameters.num_workers = 1
            solver.parameters.max_deterministic_time = config.time_limit * FULL_SHARE
        else:
            solver.parameters.num_workers = config.workers
            left = config.time_limit - (time.perf_counter() - t0)
            solver.parameters.max_time_in_seconds = max(0.1, left * FULL_SHARE)
        status = solver.solve(built.model)
    solved = solver is not None and status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if not solved and status != cp_model.INFEASIBLE and start is not None:
        solver = None  # CP-SAT found nothing in time: the greedy timetable stands
    elif not solved:
        if status == cp_model.INFEASIBLE:
            return infeasible(
                explain(inst, config.explain_time_limit, config.seed) if config.explain else ()
            )
        return infeasible((TIME_LIMIT,), status="unknown")
    placed = dict(start or {})
    bound = 0
    if solver is not None:
        placed = {
            s.id: (r, solver.value(built.start[s.id]))
            for s in inst.sessions
            for r in inst.rooms
            if (s.id, r) in built.x and solver.boolean_value(built.x[s.id, r])
        }
        bound = max(0, round(solver.best_objective_bound + 0.4999))
    notes = []
    if not (solver is not None and status == cp_model.OPTIMAL):
        # CP-SAT's own bound is weak on big instances (see the docs): add the crowding LP's.
        if config.deterministic:
            cuts = int(config.time_limit * BOUND_SHARE / 2)  # about 1 s of LP per round
            crowd = crowding_bound(inst, pairs, seed=config.seed, cut_rounds=cuts)
        else:
            crowd = crowding_bound(
                inst, pairs, seed=config.seed, seconds=config.time_limit * BOUND_SHARE
            )
        bound = max(bound, crowd)
    if status != cp_model.OPTIMAL and placed and clashes(inst, placed, pairs) > bound:
        # Not proven optimal: re-place a few sessions at a time with the rest fixed.
        if config.deterministic:
            spent = solver.deterministic_time if solver is not None else 0.0
            budget = config.time_limit - spent
        else:
            budget = config.time_limit - (time.perf_counter() - t0)
        before = clashes(inst, placed, pairs)
        placed, rounds = improve(
            inst, cand, pairs, placed, budget, deterministic=config.deterministic,
            workers=config.workers, seed=config.seed,
        )  # fmt: skip
        if rounds:
            notes.append(
                f"Large-neighbourhood search: {rounds} neighbourhoods re-solved, clashes on the "
                f"optimised pairs {before} -> {clashes(inst, placed, pairs)}."
            )
    found = clashes(inst, placed)
    if start is not None and greedy_clashes is not None and greedy_clashes < found:
        placed, found = start, greedy_clashes  # possible when not every pair is modelled
    kept = settle(inst, cand, placed)
    if kept != placed:
        back = sum(1 for s, where in kept.items() if where != placed[s])
        notes.append(f"{back} sessions kept at their current place at no cost in clashes.")
        placed, found = kept, clashes(inst, kept)
    bound = min(bound, found)
    objective = clashes(inst, placed, pairs)
    if len(pairs) < total:
        notes.append(
            f"The objective covers {len(pairs)} of {total} audience overlaps "
            f"(min_overlap={config.min_overlap}, "
            f"max_pairs_per_session={config.max_pairs_per_session})."
        )
    # Optimal for the input only when the model saw every overlap (or the bound is met).
    optimal = solver is not None and status == cp_model.OPTIMAL
    optimal = (optimal and len(pairs) == total) or bound == found
    if solver is None:
        notes.append(
            "CP-SAT on the whole model found no timetable in its share of the time: this is "
            "the greedy one, improved by the neighbourhood search."
        )
    return Timetable(
        status="optimal" if optimal else "feasible",
        placements={
            s: Placement(s, r, t, t + inst.by_id[s].duration) for s, (r, t) in placed.items()
        },
        clashes=found,
        objective=objective,
        bound=bound,
        gap=0.0 if found == 0 else (found - bound) / found,
        greedy_clashes=greedy_clashes,
        pairs_modelled=len(pairs),
        pairs_total=total,
        seconds=time.perf_counter() - t0,
        notes=tuple(notes),
    )
