"""The draft timetable in the back office: propose, see it beside the programme, pin, accept,
and the speakers of moved sessions told once."""

from datetime import datetime

import pytest

from clusterhub.common.models import ActivityLogEntry, OutboxMessage
from clusterhub.directory.models import ClusterRole
from clusterhub.events.models import (
    Availability,
    Session,
    SessionType,
    TimetableRun,
    TimetableRunStatus,
)
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


# --- the organiser's rules, availability, travel -----------------------------------------


def _add_rule(client, event, **fields):
    data = {f"rule-{k}": v for k, v in fields.items()}
    return client.post(orga_url("timetable_rule_add", event), data)


def _place(run, session) -> tuple[int, datetime, datetime]:
    p = run.result["placements"][str(session.pk)]
    return p["room"], datetime.fromisoformat(p["start"]), datetime.fromisoformat(p["end"])


def test_timetable_rules_from_the_page_hold_in_the_proposal(orga, event, programme):
    a, b, c = programme["A"], programme["B"], programme["C"]
    # the hall is open 09:00-17:00 on both days: the programme days are that long now
    for day in (0, 1):
        Availability.objects.create(
            event=event, room=a.room, start=at(event, 9, day=day), end=at(event, 17, day=day)
        )
    assert (
        _add_rule(orga, event, session=c.pk, kind="after", other=a.pk, gap_minutes=60).status_code
        == 302
    )
    assert _add_rule(orga, event, session=b.pk, kind="same_day", other=c.pk).status_code == 302
    response = _add_rule(
        orga, event, session=a.pk, kind="window", day=event.days[1].isoformat(),
        start_time="13:00", end_time="15:00",
    )  # fmt: skip
    assert response.status_code == 302
    page = page_text(orga.get(orga_url("timetable", event)))
    assert "“Talk C” starts at least 60 minutes after “Talk A” ends." in page
    assert "“Talk B” is on the same day as “Talk C”." in page
    assert "“Talk A” is held between" in page

    run = _propose(orga, event)
    assert run.result["status"] in ("optimal", "feasible")
    _ra, a_start, a_end = _place(run, a)
    _rb, b_start, _be = _place(run, b)
    _rc, c_start, _ce = _place(run, c)
    assert at(event, 13, day=1) <= a_start
    assert a_end <= at(event, 15, day=1)
    assert (c_start - a_end).total_seconds() >= 3600
    assert b_start.astimezone(event.tzinfo).date() == c_start.astimezone(event.tzinfo).date()


def test_timetable_not_parallel_rule_and_its_removal(orga, event, programme):
    a, b = programme["A"], programme["B"]
    timetabling.session_pin_set(session=a, pinned=True, actor=None)
    timetabling.session_pin_set(session=b, pinned=True, actor=None)
    # both pinned at 10:00: a rule that they must not overlap cannot hold
    assert _add_rule(orga, event, session=a.pk, kind="not_parallel", other=b.pk).status_code == 302
    rule = event.timetable_rules.get()
    data = timetabling.timetable_input_build(event=event)
    assert any(
        type(c).__name__ == "NotParallel" and {c.a, c.b} == {a.pk, b.pk} for c in data.constraints
    )
    response = orga.post(orga_url("timetable_rule_delete", event, rule.pk))
    assert response.status_code == 302
    assert not event.timetable_rules.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "after"}, "Choose the other session."),
        ({"kind": "same_day", "other": "A"}, "Choose two different sessions."),
        ({"kind": "window"}, "A time window needs a day, a start and an end."),
        ({"kind": "window", "day": "D0", "start_time": "10:00", "end_time": "10:30"},
         "The window is shorter than the session (60 minutes)."),
        ({"kind": "window", "day": "D0", "start_time": "12:00", "end_time": "11:00"},
         "The window must end after it starts."),
    ],
)  # fmt: skip
def test_timetable_rule_form_refuses_with_a_message_and_writes_nothing(
    orga, event, programme, fields, message
):
    values = dict(fields)
    if values.get("other") == "A":
        values["other"] = programme["A"].pk
    if values.get("day") == "D0":
        values["day"] = event.days[0].isoformat()
    response = _add_rule(orga, event, session=programme["A"].pk, **values)
    assert response.status_code == 400
    assert message in page_text(response)
    assert not event.timetable_rules.exists()


