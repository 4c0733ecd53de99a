"""From scored candidates to each person's list: the best pool per row, then a diversity-aware
re-ranking (one-pass MMR), both vectorised over a block of rows."""

from __future__ import annotations

import numpy as np

# Scores at or below this are "nothing to recommend" (no evidence, or excluded).
MIN_SCORE = 1e-5


def top_pool(
    scores: np.ndarray, cand: np.ndarray | None, pool: int
) -> tuple[np.ndarray, np.ndarray]:
    """The `pool` best entries of each row, best first: (columns, scores). `cand` maps the
    positions of `scores` to columns (None: positions are the columns)."""
    m = scores.shape[1]
    if pool < m:
        idx = np.argpartition(-scores, pool - 1, axis=1)[:, :pool]
    else:
        idx = np.broadcast_to(np.arange(m), scores.shape)
    vals = np.take_along_axis(scores, idx, axis=1)
    order = np.argsort(-vals, axis=1, kind="stable")
    idx = np.take_along_axis(idx, order, axis=1)
    vals = np.take_along_axis(vals, order, axis=1)
    cols = idx if cand is None else np.take_along_axis(cand, idx, axis=1)
    return cols, vals


def diversify(
    cols: np.ndarray,
    vals: np.ndarray,
    types: np.ndarray,
    countries: np.ndarray,
    k: int,
    diversity: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One-pass MMR over pools sorted best first: each candidate loses `diversity` × the share
    of better-ranked candidates of its organisation type and country; the adjusted scores are
    sorted again (ties by rank). Returns (columns, adjusted scores, count per row), the first
    `count` entries of each row being the list (at most k, all above MIN_SCORE)."""
    v = vals.astype(np.float64)
    valid = v > MIN_SCORE  # a prefix of each row, since rows are sorted
    if diversity == 0:
        adjusted = v
    else:
        width = v.shape[1]
        earlier = np.tri(width, width, -1, dtype=bool)  # earlier[p, q]: q ranks above p
        t, c = types[cols], countries[cols]
        seen = ((t[:, :, None] == t[:, None, :]) & earlier).sum(axis=2)
        seen += ((c[:, :, None] == c[:, None, :]) & earlier).sum(axis=2)
        done = np.arange(width)
        penalty = seen / np.maximum(2 * done, 1)
        adjusted = v * (1.0 - diversity * penalty)
    adjusted = np.where(valid, adjusted, -np.inf)
    order = np.argsort(-adjusted, axis=1, kind="stable")[:, :k]
    count = np.minimum(valid.sum(axis=1), k)
    return (
        np.take_along_axis(cols, order, axis=1),
        np.take_along_axis(adjusted, order, axis=1),
        count,
    )
