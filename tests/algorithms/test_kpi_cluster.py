"""Several events added up, the export rows, and properties that hold for any input."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clusterhub.algorithms.kpi import (
    ORG_TYPES,
    Attendee,
    Kpis,
    MeetingFact,
    PartnershipFact,
    Party,
    Rating,
    TrainingModule,
    as_rows,
    cluster_kpis,
    event_kpis,
)

OSLO = event_kpis(
    host_country="NO",
    attendees=[Attendee("company", "NO", checked_in=True)] * 2
    + [Attendee("company", "SE", checked_in=True), Attendee("hospital", "UA", checked_in=True)],
    ratings=[Rating(v) for v in (5, 5, 4, 3, 1)],
    modules=[TrainingModule(1, "Funding", confirmed=5, checked_in=5, capacity=10)],
)
STOCKHOLM = event_kpis(
    host_country="SE",
    attendees=[Attendee("hospital", "SE", checked_in=True), Attendee("university", "NO")],
    ratings=[Rating(2)],
    modules=[TrainingModule(2, "Data", confirmed=4, checked_in=1, capacity=4)],
)


def test_cluster_adds_counts_and_recomputes_shares():
    k = cluster_kpis([OSLO, STOCKHOLM])

    assert k.events == 2
    assert (k.registrations.confirmed, k.registrations.attended) == (6, 5)
    assert k.registrations.attendance_rate == pytest.approx(5 / 6)
    # Attended: company 3, hospital 2 → Simpson = 1 − (9 + 4) / 25 = 12/25 = 0.48.
    assert dict(k.attended.by_type)["hospital"] == 2
    assert k.attended.type_diversity.simpson == pytest.approx(0.48)
    # International is per host: SE and UA in Oslo (2), none in Stockholm → 2 of 5 attended;
    # registered adds the Norwegian in Stockholm → 3 of 6.
    assert k.attended.international_share == pytest.approx(2 / 5)
    assert (k.registered.international, k.registered.total) == (3, 6)
    # The mean of all ratings, not the mean of the two means:
    # (5 + 5 + 4 + 3 + 1 + 2) / 6 = 20 / 6 = 3.333, not (3.6 + 2) / 2 = 2.8.
    assert k.satisfaction.event.mean == pytest.approx(20 / 6)
    assert k.satisfaction.event.distribution == (1, 1, 1, 1, 2)
    # Modules of both events, by title; fill = (5 + 4) / (10 + 4).
    assert [m.title for m in k.training.modules] == ["Data", "Funding"]
    assert k.training.fill_rate == pytest.approx(9 / 14)


def test_cluster_of_no_events_is_all_zero():
    k = cluster_kpis([])

    assert k.events == 0
    assert k.registrations.confirmed == 0
    assert dict(k.registered.by_type) == dict.fromkeys(ORG_TYPES, 0)
    assert k.meetings.acceptance_rate is None
    assert k.partnerships.by_stage == event_kpis(host_country="NO").partnerships.by_stage


def test_cluster_sums_can_be_nested():
    assert cluster_kpis([cluster_kpis([OSLO, STOCKHOLM]), OSLO]) == cluster_kpis(
        [OSLO, STOCKHOLM, OSLO]
    )


def test_rows_flatten_every_figure_in_a_fixed_order():
    rows = as_rows(OSLO)

    assert rows[0] == ("summary", "events", 1)
    assert ("registrations", "attendance_rate", 1.0) in rows
    assert ("attended.by_type", "company", 3) in rows
    assert ("attended.by_country", "NO", 2) in rows
    assert ("attended.type_diversity", "simpson", pytest.approx(0.375)) in rows
    assert ("training.module.1", "title", "Funding") in rows
    assert ("meetings", "mix_basis", "scheduled") in rows
    assert ("meetings.mix", "cross_border_share", None) in rows
    assert ("satisfaction.event.distribution", "5", 2) in rows
    assert ("satisfaction.meeting", "mean", None) in rows
    assert ("partnerships.by_type", "mou", 0) in rows
    keys = [(section, label) for section, label, _ in rows]
    assert len(keys) == len(set(keys))
    assert all(isinstance(v, int | float | str | type(None)) for _, _, v in rows)


# Properties ------------------------------------------------------------------------------

COUNTRIES = st.sampled_from(("NO", "SE", "UA", "", "dk"))
TYPES = st.sampled_from((*ORG_TYPES, "startup"))
parties = st.builds(Party, TYPES, COUNTRIES)
attendees = st.builds(
    Attendee,
    TYPES,
    COUNTRIES,
    st.sampled_from(("confirmed", "confirmed", "pending", "cancelled", "rejected")),
    st.booleans(),
)
modules = st.builds(
    TrainingModule,
    st.integers(1, 2),
    st.sampled_from(("A", "B")),
    st.integers(0, 30),
    st.integers(0, 30),
    st.integers(0, 5),
    st.none() | st.integers(0, 30),
).filter(
    lambda m: (
        m.checked_in <= m.confirmed and m.confirmed <= (30 if m.capacity is None else m.capacity)
    )
)


@st.composite
def meetings(draw: st.DrawFn) -> MeetingFact:
    requested = draw(st.booleans())
    accepted = requested and draw(st.booleans())
    scheduled = draw(st.booleans())
    held = draw(st.sampled_from((None, True, False))) if scheduled else None
    return MeetingFact(draw(parties), draw(parties), requested, accepted, scheduled, held)


ratings = st.builds(Rating, st.integers(1, 5), st.sampled_from(("event", "session", "meeting")))
partnerships = st.builds(
    PartnershipFact,
    st.sampled_from(("mou", "pilot", "grant", "training")),
    st.sampled_from(("exploring", "signed", "paused")),
    st.lists(parties, max_size=4).map(tuple),
)


@st.composite
def facts(draw: st.DrawFn) -> dict[str, list[object]]:
    return {
        "attendees": draw(st.lists(attendees, max_size=25)),
        "modules": draw(st.lists(modules, max_size=4)),
        "meetings": draw(st.lists(meetings(), max_size=12)),
        "ratings": draw(st.lists(ratings, max_size=12)),
        "partnerships": draw(st.lists(partnerships, max_size=6)),
    }


def _shares(k: Kpis) -> list[float | None]:
    m = k.meetings
    values: list[float | None] = [
        k.registrations.attendance_rate, k.training.fill_rate, k.training.show_up_rate,
        m.acceptance_rate, m.scheduling_rate, m.held_rate,
        k.partnerships.cross_sector_share, k.partnerships.cross_border_share,
    ]  # fmt: skip
    for mix in (k.registered, k.attended):
        values += [mix.public_share, mix.private_share, mix.other_share, mix.international_share]
        for d in (mix.type_diversity, mix.country_diversity):
            values += [d.simpson, d.evenness]
    for pair_mix in (m.held_mix, m.scheduled_mix):
        values += [pair_mix.cross_sector_share, pair_mix.cross_border_share]
    for r in (k.satisfaction.event, k.satisfaction.session, k.satisfaction.meeting):
        values += [r.satisfied_share]
    return values


@given(facts())
def test_shares_rates_and_evenness_lie_in_zero_one(f):
    k = event_kpis(host_country="NO", **f)

    assert all(0.0 <= v <= 1.0 for v in _shares(k) if v is not None)
    for d in (k.registered.type_diversity, k.attended.country_diversity):
        # Shannon never beats an even spread over the categories present, nor Simpson.
        if d.richness:
            assert 1.0 - 1e-9 <= d.effective_number <= d.richness + 1e-9
            assert d.simpson <= 1 - 1 / d.richness + 1e-12


@given(facts(), facts())
def test_cluster_of_two_events_equals_one_event_with_all_their_facts(f, g):
    pooled = event_kpis(host_country="NO", **{key: f[key] + g[key] for key in f})

    combined = cluster_kpis(
        [event_kpis(host_country="NO", **f), event_kpis(host_country="no", **g)]
    )

    assert combined == dataclasses.replace(pooled, events=2)
    assert combined.registrations.confirmed == (
        event_kpis(host_country="NO", **f).registrations.confirmed
        + event_kpis(host_country="NO", **g).registrations.confirmed
    )


@given(facts(), st.randoms(use_true_random=False))
def test_input_order_does_not_matter(f, rnd):
    shuffled = {key: rnd.sample(values, len(values)) for key, values in f.items()}

    assert event_kpis(host_country="NO", **shuffled) == event_kpis(host_country="NO", **f)
