"""Meeting slots and tables under real concurrency: organisers moving meetings at once never
double-book a person or a table (issue 5, point 7). Runs on SQLite (`make test`) and on
PostgreSQL (`make test-pg`): the people's registration rows are locked before the checks, and
the unique seats and tables refuse whatever a race might still let through."""

from datetime import timedelta

import pytest

from clusterhub.events.models import SessionType
from clusterhub.matchmaking import services
from clusterhub.matchmaking.models import Meeting, MeetingSeat
from tests.concurrency.race import errors, race, registrations
from tests.factories import EventFactory, SessionFactory, at

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

ROUNDS = range(3)


def setup():
    event = EventFactory()
    lounge = SessionFactory(
        event=event, type=SessionType.NETWORKING, start=at(event, 9), end=at(event, 11)
    )
    services.networking_setup_update(
        session=lounge, actor=None, meeting_minutes=25, break_minutes=5, tables=4
    )
    return event, lounge


def meeting(event, lounge, start, table, a, b) -> Meeting:
    made = Meeting.objects.create(
        event=event, session=lounge, start=start, end=start + timedelta(minutes=25),
        table=table, a=a, b=b,
    )  # fmt: skip
    services.meeting_seats_set(made)
    return made


def move(m, lounge, start, table):
    return lambda: services.meeting_move(
        meeting=m, session=lounge, start=start, table=table, actor=None
    )


def test_two_moves_of_one_person_into_one_slot_give_one_meeting():
    event, lounge = setup()
    for round_ in ROUNDS:
        ada, bo, cy = registrations(event, 3)
        first = meeting(event, lounge, at(event, 9), 1 + round_, ada, bo)
        second = meeting(event, lounge, at(event, 9, 30), 1 + round_, ada, cy)
        target = at(event, 10)

        outcomes = race([move(first, lounge, target, 1 + round_), move(second, lounge, target, 4)])

        assert errors(outcomes) == []
        assert sorted(o.code or "moved" for o in outcomes) == ["moved", "person_busy"]
        starts = list(MeetingSeat.objects.filter(registration=ada).values_list("start", flat=True))
        assert len(starts) == len(set(starts)) == 2  # never two meetings at once
        Meeting.objects.filter(event=event).delete()


def test_two_moves_to_one_table_give_one_meeting_there():
    event, lounge = setup()
    for round_ in ROUNDS:
        a, b, c, d = registrations(event, 4)
        first = meeting(event, lounge, at(event, 9), 1 + round_, a, b)
        second = meeting(event, lounge, at(event, 9, 30), 1 + round_, c, d)
        target = at(event, 10, 30)

        outcomes = race([move(first, lounge, target, 2), move(second, lounge, target, 2)])

        assert errors(outcomes) == []
        codes = [o.code for o in outcomes]
        assert codes.count(None) == 1  # one moved; the other refused, by the check or the index
        assert {c for c in codes if c} <= {"table_taken", "conflict"}
        assert Meeting.objects.filter(session=lounge, start=target, table=2).count() == 1
        Meeting.objects.filter(session=lounge, start=target).delete()
