"""Blocked scoring and diversity-aware top-k: the core of `recommend`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .objectives import role_matrices
from .reasons import ProfileText, profile_text, reasons_for
from .text import dense_sides, side_matrices
from .types import MatchConfig, Profile, Recommendation

# Shares of the relevance of j for i: my needs vs their offers, my offers vs their needs, the
# mutual part (the smaller of the two: both sides gain), shared interests, compatible objectives.
# They sum to 1, each part is a cosine in [0, 1], so relevance stays in [0, 1].
W_NEED, W_OFFER, W_MUTUAL, W_INTEREST, W_OBJECTIVE = 0.3, 0.15, 0.25, 0.15, 0.15
# Block weights inside a text vector: word, char n-gram, concept (squares sum to 1).
TEXT_WEIGHTS = (0.5, 0.5, math.sqrt(0.5))
LEXICAL_WEIGHTS = (math.sqrt(0.5), math.sqrt(0.5), 0.0)
# Relevance at which the border and sector bonuses reach their full value.
BONUS_FULL_AT = 0.25
PROJECTION_DIMS = 128
# Dense score blocks hold about this many entries (float32), which bounds the peak memory.
BLOCK_ENTRIES = 4_000_000


@dataclass
class _Factors:
    needs: np.ndarray
    offers: np.ndarray
    interests: np.ndarray
    seek: np.ndarray
    give: np.ndarray


def _factors(profiles: Sequence[Profile], config: MatchConfig) -> _Factors:
    n = len(profiles)
    empty = np.zeros((n, 1), dtype=np.float32)
    if config.method == "tags":
        vocab: dict[str, int] = {}
        rows = [
            {vocab.setdefault(t.strip().lower(), len(vocab)) for t in (*p.tags, *p.interests)}
            for p in profiles
        ]
        m = np.zeros((n, max(1, len(vocab))), dtype=np.float32)
        for i, cols in enumerate(rows):
            if cols:
                m[i, list(cols)] = 1.0 / math.sqrt(len(cols))
        return _Factors(empty, empty, m, empty, empty)
    full = config.method == "full"
    docs = [list(p.needs) for p in profiles]
    docs += [list(p.offers) for p in profiles]
    docs += [[*p.interests, *p.tags] for p in profiles]
    text, concept = side_matrices(
        docs, concepts=full, weights=TEXT_WEIGHTS if full else LEXICAL_WEIGHTS
    )
    sides = dense_sides(text, concept, dims=PROJECTION_DIMS, seed=config.seed)
    seek, give = empty, empty
    if full:
        s, g, _ = role_matrices(profiles)
        seek, give = s.toarray(), g.toarray()
    return _Factors(sides[:n], sides[n : 2 * n], sides[2 * n :], seek, give)


def _codes(values: Sequence[str]) -> np.ndarray:
    table: dict[str, int] = {}
    return np.array([table.setdefault(v, len(table)) for v in values], dtype=np.int32)


def _blocked(profiles: Sequence[Profile], config: MatchConfig) -> list[set[int]]:
    """Pairs never shown, symmetric: either side's "no thanks", optionally met before."""
    ids = {p.id: i for i, p in enumerate(profiles)}
    blocked: list[set[int]] = [set() for _ in profiles]
    for i, p in enumerate(profiles):
        others = set(p.excluded)
        if config.exclude_met_before:
            others |= p.met_before
        for other in others:
            j = ids.get(other)
            if j is not None:
                blocked[i].add(j)
                blocked[j].add(i)
    return blocked


def _relevance(f: _Factors, lo: int, hi: int, full: bool) -> np.ndarray:
    if not full and f.needs.shape[1] == 1:  # tag overlap only
        return np.asarray(f.interests[lo:hi] @ f.interests.T, dtype=np.float32)
    need = f.needs[lo:hi] @ f.offers.T
    offer = f.offers[lo:hi] @ f.needs.T
    rel = np.minimum(need, offer)
    rel *= W_MUTUAL
    rel += W_NEED * need
    rel += W_OFFER * offer
    del need, offer
    rel += W_INTEREST * (f.interests[lo:hi] @ f.interests.T)
    if full:
        rel += W_OBJECTIVE * (f.seek[lo:hi] @ f.give.T)
    np.clip(rel, 0.0, 1.0, out=rel)
    return rel


