"""Example rankings and reason texts of the matching library."""

from __future__ import annotations

import pytest

from clusterhub.algorithms.matching import MatchConfig, Profile, recommend
from clusterhub.algorithms.matching.lexicon import concepts_in
from clusterhub.algorithms.matching.text import normalize, words_of


def _population() -> list[Profile]:
    return [
        Profile(1, "Oslo University Hospital", "hospital", "NO",
                needs=("AI for digital pathology", "clinical validation partner"),
                offers=("hospital test bed for digital pathology",), interests=("oncology",),
                objectives=("research_collaboration",)),
        Profile(2, "PathoLearn AS", "company", "NO",
                offers=("machine learning for pathology images",),
                needs=("clinical validation site",),
                interests=("cancer diagnostics",), objectives=("partnering",)),
        Profile(3, "Kyiv Medtech Cluster", "cluster", "UA",
                needs=("інвестиції для стартапів",), offers=("доступ до ринку України",),
                objectives=("investment",), interests=("медичні вироби",)),
        Profile(4, "Nordic Health Ventures", "investor", "NO",
                offers=("venture capital for medtech start-ups",), interests=("medical devices",),
                objectives=("investment",)),
        Profile(5, "Bergen School", "school", "NO",
                needs=("science education partners",), interests=("STEM education",)),
        Profile(6, "Lviv Genomics", "research", "UA",
                offers=("genome sequencing",), needs=("biobank access",),
                objectives=("research_collaboration",)),
        Profile(7, "Oslo Biobank", "research", "NO",
                offers=("biobank med kreftprøver",), interests=("kreft",)),
        Profile(8, "Helse Data AS", "company", "SE",
                offers=("cloud hosting",), interests=("cybersecurity",)),
    ]  # fmt: skip


def test_recommend_hospital_gets_pathology_ai_company_first() -> None:
    recs = recommend(_population(), k=5)

    assert recs[1][0].other == 2
    assert recs[1][0].reasons[0] == (
        "your need “AI for digital pathology” ↔ their offer “machine learning for pathology images”"
    )


def test_recommend_ukrainian_cluster_seeking_investment_gets_norwegian_investor() -> None:
    recs = recommend(_population(), k=5)

    assert recs[3][0].other == 4
    assert "they invest and you seek investment" in recs[3][0].reasons
    assert recs[4][0].other == 3


def test_recommend_norwegian_phrase_matches_english_through_lexicon() -> None:
    recs = recommend(_population(), k=5)

    assert recs[6][0].other == 7
    assert (
        recs[6][0].reasons[0]
        == "your need “biobank access” ↔ their offer “biobank med kreftprøver”"
    )


@pytest.mark.parametrize(
    ("phrase", "concept"),
    [
        ("klinisk studie", "clinical_trial"),
        ("Клінічного дослідження", "clinical_trial"),
        ("a clinical trial site", "clinical_trial"),
        ("testarena for sykehus", "test_bed"),
        ("випробувальний майданчик", "test_bed"),
        ("Beredskap", "crisis_preparedness"),
        ("готовність до криз", "crisis_preparedness"),
        ("kunstig intelligens", "ai"),
    ],
)
def test_concepts_in_finds_forms_in_three_languages(phrase: str, concept: str) -> None:
    assert concept in concepts_in(words_of(phrase))


def test_normalize_folds_case_width_and_punctuation() -> None:
    assert normalize("  Ｃlinical—Trial, (Phase II)! ") == "clinical trial phase ii"


def test_recommend_reasons_name_sector_and_at_most_three() -> None:
    recs = recommend(_population(), k=7)

    assert all(1 <= len(r.reasons) <= 3 for rs in recs.values() for r in rs)
    investor_for_cluster = next(r for r in recs[3] if r.other == 4)
    assert investor_for_cluster.reasons[0] == (
        "your need “інвестиції для стартапів” ↔ their offer “venture capital for medtech start-ups”"
    )


def test_recommend_must_meet_boosts_but_respects_exclusions() -> None:
    people = _population()
    people[4] = Profile(5, "Bergen School", "school", "NO", must_meet=frozenset({8, 1}),
                        excluded=frozenset({1}))  # fmt: skip

    recs = recommend(people, k=3)

    assert recs[5][0].other == 8
    assert all(r.other != 1 for r in recs[5])
    assert all(r.other != 5 for r in recs[1])


def test_recommend_type_weights_reorder() -> None:
    config = MatchConfig(type_weights={("hospital", "company"): 0.0})

    recs = recommend(_population(), k=5, config=config)

    assert all(r.other not in {2, 8} for r in recs[1])


def test_recommend_rejects_duplicate_ids() -> None:
    with pytest.raises(ValueError, match="unique"):
        recommend([Profile(1, "a", "company", "NO"), Profile(1, "b", "company", "NO")])
