"""Everything `rank` knows about the population, built once: text factors, categories, marks."""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from .objectives import role_matrices, roles
from .text import dense_sides, side_matrices
from .types import MatchConfig, Profile

# Block weights inside a text vector: word, char n-gram, concept (squares sum to 1).
TEXT_WEIGHTS = (0.5, 0.5, math.sqrt(0.5))
LEXICAL_WEIGHTS = (math.sqrt(0.5), math.sqrt(0.5), 0.0)
PROJECTION_DIMS = 128
# Above this many entries (n × shared tags) the "tags" baseline is projected like the text.
TAG_ENTRIES = 32_000_000


@dataclass
class Population:
    """Row i of every array is profiles[i]. Text factors are float32 and L2-bounded per side, so
    every dot product below is a cosine-like share in [0, 1]."""

    profiles: Sequence[Profile]
    method: str
    sides: np.ndarray  # n × 3d: [needs | offers | interests], views below (tags: interests)
    needs: np.ndarray
    offers: np.ndarray
    interests: np.ndarray
    seek: np.ndarray
    give: np.ndarray
    roles: list[frozenset[str]]
    role_codes: np.ndarray  # int32 code of each person's set of roles
    objective_table: np.ndarray  # seek · give by pairs of role codes, float32
    types: np.ndarray  # int32 codes of org_type
    type_names: list[str]
    countries: np.ndarray  # int32 codes of the upper-cased country
    orgs: np.ndarray  # int32 codes of the case-folded organisation name
    type_weights: np.ndarray | None  # T x T float32, None when every pair weighs 1
    # Preferences as 0/1 matrices over the codes above, each row scaled by 1 / (number of kinds
    # of preference the person gave), so a pair meeting all of them counts 1.
    pref_types: np.ndarray | None  # n x T float32
    pref_countries: np.ndarray | None  # n x C float32
    blocked: list[frozenset[int]]  # symmetric "never show" pairs, as row indices
    must_meet: list[tuple[int, ...]]  # row indices each person asked for
    tiebreak: np.ndarray  # float32 in [0, 1): a seeded permutation, below any real difference

    @property
    def n(self) -> int:
        return len(self.profiles)

    @property
    def full(self) -> bool:
        return self.method == "full"


def codes(values: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """int32 codes in order of first appearance, and the distinct values."""
    table: dict[str, int] = {}
    out = np.array([table.setdefault(v, len(table)) for v in values], dtype=np.int32)
    return out, list(table)


def _tag_vectors(profiles: Sequence[Profile], seed: int) -> np.ndarray:
    """Binary tag + interest vectors, L2-normalised, over the tags that at least two people
    share (the others only weigh in the norm). Beyond TAG_ENTRIES dense entries they are reduced
    to PROJECTION_DIMS by a seeded random projection, like the text."""
    tag_sets = [{t.strip().lower() for t in (*p.tags, *p.interests)} for p in profiles]
    counts: dict[str, int] = {}
    for tags in tag_sets:
        for t in tags:
            counts[t] = counts.get(t, 0) + 1
    shared = {t: c for t, c in counts.items() if c > 1}
    vocab = {t: i for i, t in enumerate(sorted(shared, key=list(counts).index))}
    indptr, indices, data = [0], [], []
    for tags in tag_sets:
        cols = [vocab[t] for t in tags if t in vocab]
        if cols:
            indices += cols
            data += [1.0 / math.sqrt(len(tags))] * len(cols)
        indptr.append(len(indices))
    m = sp.csr_matrix(
        (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32), indptr),
        shape=(len(profiles), max(1, len(vocab))),
    )
    if m.shape[0] * m.shape[1] <= TAG_ENTRIES:
        return m.toarray()
    rng = np.random.default_rng(seed)
    dims = PROJECTION_DIMS
    proj = rng.standard_normal((m.shape[1], dims), dtype=np.float32) / np.float32(np.sqrt(dims))
    return np.asarray(m @ proj, dtype=np.float32)


def _text_factors(
    profiles: Sequence[Profile], method: str, seed: int, workers: Executor | None
) -> np.ndarray:
    """n × 3d: each person's needs, offers and interests vectors side by side (for "tags", the
    tag vectors only)."""
    if method == "tags":
        return _tag_vectors(profiles, seed)
    full = method == "full"
    docs = [list(p.needs) for p in profiles]
    docs += [list(p.offers) for p in profiles]
    docs += [[*p.interests, *p.tags] for p in profiles]
    text, concept = side_matrices(
        docs, concepts=full, weights=TEXT_WEIGHTS if full else LEXICAL_WEIGHTS, workers=workers
    )
    return dense_sides(text, concept, parts=3, dims=PROJECTION_DIMS, seed=seed, workers=workers)


