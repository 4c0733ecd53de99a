"""KPI maths against hand-computed examples: registrations, people mix and diversity."""

from __future__ import annotations

import math

import pytest

from clusterhub.algorithms.kpi import ORG_TYPES, Attendee, diversity, event_kpis

# The Oslo example used throughout (host country NO):
#   checked in: company NO, company NO, company SE, hospital UA
#   confirmed, not checked in: university NO, investor (country unknown)
#   not confirmed: pending cluster NO, cancelled company DK, rejected other NO
OSLO = [
    Attendee("company", "NO", checked_in=True),
    Attendee("company", "no", checked_in=True),
    Attendee("Company", "SE", checked_in=True),
    Attendee("hospital", "UA", checked_in=True),
    Attendee("university", "NO"),
    Attendee("investor", ""),
    Attendee("cluster", "NO", status="pending"),
    Attendee("company", "DK", status="cancelled"),
    Attendee("other", "NO", status="rejected"),
]


def test_registrations_count_statuses_and_attendance():
    r = event_kpis(host_country="NO", attendees=OSLO).registrations

    assert (r.confirmed, r.pending, r.cancelled, r.rejected) == (6, 1, 1, 1)
    assert r.attended == 4
    assert r.attendance_rate == pytest.approx(4 / 6)  # 0.6667
    assert r.no_shows == 2


def test_attended_mix_three_companies_one_hospital():
    mix = event_kpis(host_country="NO", attendees=OSLO).attended

    assert mix.total == 4
    assert dict(mix.by_type) == dict.fromkeys(ORG_TYPES, 0) | {"company": 3, "hospital": 1}
    assert [t for t, _ in mix.by_type] == list(ORG_TYPES)
    # Countries most people first, ties by code.
    assert mix.by_country == (("NO", 2), ("SE", 1), ("UA", 1))
    assert mix.unknown_country == 0
    # SE and UA are not the host country: 2 of 4.
    assert (mix.international, mix.international_share) == (2, 0.5)
    # company → private (3), hospital → public (1).
    assert mix.by_sector == (("public", 1), ("private", 3), ("other", 0))
    assert (mix.public_share, mix.private_share, mix.other_share) == (0.25, 0.75, 0.0)

    d = mix.type_diversity
    # p = (0.75, 0.25)
    # Simpson = 1 − (0.75² + 0.25²) = 1 − (0.5625 + 0.0625) = 0.375
    assert d.simpson == pytest.approx(0.375)
    # H = −(0.75 ln 0.75 + 0.25 ln 0.25) = 0.215762 + 0.346574 = 0.562335
    assert d.shannon == pytest.approx(0.562335, abs=1e-6)
    # J = H / ln 2 = 0.562335 / 0.693147 = 0.811278
    assert d.evenness == pytest.approx(0.811278, abs=1e-6)
    # exp(H) = 0.75^−0.75 · 0.25^−0.25 = 1.754765
    assert d.effective_number == pytest.approx(1.754765, abs=1e-6)
    assert d.richness == 2


def test_attended_country_diversity():
    d = event_kpis(host_country="NO", attendees=OSLO).attended.country_diversity

    # p = (NO 0.5, SE 0.25, UA 0.25)
    # Simpson = 1 − (0.25 + 0.0625 + 0.0625) = 0.625
    assert d.simpson == pytest.approx(0.625)
    # H = −(0.5 ln 0.5 + 2 · 0.25 ln 0.25) = 0.346574 + 0.693147 = 1.039721
    assert d.shannon == pytest.approx(1.039721, abs=1e-6)
    # J = 1.039721 / ln 3 = 1.039721 / 1.098612 = 0.946395
    assert d.evenness == pytest.approx(0.946395, abs=1e-6)
    # exp(H) = 2^0.5 · 4^0.5 = 2√2
    assert d.effective_number == pytest.approx(2 * math.sqrt(2))


