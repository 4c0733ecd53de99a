"""Properties of `recommend` that must hold for any population."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clusterhub.algorithms.matching import OBJECTIVES, MatchConfig, Profile, recommend

PHRASES = (
    "AI for digital pathology", "machine learning for pathology images", "klinisk studie",
    "клінічне дослідження", "biobank", "seed funding", "інвестиції", "testarena", "beredskap",
    "готовність до криз", "school partnerships", "cloud", "oncology", "kreft",
)  # fmt: skip
TYPES = ("hospital", "company", "investor", "cluster", "research", "school")


@st.composite
def populations(draw: st.DrawFn) -> list[Profile]:
    n = draw(st.integers(min_value=0, max_value=14))
    ids = list(range(100, 100 + n))
    id_sets = st.frozensets(st.sampled_from(ids), max_size=3) if ids else st.just(frozenset())
    phrases = st.lists(st.sampled_from(PHRASES), max_size=3).map(tuple)
    return [
        Profile(
            id=i,
            organisation=draw(st.sampled_from(("Org A", "org a ", "Org B", "Org C", f"Solo {i}"))),
            org_type=draw(st.sampled_from(TYPES)),
            country=draw(st.sampled_from(("NO", "UA", "SE"))),
            offers=draw(phrases),
            needs=draw(phrases),
            interests=draw(phrases),
            tags=draw(st.lists(st.sampled_from(("oncology", "ai", "data")), max_size=2).map(tuple)),
            objectives=draw(st.lists(st.sampled_from(OBJECTIVES), max_size=2).map(tuple)),
            preferred_types=draw(st.lists(st.sampled_from(TYPES), max_size=2).map(tuple)),
            preferred_countries=draw(
                st.lists(st.sampled_from(("no", "UA")), max_size=1).map(tuple)
            ),
            excluded=draw(id_sets),
            must_meet=draw(id_sets),
            met_before=draw(id_sets),
        )
        for i in ids
    ]


configs = st.builds(
    MatchConfig,
    diversity=st.floats(min_value=0, max_value=1),
    exclude_met_before=st.booleans(),
    seed=st.integers(min_value=0, max_value=3),
    method=st.sampled_from(("full", "lexical", "tags")),
    # 0: the candidate path (proxy, tiles, exact rescoring) even for these small populations.
    exhaustive_up_to=st.sampled_from((0, 8_000)),
    candidate_pool=st.integers(min_value=1, max_value=20),
)


@settings(max_examples=60, deadline=None)
@given(people=populations(), k=st.integers(min_value=0, max_value=6), config=configs)
def test_recommend_never_breaks_exclusions_and_respects_k(
    people: list[Profile], k: int, config: MatchConfig
) -> None:
    by_id = {p.id: p for p in people}

    recs = recommend(people, k=k, config=config)

    assert set(recs) == set(by_id)
    for pid, rs in recs.items():
        me = by_id[pid]
        assert len(rs) <= k
        assert len({r.other for r in rs}) == len(rs)
        for r in rs:
            them = by_id[r.other]
            assert r.other != pid
            assert me.organisation.strip().casefold() != them.organisation.strip().casefold()
            assert r.other not in me.excluded
            assert pid not in them.excluded
            if config.exclude_met_before:
                assert r.other not in me.met_before
                assert pid not in them.met_before
            assert 0.0 <= r.score <= 1.0
            assert len(r.reasons) <= 3
        scores = [r.score for r in rs]
        assert scores == sorted(scores, reverse=True)


@settings(max_examples=30, deadline=None)
@given(people=populations(), config=configs)
def test_recommend_is_deterministic_for_a_seed(people: list[Profile], config: MatchConfig) -> None:
    assert recommend(people, k=5, config=config) == recommend(people, k=5, config=config)
