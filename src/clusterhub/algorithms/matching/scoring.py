"""The exact score of j for i, on a dense block of rows against everyone or on candidate lists.

Both ways share `finish`, so a pair scores the same whichever way it was reached (up to float32
rounding of the dot products).
"""

from __future__ import annotations

import numpy as np

from .features import Population
from .types import MatchConfig

# Shares of the relevance of j for i: my needs vs their offers, my offers vs their needs, the
# mutual part (the smaller of the two: both sides gain), shared interests, compatible objectives.
# They sum to 1, each part is a cosine in [0, 1], so relevance stays in [0, 1].
W_NEED, W_OFFER, W_MUTUAL, W_INTEREST, W_OBJECTIVE = 0.3, 0.15, 0.25, 0.15, 0.15
# Relevance at which the border, sector and preference bonuses reach their full value.
BONUS_FULL_AT = 0.25
# Score of a pair that must never be shown; below any real score.
EXCLUDED = np.float32(-1.0)
# Ties are broken by a seeded permutation scaled below any real score difference.
TIE_SCALE = np.float32(1e-6)


def _combine(
    need: np.ndarray, offer: np.ndarray, interest: np.ndarray, objective: np.ndarray | None
) -> np.ndarray:
    rel = np.minimum(need, offer)
    rel *= np.float32(W_MUTUAL)
    rel += np.float32(W_NEED) * need
    rel += np.float32(W_OFFER) * offer
    rel += np.float32(W_INTEREST) * interest
    if objective is not None:
        rel += np.float32(W_OBJECTIVE) * objective
    return rel


def dense_relevance(pop: Population, rows: np.ndarray) -> np.ndarray:
    """Relevance of everyone for each of `rows`: a float32 (len(rows), n) block."""
    if pop.method == "tags":
        rel = pop.interests[rows] @ pop.interests.T
    else:
        rel = _combine(
            pop.needs[rows] @ pop.offers.T,
            pop.offers[rows] @ pop.needs.T,
            pop.interests[rows] @ pop.interests.T,
            pop.seek[rows] @ pop.give.T if pop.full else None,
        )
    return np.clip(rel, 0.0, 1.0, out=rel)


def candidate_relevance(pop: Population, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Relevance of cols[r, m] for rows[r], float32 (b, m). One gather of the candidates'
    side vectors, multiplied by the row's vectors with needs and offers swapped, gives the
    three cosines at once; objectives come from the table of role sets."""
    b, m = cols.shape
    if pop.method == "tags":
        theirs = pop.interests[cols]
        theirs *= pop.interests[rows][:, None, :]
        rel = theirs.sum(axis=2)
    else:
        d = pop.sides.shape[1] // 3
        theirs = pop.sides[cols].reshape(b, m, 3, d)
        # Per side: their needs · my offers, their offers · my needs, their interests · mine.
        swapped = pop.sides[rows].reshape(b, 3, d)[:, [1, 0, 2], :]
        offer, need, interest = np.moveaxis(np.einsum("bmkd,bkd->bmk", theirs, swapped), 2, 0)
        objective = None
        if pop.full:
            objective = pop.objective_table[pop.role_codes[rows][:, None], pop.role_codes[cols]]
        rel = _combine(need, offer, interest, objective)
    return np.clip(rel, 0.0, 1.0, out=rel)


def finish(
    pop: Population, config: MatchConfig, rel: np.ndarray, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """Scores from relevance, in place: gated bonuses, type weights, cap at 1, must-meet boost,
    exclusions (set to EXCLUDED), seeded tie-break. `rel` is (b, m); `rows` (b,) are row
    indices; `cols` (b, m) or (1, m) are the column indices of `rel`'s entries."""
    s = rel
    ri = rows[:, None]
    if pop.full:
        bonus = (pop.countries[ri] != pop.countries[cols]).astype(np.float32)
        bonus *= np.float32(config.border_bonus)
        bonus += (pop.types[ri] != pop.types[cols]) * np.float32(config.sector_bonus)
        if config.preference_bonus and pop.pref_types is not None:
            assert pop.pref_countries is not None
            wish = pop.pref_types[ri, pop.types[cols]] + pop.pref_countries[ri, pop.countries[cols]]
            bonus += wish * np.float32(config.preference_bonus)
        # Bonuses grow with the evidence, so an incidental overlap earns almost none.
        gate = np.minimum(s, np.float32(BONUS_FULL_AT))
        gate *= bonus
        s += gate * np.float32(1.0 / BONUS_FULL_AT)
        del gate, bonus
        if pop.type_weights is not None:
            s *= pop.type_weights[pop.types[ri], pop.types[cols]]
    np.minimum(s, np.float32(1.0), out=s)
    s[pop.orgs[ri] == pop.orgs[cols]] = EXCLUDED  # same organisation, and oneself
    everyone = cols.shape[0] == 1 and cols.shape[1] == pop.n
    for r, i in enumerate(rows.tolist()):
        must, blocked = pop.must_meet[i], pop.blocked[i]
        if not (must or blocked):
            continue
        line = cols[0] if everyone else cols[r]
        if must:
            at = np.asarray(must) if everyone else np.flatnonzero(np.isin(line, must))
            keep = s[r, at] > EXCLUDED
            at = at[keep]
            s[r, at] = np.minimum(np.float32(1.0), s[r, at] + np.float32(config.must_meet_boost))
        if blocked:
            at = np.fromiter(blocked, dtype=np.int64) if everyone else np.isin(line, list(blocked))
            s[r, at] = EXCLUDED
    s -= pop.tiebreak[cols] * TIE_SCALE
    return s


def dense_scores(pop: Population, config: MatchConfig, rows: np.ndarray) -> np.ndarray:
    """Scores of everyone for each of `rows`, float32 (len(rows), n)."""
    everyone = np.arange(pop.n)[None, :]
    return finish(pop, config, dense_relevance(pop, rows), rows, everyone)


def pair_scores(
    pop: Population, config: MatchConfig, rows: np.ndarray, cand: np.ndarray
) -> np.ndarray:
    """Scores of the candidate lists `cand` (b, m) of `rows` (b,); entries equal to n are
    padding and score -inf."""
    pad = cand >= pop.n
    cols = np.where(pad, 0, cand)
    s = finish(pop, config, candidate_relevance(pop, rows, cols), rows, cols)
    s[pad] = -np.inf
    return s
