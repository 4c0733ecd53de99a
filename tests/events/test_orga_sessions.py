"""The programme in the back office through its pages: sessions and their parts. The people
in them are tested in test_orga_people.py."""

import pytest

from clusterhub.events.models import Session, Theme
from tests.events.orga_support import (
    db_state,
    page_text,
    query_count,
    session_data,
)
from tests.events.orga_support import (
    orga_url as url,
)
from tests.factories import (
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    at,
)

# --- sessions ------------------------------------------------------------------------------


def test_session_create_converts_local_times_and_sets_themes(orga, event, room):
    response = orga.post(
        url("session_create", event),
        session_data(
            title="Welcome",
            type="plenary",
            start_time="09:00",
            end_time="09:30",
            room=room.pk,
            capacity="150",
            themes="Crisis preparedness, Oncology, ",
        ),
        follow=True,
    )

    session = Session.objects.get(event=event)
    assert (session.title, session.type, session.room) == ("Welcome", "plenary", room)
    assert (session.start, session.end) == (at(event, 9), at(event, 9, 30))
    assert sorted(session.themes.values_list("name", flat=True)) == [
        "Crisis preparedness",
        "Oncology",
    ]
    assert response.redirect_chain[-1][0] == url("session_edit", event, session.pk) + "#people"
    assert "Session saved." in page_text(response)


def test_session_create_with_parent_adds_a_numbered_part(orga, event, room, joint):
    form_page = page_text(orga.get(url("session_create", event) + f"?parent={joint.pk}"))
    assert "New part of “Joint Health Initiatives”" in form_page
    assert f'<option value="{joint.pk}" selected>' in form_page

    orga.post(
        url("session_create", event) + f"?parent={joint.pk}",
        session_data(
            title="Panel",
            type="panel",
            parent=joint.pk,
            start_time="14:00",
            end_time="15:00",
            room=room.pk,
        ),
    )

    panel = Session.objects.get(title="Panel")
    assert (panel.parent, panel.part_order) == (joint, 2)


def test_session_create_parent_of_another_event_answers_404(orga, event):
    foreign = SessionFactory(title="Foreign Board Meeting")
    before = db_state()

    get = orga.get(url("session_create", event) + f"?parent={foreign.pk}")
    post = orga.post(
        url("session_create", event) + f"?parent={foreign.pk}",
        session_data(title="Sneaked in", parent=foreign.pk),
    )
    junk = orga.get(url("session_create", event) + "?parent=x")

    assert (get.status_code, post.status_code, junk.status_code) == (404, 404, 404)
    for response in (get, post):
        assert "Foreign Board Meeting" not in page_text(response)
    assert db_state() == before


def test_session_create_with_an_empty_parent_makes_a_session_of_its_own(orga, event):
    form_page = orga.get(url("session_create", event) + "?parent=")

    response = orga.post(url("session_create", event) + "?parent=", session_data(title="Solo"))

    assert form_page.status_code == 200
    assert "— none: a session of its own —" in page_text(form_page)
    assert response.status_code == 302
    session = Session.objects.get(event=event, title="Solo")
    assert (session.parent, session.part_order) == (None, None)


def test_session_edit_saves_and_returns_to_the_programme(orga, event, room):
    session = SessionFactory(event=event, title="Old", start=at(event, 10), end=at(event, 11))

    response = orga.post(
        url("session_edit", event, session.pk),
        session_data(
            title="New",
            day="2025-12-04",
            start_time="14:00",
            end_time="00:00",
            room=room.pk,
            capacity="20",
            signup_required="on",
        ),
    )

    assert response["Location"] == url("sessions", event) + f"#session-{session.pk}"
    session.refresh_from_db()
    assert (session.title, session.room, session.capacity, session.signup_required) == (
        "New",
        room,
        20,
        True,
    )
    assert (session.start, session.end) == (at(event, 14, day=1), at(event, 0, day=2))


REFUSALS = [
    ({"start_time": "11:00", "end_time": "10:00"}, "The session must end after it starts."),
    ({"day": "2025-12-05"}, "Choose one of the event's days (3 December 2025 to 4 December 2025)."),
    (
        {"start_time": "10:30", "end_time": "11:30", "room": "ROOM"},
        "Auditorium is already taken by “First” (",
    ),
    (
        {"room": "ROOM", "capacity": "250"},
        "Auditorium holds 200 people; the session cannot offer 250 seats.",
    ),
    ({"signup_required": "on"}, "A session that needs sign-up needs a number of seats."),
    (
        {"parent": "JOINT", "start_time": "14:30", "end_time": "15:30"},
        "A part must take place within “Joint Health Initiatives” (",
    ),
    (
        {"parent": "PART"},
        "Choose a session of this event that is not itself a part: parts cannot have parts.",
    ),
    ({"room": "FOREIGN_ROOM"}, "Choose one of this event's rooms."),
    (
        {"parent": "FOREIGN_SESSION"},
        "Choose a session of this event that is not itself a part: parts cannot have parts.",
    ),
]


