"""The core of `recommend`: score (exhaustively, or candidates then exact rescoring), keep the
best pool per person, re-rank for diversity, explain."""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from .candidates import candidate_bands, proxy, thresholds
from .explain import Explainer
from .features import Population, population
from .ranking import diversify, top_pool
from .scoring import EXCLUDED, dense_scores, pair_scores
from .types import MatchConfig, Profile, Recommendation

# Dense score blocks hold about this many entries (float32), which bounds the peak memory.
BLOCK_ENTRIES = 2_000_000
# Rows rescored together on the candidate path; threads at most (one per core).
RESCORE_ROWS = 8
MAX_THREADS = 8


def _round4(values: np.ndarray) -> list[list[float]]:
    """round(x, 4) of every value, vectorised; values within float error of a half are left to
    Python's exact round, so results equal round(x, 4)."""
    out = np.round(values, 4)
    scaled = values * 1e4
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    for r, c in zip(*np.nonzero(near_half), strict=True):
        out[r, c] = round(float(values[r, c]), 4)
    return out.tolist()


class _Lists:
    """Turns pools into the final lists, with reasons."""

    def __init__(self, pop: Population, config: MatchConfig, k: int) -> None:
        self.pop, self.config, self.k = pop, config, k
        self.explainer = Explainer(pop, preferences=pop.full and config.preference_bonus > 0)
        self.ids = [p.id for p in pop.profiles]
        self.out: dict[int, list[Recommendation]] = {}

    def add(self, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray) -> None:
        pop = self.pop
        picked, scores, count = diversify(
            cols, vals, pop.types, pop.countries, self.k, self.config.diversity
        )
        rows_l = rows.tolist()
        lines = [line[:c] for line, c in zip(picked.tolist(), count.tolist(), strict=True)]
        reasons = self.explainer.block(rows_l, lines)
        rounded = _round4(np.clip(scores, 0.0, 1.0))
        ids = self.ids
        for i, line, values, why in zip(rows_l, lines, rounded, reasons, strict=True):
            self.out[ids[i]] = [
                Recommendation(ids[j], score, r)
                for j, score, r in zip(line, values, why, strict=False)
            ]


def _exhaustive(
    pop: Population, config: MatchConfig, pool: int, lists: _Lists, workers: Executor,
    rows: Sequence[int],
) -> None:  # fmt: skip
    step = max(16, BLOCK_ENTRIES // pop.n)
    blocks = [np.asarray(rows[lo : lo + step]) for lo in range(0, len(rows), step)]
    done = workers.map(lambda b: top_pool(dense_scores(pop, config, b), None, pool), blocks)
    for block, (cols, vals) in zip(blocks, done, strict=True):
        lists.add(block, cols, vals)


def _with_must_meet(pop: Population, lo: int, cand: np.ndarray) -> np.ndarray:
    """`cand` with each row's must-meet columns added (once), padded with n."""
    wanted = []
    for r in range(len(cand)):
        if pop.must_meet[lo + r]:
            have = set(cand[r].tolist())
            wanted.append((r, [j for j in pop.must_meet[lo + r] if j not in have]))
    extra = max((len(js) for _, js in wanted), default=0)
    if not extra:
        return cand
    out = np.hstack([cand, np.full((len(cand), extra), pop.n)])
    for r, js in wanted:
        out[r, cand.shape[1] : cand.shape[1] + len(js)] = js
    return out


def _rescore(
    pop: Population, config: MatchConfig, pool: int, rows: np.ndarray, cand: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Exact scores of the candidates, reduced to each row's best `pool` (columns, scores),
    padded to width `pool` with -inf."""
    n = pop.n
    s = pair_scores(pop, config, rows, cand)
    cols, vals = top_pool(s, cand, pool)
    # A threshold set too high for a row (or many colleagues and "no thanks" among its
    # candidates) leaves too few: that row is scored against everyone instead.
    short = ((s > EXCLUDED / 2).sum(axis=1) < pool) & ((cand < n).sum(axis=1) < n - 1)
    if cols.shape[1] < pool:
        cols = np.pad(cols, ((0, 0), (0, pool - cols.shape[1])))
        vals = np.pad(vals, ((0, 0), (0, pool - vals.shape[1])), constant_values=-np.inf)
    if short.any():
        cols[short], vals[short] = top_pool(dense_scores(pop, config, rows[short]), None, pool)
    return cols, vals


def _workers() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(MAX_THREADS, cpus))


def _by_candidates(
    pop: Population, config: MatchConfig, pool: int, lists: _Lists, workers: Executor,
    threads: int,
) -> None:  # fmt: skip
    per_row = max(config.candidate_pool, 2 * pool)
    pxy = proxy(pop, config, workers)
    limit = thresholds(pxy, per_row, config.seed, workers)
    # A pipeline: while band b is explained (Python, one thread), band b + 1 is rescored and
    # the tiles of band b + 2 are multiplied (numpy, which releases the GIL).
    explained: list[Future[None]] = []
    with ThreadPoolExecutor(threads) as rescoring, ThreadPoolExecutor(1) as explaining:
        for lo, hi, band in candidate_bands(pxy, limit, per_row, workers):
            band = _with_must_meet(pop, lo, band)
            steps = [(a, min(hi, a + RESCORE_ROWS)) for a in range(lo, hi, RESCORE_ROWS)]
            parts = list(
                rescoring.map(
                    lambda ab, band=band, lo=lo: _rescore(
                        pop, config, pool, np.arange(*ab), band[ab[0] - lo : ab[1] - lo]
                    ),
                    steps,
                )
            )
            explained.append(
                explaining.submit(
                    lists.add,
                    np.arange(lo, hi),
                    np.concatenate([c for c, _ in parts]),
                    np.concatenate([v for _, v in parts]),
                )
            )
        for done in explained:
            done.result()  # raises what an explaining step raised


def rank(
    profiles: Sequence[Profile],
    *,
    k: int,
    config: MatchConfig,
    exact_rows: Sequence[int] | None = None,
) -> dict[int, list[Recommendation]]:
    """The lists of every profile; with `exact_rows`, only the lists of those rows (indices
    into `profiles`), scored exhaustively whatever the size: the reference the candidate path
    is measured against (bench/matching.py)."""
    n = len(profiles)
    if n < 2 or k <= 0:
        return {p.id: [] for p in profiles}
    # Millions of small acyclic objects (phrases, reasons, recommendations) are created here;
    # with the cyclic garbage collector on, each of its full passes walks all of them.
    collecting = gc.isenabled()
    gc.disable()
    # Our own threads share the work (numpy releases the GIL in products, gathers and
    # selections); BLAS threads on top of them would only compete for the same cores, and
    # spinning BLAS threads collapse when another process takes a core.
    threads = _workers()
    try:
        with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(threads) as work:
            pop = population(profiles, config, work)
            pool = min(n, max(2 * k, k + 10))
            lists = _Lists(pop, config, k)
            if exact_rows is not None:
                _exhaustive(pop, config, pool, lists, work, exact_rows)
                return lists.out
            if n <= config.exhaustive_up_to:
                _exhaustive(pop, config, pool, lists, work, range(n))
            else:
                _by_candidates(pop, config, pool, lists, work, threads)
        return {p.id: lists.out[p.id] for p in profiles}
    finally:
        if collecting:
            gc.enable()
