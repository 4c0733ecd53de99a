"""The preference bonus of the full method: who it lifts, who it does not, and what it says."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clusterhub.algorithms.matching import MatchConfig, Profile, recommend


def _people(**wishes: tuple[str, ...]) -> list[Profile]:
    """A hospital looking for AI in pathology, two equally fitting offers (a Norwegian company
    and a Ukrainian investor), and a Ukrainian investor with nothing in common."""
    return [
        Profile(1, "Oslo University Hospital", "hospital", "NO",
                needs=("AI for digital pathology",), **wishes),
        Profile(2, "PathoLearn AS", "company", "NO",
                offers=("machine learning for pathology images",)),
        Profile(3, "Kyiv Digital Pathology Fund", "investor", "UA",
                offers=("machine learning for pathology images",)),
        Profile(4, "Lviv Ventures", "investor", "UA", offers=("venture capital for schools",)),
    ]  # fmt: skip


def test_recommend_preferred_type_lifts_an_equally_relevant_person() -> None:
    without = recommend(_people(), k=3, config=MatchConfig(border_bonus=0, sector_bonus=0))
    with_wish = recommend(
        _people(preferred_types=("investor",)),
        k=3,
        config=MatchConfig(border_bonus=0, sector_bonus=0),
    )

    assert without[1][0].score == without[1][1].score
    assert [r.other for r in with_wish[1]][:2] == [3, 2]
    assert with_wish[1][0].score > with_wish[1][1].score
    assert with_wish[1][0].reasons[1] == (
        "they are an investor, a type of organisation you want to meet"
    )


def test_recommend_preferred_country_reason_names_the_country() -> None:
    recs = recommend(_people(preferred_countries=("ua",)), k=3)

    first = recs[1][0]
    assert first.other == 3
    assert "they are based in Ukraine, a country you asked for" in first.reasons
    assert not any(r.startswith("crosses borders") for r in first.reasons)


def test_recommend_preference_never_lifts_an_irrelevant_person() -> None:
    recs = recommend(
        _people(preferred_types=("investor",), preferred_countries=("UA",)),
        k=3,
        config=MatchConfig(preference_bonus=0.5),
    )

    scores = {r.other: r.score for r in recs[1]}
    # 4 is an investor in Ukraine, as wished, with only projection noise in common.
    assert [r.other for r in recs[1]][:2] == [3, 2]
    assert scores.get(4, 0.0) < scores[2]


def test_recommend_preference_bonus_is_half_when_one_of_two_wishes_is_met() -> None:
    config = MatchConfig(border_bonus=0, sector_bonus=0, diversity=0)
    both = _people(preferred_types=("investor",), preferred_countries=("NO",))
    only_type = _people(preferred_types=("investor",))

    half = {r.other: r.score for r in recommend(both, k=3, config=config)[1]}
    full = {r.other: r.score for r in recommend(only_type, k=3, config=config)[1]}
    base = {r.other: r.score for r in recommend(_people(), k=3, config=config)[1]}

    # The investor is in Ukraine, not Norway: one of the two kinds of wish is met.
    assert half[3] - base[3] == pytest.approx((full[3] - base[3]) / 2, abs=2e-4)
    assert half[2] - base[2] == pytest.approx((full[3] - base[3]) / 2, abs=2e-4)  # Norway


def test_recommend_preferences_count_only_in_the_full_method() -> None:
    people = _people(preferred_types=("investor",))
    lexical = MatchConfig(method="lexical")

    recs = recommend(people, k=3, config=lexical)
    plain = recommend([replace(p, preferred_types=()) for p in people], k=3, config=lexical)

    assert recs == plain
