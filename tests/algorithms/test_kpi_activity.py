"""KPI maths against hand-computed examples: training modules, meetings, satisfaction and
partnerships."""

from __future__ import annotations

import pytest

from clusterhub.algorithms.kpi import (
    MeetingFact,
    PartnershipFact,
    Party,
    Rating,
    TrainingModule,
    event_kpis,
)

MODULES = [
    TrainingModule(id=3, title="Open lab", confirmed=8, checked_in=2),
    TrainingModule(id=1, title="Cluster strategy", confirmed=20, checked_in=15, waitlisted=3,
                   capacity=20),
    TrainingModule(id=2, title="Funding", confirmed=5, checked_in=5, capacity=10),
]  # fmt: skip

P = Party
MEETINGS = [
    # 1 held; cross-sector (company/hospital), same country
    MeetingFact(P("company", "NO"), P("hospital", "NO"), accepted=True, scheduled=True, held=True),
    # 2 held; same type, cross-border (NO/SE)
    MeetingFact(P("company", "NO"), P("company", "SE"), accepted=True, scheduled=True, held=True),
    # 3 scheduled, reported not held; cross-sector and cross-border
    MeetingFact(P("investor", "NO"), P("company", "UA"), accepted=True, scheduled=True, held=False),
    # 4 scheduled, no report; cross-sector, one country unknown
    MeetingFact(P("university", "NO"), P("hospital", ""), accepted=True, scheduled=True),
    # 5 accepted, never scheduled
    MeetingFact(P("company", "NO"), P("investor", "NO"), accepted=True),
    # 6 declined
    MeetingFact(P("company", "SE"), P("hospital", "NO")),
    # 7 proposed by the scheduler without a request, held; cross-sector and cross-border
    MeetingFact(P("research", "NO"), P("company", "DK"), requested=False, scheduled=True,
                held=True),
]  # fmt: skip


def test_training_modules_per_module_and_totals():
    t = event_kpis(host_country="NO", modules=MODULES).training

    # Sorted by title.
    assert [m.title for m in t.modules] == ["Cluster strategy", "Funding", "Open lab"]
    strategy, funding, lab = t.modules
    assert (strategy.fill_rate, strategy.show_up_rate, strategy.waitlisted) == (1.0, 0.75, 3)
    assert (funding.fill_rate, funding.show_up_rate) == (0.5, 1.0)  # 5/10, 5/5
    assert (lab.fill_rate, lab.show_up_rate) == (None, 0.25)  # no capacity, 2/8
    assert (t.capacity, t.confirmed, t.waitlisted, t.checked_in) == (30, 33, 3, 22)
    # Fill rate only over the modules with a capacity: (20 + 5) / (20 + 10) = 0.8333.
    assert t.fill_rate == pytest.approx(25 / 30)
    # Show-up over all modules: 22 / 33 = 0.6667.
    assert t.show_up_rate == pytest.approx(22 / 33)


def test_training_module_with_zero_capacity_has_no_fill_rate():
    t = event_kpis(host_country="NO", modules=[TrainingModule(1, "Closed", 0, capacity=0)]).training

    assert (t.modules[0].fill_rate, t.modules[0].show_up_rate) == (None, None)
    assert (t.capacity, t.fill_rate, t.show_up_rate) == (0, None, None)


def test_meeting_funnel():
    m = event_kpis(host_country="NO", meetings=MEETINGS).meetings

    # requested: 1-6 = 6; accepted: 1-5 = 5 → 5/6.
    assert (m.requested, m.accepted) == (6, 5)
    assert m.acceptance_rate == pytest.approx(5 / 6)
    # scheduled: 1, 2, 3, 4, 7 = 5, of which 1-4 from accepted requests → 4/5 of the accepted.
    assert (m.scheduled, m.scheduled_from_requests, m.scheduling_rate) == (5, 4, 0.8)
    # held 1, 2, 7; not held 3; no report 4 → held rate 3/5.
    assert (m.held, m.not_held, m.held_unknown, m.held_rate) == (3, 1, 1, 0.6)


def test_meeting_mix_is_over_held_meetings_when_any_were_held():
    m = event_kpis(host_country="NO", meetings=MEETINGS).meetings

    # Held: 1 (cross-sector), 2 (cross-border), 7 (both) → 2/3 and 2/3.
    assert m.mix_basis == "held"
    assert m.mix == m.held_mix
    h = m.held_mix
    assert (h.pairs, h.cross_sector, h.cross_border, h.unknown_country) == (3, 2, 2, 0)
    assert h.cross_sector_share == pytest.approx(2 / 3)
    assert h.cross_border_share == pytest.approx(2 / 3)
    # Scheduled: 1, 3, 4, 7 cross-sector (4/5); 2, 3, 7 cross-border (3/5); 4 has an unknown
    # country and counts as not cross-border.
    s = m.scheduled_mix
    assert (s.pairs, s.cross_sector, s.cross_border, s.unknown_country) == (5, 4, 3, 1)
    assert (s.cross_sector_share, s.cross_border_share) == (0.8, 0.6)


