"""Meetings by hand: the networking set-up and its slots, the organiser's moves (every move
checked: slot, table, people's other meetings and own agenda), locks, cancellations,
publishing with emails, and the meetings in the participant's agenda and calendar feed."""

from datetime import timedelta

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from clusterhub.common.models import OutboxMessage
from clusterhub.events.models import SessionType
from clusterhub.matchmaking import selectors, services
from clusterhub.matchmaking.models import Meeting, MeetingSeat, MeetingStatus
from clusterhub.registration.models import RegistrationStatus
from tests.factories import (
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SignUpFactory,
    UserFactory,
    at,
)


def code_of(exc_info) -> str:
    error = exc_info.value
    if hasattr(error, "error_dict"):
        return next(iter(error.error_dict.values()))[0].code
    return error.error_list[0].code


@pytest.fixture
def lounge(event):
    """A networking session 09:00-10:00 cut into 20-minute meetings with 5-minute breaks at
    three tables: slots 09:00, 09:25 (09:50 would end after 10:00)."""
    session = SessionFactory(
        event=event, title="Partnering", type=SessionType.NETWORKING,
        room=RoomFactory(event=event, name="Lounge"), start=at(event, 9), end=at(event, 10),
    )  # fmt: skip
    services.networking_setup_update(
        session=session, actor=None, meeting_minutes=20, break_minutes=5, tables=3
    )
    return session


def meeting(event, session, start, table, a=None, b=None, **fields) -> Meeting:
    a = a or RegistrationFactory(event=event)
    b = b or RegistrationFactory(event=event)
    made = Meeting.objects.create(
        event=event, session=session, start=start, end=start + timedelta(minutes=20),
        table=table, a=a, b=b, **fields,
    )  # fmt: skip
    services.meeting_seats_set(made)
    return made


def test_slots_follow_the_setup(event, lounge):
    slots = selectors.meeting_slots_for_event(event=event)

    assert [(s.start, s.end, s.tables) for s in slots] == [
        (at(event, 9), at(event, 9, 20), 3),
        (at(event, 9, 25), at(event, 9, 45), 3),
    ]


def test_setup_refuses_a_talk_and_a_meeting_longer_than_the_session(event, lounge):
    talk = SessionFactory(event=event, type=SessionType.TALK)
    with pytest.raises(ValidationError) as exc_info:
        services.networking_setup_update(session=talk, actor=None, tables=4)
    assert code_of(exc_info) == "not_networking"

    with pytest.raises(ValidationError) as exc_info:
        services.networking_setup_update(session=lounge, actor=None, meeting_minutes=90)
    assert code_of(exc_info) == "no_slot"
    assert lounge.networking_setup.meeting_minutes == 20  # unchanged


def test_move_checks_slot_table_people_and_agenda(event, lounge):
    ada, bo, cy = (RegistrationFactory(event=event) for _ in range(3))
    first = meeting(event, lounge, at(event, 9), 1, ada, bo)
    meeting(event, lounge, at(event, 9, 25), 1, cy, RegistrationFactory(event=event))

    cases = [
        ({"start": at(event, 9, 10), "table": 2}, "no_slot"),
        ({"start": at(event, 9, 25), "table": 4}, "no_table"),
        ({"start": at(event, 9, 25), "table": 1}, "table_taken"),
    ]
    for where, code in cases:
        with pytest.raises(ValidationError) as exc_info:
            services.meeting_move(meeting=first, session=lounge, actor=None, **where)
        assert code_of(exc_info) == code, where
    # Bo signs up for a workshop at 09:20-09:50: the 09:25 slot is no longer free for Bo.
    workshop = SessionFactory(event=event, start=at(event, 9, 20), end=at(event, 9, 50))
    SignUpFactory(registration=bo, session=workshop)
    with pytest.raises(ValidationError) as exc_info:
        services.meeting_move(meeting=first, session=lounge, start=at(event, 9, 25), table=2,
                              actor=None)  # fmt: skip
    assert code_of(exc_info) == "agenda_busy"
    first.refresh_from_db()
    assert (first.start, first.table, first.locked) == (at(event, 9), 1, False)


def test_move_refuses_a_person_with_another_meeting_then_moves_and_locks(event, lounge):
    ada, bo = RegistrationFactory(event=event), RegistrationFactory(event=event)
    first = meeting(event, lounge, at(event, 9), 1, ada, bo)
    meeting(event, lounge, at(event, 9, 25), 3, ada)  # Ada meets somebody else at 09:25
    with pytest.raises(ValidationError) as exc_info:
        services.meeting_move(meeting=first, session=lounge, start=at(event, 9, 25), table=2,
                              actor=None)  # fmt: skip
    assert code_of(exc_info) == "person_busy"

    moved = services.meeting_move(meeting=first, session=lounge, start=at(event, 9), table=3,
                                  actor=None)  # fmt: skip

    assert (moved.table, moved.locked) == (3, True)
    assert set(MeetingSeat.objects.filter(meeting=first).values_list("start", flat=True)) == {
        at(event, 9)
    }


