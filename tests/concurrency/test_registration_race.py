"""Registrations and check-ins under real concurrency (threads with their own connections)."""

import pytest

from clusterhub.registration import services
from clusterhub.registration.models import (
    ACTIVE_STATUSES,
    CheckIn,
    Registration,
    RegistrationConfig,
    TicketType,
)
from clusterhub.registration.tokens import badge_token
from tests.concurrency.race import errors, people, race, registrations, write_order
from tests.factories import EventFactory, SessionFactory, at

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]


def register(event, person, ticket):
    return lambda: services.registration_create(
        event=event, person=person, ticket_type=ticket, consent_privacy=True, actor=None
    )


def test_registration_create_same_person_at_once_registers_once():
    event = EventFactory()
    ticket = TicketType.objects.create(event=event, name="Participant")
    for _round in range(3):
        (person,) = people(1)

        outcomes = race([register(event, person, ticket) for _ in range(8)])  # double clicks

        assert errors(outcomes) == []
        assert sorted(o.code or "registered" for o in outcomes) == ["already_registered"] * 7 + [
            "registered"
        ]
        registration = Registration.objects.get(event=event, person=person)
        assert next(o.value for o in outcomes if o.code is None) == registration


def test_registration_create_threads_race_for_the_last_event_places():
    for _round in range(3):
        event = EventFactory()
        RegistrationConfig.objects.create(event=event, capacity=20)
        registrations(event, 15)
        ticket = TicketType.objects.get(event=event)
        newcomers = people(40)

        with write_order(Registration) as order:
            outcomes = race([register(event, p, ticket) for p in newcomers])

        assert errors(outcomes) == []
        assert (
            sorted(o.code or "registered" for o in outcomes)
            == ["event_full"] * 35 + ["registered"] * 5
        )
        assert Registration.objects.filter(event=event, status__in=ACTIVE_STATUSES).count() == 20
        assert sorted(order) == sorted(o.value.pk for o in outcomes if o.code is None)


def test_checkin_create_two_desks_scan_the_same_badge_at_once():
    """Each guest is scanned by two desks at the door and by two at a session, all at once."""
    event = EventFactory()
    session = SessionFactory(event=event, start=at(event, 9), end=at(event, 10))  # no sign-up
    guests = registrations(event, 15)
    places = [None, session]

    def scan(registration, place):
        def desk():
            token = badge_token(event_id=event.pk, registration_id=registration.pk, nonce=0)
            found = services.registration_for_badge(event=event, token=token)
            return services.checkin_create(registration=found, session=place, actor=None)

        return desk

    outcomes = race([scan(g, place) for g in guests for place in places for _desk in (1, 2)])

    assert errors(outcomes) == []
    assert all(o.code is None for o in outcomes)
    for first, second in zip(outcomes[::2], outcomes[1::2], strict=True):
        assert sorted([first.value.created, second.value.created]) == [False, True]
        assert first.value.checkin.pk == second.value.checkin.pk
        repeat = first.value if not first.value.created else second.value
        assert "already checked in at" in repeat.message
    checkins = CheckIn.objects.filter(registration__in=guests)
    assert checkins.filter(session=None).count() == 15
    assert checkins.filter(session=session).count() == 15
    assert checkins.count() == 30
