"""Candidate generation for large populations: a low-rank linear proxy of the score, computed
for all pairs in cache-sized tiles; per row, the pairs above a sampled threshold are kept, and of
those the `per_row` best by proxy go on to exact rescoring.

The proxy of j for i is `left[i] · right[j]`, symmetric (the same for j of i as for i of j) up to
a small skew, so each tile (I, J) with J ≥ I serves the rows of I and, transposed and corrected
by the skew, the rows of J: only half of the pairs go through the large product. Its parts:

- relevance, with min(need, offer) replaced by MUTUAL_SHARE × (need + offer) / 2, which is
  linear: a bilinear form over the stacked need, offer and interest vectors, compressed to
  PROXY_RANK dimensions by its best low-rank approximation;
- objectives (W_OBJECTIVE × seek_i · give_j) exactly; they are not symmetric, so the rows of J
  see the tile corrected by the small `skew` product;
- the border, sector and preference bonuses and the type weights, which multiply relevance in
  the exact score, as additive terms at a typical relevance RHO over small indicator blocks
  (wishes are not symmetric either, and are corrected like objectives);
- minus COLLEAGUE for colleagues in the largest organisations (excluded anyway);
- a seeded tie-break far below real differences, so ties never flood a threshold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass

import numpy as np

from .features import Population
from .scoring import BONUS_FULL_AT, W_INTEREST, W_MUTUAL, W_NEED, W_OBJECTIVE, W_OFFER
from .types import MatchConfig

PROXY_RANK = 320
# min(need, offer) enters the proxy as MUTUAL_SHARE × (need + offer) / 2. The upper bound (1)
# overrates one-sided pairs; 0.3 ranked the exact top 20 best on the benchmark population.
MUTUAL_SHARE = 0.3
RHO = 0.2
TIE = 1e-4
MAX_COUNTRY_DIMS = 16
# The largest organisations (BIG_ORGANISATION people or more) get a dimension each, pushing
# colleagues down by COLLEAGUE.
MAX_ORG_DIMS = 16
BIG_ORGANISATION = 20
COLLEAGUE = 1.0
# Columns sampled per row to set its threshold, and how many times `per_row` it aims to keep.
SAMPLE = 2048
OVERSHOOT = 2.0
TILE = 2048


@dataclass
class Proxy:
    """proxy(i, j) = left[i] · right[j]; proxy(j, i) = that - skew_left[i] · skew_right[j]."""

    left: np.ndarray  # n × d, float32, C-contiguous
    right: np.ndarray
    skew_left: np.ndarray | None  # n × e, None when the proxy is symmetric
    skew_right: np.ndarray | None

    def rows(self, rows: slice | np.ndarray, cols: slice | np.ndarray) -> np.ndarray:
        """The proxy of cols for rows, dense."""
        return np.asarray(self.left[rows] @ self.right[cols].T)


def _by_rows(workers: Executor, f: Callable[[slice], np.ndarray], n: int) -> list[np.ndarray]:
    """f over consecutive row blocks of n, on the workers, in order."""
    return list(workers.map(f, [slice(lo, lo + TILE) for lo in range(0, n, TILE)]))


def _symmetric_low_rank(
    x: np.ndarray, a: np.ndarray, rank: int, workers: Executor
) -> tuple[np.ndarray, np.ndarray]:
    """(L, R) with L Rᵀ the best rank-`rank` approximation of X A Xᵀ (A symmetric): the
    eigenvectors of G^½ A G^½, G = XᵀX, with the largest |eigenvalue|."""
    if x.shape[1] <= rank:
        return np.asarray(x @ a.astype(np.float32), dtype=np.float32), x
    grams = _by_rows(workers, lambda rows: (x[rows].T @ x[rows]).astype(np.float64), len(x))
    w, v = np.linalg.eigh(np.sum(grams, axis=0))
    root = np.sqrt(np.clip(w, 0.0, None))
    inv = np.divide(1.0, root, out=np.zeros_like(root), where=root > root.max() * 1e-6)
    lam, u = np.linalg.eigh((v * root) @ v.T @ a @ (v * root) @ v.T)
    keep = np.argsort(-np.abs(lam), kind="stable")[:rank]
    basis = ((v * inv) @ v.T @ u[:, keep]).astype(np.float32)
    y = np.concatenate(_by_rows(workers, lambda rows: x[rows] @ basis, len(x)))
    return y * lam[keep].astype(np.float32), y


def _text_form(pop: Population) -> tuple[np.ndarray, np.ndarray]:
    if pop.method == "tags":  # plain cosine; many tags are first projected like the text
        x = pop.interests
        if x.shape[1] > PROXY_RANK:
            rng = np.random.default_rng(pop.n)
            proj = rng.standard_normal((x.shape[1], PROXY_RANK), dtype=np.float32)
            x = x @ (proj / np.float32(np.sqrt(PROXY_RANK)))
        return x, np.eye(x.shape[1])
    x = pop.sides  # [needs | offers | interests]
    d = x.shape[1] // 3
    a = np.zeros((3 * d, 3 * d))
    mutual = (W_NEED + W_OFFER + MUTUAL_SHARE * W_MUTUAL) / 2
    a[:d, d : 2 * d] = a[d : 2 * d, :d] = mutual * np.eye(d)
    a[2 * d :, 2 * d :] = W_INTEREST * np.eye(d)
    return x, a


@dataclass
class _Terms:
    """The parts of a proxy: left · right for the rows' own view, skew_left · skew_right for
    what changes when a tile is read transposed (proxy(j, i) = proxy(i, j) - skew)."""

    left: list[np.ndarray]
    right: list[np.ndarray]
    skew_left: list[np.ndarray]
    skew_right: list[np.ndarray]

    def add(self, left: np.ndarray, right: np.ndarray) -> None:
        """A term x_i · y_j that is not symmetric: exact for the rows, corrected by the skew."""
        self.left.append(left)
        self.right.append(right)
        self.skew_left.append(np.hstack([left, -right]))
        self.skew_right.append(np.hstack([right, left]))


def _categories(pop: Population, config: MatchConfig, terms: _Terms) -> None:
    """Bonuses, type weights and wishes by organisation type and country (the 16 most common
    countries), additive at relevance RHO."""
    n, t = pop.n, len(pop.type_names)
    common = np.argsort(-np.bincount(pop.countries), kind="stable")[:MAX_COUNTRY_DIMS]
    slot = np.full(pop.countries.max() + 1, -1)
    slot[common] = np.arange(len(common))
    e_t = np.zeros((n, t), dtype=np.float32)
    e_t[np.arange(n), pop.types] = 1.0
    e_c = np.zeros((n, len(common)), dtype=np.float32)
    known = slot[pop.countries] >= 0
    e_c[np.flatnonzero(known), slot[pop.countries[known]]] = 1.0
    gain = RHO / BONUS_FULL_AT  # the exact bonus is bonus × min(rel, 0.25) / 0.25
    # sector_bonus·[t_i ≠ t_j] = sector_bonus - sector_bonus·[t_i = t_j]: the constant drops out.
    same_type = -gain * config.sector_bonus * np.eye(t)
    if pop.type_weights is not None:
        same_type += RHO * (pop.type_weights.astype(np.float64) - 1.0)
    terms.left += [(e_t @ same_type).astype(np.float32), -gain * config.border_bonus * e_c]
    terms.right += [e_t, e_c]
    if pop.pref_types is not None and pop.pref_countries is not None and config.preference_bonus:
        wish = np.float32(gain * config.preference_bonus)
        terms.add(wish * np.hstack([pop.pref_types, pop.pref_countries[:, common]]),
                  np.hstack([e_t, e_c]))  # fmt: skip


def _colleagues(pop: Population, terms: _Terms) -> None:
    """Colleagues are never recommended: keep those of the largest organisations out of the
    candidates, or they could crowd out everyone else for their colleagues."""
    sizes = np.bincount(pop.orgs)
    big = np.argsort(-sizes, kind="stable")[:MAX_ORG_DIMS]
    big = big[sizes[big] >= BIG_ORGANISATION]
    if len(big):
        slot = np.full(len(sizes), -1)
        slot[big] = np.arange(len(big))
        e_o = np.zeros((pop.n, len(big)), dtype=np.float32)
        member = np.flatnonzero(slot[pop.orgs] >= 0)
        e_o[member, slot[pop.orgs[member]]] = 1.0
        terms.left.append(-COLLEAGUE * e_o)
        terms.right.append(e_o)


def proxy(pop: Population, config: MatchConfig, workers: Executor) -> Proxy:
    x, a = _text_form(pop)
    text_left, text_right = _symmetric_low_rank(x, a, PROXY_RANK, workers)
    terms = _Terms([text_left], [text_right], [], [])
    if pop.full:
        _categories(pop, config, terms)
        terms.add(np.float32(W_OBJECTIVE) * pop.seek, pop.give)
    _colleagues(pop, terms)
    tb = pop.tiebreak[:, None]
    terms.left.append(np.hstack([np.ones_like(tb), tb]))
    terms.right.append(np.hstack([-TIE * tb, np.full_like(tb, -TIE)]))

    def stack(parts: list[np.ndarray]) -> np.ndarray:
        return np.ascontiguousarray(np.hstack(parts), dtype=np.float32)

    skew = bool(terms.skew_left)
    return Proxy(
        stack(terms.left),
        stack(terms.right),
        stack(terms.skew_left) if skew else None,
        stack(terms.skew_right) if skew else None,
    )


def thresholds(pxy: Proxy, per_row: int, seed: int, workers: Executor) -> np.ndarray:
    """Per row, a proxy value that about OVERSHOOT × `per_row` of the n columns reach: the
    matching order statistic of a seeded sample of SAMPLE columns; -inf when that is everyone."""
    n = pxy.left.shape[0]
    target = int(OVERSHOOT * per_row)
    if target >= n:
        return np.full(n, -np.inf, dtype=np.float32)
    sample = np.sort(np.random.default_rng(seed).choice(n, min(n, SAMPLE), replace=False))
    rank = max(1, round(target * len(sample) / n))

    def block(lo: int) -> np.ndarray:
        values = -pxy.rows(slice(lo, lo + TILE), sample)
        return -np.partition(values, rank - 1, axis=1)[:, rank - 1]

    return np.concatenate(list(workers.map(block, range(0, n, TILE))))


def _best(
    lo: int, hi: int, found: list[tuple[np.ndarray, np.ndarray, np.ndarray]], per_row: int, n: int
) -> np.ndarray:
    """The `per_row` best columns by proxy of each row in [lo, hi), padded with n."""
    rows = np.concatenate([r for r, _, _ in found]) - lo
    cols = np.concatenate([c for _, c, _ in found])
    vals = np.concatenate([v for _, _, v in found])
    order = np.argsort(rows.astype(np.int16), kind="stable")  # a radix sort: rows < TILE
    rows, cols, vals = rows[order], cols[order], vals[order]
    counts = np.bincount(rows, minlength=hi - lo)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    pos = np.arange(len(rows)) - starts[rows]
    width = max(1, int(counts.max()))
    grid_cols = np.full((hi - lo, width), n)
    grid_vals = np.full((hi - lo, width), -np.inf, dtype=np.float32)
    grid_cols[rows, pos] = cols
    grid_vals[rows, pos] = vals
    if width > per_row:
        keep = np.argpartition(-grid_vals, per_row - 1, axis=1)[:, :per_row]
        grid_cols = np.take_along_axis(grid_cols, keep, axis=1)
    return grid_cols


Found = tuple[np.ndarray, np.ndarray, np.ndarray]  # rows, columns, proxy values


def _tile(
    pxy: Proxy, right_t: np.ndarray, skew_t: np.ndarray | None, limit: np.ndarray,
    rows: tuple[int, int], cols: tuple[int, int],
) -> tuple[Found, Found | None]:  # fmt: skip
    """Pairs of one tile that reach the row's limit: for the rows of the tile and, unless the
    tile is on the diagonal, for its columns (the tile transposed)."""
    (lo, hi), (jlo, jhi) = rows, cols
    width = jhi - jlo
    p = pxy.left[lo:hi] @ right_t[:, jlo:jhi]
    at = np.flatnonzero(p >= limit[lo:hi, None])
    mine = (lo + at // width, jlo + at % width, p.ravel()[at])
    if jlo == lo:
        return mine, None
    if pxy.skew_left is not None and skew_t is not None:
        # The rows of J see the tile transposed: same symmetric part, opposite skew.
        p = np.subtract(p, pxy.skew_left[lo:hi] @ skew_t[:, jlo:jhi], out=p)
    at = np.flatnonzero(p >= limit[None, jlo:jhi])
    return mine, (jlo + at % width, lo + at // width, p.ravel()[at])


def candidate_bands(
    pxy: Proxy, limit: np.ndarray, per_row: int, workers: Executor, *, tile: int = TILE
) -> Iterator[tuple[int, int, np.ndarray]]:
    """For each band of `tile` rows, once all its tiles are done: (lo, hi, cand), cand holding
    the up to `per_row` best columns by proxy that reached the row's `limit` (padded with n).
    The tiles of the next band are already running on `workers` while a band is consumed.
    Memory: a tile per worker, plus the pairs found for rows not finished yet (≈ n × per_row)."""
    n = pxy.left.shape[0]
    right_t = np.ascontiguousarray(pxy.right.T)
    skew_t = None if pxy.skew_right is None else np.ascontiguousarray(pxy.skew_right.T)
    bands = [(lo, min(n, lo + tile)) for lo in range(0, n, tile)]

    def submit(b: int) -> list[Future[tuple[Found, Found | None]]]:
        return [workers.submit(_tile, pxy, right_t, skew_t, limit, bands[b], c) for c in bands[b:]]

    pending: dict[int, list[Found]] = {}
    running = submit(0)
    for b, (lo, hi) in enumerate(bands):
        found = pending.pop(lo, [])
        for c, done in enumerate(running):
            mine, theirs = done.result()
            found.append(mine)
            if theirs is not None:
                pending.setdefault(bands[b + c][0], []).append(theirs)
        running = submit(b + 1) if b + 1 < len(bands) else []
        yield lo, hi, _best(lo, hi, found, per_row, n)
