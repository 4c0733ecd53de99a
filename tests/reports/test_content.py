"""The report's figures are the database's: each is checked against a query of its own."""

from clusterhub.directory.models import OrganisationType
from clusterhub.events.models import Person, Session, SessionType
from clusterhub.followup.kpis import event_kpis_for
from clusterhub.followup.models import MeetingFeedback, Partnership
from clusterhub.matchmaking.models import Meeting
from clusterhub.registration.models import Registration, RegistrationStatus
from clusterhub.reports import services
from clusterhub.reports.content import report_content
from tests.reports.support import meetings_with_feedback, participants


def _indicators(content) -> dict:
    return {row.key: row.value for row in content.indicators}


def test_report_figures_equal_the_database(world):
    event = world.event
    content = report_content(event=event)
    came = Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=False
    )
    held = Meeting.objects.filter(
        event=event, status="published", feedback__attendance="held"
    ).distinct()
    speakers = Person.objects.filter(session_roles__session__event=event).distinct()
    figures = _indicators(content)
    assert content.people_basis == "attended"
    assert figures["participants"] == content.people.total == came.count() == 5
    assert figures["registrations"] == Registration.objects.filter(event=event).count() == 6
    assert figures["organisations"] == came.values("person__organisation").distinct().count()
    assert (
        figures["smes"]
        == came.filter(person__organisation__type=OrganisationType.COMPANY)
        .values("person__organisation")
        .distinct()
        .count()
        == 1
    )
    assert figures["countries"] == came.values("person__country").distinct().count() == 3
    assert (
        figures["meetings_scheduled"]
        == Meeting.objects.filter(event=event, status="published").count()
        == 3
    )
    assert figures["meetings_held"] == held.count() == 2
    assert figures["partnerships"] == Partnership.objects.filter(event=event).count() == 1
    assert figures["partnerships_agreed"] == 1
    assert figures["speakers"] == len(content.speakers) == speakers.count() == 5
    assert (
        figures["sessions"]
        == content.sessions
        == Session.objects.filter(event=event).exclude(type=SessionType.BREAK).count()
        == 5
    )  # with the networking session
    assert figures["satisfaction_answers"] == 3
    assert figures["satisfaction_mean"] == (5 + 4 + 2) / 3


def test_report_figures_agree_with_the_kpi_dashboard(world):
    content = report_content(event=world.event)
    kpis = event_kpis_for(world.event)
    figures = _indicators(content)
    assert content.kpis == kpis
    assert figures["cross_sector"] == kpis.meetings.mix.cross_sector_share
    assert figures["international"] == kpis.attended.international_share == 2 / 5
    assert figures["diversity"] == kpis.attended.type_diversity.simpson
    assert content.who_met_whom.pairs == kpis.meetings.mix.pairs == kpis.meetings.held


def test_who_met_whom_counts_the_pairs_held_by_stakeholder_type(world):
    picture = report_content(event=world.event).who_met_whom
    assert picture.basis == "held"
    assert picture.short_types == ["Company", "Hospital", "Research institute", "School"]
    # Lower triangle: company-hospital and research-school met; the no-show and the draft
    # meeting do not count.
    assert picture.matrix == [[0], [1, 0], [0, 0, 0], [0, 0, 1, 0]]
    assert (picture.pairs, picture.within_type) == (2, 0)


def test_meeting_outcome_is_the_furthest_step_either_side_reported(world):
    outcomes = {key: n for key, _label, n in report_content(event=world.event).outcomes}
    # Company said follow-up, hospital a partnership idea: the idea counts. Research and
    # school: school said nothing further.
    assert outcomes == {"partnership_idea": 1, "follow_up": 0, "nothing": 1, "unknown": 0}
    assert _indicators(report_content(event=world.event))["follow_ups"] == 1


def test_participants_are_the_registrations_when_nobody_was_checked_in(event):
    participants(event)
    Registration.objects.filter(event=event).update(checked_in_at=None)
    content = report_content(event=event)
    figures = _indicators(content)
    assert content.people_basis == "registered"
    assert figures["participants"] == content.people.total == 6
    assert "attendance_rate" not in figures


def test_before_any_meeting_is_reported_held_who_met_whom_shows_the_scheduled(event):
    people = participants(event)
    meetings_with_feedback(event, people)
    MeetingFeedback.objects.all().delete()
    picture = report_content(event=event).who_met_whom
    assert (picture.basis, picture.pairs) == ("scheduled", 3)


def test_report_content_uses_the_organisers_words(world, organiser):
    event = world.event
    services.report_update(
        event=event, actor=organiser, title="", introduction="First.\n\nSecond.",
        closing="The end.",
    )  # fmt: skip
    services.session_highlight_set(
        event=event, session=world.part_two, key_messages="Partnerships are essential.\nUnite.",
        actor=organiser,
    )  # fmt: skip
    content = report_content(event=event)
    assert content.title == "Highlights from Oslo Deep Dive Days 2025"
    assert (content.introduction, content.closing) == (["First.", "Second."], ["The end."])
    [(day, entries)] = content.programme
    assert [e.session.title for e in entries] == [
        "Partnering",
        "Welcome to the Deep Dive",
        "Joint Health Initiatives",
    ]  # the coffee break is left out
    assert entries[2].parts[1].messages == ["Partnerships are essential.", "Unite."]
    assert day == event.start_date