def _objectives(
    all_roles: list[frozenset[str]], full: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """seek and give (n × pairs), the code of each person's role set, and seek · give between
    role sets (few distinct ones: they follow from objectives and organisation type)."""
    n = len(all_roles)
    table: dict[frozenset[str], int] = {}
    role_codes = np.array([table.setdefault(r, len(table)) for r in all_roles], dtype=np.int32)
    if not full:
        empty = np.zeros((n, 1), dtype=np.float32)
        return empty, empty, role_codes, np.zeros((len(table), len(table)), dtype=np.float32)
    seek, give = (m.toarray() for m in role_matrices(list(table)))
    return seek[role_codes], give[role_codes], role_codes, seek @ give.T


def _type_weights(names: list[str], config: MatchConfig) -> np.ndarray | None:
    tw = np.ones((len(names), len(names)), dtype=np.float32)
    for a, ta in enumerate(names):
        for b, tb in enumerate(names):
            tw[a, b] = config.type_weights.get((ta, tb), config.type_weights.get((tb, ta), 1.0))
    return None if bool(np.all(tw == 1.0)) else tw


def _preferences(
    profiles: Sequence[Profile], type_names: list[str], country_names: list[str]
) -> tuple[np.ndarray | None, np.ndarray | None]:
    if not any(p.preferred_types or p.preferred_countries for p in profiles):
        return None, None
    type_of = {t: i for i, t in enumerate(type_names)}
    country_of = {c: i for i, c in enumerate(country_names)}
    pt = np.zeros((len(profiles), len(type_names)), dtype=np.float32)
    pc = np.zeros((len(profiles), len(country_names)), dtype=np.float32)
    for i, p in enumerate(profiles):
        kinds = bool(p.preferred_types) + bool(p.preferred_countries)
        for t in p.preferred_types:
            if t in type_of:
                pt[i, type_of[t]] = 1.0 / kinds
        for c in p.preferred_countries:
            if c.upper() in country_of:
                pc[i, country_of[c.upper()]] = 1.0 / kinds
    return pt, pc


def _marks(
    profiles: Sequence[Profile], config: MatchConfig
) -> tuple[list[frozenset[int]], list[tuple[int, ...]]]:
    """Pairs never shown, symmetric: either side's "no thanks", optionally met before; and the
    must-meet wishes, as row indices (unknown ids are ignored)."""
    index = {p.id: i for i, p in enumerate(profiles)}
    blocked: list[set[int]] = [set() for _ in profiles]
    must: list[tuple[int, ...]] = []
    for i, p in enumerate(profiles):
        others = p.excluded | p.met_before if config.exclude_met_before else p.excluded
        for other in others:
            j = index.get(other)
            if j is not None:
                blocked[i].add(j)
                blocked[j].add(i)
        must.append(tuple(sorted(index[m] for m in p.must_meet if m in index)))
    return [frozenset(b) for b in blocked], must


def population(
    profiles: Sequence[Profile], config: MatchConfig, workers: Executor | None = None
) -> Population:
    n = len(profiles)
    full = config.method == "full"
    all_roles = [roles(p) for p in profiles]
    sides = _text_factors(profiles, config.method, config.seed, workers)
    if config.method == "tags":
        empty = np.zeros((n, 1), dtype=np.float32)
        needs, offers, interests = empty, empty, sides
    else:
        d = sides.shape[1] // 3
        needs, offers, interests = sides[:, :d], sides[:, d : 2 * d], sides[:, 2 * d :]
    seek, give, role_codes, objective_table = _objectives(all_roles, full)
    types, type_names = codes([p.org_type for p in profiles])
    countries, country_names = codes([p.country.upper() for p in profiles])
    orgs, _ = codes([p.organisation.strip().casefold() for p in profiles])
    pref_types, pref_countries = (
        _preferences(profiles, type_names, country_names) if full else (None, None)
    )
    blocked, must = _marks(profiles, config)
    tiebreak = np.random.default_rng(config.seed).permutation(n).astype(np.float32) / max(1, n)
    return Population(
        profiles=profiles,
        method=config.method,
        sides=sides,
        needs=needs,
        offers=offers,
        interests=interests,
        seek=seek,
        give=give,
        roles=all_roles,
        role_codes=role_codes,
        objective_table=objective_table,
        types=types,
        type_names=type_names,
        countries=countries,
        orgs=orgs,
        type_weights=_type_weights(type_names, config) if full else None,
        pref_types=pref_types,
        pref_countries=pref_countries,
        blocked=blocked,
        must_meet=must,
        tiebreak=tiebreak,
    )