def test_timetable_rule_refuses_a_duplicate_either_way_round(orga, event, programme):
    a, b = programme["A"], programme["B"]
    assert _add_rule(orga, event, session=a.pk, kind="same_day", other=b.pk).status_code == 302
    response = _add_rule(orga, event, session=b.pk, kind="same_day", other=a.pk)
    assert response.status_code == 400
    assert "This rule exists already." in page_text(response)
    assert event.timetable_rules.count() == 1


def test_timetable_rule_refuses_another_events_session(orga, event, programme):
    foreign = SessionFactory(event=EventFactory())
    response = _add_rule(orga, event, session=foreign.pk, kind="same_day", other=programme["A"].pk)
    assert response.status_code == 400
    assert not event.timetable_rules.exists()


def test_timetable_availability_from_the_page_holds_in_the_proposal(orga, event, programme):
    a = programme["A"]
    speaker = a.roles.get().person
    response = orga.post(
        orga_url("timetable_availability_add", event),
        {"available-who": f"person:{speaker.pk}", "available-day": event.days[1].isoformat(),
         "available-start_time": "10:00", "available-end_time": "11:00"},
    )  # fmt: skip
    assert response.status_code == 302
    hall = a.room
    response = orga.post(
        orga_url("timetable_availability_add", event),
        {"available-who": f"room:{hall.pk}", "available-day": event.days[0].isoformat(),
         "available-start_time": "09:00", "available-end_time": "12:00"},
    )  # fmt: skip
    assert response.status_code == 302
    page = page_text(orga.get(orga_url("timetable", event)))
    assert f"{speaker.full_name}:" in page
    data = timetabling.timetable_input_build(event=event)
    speakers = {s.id: s for s in data.speakers}
    assert speakers[speaker.pk].available is not None
    run = _propose(orga, event)
    room, start, end = _place(run, a)
    assert (start, end) == (at(event, 10, day=1), at(event, 11, day=1))
    assert room != hall.pk  # the hall is open on the first day only
    for session in programme.values():
        room, start, end = _place(run, session)
        if room == hall.pk:
            assert at(event, 9) <= start
            assert end <= at(event, 12)


def test_timetable_availability_refuses_bad_input(orga, event, programme):
    outsider = PersonFactory()
    cases = [
        ({"available-who": f"person:{outsider.pk}"}, "Select a valid choice."),
        ({"available-who": f"room:{programme['A'].room_id}", "available-start_time": "12:00",
          "available-end_time": "11:00"}, "The time must end after it starts."),
    ]  # fmt: skip
    for fields, message in cases:
        data = {
            "available-day": event.days[0].isoformat(), "available-start_time": "09:00",
            "available-end_time": "10:00", **fields,
        }  # fmt: skip
        response = orga.post(orga_url("timetable_availability_add", event), data)
        assert response.status_code == 400
        assert message in page_text(response)
    assert not event.availabilities.exists()


def test_timetable_keeps_travel_time_around_an_offsite_session(orga, event):
    hall = RoomFactory(event=event, name="Hall", capacity=100)
    lab = RoomFactory(
        event=event, name="Lab", capacity=30, is_offsite=True, address="Ullernchausseen 64",
        travel_minutes=45,
    )  # fmt: skip
    speaker = PersonFactory(first_name="Traveller")
    visit = SessionFactory(event=event, title="Site visit", room=lab, start=at(event, 13),
                           end=at(event, 14))  # fmt: skip
    talk = SessionFactory(event=event, title="Talk", room=hall, start=at(event, 14),
                          end=at(event, 15))  # fmt: skip
    for s in (visit, talk):
        SessionRoleFactory(session=s, person=speaker)
    timetabling.session_pin_set(session=visit, pinned=True, actor=None)
    data = timetabling.timetable_input_build(event=event)
    assert {r.id: r.travel_minutes for r in data.rooms} == {hall.pk: 0, lab.pk: 45}
    run = _propose(orga, event)
    _room, start, end = _place(run, talk)
    # the speaker is back from the lab 45 minutes after the visit ends, or leaves 45 before
    assert start >= at(event, 14, 45) or end <= at(event, 12, 15)


