"""The organiser's meeting pages (/orga/events/<slug>/matchmaking/meetings/): set-up, a
scheduling run in the background with its quality figure, the grid with conflicts, moving,
locking, cancelling, publishing and the printable plans.

Owners and organisers only: anonymous → login, outside the team → 404, check-in staff → 403,
and nothing is written unless allowed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from clusterhub.common.models import OutboxMessage
from clusterhub.directory.models import ClusterRole
from clusterhub.events.models import SessionType
from clusterhub.matchmaking import printing, services
from clusterhub.matchmaking.models import (
    Meeting,
    MeetingRequest,
    MeetingStatus,
    NetworkingSetup,
    ScheduleRun,
    ScheduleRunStatus,
)
from clusterhub.matchmaking.tasks import schedule_run_task
from tests.factories import (
    MembershipFactory,
    RegistrationFactory,
    SessionFactory,
    SignUpFactory,
    at,
)
from tests.matchmaking.view_support import flashed, page_text

pytestmark = pytest.mark.django_db

MEETING_NAMES = [
    "meetings", "networking_setup", "schedule_start", "schedule_progress", "meetings_publish",
    "table_plan_pdf", "schedules_pdf", "meeting", "meeting_lock", "meeting_cancel",
]  # fmt: skip


@pytest.fixture
def lounge(event):
    session = SessionFactory(
        event=event, title="Partnering", type=SessionType.NETWORKING,
        start=at(event, 9), end=at(event, 10),
    )  # fmt: skip
    services.networking_setup_update(
        session=session, actor=None, meeting_minutes=25, break_minutes=5, tables=2
    )
    return session


@pytest.fixture
def draft(event, lounge):
    made = Meeting.objects.create(
        event=event, session=lounge, start=at(event, 9), end=at(event, 9, 25), table=1,
        a=RegistrationFactory(event=event), b=RegistrationFactory(event=event),
    )  # fmt: skip
    services.meeting_seats_set(made)
    return made


def url(name, event, lounge, draft, run=None) -> str:
    args = {
        "networking_setup": [lounge.pk],
        "schedule_progress": [run.pk if run else 1],
        "meeting": [draft.pk],
        "meeting_lock": [draft.pk],
        "meeting_cancel": [draft.pk],
    }.get(name, [])
    return reverse(f"orga_matchmaking:{name}", args=[event.slug, *args])


def state() -> tuple:
    return (
        list(
            Meeting.objects.order_by("pk").values_list("pk", "status", "start", "table", "locked")
        ),
        ScheduleRun.objects.count(),
        DBTaskResult.objects.count(),
        OutboxMessage.objects.count(),
        list(NetworkingSetup.objects.values_list("meeting_minutes", "tables")),
    )


@pytest.mark.parametrize("name", MEETING_NAMES)
def test_outsiders_and_checkin_staff_change_nothing(client, event, lounge, draft, name):
    run = ScheduleRun.objects.create(event=event)
    before = state()
    target = url(name, event, lounge, draft, run)
    data = {"meeting_minutes": 10, "tables": 9, "break_minutes": 0, "locked": "1"}

    assert client.post(target, data)["Location"].startswith("/accounts/login/")
    client.force_login(MembershipFactory(role=ClusterRole.OWNER).user)
    assert client.post(target, data).status_code == 404
    assert client.get(target).status_code == 404
    client.force_login(MembershipFactory(cluster=event.cluster, role=ClusterRole.CHECKIN).user)
    assert client.post(target, data).status_code == 403
    assert client.get(target).status_code in (403, 405)
    assert state() == before


def test_setup_form_saves_and_refuses_a_meeting_longer_than_the_session(
    client, event, lounge, organiser
):
    client.force_login(organiser)
    target = reverse("orga_matchmaking:networking_setup", args=[event.slug, lounge.pk])

    refused = client.post(target, {"meeting_minutes": 90, "break_minutes": 5, "tables": 4})
    saved = client.post(target, {"meeting_minutes": 15, "break_minutes": 0, "tables": 4})

    assert refused.status_code == 400
    assert "does not fit in this session" in page_text(refused)
    assert saved.status_code == 302
    lounge.networking_setup.refresh_from_db()
    assert (lounge.networking_setup.meeting_minutes, lounge.networking_setup.tables) == (15, 4)


def test_schedule_start_queues_the_task_and_the_page_shows_the_figure(
    client, event, lounge, organiser
):
    a, b = RegistrationFactory(event=event), RegistrationFactory(event=event)
    services.matchmaking_settings_update(event=event, actor=None, request_limit=5)
    MeetingRequest.objects.create(event=event, sender=a, recipient=b, status="accepted")
    client.force_login(organiser)

    response = client.post(
        reverse("orga_matchmaking:schedule_start", args=[event.slug]), {"propose": 0},
        follow=True,
    )  # fmt: skip

    run = ScheduleRun.objects.get()
    assert run.status == ScheduleRunStatus.QUEUED
    assert b"run-progress" in response.content
    task = DBTaskResult.objects.get(task_path="clusterhub.matchmaking.tasks.schedule_run_task")
    assert task.args_kwargs["kwargs"] == {"run_id": run.pk}
    second = client.post(
        reverse("orga_matchmaking:schedule_start", args=[event.slug]), {"propose": 0}
    )
    assert flashed(second) == ["Scheduling is already running for this event."]

    schedule_run_task.call(run_id=run.pk)

    text = page_text(client.get(reverse("orga_matchmaking:meetings", args=[event.slug])))
    assert "1 meetings scheduled of at most 1 possible" in text
    assert f"{a.person.full_name} & {b.person.full_name}" in text
    progress = client.get(reverse("orga_matchmaking:schedule_progress", args=[event.slug, run.pk]))
    assert progress["HX-Refresh"] == "true"
    assert '<progress value="100" max="100"' in page_text(progress)
    assert "Done: 1 meetings scheduled of at most 1 possible." in page_text(progress)
    meetings_url = reverse("orga_matchmaking:meetings", args=[event.slug])
    assert f'href="{meetings_url}"' in page_text(progress)


def test_move_lock_cancel_and_publish(client, event, lounge, draft, organiser):
    client.force_login(organiser)
    detail = reverse("orga_matchmaking:meeting", args=[event.slug, draft.pk])
    key = f"{lounge.pk}@{int(at(event, 9, 30).timestamp())}"

    taken_key = f"{lounge.pk}@{int(at(event, 9).timestamp())}"
    other = Meeting.objects.create(
        event=event, session=lounge, start=at(event, 9), end=at(event, 9, 25), table=2,
        a=RegistrationFactory(event=event), b=RegistrationFactory(event=event),
    )  # fmt: skip
    services.meeting_seats_set(other)
    refused = client.post(detail, {"slot": taken_key, "table": 2})
    assert refused.status_code == 400
    assert "already taken" in page_text(refused)

    assert client.post(detail, {"slot": key, "table": 2}).status_code == 302
    draft.refresh_from_db()
    assert (draft.start, draft.table, draft.locked) == (at(event, 9, 30), 2, True)

    client.post(
        reverse("orga_matchmaking:meeting_lock", args=[event.slug, draft.pk]), {"locked": "0"}
    )
    draft.refresh_from_db()
    assert draft.locked is False

    client.post(reverse("orga_matchmaking:meeting_cancel", args=[event.slug, other.pk]))
    client.post(reverse("orga_matchmaking:meetings_publish", args=[event.slug]))

    assert Meeting.objects.get(pk=other.pk).status == MeetingStatus.CANCELLED
    assert Meeting.objects.get(pk=draft.pk).status == MeetingStatus.PUBLISHED
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == sorted(
        [draft.a.person.email, draft.b.person.email]
    )


def test_grid_marks_a_conflict(client, event, lounge, draft, organiser):
    workshop = SessionFactory(event=event, start=at(event, 9), end=at(event, 9, 15))
    SignUpFactory(registration=draft.a, session=workshop)
    client.force_login(organiser)

    text = page_text(client.get(reverse("orga_matchmaking:meetings", args=[event.slug])))

    assert "meeting-conflict" in text
    assert "is in a session of their own at that time" in text


def test_grid_query_count_does_not_grow_with_meetings(
    client, event, lounge, organiser, django_assert_max_num_queries
):
    client.force_login(organiser)
    target = reverse("orga_matchmaking:meetings", args=[event.slug])

    def add(n):
        for i in range(n):
            made = Meeting.objects.create(
                event=event, session=lounge, start=at(event, 9, 30 * (i // 2)),
                end=at(event, 9, 30 * (i // 2) + 25), table=1 + i % 2,
                a=RegistrationFactory(event=event), b=RegistrationFactory(event=event),
            )  # fmt: skip
            services.meeting_seats_set(made)

    add(1)
    with CaptureQueriesContext(connection) as small:
        client.get(target)
    Meeting.objects.all().delete()
    add(4)
    with django_assert_max_num_queries(len(small)):
        client.get(target)


def test_printable_plans_are_pdfs_with_the_people(client, event, lounge, draft, organiser):
    client.force_login(organiser)
    for name in ("table_plan_pdf", "schedules_pdf"):
        response = client.get(reverse(f"orga_matchmaking:{name}", args=[event.slug]))
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    html = printing.table_plan_html(event)
    assert draft.a.person.full_name in html
    assert draft.b.person.full_name in html
    pages = printing.schedules_html(event)
    assert pages.count('class="page"') == 2  # one page per person


def test_printing_without_weasyprint_says_why(client, event, organiser, monkeypatch):
    def unavailable(html):
        raise printing.PdfUnavailable("no Pango")

    monkeypatch.setattr(printing, "pdf", unavailable)
    client.force_login(organiser)

    response = client.get(reverse("orga_matchmaking:table_plan_pdf", args=[event.slug]))

    assert response.status_code == 503
    assert "WeasyPrint" in page_text(response)
