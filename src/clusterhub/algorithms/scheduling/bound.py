"""Upper bounds from the LP relaxation of the capacitated b-matching, solved as network flow.

Each person p may hold at most b[p] more meetings: their cap, their per-session caps summed
over sessions (each at most the slots they have free there) and their free slots, whichever
is least. The fractional b-matching LP (max sum c[r] y[r], y in [0, 1], sum of y at p <= b[p],
sum of y <= the tables left) equals half the best flow in the bipartite double cover (every
person split into a left and a right copy, every request an arc each way), so OR-Tools' max
flow gives the count bound and its min-cost flow the weight bound, exactly and in
milliseconds, where a general LP solver needs seconds on 50,000 requests. Every feasible
schedule is a 0/1 point of this LP, so its optimum bounds every schedule.
See docs/algorithms/scheduling.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from .state import State

COST_SCALE = 1000  # weights become integer costs, rounded up so the bound stays a bound
MAX_COST = 10**9  # times 2 x 10^5 units of flow still fits in 64 bits


@dataclass
class Relaxation:
    """The b-matching LP of the requests still open after the fixed ones."""

    requests: np.ndarray  # request index of each pair of arcs
    ra: np.ndarray
    rb: np.ndarray
    b: np.ndarray  # capacity of each person
    tables: int  # meetings the open tables can hold
    n_requests: int

    def _arcs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, int]:
        n = len(self.b)
        src, snk = 2 * n, 2 * n + 1
        people = np.arange(n, dtype=np.int32)
        tails = np.concatenate([self.ra, self.rb, np.full(n, src), n + people]).astype(np.int32)
        heads = np.concatenate([n + self.rb, n + self.ra, people, np.full(n, snk)]).astype(np.int32)
        caps = np.concatenate([np.ones(2 * len(self.ra)), self.b, self.b]).astype(np.int64)
        return tails, heads, caps, src, snk

    def max_count(self) -> tuple[float, np.ndarray]:
        """The LP optimum with every weight 1, and y per request (0, 1/2 or 1)."""
        y = np.zeros(self.n_requests)
        if len(self.requests) == 0:
            return 0.0, y
        tails, heads, caps, src, snk = self._arcs()
        # The tables bound the flow through an extra source in front of the real one.
        top = snk + 1
        solver = max_flow.SimpleMaxFlow()
        solver.add_arcs_with_capacity(
            np.append(tails, top).astype(np.int32), np.append(heads, src).astype(np.int32),
            np.append(caps, 2 * self.tables).astype(np.int64),
        )  # fmt: skip
        if solver.solve(top, snk) != solver.OPTIMAL:  # pragma: no cover
            raise RuntimeError("max flow failed")
        flows = solver.flows(np.arange(2 * len(self.ra), dtype=np.int32))
        return solver.optimal_flow() / 2, self._per_request(np.asarray(flows), y)

    def max_weight(self, costs: np.ndarray) -> tuple[float, np.ndarray]:
        """The LP optimum for nonnegative integer `costs` per request, and y per request."""
        y = np.zeros(self.n_requests)
        if len(self.requests) == 0:
            return 0.0, y
        tails, heads, caps, src, snk = self._arcs()
        supply = int(min(2 * self.tables, int(self.b.sum())))
        unit = np.concatenate([-costs[self.requests], -costs[self.requests],
                               np.zeros(2 * len(self.b))]).astype(np.int64)  # fmt: skip
        solver = min_cost_flow.SimpleMinCostFlow()
        # A free bypass from source to sink: flow need not use a request that adds nothing.
        solver.add_arcs_with_capacity_and_unit_cost(
            np.append(tails, src).astype(np.int32), np.append(heads, snk).astype(np.int32),
            np.append(caps, supply).astype(np.int64), np.append(unit, 0).astype(np.int64),
        )  # fmt: skip
        solver.set_node_supply(src, supply)
        solver.set_node_supply(snk, -supply)
        if solver.solve() != solver.OPTIMAL:  # pragma: no cover
            raise RuntimeError("min-cost flow failed")
        flows = solver.flows(np.arange(2 * len(self.ra), dtype=np.int32))
        return -solver.optimal_cost() / 2, self._per_request(np.asarray(flows), y)

    def _per_request(self, flows: np.ndarray, y: np.ndarray) -> np.ndarray:
        m = len(self.ra)
        y[self.requests] = (flows[:m] + flows[m:]) / 2
        return y


def relaxation(state: State, open_requests: list[int]) -> Relaxation:
    """The LP over `open_requests`, given the meetings `state` already holds (the fixed ones)."""
    inst = state.inst
    n_people = len(inst.people)
    open_slots = ~state.full
    free = [inst.usable[p] & ~state.busy[p] & open_slots for p in range(n_people)]
    no_session = ((1 << inst.n_slots) - 1) & ~sum(inst.session_masks)
    b = np.zeros(n_people, dtype=np.int64)
    for p in range(n_people):
        room = (free[p] & no_session).bit_count()
        for g, mask in enumerate(inst.session_masks):
            left = inst.cap_session[p] - state.session_count[p][g]
            room += max(0, min(left, (free[p] & mask).bit_count()))
        b[p] = max(0, min(inst.cap[p] - state.count[p], room))
    reqs = [
        r for r in open_requests
        if b[inst.ra[r]] > 0 and b[inst.rb[r]] > 0 and free[inst.ra[r]] & free[inst.rb[r]]
    ]  # fmt: skip
    # At most one meeting per table and at most half the people who could meet in a slot.
    reach = [0] * inst.n_slots
    seen = [0] * n_people
    for r in reqs:
        shared = free[inst.ra[r]] & free[inst.rb[r]]
        seen[inst.ra[r]] |= shared
        seen[inst.rb[r]] |= shared
    for mask in seen:
        while mask:
            low = mask & -mask
            reach[low.bit_length() - 1] += 1
            mask ^= low
    tables = sum(
        min(max(0, t - load), n // 2)
        for t, load, n in zip(inst.tables, state.load, reach, strict=True)
    )
    return Relaxation(
        requests=np.array(reqs, dtype=np.int64),
        ra=np.array([inst.ra[r] for r in reqs], dtype=np.int64),
        rb=np.array([inst.rb[r] for r in reqs], dtype=np.int64),
        b=b, tables=tables, n_requests=len(inst.requests),
    )  # fmt: skip


def weight_costs(weights: list[float]) -> tuple[np.ndarray, float]:
    """Integer costs that round each weight up, so a bound computed with them stays valid,
    and their scale: thousandths, or less for weights so large the flow costs would overflow."""
    top = max(weights, default=1.0)
    scale = COST_SCALE if top * COST_SCALE <= MAX_COST else MAX_COST / top
    return np.array([math.ceil(w * scale - 1e-9) for w in weights], dtype=np.int64), scale
