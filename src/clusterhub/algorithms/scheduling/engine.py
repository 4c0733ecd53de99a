"""The pipeline behind `schedule`: bound, guided greedy, repair, exact polish, gaps, tables,
reasons. See docs/algorithms/scheduling.md for the method."""

from __future__ import annotations

import gc
import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .augment import augment
from .bound import COST_SCALE, MAX_COST, relaxation, weight_costs
from .exact import count_variables, solve_exact
from .explain import why_not
from .gaps import spread, total_penalty
from .heuristic import place_in_order, slot_by_slot
from .instance import TIER_MUST, Instance, compile_instance
from .state import State
from .types import Assignment, MeetingRequest, Person, Schedule, ScheduleConfig, Slot

# Up to this many open requests, requests the LP left out may start a three-step swap too
# (drop, place, replace); above it they only replace a meeting worth less (time budget).
CHAIN_LIMIT = 10_000
# Slot-clearing attempts the repair may spend per open request before it only places
# requests directly; bounds the time on instances where most repairs are hopeless.
EFFORT_PER_REQUEST = 4


def values(inst: Instance) -> list[int]:
    """Exact lexicographic values: weights in thousandths, each tier worth more than all
    lower tiers together (must-meet > accepted > proposed)."""
    w = _thousandths(inst)
    multiplier: dict[int, int] = {}
    below = 0
    for tier in sorted(set(inst.tier)):
        multiplier[tier] = below + 1
        below += sum(wi for wi, t in zip(w, inst.tier, strict=True) if t == tier) * (below + 1)
    return [wi * multiplier[t] for wi, t in zip(w, inst.tier, strict=True)]


def _thousandths(inst: Instance) -> list[int]:
    return [max(1, round(x * COST_SCALE)) for x in inst.weight]


