"""The draft timetable in the back office: propose, see it beside the programme, pin, accept,
and the speakers of moved sessions told once."""

from datetime import datetime

import pytest

from clusterhub.common.models import ActivityLogEntry, OutboxMessage
from clusterhub.directory.models import ClusterRole
from clusterhub.events.models import Session, SessionType, TimetableRun, TimetableRunStatus
from clusterhub.events.services import timetabling
from clusterhub.events.tasks import timetable_run_task
from tests.events.orga_support import orga_url, page_text
from tests.factories import (
    EventFactory,
    MembershipFactory,
    PersonFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SignUpFactory,
    at,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(event):
    """Two rooms, three one-hour talks from 10:00 to 12:00 on day 1, each with its own
    speaker; five people signed up for both A and B, which are at the same time."""
    hall = RoomFactory(event=event, name="Hall", capacity=100)
    side = RoomFactory(event=event, name="Side room", capacity=50)
    sessions = {}
    for title, room, hour in (("A", hall, 10), ("B", side, 10), ("C", hall, 11)):
        s = SessionFactory(
            event=event, title=f"Talk {title}", room=room, start=at(event, hour),
            end=at(event, hour + 1), capacity=20, signup_required=True,
        )  # fmt: skip
        SessionRoleFactory(session=s, person=PersonFactory(first_name=f"Speaker{title}"))
        sessions[title] = s
    for _ in range(5):
        registration = RegistrationFactory(event=event)
        SignUpFactory(registration=registration, session=sessions["A"])
        SignUpFactory(registration=registration, session=sessions["B"])
    return sessions


def _propose(client, event) -> TimetableRun:
    response = client.post(orga_url("timetable_propose", event))
    assert response.status_code == 302
    run = TimetableRun.objects.filter(event=event).first()
    assert run.status == TimetableRunStatus.QUEUED
    assert timetable_run_task.call(run_id=run.pk) == TimetableRunStatus.DONE
    run.refresh_from_db()
    return run


def test_timetable_flow_propose_pin_accept_mails_the_moved_speakers_once(orga, event, programme):
    a, b = programme["A"], programme["B"]
    run = _propose(orga, event)
    assert run.result["clashes_before"] == 5
    assert run.result["clashes"] == 0
    assert run.result["status"] == "optimal"
    page = page_text(orga.get(orga_url("timetable", event)))
    assert "Accept the proposal" in page
    assert "data-confirm" in page
    assert page.count("<strong>yes</strong>") == len(timetabling.timetable_changes(run=run)) >= 1

    # pin A where it is: the next proposal keeps it there and moves B away from it
    response = orga.post(orga_url("timetable_pin", event, a.pk), {"pinned": "1"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.is_pinned
    run = _propose(orga, event)
    placed = run.result["placements"]
    assert placed[str(a.pk)]["room"] == a.room_id
    assert datetime.fromisoformat(placed[str(a.pk)]["start"]) == a.start
    assert datetime.fromisoformat(placed[str(b.pk)]["start"]) != b.start
    assert run.result["clashes"] == 0

    changes = timetabling.timetable_changes(run=run)
    moved_ids = {c.session.pk for c in changes}
    assert a.pk not in moved_ids
    assert b.pk in moved_ids
    speakers = set(
        Session.objects.filter(pk__in=moved_ids).values_list("roles__person__email", flat=True)
    )
    response = orga.post(orga_url("timetable_accept", event), {"run": run.pk})
    assert response.status_code == 302
    for change in changes:
        s = Session.objects.get(pk=change.session.pk)
        assert (s.room_id, s.start, s.end) == (change.room_id, change.start, change.end)
    mails = list(OutboxMessage.objects.filter(event_id=event.pk))
    assert sorted(m.to for m in mails) == sorted(speakers)
    assert all("Programme changed" in m.subject for m in mails)
    b_mail = next(m for m in mails if m.to in set(b.roles.values_list("person__email", flat=True)))
    assert "Talk B" in b_mail.body
    assert ActivityLogEntry.objects.filter(action="events.timetable_run.accept").count() == 1

    # a repeat changes nothing and mails nobody again
    response = orga.post(orga_url("timetable_accept", event), {"run": run.pk}, follow=True)
    assert "already accepted" in page_text(response)
    assert OutboxMessage.objects.filter(event_id=event.pk).count() == len(mails)


def test_timetable_accept_refuses_an_older_run(orga, event, programme):
    first = _propose(orga, event)
    _propose(orga, event)
    response = orga.post(orga_url("timetable_accept", event), {"run": first.pk}, follow=True)
    assert "A newer timetable was proposed" in page_text(response)
    assert OutboxMessage.objects.filter(event_id=event.pk).count() == 0


def test_timetable_accept_is_all_or_nothing(orga, event, programme):
    """A session added after the proposal that takes a place the draft gives away: the
    programme's own check refuses the draft and nothing moves."""
    run = _propose(orga, event)
    before = list(Session.objects.order_by("pk").values_list("pk", "room", "start", "end"))
    change = timetabling.timetable_changes(run=run)[0]
    SessionFactory(event=event, title="Late addition", room_id=change.room_id,
                   start=change.start, end=change.end)  # fmt: skip
    response = orga.post(orga_url("timetable_accept", event), {"run": run.pk}, follow=True)
    assert "The timetable cannot be applied" in page_text(response)
    after = list(
        Session.objects.exclude(title="Late addition")
        .order_by("pk")
        .values_list("pk", "room", "start", "end")
    )
    assert after == before
    assert OutboxMessage.objects.filter(event_id=event.pk).count() == 0


def test_timetable_parts_keep_their_order_and_the_container_follows(orga, event):
    hall = RoomFactory(event=event, name="Hall", capacity=100)
    parent = SessionFactory(event=event, title="Series", type=SessionType.SESSION, room=hall,
                            start=at(event, 9), end=at(event, 12))  # fmt: skip
    first = SessionFactory(event=event, parent=parent, part_order=1, title="Part 1", room=hall,
                           start=at(event, 9), end=at(event, 10))  # fmt: skip
    second = SessionFactory(event=event, parent=parent, part_order=2, title="Part 2", room=hall,
                            start=at(event, 11), end=at(event, 12))  # fmt: skip
    run = _propose(orga, event)
    placed = run.result["placements"]
    assert str(parent.pk) not in placed
    assert placed[str(first.pk)]["end"] <= placed[str(second.pk)]["start"]
    timetabling.timetable_run_accept(run=run, actor=None)
    parent.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert parent.start == first.start
    assert parent.end == second.end


def test_timetable_infeasible_event_shows_the_sentences(orga, event):
    RoomFactory(event=event, name="Hall", capacity=100)
    SessionFactory(event=event, title="Plenary", capacity=300, start=at(event, 10),
                   end=at(event, 11))  # fmt: skip
    run = _propose(orga, event)
    assert run.result["status"] == "infeasible"
    page = page_text(orga.get(orga_url("timetable", event)))
    assert "No timetable satisfies every rule" in page
    assert "No room holds 300 people for “Plenary”" in page
    assert "Accept the proposal" not in page


def test_timetable_propose_needs_rooms_and_runs_one_at_a_time(orga, event):
    response = orga.post(orga_url("timetable_propose", event), follow=True)
    assert "Add the rooms of the event first." in page_text(response)
    RoomFactory(event=event)
    orga.post(orga_url("timetable_propose", event))
    response = orga.post(orga_url("timetable_propose", event), follow=True)
    assert "already being computed" in page_text(response)
    assert TimetableRun.objects.filter(event=event).count() == 1


def test_timetable_progress_polls_while_running_and_refreshes_at_the_end(orga, event):
    RoomFactory(event=event)
    run = timetabling.timetable_run_create(event=event, actor=None)
    response = orga.get(orga_url("timetable_progress", event))
    assert 'hx-trigger="every 1s"' in page_text(response)
    assert "HX-Refresh" not in response
    timetable_run_task.call(run_id=run.pk)
    response = orga.get(orga_url("timetable_progress", event))
    assert response["HX-Refresh"] == "true"


@pytest.mark.parametrize(
    ("name", "method", "args"), [("timetable", "get", ()), ("timetable_propose", "post", ()),
                         ("timetable_accept", "post", ()), ("timetable_pin", "post", ("pk",))],
)  # fmt: skip
def test_timetable_pages_are_for_the_organisers_only(client, event, programme, name, method, args):
    url = orga_url(name, event, *[programme["A"].pk for _ in args])
    call = getattr(client, method)
    assert call(url).status_code == 302  # anonymous: to the login page
    client.force_login(MembershipFactory(cluster=event.cluster, role=ClusterRole.CHECKIN).user)
    assert call(url).status_code == 403
    client.force_login(MembershipFactory(cluster=EventFactory().cluster).user)
    assert call(url).status_code == 404
    assert TimetableRun.objects.count() == 0
    assert not Session.objects.filter(is_pinned=True).exists()