def test_room_travel_time_is_set_on_the_room_form_and_only_off_site(orga, event):
    room = RoomFactory(event=event, name="Hall")
    response = orga.post(
        orga_url("room_edit", event, room.pk),
        {"name": "Hall", "position": "0", "travel_minutes": "30"},
    )
    assert response.status_code == 200
    assert "Only an off-site location has a travel time." in page_text(response)
    response = orga.post(
        orga_url("room_edit", event, room.pk),
        {"name": "Hall", "position": "0", "travel_minutes": "30", "is_offsite": "on",
         "address": "Oslo"},
    )  # fmt: skip
    assert response.status_code == 302
    room.refresh_from_db()
    assert room.travel_minutes == 30
    assert "30 minutes to get there" in page_text(orga.get(orga_url("rooms", event)))


# --- the grid, and explanations in the reader's language ---------------------------------


def test_timetable_grid_shows_now_and_proposed_side_by_side_with_moves_marked(
    orga, event, programme
):
    page = page_text(orga.get(orga_url("timetable", event)))
    assert page.count('class="tt-grid"') == 1  # no draft yet: only the programme now
    run = _propose(orga, event)
    moved = timetabling.timetable_changes(run=run)
    assert moved
    response = orga.get(orga_url("timetable", event))
    page = page_text(response)
    grids = [g for g in response.context["grid"] if g.now]
    assert page.count('class="tt-grid"') == 2 * len(grids)
    assert page.count("tt-block tt-changed") == len(moved)
    day = response.context["grid"][0]
    assert day.rooms == ["Hall", "Side room"]
    # "now" on day 1: A at 10:00 in Hall is in column 2 from row 2 (the day starts at 10:00)
    a_now = next(b for b in day.now if b.session.pk == programme["A"].pk)
    assert (a_now.column, a_now.row_start, a_now.row_end) == (2, 2, 6)


def test_timetable_conflicts_are_shown_in_the_readers_language(client, event):
    RoomFactory(event=event, name="Hall", capacity=100)
    SessionFactory(event=event, title="Plenary", capacity=300, start=at(event, 10),
                   end=at(event, 11))  # fmt: skip
    organiser = MembershipFactory(cluster=event.cluster, role=ClusterRole.ORGANISER).user
    client.force_login(organiser)
    run = _propose(client, event)
    assert run.result["conflict_items"][0]["code"] == "too_small"
    english = page_text(client.get(orga_url("timetable", event)))
    assert "No room holds 300 people for “Plenary”: the largest room, Hall, holds 100." in english
    norsk = page_text(client.get(orga_url("timetable", event), HTTP_ACCEPT_LANGUAGE="nb"))
    assert "No room holds 300 people" not in norsk
    assert "“Plenary”" in norsk
    assert "300" in norsk


def test_timetable_keeps_site_visits_at_their_site_and_talks_at_the_venue(orga, event):
    hall = RoomFactory(event=event, name="Hall", capacity=100)
    lab = RoomFactory(event=event, name="Lab", capacity=100, is_offsite=True, address="Oslo")
    visit = SessionFactory(event=event, title="Site visit", room=lab, start=at(event, 10),
                           end=at(event, 11))  # fmt: skip
    talk = SessionFactory(event=event, title="Talk", room=hall, start=at(event, 10),
                          end=at(event, 11))  # fmt: skip
    data = timetabling.timetable_input_build(event=event)
    rooms = {s.id: s.rooms for s in data.sessions}
    assert rooms[visit.pk] == frozenset({lab.pk})
    assert rooms[talk.pk] == frozenset({hall.pk})
    # the visit must move to the afternoon: it stays at the lab
    _add_rule(orga, event, session=visit.pk, kind="window", day=event.days[1].isoformat(),
              start_time="10:00", end_time="11:00")  # fmt: skip
    run = _propose(orga, event)
    assert _place(run, visit) == (lab.pk, at(event, 10, day=1), at(event, 11, day=1))
    assert _place(run, talk) == (hall.pk, talk.start, talk.end)  # nothing to gain: stays


def test_timetable_proposal_moves_nothing_when_nothing_is_gained(orga, event, programme):
    for registration_signups in event.registrations.all():
        registration_signups.signups.all().delete()
    run = _propose(orga, event)
    assert run.result["clashes_before"] == 0
    assert timetabling.timetable_changes(run=run) == []