@pytest.mark.parametrize(("overrides", "message"), REFUSALS)
def test_session_create_refusal_shows_message_and_writes_nothing(
    orga, event, room, joint, overrides, message
):
    SessionFactory(event=event, room=room, title="First", start=at(event, 10), end=at(event, 11))
    ids = {
        "ROOM": room.pk,
        "JOINT": joint.pk,
        "PART": joint.parts.get().pk,
        "FOREIGN_ROOM": RoomFactory().pk,
        "FOREIGN_SESSION": SessionFactory().pk,
    }
    data = session_data(**{k: ids.get(v, v) for k, v in overrides.items()})
    before = db_state()

    response = orga.post(url("session_create", event), data)

    assert response.status_code == 200
    assert message in page_text(response)
    assert db_state() == before


def test_session_edit_refuses_moving_a_speaker_into_a_clash(orga, event):
    person = PersonFactory(first_name="Marine", last_name="Jeanmougin")
    SessionRoleFactory(
        person=person,
        session=SessionFactory(event=event, title="Welcome", start=at(event, 9), end=at(event, 10)),
    )
    later = SessionFactory(event=event, title="Later", start=at(event, 11), end=at(event, 12))
    SessionRoleFactory(person=person, session=later)
    before = db_state()

    response = orga.post(
        url("session_edit", event, later.pk),
        session_data(title="Later", start_time="09:30", end_time="10:30"),
    )

    assert "Marine Jeanmougin is already in “Welcome” (" in page_text(response)
    assert "<h1>Later</h1>" in page_text(response)
    assert db_state() == before


def test_session_edit_refuses_making_a_session_with_parts_a_part(orga, event, room, joint):
    other = SessionFactory(event=event, title="Other", start=at(event, 12), end=at(event, 16))
    before = db_state()

    response = orga.post(
        url("session_edit", event, joint.pk),
        session_data(
            title=joint.title,
            parent=other.pk,
            start_time="13:00",
            end_time="15:00",
            room=room.pk,
        ),
    )

    assert "A session with parts cannot become a part." in page_text(response)
    assert db_state() == before


def test_session_edit_refuses_shrinking_a_parent_away_from_its_parts(orga, event, room, joint):
    before = db_state()

    response = orga.post(
        url("session_edit", event, joint.pk),
        session_data(
            title=joint.title,
            start_time="13:30",
            end_time="15:00",
            room=room.pk,
        ),
    )

    assert "Part “Talks” (" in page_text(response)
    assert "would fall outside this session." in page_text(response)
    assert db_state() == before


def test_session_of_another_event_answers_404_and_stays(orga, event):
    foreign = SessionFactory(title="Foreign")
    before = db_state()

    for name in ("session_edit", "session_delete", "session_role_add"):
        assert orga.post(url(name, event, foreign.pk), session_data()).status_code == 404
    assert orga.get(url("session_edit", event, foreign.pk)).status_code == 404
    assert db_state() == before


def test_session_delete_asks_first_then_removes_session_and_parts(orga, event, joint):
    confirm = page_text(orga.get(url("session_delete", event, joint.pk)))
    assert "Delete “Joint Health Initiatives”?" in confirm
    assert "Its 1 part goes too." in confirm

    response = orga.post(url("session_delete", event, joint.pk), follow=True)

    assert not Session.objects.filter(event=event).exists()
    assert "Session “Joint Health Initiatives” deleted." in page_text(response)


def test_sessions_page_groups_by_day_with_parts_under_their_session(orga, event, room, joint):
    SessionFactory(
        event=event,
        title="Site visit",
        start=at(event, 10, day=1),
        end=at(event, 12, day=1),
        capacity=15,
        signup_required=True,
    )
    SessionRoleFactory(
        session=joint, person=PersonFactory(first_name="Olena", last_name="K"), role="moderator"
    )

    text = page_text(orga.get(url("sessions", event)))

    day_one, day_two = text.index("Wednesday 3 December 2025"), text.index("Thursday 4 December")
    assert day_one < text.index("Joint Health Initiatives") < text.index("Part 1:") < day_two
    assert day_two < text.index("Site visit")
    assert "13:00–15:00" in text
    assert 'Olena K <small class="muted">moderator</small>' in text


def test_sessions_query_count_does_not_grow_with_sessions_roles_and_themes(orga, event):
    room = RoomFactory(event=event, capacity=None)
    themes = [Theme.objects.create(event=event, name=f"T{i}", slug=f"t{i}") for i in range(3)]

    def add_sessions(n: int, offset: int) -> None:
        for i in range(offset, offset + n):
            start = at(event, 8 + i % 14, day=i % 2)
            session = SessionFactory(
                event=event, room=room if i % 2 else None, start=start, end=start.replace(minute=30)
            )
            session.themes.set(themes[: 1 + i % 3])
            SessionRoleFactory.create_batch(2, session=session)
            if i % 3 == 0:
                SessionFactory(
                    event=event,
                    parent=session,
                    part_order=1,
                    start=start,
                    end=start.replace(minute=15),
                )

    add_sessions(3, 0)
    few = query_count(orga, url("sessions", event))
    add_sessions(27, 3)
    assert query_count(orga, url("sessions", event)) == few