def test_the_database_refuses_a_double_booking(event, lounge):
    ada = RegistrationFactory(event=event)
    meeting(event, lounge, at(event, 9), 1, ada)
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting(event, lounge, at(event, 9), 2, ada)  # Ada twice at 09:00
    with pytest.raises(IntegrityError), transaction.atomic():
        meeting(event, lounge, at(event, 9), 1)  # table 1 twice at 09:00


def test_cancel_frees_the_table_and_the_people(event, lounge):
    ada = RegistrationFactory(event=event)
    first = meeting(event, lounge, at(event, 9), 1, ada)

    services.meeting_cancel(meeting=first, actor=None)

    assert not MeetingSeat.objects.exists()
    meeting(event, lounge, at(event, 9), 1, ada)  # both free again
    with pytest.raises(ValidationError):
        services.meeting_cancel(meeting=first, actor=None)


def test_publish_mails_each_person_once_with_their_meetings(event, lounge):
    ada, bo, cy = (RegistrationFactory(event=event) for _ in range(3))
    meeting(event, lounge, at(event, 9), 1, ada, bo)
    meeting(event, lounge, at(event, 9, 25), 2, ada, cy)

    assert services.meetings_publish(event=event, actor=None) == 2

    assert set(Meeting.objects.values_list("status", flat=True)) == {MeetingStatus.PUBLISHED}
    mails = {m.to: m.body for m in OutboxMessage.objects.all()}
    assert set(mails) == {ada.person.email, bo.person.email, cy.person.email}
    assert bo.person.full_name in mails[ada.person.email]
    assert cy.person.full_name in mails[ada.person.email]
    assert "table 2" in mails[ada.person.email]
    assert f"/events/{event.slug}/matchmaking/meetings/" in mails[bo.person.email]
    assert services.meetings_publish(event=event, actor=None) == 0


def test_moving_a_published_meeting_mails_both(event, lounge):
    first = meeting(event, lounge, at(event, 9), 1, status=MeetingStatus.PUBLISHED)

    services.meeting_move(meeting=first, session=lounge, start=at(event, 9, 25), table=1,
                          actor=None)  # fmt: skip

    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == sorted(
        [first.a.person.email, first.b.person.email]
    )


def test_conflicts_name_people_no_longer_free(event, lounge):
    ada = RegistrationFactory(event=event)
    speaker_meeting = meeting(event, lounge, at(event, 9), 1, ada)
    gone = meeting(event, lounge, at(event, 9, 25), 1)
    SessionRoleFactory(
        person=ada.person,
        session=SessionFactory(event=event, start=at(event, 9), end=at(event, 9, 30)),
    )
    gone.b.status = RegistrationStatus.CANCELLED
    gone.b.save()

    conflicts = selectors.meeting_conflicts(
        event=event, meetings=selectors.meetings_for_event(event=event)
    )

    assert "session of their own" in conflicts[speaker_meeting.pk]
    assert "no longer registered" in conflicts[gone.pk]


def test_published_meetings_are_in_the_agenda_and_the_calendar_feed(client, event, lounge):
    user = UserFactory()
    ada = RegistrationFactory(event=event, person__user=user, person__email=user.email)
    draft = meeting(event, lounge, at(event, 9, 25), 2, ada)
    published = meeting(event, lounge, at(event, 9), 3, ada, why=["your need ↔ their offer"])
    Meeting.objects.filter(pk=published.pk).update(status=MeetingStatus.PUBLISHED)
    client.force_login(user)

    page = client.get(reverse("portal:me", args=[event.slug])).content.decode()
    mine = client.get(reverse("matchmaking:meetings", args=[event.slug])).content.decode()
    feed = client.get(reverse("calendar:agenda", args=[ada.calendar_token]))

    assert published.b.person.full_name in page
    assert draft.b.person.full_name not in page  # drafts are the organiser's work in progress
    assert "your need ↔ their offer" in mine
    assert draft.b.person.full_name not in mine
    calendar = icalendar.Calendar.from_ical(feed.content)
    (entry,) = [c for c in calendar.walk("VEVENT") if str(c["UID"]).startswith("meeting-")]
    assert str(entry["UID"]) == f"meeting-{published.pk}@clusterhub"
    assert entry.decoded("DTSTART") == at(event, 9)
    assert "table 3" in str(entry["LOCATION"])
    assert "Lounge" in str(entry["LOCATION"])