def test_registered_mix_counts_unknown_country_as_not_international():
    mix = event_kpis(host_country="NO", attendees=OSLO).registered

    assert mix.total == 6
    assert mix.by_country == (("NO", 3), ("SE", 1), ("UA", 1))
    assert mix.unknown_country == 1
    # SE and UA of 6 people; the investor of unknown country is not counted international.
    assert mix.international == 2
    assert mix.international_share == pytest.approx(2 / 6)
    # private: 3 companies + investor = 4; public: hospital + university = 2.
    assert mix.by_sector == (("public", 2), ("private", 4), ("other", 0))
    assert mix.private_share == pytest.approx(4 / 6)

    d = mix.type_diversity
    # counts (3, 1, 1, 1), n = 6: Simpson = 1 − (9 + 1 + 1 + 1) / 36 = 24/36 = 0.666667
    assert d.simpson == pytest.approx(2 / 3)
    # H = −(0.5 ln 0.5 + 3 · (1/6) ln(1/6)) = 0.346574 + 0.895880 = 1.242453
    assert d.shannon == pytest.approx(1.242453, abs=1e-6)
    # J = 1.242453 / ln 4 = 1.242453 / 1.386294 = 0.896241
    assert d.evenness == pytest.approx(0.896241, abs=1e-6)
    assert d.richness == 4
    # Country diversity leaves the unknown country out: (3, 1, 1) of 5.
    assert mix.country_diversity.simpson == pytest.approx(1 - (9 + 1 + 1) / 25)


def test_sector_classification_of_every_type():
    people = [Attendee(t, "NO", checked_in=True) for t in ORG_TYPES]

    mix = event_kpis(host_country="NO", attendees=people).attended

    # public: hospital, research, university, school, public_authority, diplomatic (6);
    # private: company, industry, investor (3); other: cluster, patient_org, other (3).
    assert mix.by_sector == (("public", 6), ("private", 3), ("other", 3))
    assert (mix.public_share, mix.private_share, mix.other_share) == (0.5, 0.25, 0.25)


def test_diversity_of_an_even_spread_over_all_twelve_types():
    d = diversity([5] * 12)

    # p_i = 1/12: Simpson = 1 − 12 · (1/144) = 11/12; H = ln 12; J = 1; exp(H) = 12.
    assert d.simpson == pytest.approx(11 / 12)
    assert d.shannon == pytest.approx(math.log(12))
    assert d.evenness == pytest.approx(1.0)
    assert d.effective_number == pytest.approx(12.0)


def test_diversity_of_one_category_is_zero_with_no_evenness():
    d = diversity([7, 0, 0])

    assert (d.richness, d.simpson, d.shannon, d.evenness, d.effective_number) == (
        1, 0.0, 0.0, None, 1.0,
    )  # fmt: skip


def test_diversity_of_nobody_is_zero():
    d = diversity([])

    assert (d.richness, d.simpson, d.shannon, d.evenness, d.effective_number) == (
        0, 0.0, 0.0, None, 0.0,
    )  # fmt: skip


def test_unknown_types_count_as_other_and_values_are_normalised():
    people = [
        Attendee(" HOSPITAL ", " se", checked_in=True),
        Attendee("startup", "NO", checked_in=True),
        Attendee("", "", checked_in=True),
    ]

    mix = event_kpis(host_country="no", attendees=people).attended

    assert dict(mix.by_type)["hospital"] == 1
    assert dict(mix.by_type)["other"] == 2
    assert mix.by_country == (("NO", 1), ("SE", 1))
    assert mix.unknown_country == 1
    assert mix.international == 1  # SE; host "no" is read as NO


def test_empty_host_country_counts_nobody_as_international():
    mix = event_kpis(host_country="", attendees=OSLO).registered

    assert (mix.international, mix.international_share) == (0, 0.0)


def test_no_attendees_gives_zeros_and_no_rates():
    k = event_kpis(host_country="NO")

    r = k.registrations
    assert (r.confirmed, r.attended, r.no_shows, r.attendance_rate) == (0, 0, 0, None)
    for mix in (k.registered, k.attended):
        assert mix.total == 0
        assert dict(mix.by_type) == dict.fromkeys(ORG_TYPES, 0)
        assert mix.by_country == ()
        assert (mix.public_share, mix.private_share, mix.international_share) == (None, None, None)
        assert mix.type_diversity.simpson == 0.0


def test_attendee_refuses_an_unknown_status():
    with pytest.raises(ValueError, match="waitlisted"):
        Attendee("company", "NO", status="waitlisted")