def _guidance_costs(value: list[int]) -> np.ndarray:
    """The values as flow costs; scaled down when too large for the flow (the guidance may
    then lose the order of small weights behind a higher tier)."""
    top = max(value, default=1)
    if top <= MAX_COST:
        return np.array(value, dtype=np.int64)
    return np.array([max(1, v * MAX_COST // top) for v in value], dtype=np.int64)


def run(
    slots: Sequence[Slot],
    people: Sequence[Person],
    requests: Sequence[MeetingRequest],
    config: ScheduleConfig,
) -> Schedule:
    # The solver allocates hundreds of thousands of small objects and frees them itself;
    # the cyclic collector would only add pauses (a tenth of the run at 50,000 requests).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(slots, people, requests, config)
    finally:
        if enabled:
            gc.enable()


@dataclass
class _Bounds:
    count: int
    weight: float
    must: int
    y: np.ndarray  # LP guidance: how much of each request the relaxation uses


def _bounds(state: State, open_requests: list[int], value: list[int], uniform: bool) -> _Bounds:
    """Upper bounds (fixed meetings plus the LP over the open requests) and the guidance."""
    inst = state.inst
    fixed = inst.fixed
    rel = relaxation(state, open_requests)
    count_lp, y = rel.max_count()
    open_count = math.floor(count_lp + 1e-6)
    if uniform:
        weight_lp = open_count * (inst.weight[0] if inst.weight else 0.0)
    else:
        costs, scale = weight_costs(inst.weight)
        weight_lp, y = rel.max_weight(costs)
        weight_lp /= scale
        if len(set(inst.tier)) > 1:
            y = rel.max_weight(_guidance_costs(value))[1]
    must = [r for r in range(len(inst.requests)) if inst.tier[r] == TIER_MUST]
    bound_must = 0
    if must:
        must_lp = relaxation(state, [r for r in must if r not in fixed]).max_count()[0]
        bound_must = sum(1 for r in must if r in fixed) + math.floor(must_lp + 1e-6)
    return _Bounds(
        count=len(fixed) + open_count,
        weight=sum(inst.weight[r] for r in fixed) + weight_lp,
        must=bound_must,
        y=y,
    )


def _meets_bound(state: State, bounds: _Bounds, uniform: bool) -> bool:
    """The schedule reaches the bound of its own objective, so nothing can beat it."""
    inst = state.inst
    scheduled = state.scheduled()
    if uniform:
        return len(scheduled) >= bounds.count
    single_tier = len(set(inst.tier)) == 1
    return single_tier and sum(inst.weight[r] for r in scheduled) >= bounds.weight - 1e-9


def _run(
    slots: Sequence[Slot],
    people: Sequence[Person],
    requests: Sequence[MeetingRequest],
    config: ScheduleConfig,
) -> Schedule:
    started = time.perf_counter()
    inst = compile_instance(slots, people, requests, config)
    n = len(inst.requests)
    state = State(inst)
    movable = [r not in inst.fixed for r in range(n)]
    open_requests = [r for r in range(n) if movable[r]]
    value = values(inst)
    uniform = len(set(inst.weight)) <= 1 and len(set(inst.tier)) <= 1  # a count objective
    bounds = _bounds(state, open_requests, value, uniform)

    optimal = False
    keep: set[int] = set()
    if config.method == "greedy":
        order = sorted(open_requests, key=lambda r: (-value[r], inst.requests[r].id))
        slot_by_slot(state, order)
    elif config.method == "exact":
        result = solve_exact(State(inst), open_requests, _thousandths(inst), set(), None,
                             seed=config.seed, time_limit=config.exact_time_limit,
                             deterministic=False)  # fmt: skip
        for r, s in result.slot_of.items():
            state.place(r, s)
        optimal = result.optimal
    else:
        keep = _keep_previous(state, value)
        _heuristic(state, open_requests, value, bounds, keep, movable, config)
        optimal = _meets_bound(state, bounds, uniform)
        if not optimal and config.method == "full":
            optimal = _polish(state, open_requests, value, keep, config)
    _fill(state, open_requests, value)
    state.journal.clear()
    if config.spread_gaps and config.method != "greedy":
        spread(state, [movable[r] and r not in inst.previous for r in range(n)])
        _fill(state, open_requests, value)  # a moved meeting may have freed a shared slot
    reaches = _meets_bound(state, bounds, uniform)
    # An optimum proved under the rule that earlier placements stay is no bound in general.
    tight = reaches or (optimal and not keep)
    return _result(state, bounds, optimal or reaches, tight, uniform, config,
                   time.perf_counter() - started)  # fmt: skip


def _result(
    state: State, bounds: _Bounds, optimal: bool, tight: bool, uniform: bool,
    config: ScheduleConfig, seconds: float,
) -> Schedule:  # fmt: skip
    inst = state.inst
    scheduled = state.scheduled()
    count = len(scheduled)
    weight = sum(inst.weight[r] for r in scheduled)
    bound_count, bound_weight = bounds.count, bounds.weight
    # A proof of optimality is a better bound than the LP (weights count in thousandths).
    if tight and uniform:
        bound_count = min(bound_count, count)
    if (
        tight
        and len(set(inst.tier)) <= 1
        and all(abs(w * COST_SCALE - round(w * COST_SCALE)) < 1e-6 for w in inst.weight)
    ):
        bound_weight = min(bound_weight, weight)
    tables = _number_tables(state)
    assignments = tuple(
        Assignment(inst.requests[r].id, inst.slots[state.slot_of[r]].id, tables[r])
        for r in sorted(scheduled, key=lambda r: (state.slot_of[r], tables[r]))
    )
    moved = tuple(
        inst.requests[r].id
        for r, (s, t) in sorted(inst.previous.items())
        if state.slot_of[r] >= 0 and (state.slot_of[r], tables[r]) != (s, t)
    )
    unscheduled = {inst.requests[r].id: why_not(state, r) for r in range(len(inst.requests))
                   if state.slot_of[r] < 0}  # fmt: skip
    must = [r for r in scheduled if inst.tier[r] == TIER_MUST]
    return Schedule(
        assignments=assignments,
        unscheduled=unscheduled,
        scheduled_count=count,
        scheduled_weight=weight,
        upper_bound_count=bound_count,
        upper_bound_weight=bound_weight,
        ratio=count / bound_count if bound_count else 1.0,
        ratio_weight=weight / bound_weight if bound_weight > 0 else 1.0,
        must_meet_count=len(must),
        upper_bound_must_meet=bounds.must,
        proven_optimal=optimal,
        moved=moved,
        conflicts=tuple(inst.requests[r].id for r in inst.conflicts),
        idle_penalty=total_penalty(state),
        seconds=seconds,
        method=config.method,
    )


def _fill(state: State, open_requests: list[int], value: list[int]) -> None:
    """Whatever still fits goes in (placing never makes room), so every unscheduled request
    has a true reason."""
    unplaced = [r for r in open_requests if state.slot_of[r] < 0]
    place_in_order(state, sorted(unplaced, key=lambda r: (-value[r], r)))


def _keep_previous(state: State, value: list[int]) -> set[int]:
    """Put movable meetings of an earlier run back in their slot where they still fit."""
    inst = state.inst
    kept = set()
    for r in sorted(inst.previous, key=lambda r: (-value[r], r)):
        s = inst.previous[r][0]
        if state.free_slots(r) >> s & 1:
            state.place(r, s)
            kept.add(r)
    return kept


def _heuristic(
    state: State,
    open_requests: list[int],
    value: list[int],
    bounds: _Bounds,
    keep: set[int],
    movable: list[bool],
    config: ScheduleConfig,
) -> None:
    """Guided greedy, then augmenting swaps for what it left out."""
    inst = state.inst
    y = bounds.y
    rng = random.Random(config.seed)
    tie = list(range(len(inst.requests)))
    rng.shuffle(tie)
    previous = inst.previous
    # Earlier placements that no longer fit first, then by LP value, value, fewest options.
    order = sorted(
        (r for r in open_requests if r not in keep),
        key=lambda r: (r not in previous, -y[r], -value[r], inst.common[r].bit_count(), tie[r]),
    )
    left = place_in_order(state, order)
    droppable = [movable[r] and r not in previous for r in range(len(inst.requests))]
    requests_of: list[list[int]] = [[] for _ in inst.people]
    for r in sorted(open_requests, key=lambda r: (-value[r], tie[r])):
        requests_of[inst.ra[r]].append(r)
        requests_of[inst.rb[r]].append(r)
    chains = len(open_requests) <= CHAIN_LIMIT
    budget = EFFORT_PER_REQUEST * len(open_requests)
    # With equal values, reaching the count bound ends the search.
    done = len(set(value)) <= 1 and len(set(inst.weight)) <= 1
    # Requests the LP uses first, with moves; then the others, without (and cheaper swaps).
    for pass_ in (0, 1):
        for r in left:
            if done and state.placed >= bounds.count:
                return
            if (y[r] > 0) == (pass_ == 0):
                depth = (0 if pass_ == 0 else -1) if state.effort < budget else -1
                augment(state, r, value, movable, droppable, requests_of, depth,
                        chains=chains or pass_ == 0)  # fmt: skip


def _polish(
    state: State, open_requests: list[int], value: list[int], keep: set[int],
    config: ScheduleConfig,
) -> bool:  # fmt: skip
    """CP-SAT from the heuristic schedule, on instances small enough; True if optimal."""
    base = State(state.inst)
    if count_variables(base, open_requests) > config.exact_max_variables:
        return False
    placed = {r: state.slot_of[r] for r in open_requests if state.slot_of[r] >= 0}
    result = solve_exact(base, open_requests, _thousandths(state.inst), keep, placed,
                         seed=config.seed, time_limit=config.exact_time_limit)  # fmt: skip
    if not result.found:
        return False
    if sum(value[r] for r in result.slot_of) > sum(value[r] for r in placed):
        for r in placed:
            state.remove(r)
        for r, s in result.slot_of.items():
            state.place(r, s)
    return result.optimal


def _number_tables(state: State) -> dict[int, int]:
    """Tables 1..T per slot: fixed meetings keep theirs, earlier placements still in the same
    slot keep theirs when free, the rest take the lowest free numbers by request id."""
    inst = state.inst
    out: dict[int, int] = {}
    for s in range(inst.n_slots):
        here = sorted(state.at[s])
        taken: set[int] = set()
        for r in here:
            if r in inst.fixed:
                out[r] = inst.fixed[r][1]
                taken.add(out[r])
        for r in here:
            prev = inst.previous.get(r)
            if r not in out and prev is not None and prev[0] == s and prev[1] not in taken:
                out[r] = prev[1]
                taken.add(prev[1])
        free = (t for t in range(1, inst.tables[s] + 1) if t not in taken)
        for r in here:
            if r not in out:
                out[r] = next(free)
    return out
