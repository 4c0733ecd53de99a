"""A lower bound on the audience clashes that does not depend on the search: the "crowding"
linear programme. See docs/algorithms/timetabling.md ("Lower bound") for the proof.

For a set H of sessions of total length D_H in a programme of T minutes (all days), let
n_t be the number of sessions of H running at minute t. Then sum_t n_t = D_H, and the pairs
of H that overlap in time have total overlap length sum_t C(n_t, 2), which is at least
f(D_H) = T C(k, 2) + (D_H - kT) k with k = floor(D_H / T) (C(n, 2) is convex; the sum is
least when the sessions are spread evenly). A pair (a, b) overlaps at most min(d_a, d_b)
minutes, so with z_ab = 1 when a and b overlap, every timetable satisfies
    sum over pairs ab of H of min(d_a, d_b) z_ab >= f(D_H).
The LP "minimise sum w_ab z_ab, 0 <= z <= 1, one such row per H of a family" is therefore a
lower bound on the clashes of every timetable. Pairs that can never overlap (one speaker,
NotParallel) are left out (z = 0), which only raises it."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from .instance import Instance
from .types import NotParallel


def crowding_bound(
    inst: Instance,
    pairs: Mapping[tuple[int, int], int],
    *,
    random_orders: int = 5,
    step: int = 5,
    seed: int = 0,
    time_limit: float = 10.0,
    cut_rounds: int = 5,
    seconds: float | None = None,
    starts: tuple[int, ...] = (2, 3, 4),
) -> int:
    """A proven lower bound on the clashes over `pairs` (0 when the LP fails). The first
    family of sets H: the prefixes (every `step` sessions) of a few orders by how much
    audience a session shares (per minute, plain, peeled to the densest core), and
    `random_orders` seeded perturbations of them. Then cutting planes: from each order, a
    local search (add or drop one session) for the set H whose row the LP solution breaks
    most; those rows are added and the LP solved again, `cut_rounds` times (deterministic) or
    for about `seconds` (wall clock), until no broken row is found. Every LP value is a
    valid bound; the last one is returned. `time_limit`: seconds per LP solve."""
    ids = [s.id for s in inst.sessions]
    n = len(ids)
    horizon = sum(d.end - d.start for d in inst.days)
    if n < 3 or horizon <= 0 or not pairs:
        return 0
    ix = {s: i for i, s in enumerate(ids)}
    dur = np.array([s.duration for s in inst.sessions], dtype=np.int64)
    w = np.zeros((n, n))
    for (a, b), v in pairs.items():
        w[ix[a], ix[b]] = w[ix[b], ix[a]] = v
    never = np.zeros((n, n), dtype=bool)  # pairs that cannot overlap
    speakers = [set(s.speakers) for s in inst.sessions]
    for i in range(n):
        for j in range(i + 1, n):
            if speakers[i] & speakers[j]:
                never[i, j] = True
    for c in inst.constraints:
        if isinstance(c, NotParallel):
            i, j = sorted((ix[c.a], ix[c.b]))
            never[i, j] = True
    upper = np.triu(np.ones((n, n), dtype=bool), 1) & ~never
    pid = np.full((n, n), -1, dtype=np.int64)
    ii, jj = np.nonzero(upper)
    pid[ii, jj] = np.arange(len(ii))
    length = np.minimum.outer(dur, dur)

    def crowd(total: int) -> int:
        k = total // horizon
        return horizon * (k * (k - 1) // 2) + (total - k * horizon) * k

    deg = w.sum(axis=1)
    orders = [np.argsort(-deg / dur, kind="stable"), np.argsort(-deg, kind="stable")]
    for per_minute in (True, False):  # peel the least connected session, repeatedly
        alive = np.ones(n, dtype=bool)
        left = deg.copy()
        peel = []
        for _ in range(n):
            key = np.where(alive, left / dur if per_minute else left, np.inf)
            v = int(np.argmin(key))
            peel.append(v)
            alive[v] = False
            left -= w[:, v]
        orders.append(np.array(peel[::-1]))
    rng = np.random.default_rng(seed)
    for _ in range(random_orders):
        orders.append(np.argsort(-deg * rng.lognormal(0.0, 0.5, n) / dur, kind="stable"))
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    rhs: list[int] = []
    seen: set[bytes] = set()

    def add_row(h: np.ndarray, need: int) -> None:
        sub = pid[np.ix_(h, h)]
        mask = sub >= 0
        cols.append(sub[mask])
        vals.append(-length[np.ix_(h, h)][mask])
        rows.append(np.full(int(mask.sum()), len(rhs)))
        rhs.append(-need)

    for order in orders:
        for k in range(2, n + 1, step):
            h = np.sort(order[:k])
            sig = h.tobytes()
            need = crowd(int(dur[h].sum()))
            if sig in seen or need <= 0:
                continue
            seen.add(sig)
            add_row(h, need)
    if not rhs:
        return 0
    cost = w[ii, jj]
    best = 0.0
    t0 = time.perf_counter()
    for round_ in range(cut_rounds + 1 if seconds is None else 10_000):
        if seconds is not None and round_ and time.perf_counter() - t0 > seconds:
            break
        a_ub = sp.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
            shape=(len(rhs), len(ii)),
        )
        res = linprog(
            cost,
            A_ub=a_ub,
            b_ub=np.array(rhs, dtype=float),
            bounds=(0, 1),
            method="highs",
            options={"time_limit": time_limit},
        )
        if res.status != 0 or res.fun is None:
            break
        best = float(res.fun)
        # Look for sets H whose row the LP solution breaks most (local search from each
        # order's best prefix), and add them.
        z = np.zeros((n, n))
        z[ii, jj] = res.x * length[ii, jj]
        z = z + z.T
        added = 0
        for order, part in ((o, p) for o in orders for p in starts):
            h = np.zeros(n, dtype=bool)
            h[order[: max(2, n * part // 6)]] = True
            for _ in range(2 * n):
                total = int(dur[h].sum())
                inner = z[:, h].sum(axis=1)  # covered length each session adds with H
                gain = np.where(
                    h,
                    -(crowd(total) - np.array([crowd(total - d) for d in dur])) + inner,  # remove v
                    (np.array([crowd(total + d) for d in dur]) - crowd(total)) - inner,  # add v
                )
                v = int(np.argmax(gain))
                if gain[v] <= 1e-9:
                    break
                h[v] = not h[v]
            hs = np.flatnonzero(h)
            sig = hs.tobytes()
            need = crowd(int(dur[hs].sum()))
            if sig in seen or need - z[np.ix_(hs, hs)].sum() / 2 <= 1e-6:
                continue
            seen.add(sig)
            add_row(hs, need)
            added += 1
        if not added:
            break
    return max(0, math.ceil(best * (1 - 1e-7) - 1e-6))
