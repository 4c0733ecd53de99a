"""The pipeline behind `timetable`: validate, pre-check, greedy start, CP-SAT, explanation."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from .explain import explain, prechecks
from .greedy import greedy
from .instance import Instance, candidates, clashes, compile_instance, modelled_pairs
from .model import Built, build
from .types import (
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

    def infeasible(conflicts: Sequence[str], status: Status = "infeasible") -> Timetable:
        return Timetable(
            status=status,
            placements={},
            clashes=0,
            objective=0,
            bound=0,
            gap=0.0,
            conflicts=tuple(conflicts),
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
            _hint(built, inst, start)
        solver = cp_model.CpSolver()
        solver.parameters.random_seed = config.seed
        if config.deterministic:
            solver.parameters.num_workers = 1
            solver.parameters.max_deterministic_time = config.time_limit
        else:
            solver.parameters.num_workers = config.workers
            solver.parameters.max_time_in_seconds = config.time_limit
        status = solver.solve(built.model)
    solved = solver is not None and status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if not solved and status != cp_model.INFEASIBLE and start is not None:
        solver = None  # CP-SAT found nothing in time: the greedy timetable stands
    elif not solved:
        if status == cp_model.INFEASIBLE:
            return infeasible(
                explain(inst, config.explain_time_limit, config.seed) if config.explain else ()
            )
        return infeasible(
            ("No timetable was found within the time limit; none was proven impossible either.",),
            status="unknown",
        )
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
    found = clashes(inst, placed)
    if start is not None and greedy_clashes is not None and greedy_clashes < found:
        placed, found = start, greedy_clashes  # possible when not every pair is modelled
    bound = min(bound, found)
    objective = clashes(inst, placed, pairs)
    notes = []
    if len(pairs) < total:
        notes.append(
            f"The objective covers {len(pairs)} of {total} audience overlaps "
            f"(min_overlap={config.min_overlap}, "
            f"max_pairs_per_session={config.max_pairs_per_session})."
        )
    # Optimal for the input only when the model saw every overlap (or the bound is met).
    optimal = solver is not None and status == cp_model.OPTIMAL
    optimal = optimal and (len(pairs) == total or bound == found)
    if solver is None:
        notes.append("CP-SAT found no timetable in the time limit: this is the greedy one.")
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


def _hint(built: Built, inst: Instance, start: Mapping[int, tuple[int, int]]) -> None:
    m = built.model
    for s, (r, t) in start.items():
        m.add_hint(built.start[s], t)
        for (s2, r2), var in built.x.items():
            if s2 == s:
                m.add_hint(var, r2 == r)
    for (u, v), lit in built.before.items():
        m.add_hint(lit, start[u][1] + inst.by_id[u].duration <= start[v][1])
    for s, bools in built.day_on.items():
        for k, on in enumerate(bools):
            m.add_hint(on, inst.day_of(start[s][1]) == k)
    for (a, b), o in built.clash.items():
        ta, tb = start[a][1], start[b][1]
        m.add_hint(o, ta < tb + inst.by_id[b].duration and tb < ta + inst.by_id[a].duration)