def test_meeting_mix_falls_back_to_scheduled_meetings_before_any_is_held():
    facts = [f for f in MEETINGS if f.held is not True]

    m = event_kpis(host_country="NO", meetings=facts).meetings

    # Scheduled and not held: 3 (sector and border), 4 (sector, unknown country).
    assert m.mix_basis == "scheduled"
    assert m.mix == m.scheduled_mix
    assert (m.mix.pairs, m.mix.cross_sector, m.mix.cross_border) == (2, 2, 1)
    assert (m.mix.cross_sector_share, m.mix.cross_border_share) == (1.0, 0.5)


def test_no_meetings_gives_zeros_and_no_rates():
    m = event_kpis(host_country="NO").meetings

    assert (m.requested, m.accepted, m.scheduled, m.held, m.held_unknown) == (0, 0, 0, 0, 0)
    assert (m.acceptance_rate, m.scheduling_rate, m.held_rate) == (None, None, None)
    assert m.mix_basis == "scheduled"
    assert (m.mix.pairs, m.mix.cross_sector_share, m.mix.cross_border_share) == (0, None, None)


def test_meeting_fact_refuses_impossible_states():
    with pytest.raises(ValueError, match="without a request"):
        MeetingFact(P(), P(), requested=False, accepted=True)
    with pytest.raises(ValueError, match="scheduled"):
        MeetingFact(P(), P(), accepted=True, held=False)


def test_satisfaction_per_kind():
    ratings = [Rating(v, "event") for v in (5, 5, 4, 3, 1)] + [Rating(4, "session")] * 2

    s = event_kpis(host_country="NO", ratings=ratings).satisfaction

    e = s.event
    assert (e.count, e.distribution) == (5, (1, 0, 1, 1, 2))
    # mean = (5 + 5 + 4 + 3 + 1) / 5 = 18 / 5 = 3.6
    assert e.mean == pytest.approx(3.6)
    # satisfied (4 or 5): 3 of 5; net = (3 − 1) / 5 = 0.4
    assert (e.satisfied_share, e.net) == (0.6, 0.4)
    assert (s.session.count, s.session.mean, s.session.satisfied_share, s.session.net) == (
        2, 4.0, 1.0, 1.0,
    )  # fmt: skip
    assert (s.meeting.count, s.meeting.distribution) == (0, (0, 0, 0, 0, 0))
    assert (s.meeting.mean, s.meeting.satisfied_share, s.meeting.net) == (None, None, None)


@pytest.mark.parametrize(("value", "kind"), [(0, "event"), (6, "event"), (3, "talk")])
def test_rating_refuses_values_out_of_range(value, kind):
    with pytest.raises(ValueError, match="rating"):
        Rating(value, kind)


PARTNERSHIPS = [
    PartnershipFact("mou", "signed", (P("company", "NO"), P("hospital", "NO"))),
    PartnershipFact("pilot", "active", (P("company", "SE"), P("hospital", "NO"), P("university"))),
    PartnershipFact(" MoU", "Exploring", (P("company", "NO"), P("company", ""))),
    PartnershipFact("grant", "paused", (P("investor", "UA"),)),
]


def test_partnerships_by_stage_and_type_with_every_key():
    p = event_kpis(host_country="NO", partnerships=PARTNERSHIPS).partnerships

    assert p.total == 4
    assert p.by_type == (
        ("letter_of_interest", 0), ("mou", 2), ("joint_proposal", 0), ("pilot", 1),
        ("investment", 0), ("training", 0), ("other", 1),
    )  # fmt: skip
    assert p.by_stage == (
        ("exploring", 1), ("negotiating", 0), ("signed", 1), ("active", 1), ("completed", 0),
        ("dropped", 0), ("other", 1),
    )  # fmt: skip
    # Cross-sector: 1 (company + hospital), 2 (three types) → 2/4.
    assert (p.cross_sector, p.cross_sector_share) == (2, 0.5)
    # Cross-border: only 2 has two known countries (SE, NO) → 1/4; 3 has NO and unknown.
    assert (p.cross_border, p.cross_border_share) == (1, 0.25)


def test_partnerships_with_the_callers_vocabulary():
    p = event_kpis(
        host_country="NO",
        partnerships=PARTNERSHIPS,
        partnership_types=("MoU", "grant"),
        partnership_stages=("signed", "other", "active"),
    ).partnerships

    assert p.by_type == (("mou", 2), ("grant", 1), ("other", 1))
    assert p.by_stage == (("signed", 1), ("other", 2), ("active", 1))


def test_no_partnerships_gives_every_key_with_zero():
    p = event_kpis(host_country="NO").partnerships

    assert p.total == 0
    assert all(n == 0 for _, n in p.by_stage + p.by_type)
    assert len(p.by_type) == 7
    assert (p.cross_sector_share, p.cross_border_share) == (None, None)