def rank(
    profiles: Sequence[Profile], *, k: int, config: MatchConfig
) -> dict[int, list[Recommendation]]:
    n = len(profiles)
    if n < 2 or k <= 0:
        return {p.id: [] for p in profiles}
    full = config.method == "full"
    f = _factors(profiles, config)
    types = _codes([p.org_type for p in profiles])
    type_names = list(dict.fromkeys(p.org_type for p in profiles))
    tw = np.ones((len(type_names), len(type_names)), dtype=np.float32)
    for a, ta in enumerate(type_names):
        for b, tb in enumerate(type_names):
            tw[a, b] = config.type_weights.get((ta, tb), config.type_weights.get((tb, ta), 1.0))
    uniform_types = bool(np.all(tw == 1.0))
    # Bonuses pre-divided by the gate's full value, in float32 to keep blocks single precision.
    border = np.float32(config.border_bonus / BONUS_FULL_AT)
    sector = np.float32(config.sector_bonus / BONUS_FULL_AT)
    countries = _codes([p.country.upper() for p in profiles])
    orgs = _codes([p.organisation.strip().casefold() for p in profiles])
    blocked = _blocked(profiles, config)
    index_of = {p.id: i for i, p in enumerate(profiles)}
    tiebreak = np.random.default_rng(config.seed).permutation(n).astype(np.float32) / n
    pool = min(n, max(2 * k, k + 10))
    type_list, country_list = types.tolist(), countries.tolist()
    texts: dict[int, ProfileText] = {}
    roles = role_matrices(profiles)[2]
    rows_per_block = max(16, BLOCK_ENTRIES // n)
    out: dict[int, list[Recommendation]] = {}
    for lo in range(0, n, rows_per_block):
        hi = min(n, lo + rows_per_block)
        s = _relevance(f, lo, hi, full)
        if full:
            # Bridging bonuses grow with the evidence, so an incidental overlap earns almost none.
            gate = np.minimum(s, BONUS_FULL_AT)
            bonus = (countries[lo:hi, None] != countries[None, :]).astype(np.float32)
            bonus *= border
            bonus += (types[lo:hi, None] != types[None, :]) * sector
            gate *= bonus
            s += gate
            del gate, bonus
            if not uniform_types:
                s *= tw[types[lo:hi, None], types[None, :]]
        np.minimum(s, 1.0, out=s)
        for r in range(hi - lo):
            i = lo + r
            for m in profiles[i].must_meet:
                j = index_of.get(m)
                if j is not None:
                    s[r, j] = min(1.0, s[r, j] + config.must_meet_boost)
            if blocked[i]:
                s[r, list(blocked[i])] = -1.0
        s[orgs[lo:hi, None] == orgs[None, :]] = -1.0  # same organisation, and oneself
        # Ties are broken by a seeded permutation: below any real score difference.
        s -= tiebreak[None, :] * np.float32(1e-6)
        if pool < n:
            cand = np.argpartition(-s, pool - 1, axis=1)[:, :pool]
        else:
            cand = np.broadcast_to(np.arange(n), s.shape)
        vals = np.take_along_axis(s, cand, axis=1)
        order = np.argsort(-vals, axis=1, kind="stable")
        cand = np.take_along_axis(cand, order, axis=1).tolist()
        vals = np.take_along_axis(vals, order, axis=1).tolist()
        del s
        for r in range(hi - lo):
            i = lo + r
            chosen = _diversify(cand[r], vals[r], type_list, country_list, k, config.diversity)
            for j in (i, *(j for j, _ in chosen)):
                if j not in texts:
                    texts[j] = profile_text(profiles[j])
            me = profiles[i]
            out[me.id] = [
                Recommendation(
                    other=profiles[j].id,
                    score=round(min(1.0, max(0.0, sc)), 4),
                    reasons=reasons_for(me, profiles[j], texts[i], texts[j], roles[i], roles[j]),
                )
                for j, sc in chosen
            ]
    return out


def _diversify(
    cands: list[int],
    rel: list[float],
    types: list[int],
    countries: list[int],
    k: int,
    diversity: float,
) -> list[tuple[int, float]]:
    """One-pass MMR: each candidate loses `diversity` × the share of better-ranked candidates of
    its organisation type and country; the adjusted scores are then sorted (monotone, in [0, 1])."""
    if diversity == 0:
        return [(j, r) for j, r in zip(cands[:k], rel[:k], strict=True) if r > 1e-5]
    seen_type: dict[int, int] = {}
    seen_country: dict[int, int] = {}
    adjusted: list[tuple[float, int, int]] = []
    for pos, (j, r) in enumerate(zip(cands, rel, strict=True)):
        if r <= 1e-5:
            break
        t, c = types[j], countries[j]
        done = len(adjusted)
        penalty = (seen_type.get(t, 0) + seen_country.get(c, 0)) / (2 * done) if done else 0.0
        adjusted.append((r * (1.0 - diversity * penalty), pos, j))
        seen_type[t] = seen_type.get(t, 0) + 1
        seen_country[c] = seen_country.get(c, 0) + 1
    adjusted.sort(key=lambda x: (-x[0], x[1]))
    return [(j, a) for a, _pos, j in adjusted[:k]]
