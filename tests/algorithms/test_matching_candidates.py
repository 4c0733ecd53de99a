"""The candidate path for large populations (proxy, tiles, exact rescoring) against exhaustive
scoring, and the batch reasons against `reasons_for`."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterhub.algorithms.matching import (
    OBJECTIVES,
    MatchConfig,
    Profile,
    Recommendation,
    recommend,
)
from clusterhub.algorithms.matching.candidates import candidate_bands, proxy, thresholds
from clusterhub.algorithms.matching.explain import Explainer
from clusterhub.algorithms.matching.features import population
from clusterhub.algorithms.matching.lexicon import CONCEPT_IDS, concept_forms
from clusterhub.algorithms.matching.objectives import roles
from clusterhub.algorithms.matching.reasons import profile_text, reasons_for

from .test_matching_properties import populations

EXHAUSTIVE = MatchConfig(exhaustive_up_to=10**9)
TYPES = ("hospital", "company", "investor", "cluster", "research", "university", "school")


def _synthetic(n: int, seed: int) -> list[Profile]:
    """People needing and offering lexicon concepts in any of their three languages."""
    rng = random.Random(seed)
    concepts = list(CONCEPT_IDS)

    def phrases(count: int) -> tuple[str, ...]:
        return tuple(rng.choice(concept_forms(rng.choice(concepts))) for _ in range(count))

    return [
        Profile(
            id=i,
            organisation=f"Org {rng.randrange(n // 3)}",
            org_type=rng.choice(TYPES),
            country=rng.choice(("NO", "NO", "UA", "UA", "SE", "DE")),
            needs=phrases(rng.randint(1, 2)),
            offers=phrases(rng.randint(1, 3)),
            interests=phrases(rng.randint(0, 2)),
            objectives=tuple(rng.sample(OBJECTIVES, rng.randint(0, 2))),
            preferred_types=tuple(rng.sample(TYPES, 1)) if rng.random() < 0.2 else (),
            preferred_countries=("UA",) if rng.random() < 0.1 else (),
        )
        for i in range(n)
    ]


def _same_up_to_ties(
    a: dict[int, list[Recommendation]], b: dict[int, list[Recommendation]]
) -> None:
    """Equal lists, except that entries whose scores tie (within float error) may swap."""
    assert a.keys() == b.keys()
    for pid in a:
        assert [r.score for r in a[pid]] == [r.score for r in b[pid]] or np.allclose(
            [r.score for r in a[pid]], [r.score for r in b[pid]], atol=2e-4
        )
        for x, y in zip(a[pid], b[pid], strict=True):
            if x.other != y.other:
                assert abs(x.score - y.score) <= 2e-4


@settings(max_examples=40, deadline=None)
@given(people=populations(), k=st.integers(min_value=1, max_value=6))
def test_recommend_candidate_path_covering_everyone_equals_exhaustive(
    people: list[Profile], k: int
) -> None:
    candidates = MatchConfig(exhaustive_up_to=0, candidate_pool=len(people) + 1)

    _same_up_to_ties(recommend(people, k=k, config=candidates), recommend(people, k=k))


def test_recommend_candidate_path_recall_against_exhaustive() -> None:
    people = _synthetic(1500, seed=3)
    small_pool = MatchConfig(exhaustive_up_to=0, candidate_pool=100)

    fast = recommend(people, k=20, config=small_pool)
    exact = recommend(people, k=20, config=EXHAUSTIVE)

    found = sum(len({r.other for r in fast[p]} & {r.other for r in exact[p]}) for p in exact)
    total = sum(len(exact[p]) for p in exact)
    assert found / total >= 0.95


@settings(max_examples=25, deadline=None)
@given(people=populations(), tile=st.integers(min_value=1, max_value=5))
def test_candidate_bands_small_tiles_find_what_one_tile_finds(
    people: list[Profile], tile: int
) -> None:
    """Transposed tiles (and the objective skew) select as the direct product does, except
    where a proxy value sits within float error of the row's limit or of its cut."""
    config = MatchConfig()
    pop = population(people, config)
    if pop.n < 2:
        return
    with ThreadPoolExecutor(2) as workers:
        pxy = proxy(pop, config, workers)
        per_row = max(1, pop.n // 3)
        limit = thresholds(pxy, per_row, 0, workers)
        one = np.vstack([c for _, _, c in candidate_bands(pxy, limit, per_row, workers)])
        many = [c for _, _, c in candidate_bands(pxy, limit, per_row, workers, tile=tile)]
    full = pxy.rows(slice(None), slice(None))
    for i, (a, b) in enumerate(zip(one, np.vstack(many), strict=True)):
        a_set, b_set = set(a[a < pop.n].tolist()), set(b[b < pop.n].tolist())
        values = np.sort(full[i][list(a_set | b_set)])[::-1]
        cut = values[min(per_row, len(values)) - 1]
        for j in a_set ^ b_set:
            assert min(abs(full[i, j] - limit[i]), abs(full[i, j] - cut)) < 1e-5


@settings(max_examples=40, deadline=None)
@given(people=populations())
def test_explainer_block_says_what_reasons_for_says(people: list[Profile]) -> None:
    pop = population(people, MatchConfig())
    explainer = Explainer(pop, preferences=True)
    everyone = list(range(pop.n))

    reasons = explainer.block(everyone, [everyone] * pop.n)

    texts = [profile_text(p) for p in people]
    for i, p in enumerate(people):
        for j, q in enumerate(people):
            expected = reasons_for(texts[i], texts[j], roles(p), roles(q), preferences=True)
            assert reasons[i][j] == expected


def test_recommend_candidate_path_keeps_must_meet_and_exclusions() -> None:
    people = _synthetic(600, seed=7)
    stranger = Profile(10_000, "Nobody Ltd", "other", "FR", offers=("flower arrangements",))
    people[0] = replace(people[0], must_meet=frozenset({stranger.id}))
    best = recommend([*people, stranger], k=5, config=MatchConfig(exhaustive_up_to=0))[1]
    people[1] = replace(people[1], excluded=frozenset({best[0].other}))
    config = MatchConfig(exhaustive_up_to=0, candidate_pool=40)

    recs = recommend([*people, stranger], k=5, config=config)

    assert stranger.id in {r.other for r in recs[0]}
    assert best[0].other not in {r.other for r in recs[1]}
    assert 1 not in {r.other for r in recs[best[0].other]}
