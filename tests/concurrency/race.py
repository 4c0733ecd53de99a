"""Real threads on separate database connections, for the tests of scarce resources.

`race(calls)` runs every call in a thread of its own. The threads wait at a barrier, then call
the service together, each on its own connection (Django keeps one per thread), which it closes
when done. PostgreSQL serves a limited number of connections (`max_connections`), so there at
most `connection_slots()` threads hold one at once and the rest queue right behind the barrier;
SQLite has no such limit. Nothing is retried: an error is reported as it happened.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import uuid4

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model
from django.db.models.signals import post_save
from django.utils import timezone

from clusterhub.directory.models import Person
from clusterhub.events.models import Session
from clusterhub.registration.models import (
    Registration,
    RegistrationStatus,
    SignUp,
    SignUpStatus,
    TicketType,
)
from clusterhub.registration.selectors import waitlist_position

JOIN_TIMEOUT = 120  # seconds for the whole race; a deadlock fails the test instead of hanging


@dataclass
class Outcome:
    value: Any = None
    code: str | None = None  # the code of a refusal (a ValidationError)
    error: BaseException | None = None  # anything else, e.g. "database is locked"


def refusal_code(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return next(e.code for errors in exc.error_dict.values() for e in errors)
    return exc.error_list[0].code


def connection_slots() -> int | None:
    """How many threads may hold a connection at once: None (no limit) on SQLite; on
    PostgreSQL what the server has left, less a margin for other clients."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int"
            " - current_setting('superuser_reserved_connections')::int"
            " - (SELECT count(*) FROM pg_stat_activity)"
        )
        free = cursor.fetchone()[0]
    return max(free - 10, 2)


def race(calls: list[Callable[[], Any]]) -> list[Outcome]:
    """Run `calls` at once, one thread and one connection each; outcomes in call order."""
    outcomes = [Outcome() for _ in calls]
    barrier = threading.Barrier(len(calls), timeout=JOIN_TIMEOUT)
    slots = connection_slots()
    gate = threading.BoundedSemaphore(slots) if slots else None

    def run(i: int) -> None:
        try:
            barrier.wait()
            if gate:
                gate.acquire()
            try:
                outcomes[i].value = calls[i]()
            except ValidationError as exc:
                outcomes[i].code = refusal_code(exc)
            finally:
                connection.close()
                if gate:
                    gate.release()
        except BaseException as exc:  # reported by the test, never swallowed
            outcomes[i].error = exc

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "threads still running: deadlock?"
    return outcomes


def errors(outcomes: list[Outcome]) -> list[str]:
    return [f"{type(o.error).__name__}: {o.error}" for o in outcomes if o.error is not None]


@contextmanager
def write_order(model: type[Model]) -> Iterator[list[int]]:
    """The ids of new `model` rows in the order they were written. The signal fires inside the
    service's transaction while it holds its lock, so this is the order of the commits."""
    order: list[int] = []
    lock = threading.Lock()

    def record(sender: type[Model], instance: Model, created: bool, **kwargs: Any) -> None:
        if created:
            with lock:
                order.append(instance.pk)

    post_save.connect(record, sender=model, weak=False)
    try:
        yield order
    finally:
        post_save.disconnect(record, sender=model)


# --- data --------------------------------------------------------------------------------------


def people(n: int) -> list[Person]:
    tag = uuid4().hex[:8]
    return Person.objects.bulk_create(
        Person(first_name=f"P{i}", last_name=tag, email=f"{tag}.{i}@example.org") for i in range(n)
    )


def registrations(event, n: int) -> list[Registration]:
    """`n` confirmed registrations for `event`, written in one go."""
    ticket, _created = TicketType.objects.get_or_create(event=event, name="Participant")
    now = timezone.now()
    return Registration.objects.bulk_create(
        Registration(
            event=event, person=p, ticket_type=ticket, status=RegistrationStatus.CONFIRMED,
            consent_privacy_at=now,
        )
        for p in people(n)
    )  # fmt: skip


def queue(session: Session) -> list[tuple[int, str]]:
    """(registration id, status) of the session's sign-ups in order of arrival."""
    return list(
        SignUp.objects.filter(session=session)
        .order_by("created_at", "id")
        .values_list("registration_id", "status")
    )


def assert_seats_invariants(session: Session) -> None:
    """Confirmed never above capacity, no waitlist while a seat is free, every confirmed sign-up
    arrived before every waitlisted one, and waitlist positions 1..n without gaps."""
    session.refresh_from_db()
    rows = queue(session)
    statuses = [status for _reg, status in rows]
    confirmed = statuses.count(SignUpStatus.CONFIRMED)
    assert confirmed <= session.capacity
    assert confirmed == min(session.capacity, len(rows))
    assert statuses == sorted(statuses)  # "confirmed" < "waitlisted": a prefix of arrivals
    assert len({reg for reg, _status in rows}) == len(rows)
    waiting = SignUp.objects.filter(session=session, status=SignUpStatus.WAITLISTED).order_by(
        "created_at", "id"
    )
    assert [waitlist_position(signup=s) for s in waiting] == list(range(1, len(waiting) + 1))
