"""The programme lock under real concurrency: two organisers book one room for the same hour
at the same moment, each in a thread with its own database connection.

`session_create` locks the event row before it looks for clashes (PostgreSQL: SELECT ... FOR
UPDATE; SQLite: the IMMEDIATE transaction takes the write lock when it begins), so the second
booking waits for the first to commit, then sees it and is refused with `room_busy`. Runs on
SQLite in `make test` and on PostgreSQL in `make test-pg`.
"""

import threading
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from clusterhub.events import services
from clusterhub.events.models import Session
from tests.factories import EventFactory, RoomFactory, at

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

TIMEOUT = 60  # seconds; a deadlock fails the test instead of hanging it
ROUNDS = range(5)  # each round is a fresh race in a fresh room


@dataclass
class Outcome:
    session: Session | None = None
    codes: list[str] | None = None  # the refusal's codes, by field order
    error: BaseException | None = None  # anything else, e.g. "database is locked"


def book_at_once(bookings: list[dict]) -> list[Outcome]:
    """Call `session_create(**booking)` for every booking at the same moment, one thread and
    one connection each (Django opens one per thread; each thread closes its own)."""
    outcomes = [Outcome() for _ in bookings]
    barrier = threading.Barrier(len(bookings), timeout=TIMEOUT)

    def run(outcome: Outcome, booking: dict) -> None:
        try:
            barrier.wait()
            outcome.session = services.session_create(actor=None, **booking)
        except ValidationError as exc:
            outcome.codes = [e.code for errors in exc.error_dict.values() for e in errors]
        except BaseException as exc:  # reported by the test, never swallowed
            outcome.error = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(outcome, booking), daemon=True)
        for outcome, booking in zip(outcomes, bookings, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "still running: deadlock?"
    return outcomes


@pytest.mark.parametrize("round_", ROUNDS)
def test_session_create_two_organisers_book_one_room_at_once(round_):
    event = EventFactory()
    room = RoomFactory(event=event, name="Auditorium")
    bookings = [
        {"event": event, "room": room, "title": "Keynote", "start": at(event, 10),
         "end": at(event, 11)},
        {"event": event, "room": room, "title": "Workshop", "start": at(event, 10, 30),
         "end": at(event, 11, 30)},
    ]  # fmt: skip

    outcomes = book_at_once(bookings)

    assert [o.error for o in outcomes] == [None, None]
    booked = [o.session for o in outcomes if o.session is not None]
    refused = [o.codes for o in outcomes if o.codes is not None]
    assert (len(booked), refused) == (1, [["room_busy"]])
    assert list(Session.objects.filter(room=room).values_list("pk", flat=True)) == [booked[0].pk]
