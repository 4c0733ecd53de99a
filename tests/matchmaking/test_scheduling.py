"""Scheduling runs on the database: accepted requests placed around people's agendas and
availability, fixed meetings kept, proposals from recommendations, "why not" answers, the
quality figure, and the `schedule_meetings` command."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from clusterhub.events.models import SessionType
from clusterhub.matchmaking import services
from clusterhub.matchmaking.models import (
    MatchRun,
    MatchRunStatus,
    Meeting,
    MeetingRequest,
    MeetingRequestStatus,
    MeetingSeat,
    MeetingStatus,
    Recommendation,
    ScheduleRunStatus,
)
from tests.factories import (
    MatchProfileFactory,
    RegistrationFactory,
    SessionFactory,
    SignUpFactory,
    at,
)


@pytest.fixture
def lounge(event):
    """09:00-10:00, 25-minute meetings, 5-minute breaks, one table: slots 09:00 and 09:30."""
    session = SessionFactory(
        event=event, title="Partnering", type=SessionType.NETWORKING,
        start=at(event, 9), end=at(event, 10),
    )  # fmt: skip
    services.networking_setup_update(
        session=session, actor=None, meeting_minutes=25, break_minutes=5, tables=1
    )
    return session


def accepted(a, b) -> MeetingRequest:
    return MeetingRequest.objects.create(
        event=a.event, sender=a, recipient=b, status=MeetingRequestStatus.ACCEPTED,
        answered_at=timezone.now(),
    )  # fmt: skip


def run_schedule(event, **kwargs):
    run = services.schedule_run_create(event=event, actor=None, **kwargs)
    return services.schedule_run_execute(run=run)


def placed(event) -> dict[frozenset, tuple]:
    return {
        frozenset((m.a_id, m.b_id)): (m.start, m.table)
        for m in Meeting.objects.filter(event=event).exclude(status=MeetingStatus.CANCELLED)
    }


def test_schedule_places_requests_around_the_agenda(event, lounge):
    ada, bo, cy = (RegistrationFactory(event=event) for _ in range(3))
    accepted(ada, bo)
    accepted(cy, ada)
    # Bo has a seat in a workshop 09:00-09:20: Ada meets Bo at 09:30, so Cy at 09:00.
    SignUpFactory(
        registration=bo,
        session=SessionFactory(event=event, start=at(event, 9), end=at(event, 9, 20)),
    )

    run = run_schedule(event)

    assert run.status == ScheduleRunStatus.DONE
    assert placed(event) == {
        frozenset((ada.pk, bo.pk)): (at(event, 9, 30), 1),
        frozenset((ada.pk, cy.pk)): (at(event, 9), 1),
    }
    assert MeetingSeat.objects.filter(registration=ada).count() == 2
    assert set(Meeting.objects.values_list("status", flat=True)) == {MeetingStatus.DRAFT}
    f = run.figures
    assert (f["scheduled"], f["upper_bound"], f["ratio"], f["unscheduled"]) == (2, 2, 1.0, 0)
    assert Meeting.objects.filter(request__isnull=False).count() == 2


def test_stated_availability_and_why_not(event, lounge):
    later = SessionFactory(
        event=event, title="Later", type=SessionType.NETWORKING,
        start=at(event, 15), end=at(event, 16),
    )  # fmt: skip
    services.networking_setup_update(
        session=later, actor=None, meeting_minutes=25, break_minutes=5, tables=1
    )
    ada = MatchProfileFactory(registration__event=event).registration
    bo = MatchProfileFactory(registration__event=event).registration
    services.profile_update(registration=ada, actor=None, available_sessions=[lounge.pk])
    services.profile_update(registration=bo, actor=None, available_sessions=[later.pk])
    cy, dan = RegistrationFactory(event=event), RegistrationFactory(event=event)
    accepted(ada, bo)  # never free at the same time
    accepted(cy, dan)

    run = run_schedule(event)

    assert frozenset((ada.pk, bo.pk)) not in placed(event)
    assert placed(event)[frozenset((cy.pk, dan.pk))][0] in {
        at(event, 9),
        at(event, 9, 30),
        at(event, 15),
        at(event, 15, 30),
    }
    assert run.figures["why_not"] == {"no_common_slot": 1}
    (why,) = run.figures["why_not_pairs"]
    assert ({why["a"], why["b"]}, why["code"]) == ({ada.pk, bo.pk}, "no_common_slot")


def test_published_and_locked_meetings_stay_on_a_rerun(event, lounge):
    ada, bo, cy = (RegistrationFactory(event=event) for _ in range(3))
    accepted(ada, bo)
    run_schedule(event)
    services.meetings_publish(event=event, actor=None)
    before = placed(event)
    accepted(ada, cy)  # a late request

    run = run_schedule(event)

    after = placed(event)
    assert after[frozenset((ada.pk, bo.pk))] == before[frozenset((ada.pk, bo.pk))]
    assert frozenset((ada.pk, cy.pk)) in after  # fills the free slot
    assert run.figures["moved"] == 0
    assert Meeting.objects.get(a=ada, b=bo).status == MeetingStatus.PUBLISHED


def test_caps_hold(event, lounge):
    services.matchmaking_settings_update(event=event, actor=None, max_meetings_per_person=1)
    ada, bo, cy = (RegistrationFactory(event=event) for _ in range(3))
    accepted(ada, bo)
    accepted(ada, cy)

    run = run_schedule(event)

    assert len(placed(event)) == 1
    assert run.figures["why_not"] == {"cap_reached": 1}


def test_proposals_come_from_top_recommendations_never_against_a_no_thanks(event, lounge):
    ada, bo, cy = (MatchProfileFactory(registration__event=event).registration for _ in range(3))
    match_run = MatchRun.objects.create(event=event, status=MatchRunStatus.DONE)
    for me, other, score in ((ada, bo, 0.9), (ada, cy, 0.8), (cy, bo, 0.7)):
        Recommendation.objects.create(
            run=match_run, registration=me, other=other, rank=1, score=score, reasons=["why"]
        )
    services.mark_set(from_registration=bo, to_registration=ada, kind="no_thanks", actor=None)

    run = run_schedule(event, propose=1)

    assert run.figures["proposed"] == 2  # ada-cy and cy-bo; ada-bo was declined by a mark
    assert frozenset((ada.pk, bo.pk)) not in placed(event)
    assert Meeting.objects.filter(request__isnull=True).exists()
    assert Meeting.objects.filter(why=["why"]).exists()


def test_schedule_run_needs_a_setup_and_refuses_a_second_while_running(event):
    with pytest.raises(ValidationError) as exc_info:
        services.schedule_run_create(event=event, actor=None)
    assert exc_info.value.code == "no_slots"
    session = SessionFactory(event=event, type=SessionType.NETWORKING)
    services.networking_setup_update(session=session, actor=None, tables=2)
    services.schedule_run_create(event=event, actor=None, exclusive=True)
    with pytest.raises(ValidationError) as exc_info:
        services.schedule_run_create(event=event, actor=None, exclusive=True)
    assert exc_info.value.code == "run_in_progress"


def test_schedule_meetings_command_prints_the_contract(event, lounge):
    ada, bo = RegistrationFactory(event=event), RegistrationFactory(event=event)
    accepted(ada, bo)
    out = StringIO()

    call_command("schedule_meetings", event.slug, "--json", stdout=out)

    data = json.loads(out.getvalue())
    assert set(data) == {"meetings", "scheduled", "upper_bound", "ratio"}
    (m,) = data["meetings"]
    assert {m["a"], m["b"]} == {ada.person.email, bo.person.email}
    assert m["table"] == "Table 1"
    start = timezone.datetime.fromisoformat(m["start"])
    assert start == at(event, 9)
    assert timezone.datetime.fromisoformat(m["end"]) - start == timedelta(minutes=25)
    assert (data["scheduled"], data["upper_bound"], data["ratio"]) == (1, 1, 1.0)
    with pytest.raises(CommandError, match="No event"):
        call_command("schedule_meetings", "nope", "--json", stdout=StringIO())
