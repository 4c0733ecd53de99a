"""Matchmaking through the real task worker (`db_worker`) and the real matcher: the organiser's
button queues a run that the worker computes; a meeting request's email leaves through the
outbox task. These tests commit for real (`transaction=True`)."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from clusterhub.directory.models import OrganisationType
from clusterhub.events.models import SessionType
from clusterhub.matchmaking import services
from clusterhub.matchmaking.models import (
    MatchRun,
    MatchRunStatus,
    Meeting,
    MeetingRequest,
    Recommendation,
    ScheduleRun,
)
from tests.factories import (
    EventFactory,
    MatchProfileFactory,
    MembershipFactory,
    SessionFactory,
    at,
)
from tests.registration.test_outbox import run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def profile(event, org_type, country, offers, needs):
    return MatchProfileFactory(
        registration__event=event,
        registration__person__organisation__type=org_type,
        registration__person__organisation__country=country,
        registration__person__country=country,
        offers=offers,
        needs=needs,
        interests=[],
    ).registration


def test_the_organisers_run_is_computed_by_the_worker_with_reasons(client):
    event = EventFactory()
    hospital = profile(
        event, OrganisationType.HOSPITAL, "NO",
        ["hospital test bed for digital pathology"], ["AI tools for pathology"],
    )  # fmt: skip
    company = profile(
        event, OrganisationType.COMPANY, "UA",
        ["AI software for digital pathology"], ["clinical validation site in a hospital"],
    )  # fmt: skip
    school = profile(event, OrganisationType.SCHOOL, "SE", ["pupils"], ["industry visits"])
    organiser = MembershipFactory(cluster=event.cluster).user
    client.force_login(organiser)

    response = client.post(
        reverse("orga_matchmaking:run_start", args=[event.slug]), {"k": 5}, follow=True
    )

    run = MatchRun.objects.get()
    assert run.status == MatchRunStatus.QUEUED
    assert b"run-progress" in response.content  # the live progress bar while it waits
    task = DBTaskResult.objects.get(task_path="clusterhub.matchmaking.tasks.match_run_task")
    assert task.args_kwargs["kwargs"] == {"run_id": run.pk}

    run_worker()

    run.refresh_from_db()
    assert (run.status, run.progress) == (MatchRunStatus.DONE, 100)
    assert run.figures["profiles"] == 3
    best = Recommendation.objects.filter(run=run, registration=hospital).order_by("rank").first()
    assert best.other_id == company.pk
    assert any("↔" in reason for reason in best.reasons)
    assert not Recommendation.objects.filter(run=run, other=school, rank=1).exists()
    progress = client.get(reverse("orga_matchmaking:run_progress", args=[event.slug, run.pk]))
    assert progress["HX-Refresh"] == "true"


def test_a_meeting_request_is_mailed_by_the_worker(mailoutbox):
    event = EventFactory(name="Oslo Deep Dive Days 2025")
    a = profile(event, OrganisationType.COMPANY, "NO", ["x"], ["y"])
    b = profile(event, OrganisationType.HOSPITAL, "UA", ["y"], ["x"])

    services.meeting_request_send(sender=a, recipient=b, message="Coffee at ten?", actor=None)
    assert mailoutbox == []

    run_worker()

    (mail,) = mailoutbox
    assert mail.to == [b.person.email]
    assert "Coffee at ten?" in mail.body
    assert "Oslo Deep Dive Days 2025" in mail.subject


def test_the_organisers_scheduling_run_is_computed_by_the_worker(client):
    event = EventFactory()
    lounge = SessionFactory(
        event=event, type=SessionType.NETWORKING, start=at(event, 9), end=at(event, 10)
    )
    services.networking_setup_update(
        session=lounge, actor=None, meeting_minutes=25, break_minutes=5, tables=1
    )
    a = profile(event, OrganisationType.COMPANY, "NO", ["x"], ["y"])
    b = profile(event, OrganisationType.HOSPITAL, "UA", ["y"], ["x"])
    MeetingRequest.objects.create(event=event, sender=a, recipient=b, status="accepted")
    client.force_login(MembershipFactory(cluster=event.cluster).user)

    client.post(reverse("orga_matchmaking:schedule_start", args=[event.slug]), {"propose": 0})
    run_worker()

    run = ScheduleRun.objects.get()
    assert (run.status, run.figures["scheduled"], run.figures["ratio"]) == ("done", 1, 1.0)
    (meeting,) = Meeting.objects.all()
    assert {meeting.a_id, meeting.b_id} == {a.pk, b.pk}
    assert meeting.start == at(event, 9)
