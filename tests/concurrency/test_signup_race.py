"""Seats under real concurrency: threads with their own database connections race for seats.

Issue 3, point 3: no overbooking, ever. The same tests run on SQLite (`make test`: a file
database in WAL mode, IMMEDIATE transactions) and on PostgreSQL (`make test-pg`: the session
row lock serialises).
"""

import pytest

from clusterhub.registration import services
from clusterhub.registration.models import Registration, RegistrationStatus, SignUp, SignUpStatus
from tests.concurrency.race import (
    assert_seats_invariants,
    errors,
    queue,
    race,
    registrations,
    write_order,
)
from tests.factories import EventFactory, SessionFactory, at

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

ROUNDS = range(3)  # each race is run this many times


def module(event, *, capacity, hour=9, title="Cluster leadership module"):
    return SessionFactory(
        event=event, title=title, type="training", capacity=capacity, signup_required=True,
        start=at(event, hour), end=at(event, hour + 1),
    )  # fmt: skip


def sign_up(registration, session):
    return lambda: services.signup_create(registration=registration, session=session, actor=None)


def assert_race_outcome(session, racers, outcomes, order, *, seats_left):
    """Exactly `seats_left` racers got a seat, the others queue in the order the service
    committed them, and nobody saw an error."""
    assert errors(outcomes) == []
    assert [o.code for o in outcomes] == [None] * len(racers)  # nobody refused: all queued
    signups = {s.pk: s for s in SignUp.objects.filter(registration__in=racers, session=session)}
    assert len(signups) == len(racers)
    committed = [signups[pk] for pk in order]
    assert [s.status for s in committed] == (
        [SignUpStatus.CONFIRMED] * seats_left
        + [SignUpStatus.WAITLISTED] * (len(racers) - seats_left)
    )
    assert queue(session)[-len(racers) :] == [(s.registration_id, s.status) for s in committed]
    assert (
        SignUp.objects.filter(session=session, status=SignUpStatus.CONFIRMED).count()
        == session.capacity
    )
    assert_seats_invariants(session)


def test_signup_create_50_threads_race_for_the_last_seat():
    event = EventFactory()
    for round_ in ROUNDS:  # a fresh session each round; one database flush for all
        session = module(event, capacity=5, hour=9 + round_)
        for registration in registrations(event, 4):
            services.signup_create(registration=registration, session=session, actor=None)
        racers = registrations(event, 50)

        with write_order(SignUp) as order:
            outcomes = race([sign_up(r, session) for r in racers])

        assert_race_outcome(session, racers, outcomes, order, seats_left=1)


def test_signup_create_200_threads_race_for_10_seats():
    event = EventFactory()
    for round_ in ROUNDS:
        session = module(event, capacity=10, hour=9 + round_)
        racers = registrations(event, 200)

        with write_order(SignUp) as order:
            outcomes = race([sign_up(r, session) for r in racers])

        assert_race_outcome(session, racers, outcomes, order, seats_left=10)


def test_signup_cancel_while_others_sign_up_promotes_in_order():
    event = EventFactory()
    session = module(event, capacity=10)
    seated = registrations(event, 15)  # 10 seats taken, 5 waiting
    signups = [services.signup_create(registration=r, session=session, actor=None) for r in seated]
    leaving = signups[:5]
    newcomers = registrations(event, 40)

    outcomes = race(
        [lambda s=s: services.signup_cancel(signup=s, actor=None) for s in leaving]
        + [sign_up(r, session) for r in newcomers]
    )

    assert errors(outcomes) == []
    assert [o.code for o in outcomes] == [None] * 45
    assert not SignUp.objects.filter(pk__in=[s.pk for s in leaving]).exists()
    # The five who waited got the five freed seats, before any newcomer.
    assert sorted(p.pk for o in outcomes[:5] for p in o.value) == [s.pk for s in signups[10:]]
    assert [reg for reg, _status in queue(session)[:10]] == [r.pk for r in seated[5:]]
    assert len(queue(session)) == 50
    assert_seats_invariants(session)


def test_session_capacity_set_raise_while_others_sign_up():
    event = EventFactory()
    session = module(event, capacity=5)
    for registration in registrations(event, 10):  # 5 seated, 5 waiting
        services.signup_create(registration=registration, session=session, actor=None)
    newcomers = registrations(event, 40)

    outcomes = race(
        [lambda: services.session_capacity_set(session=session, capacity=15, actor=None)]
        + [sign_up(r, session) for r in newcomers]
    )

    assert errors(outcomes) == []
    assert [o.code for o in outcomes] == [None] * 41
    session.refresh_from_db()
    assert session.capacity == 15
    assert SignUp.objects.filter(session=session, status=SignUpStatus.CONFIRMED).count() == 15
    assert len(queue(session)) == 50
    assert_seats_invariants(session)


def test_registration_cancel_while_the_same_person_signs_up_releases_everything():
    """The registration's lock is taken before the session's in both services: no deadlock, and
    no sign-up survives its cancelled registration (it is refused, or released with the rest)."""
    event = EventFactory()
    morning, afternoon = module(event, capacity=5), module(event, capacity=5, hour=14)
    people = registrations(event, 20)
    for registration in people:
        services.signup_create(registration=registration, session=morning, actor=None)

    outcomes = race(
        [lambda r=r: services.registration_cancel(registration=r, actor=None) for r in people]
        + [sign_up(r, afternoon) for r in people]
    )

    assert errors(outcomes) == []
    assert all(o.code is None for o in outcomes[:20])
    assert {o.code for o in outcomes[20:]} <= {None, "not_confirmed"}
    assert set(Registration.objects.filter(pk__in=[r.pk for r in people]).values_list(
        "status", flat=True
    )) == {RegistrationStatus.CANCELLED}  # fmt: skip
    assert not SignUp.objects.filter(registration__in=people).exists()


def test_signup_move_in_both_directions_at_once():
    """Moves lock both sessions in id order, so opposite moves queue instead of deadlocking."""
    event = EventFactory()
    first = module(event, capacity=8, title="Module A")
    second = module(event, capacity=8, title="Module B")  # in parallel: people choose one
    in_first, in_second = registrations(event, 12), registrations(event, 12)
    first_signups = [services.signup_create(registration=r, session=first, actor=None)
                     for r in in_first]  # fmt: skip
    second_signups = [services.signup_create(registration=r, session=second, actor=None)
                      for r in in_second]  # fmt: skip

    outcomes = race(
        [lambda s=s: services.signup_move(signup=s, to_session=second, actor=None)
         for s in first_signups[:6]]
        + [lambda s=s: services.signup_move(signup=s, to_session=first, actor=None)
           for s in second_signups[:6]]
    )  # fmt: skip

    assert errors(outcomes) == []
    assert [o.code for o in outcomes] == [None] * 12
    assert len(queue(first)) == len(queue(second)) == 12
    assert {r for r, _s in queue(first)} == {r.pk for r in in_first[6:] + in_second[:6]}
    assert_seats_invariants(first)
    assert_seats_invariants(second)
