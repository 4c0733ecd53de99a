"""checkin_create: at the door and at sessions; a repeated scan never makes a second check-in."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clusterhub.common.models import ActivityLogEntry
from clusterhub.registration import services
from clusterhub.registration.models import CheckIn, Registration, RegistrationStatus
from tests.factories import (
    EventFactory,
    PersonFactory,
    RegistrationFactory,
    SessionFactory,
    SignUpFactory,
    at,
)


@pytest.fixture
def guest(event):
    person = PersonFactory(first_name="Ingrid", last_name="Berg")
    return RegistrationFactory(event=event, person=person)


def check_in(registration, session=None, actor=None):
    return services.checkin_create(registration=registration, session=session, actor=actor)


def refused_code(registration, session=None) -> str:
    before = (CheckIn.objects.count(), ActivityLogEntry.objects.count())
    with pytest.raises(ValidationError) as exc:
        check_in(registration, session)
    assert (CheckIn.objects.count(), ActivityLogEntry.objects.count()) == before
    return exc.value.code


def test_checkin_create_at_the_door_records_the_arrival(guest, organiser):
    result = check_in(guest, actor=organiser)

    assert result.created is True
    assert result.message == "Ingrid Berg checked in."
    checkin = CheckIn.objects.get()
    assert (checkin.registration, checkin.session, checkin.actor, checkin.method) == (
        guest, None, organiser, "scan"
    )  # fmt: skip
    assert Registration.objects.get(pk=guest.pk).checked_in_at == checkin.created_at
    assert ActivityLogEntry.objects.filter(action="registration.checkin.create").count() == 1


def test_checkin_create_second_scan_answers_when_in_the_events_time_zone(db, settings):
    settings.TIME_ZONE = "Europe/Oslo"  # the server's zone; the event is elsewhere
    event = EventFactory(timezone="America/New_York")
    guest = RegistrationFactory(event=event, person=PersonFactory(first_name="Ingrid",
                                                                  last_name="Berg"))  # fmt: skip
    first = check_in(guest)
    arrived = datetime(2025, 12, 3, 14, 3, tzinfo=UTC)  # 09:03 in New York, 15:03 in Oslo
    CheckIn.objects.filter(pk=first.checkin.pk).update(created_at=arrived)

    with timezone.override("Asia/Tokyo"):  # nor the zone of whoever is looking
        second = check_in(guest)

    assert second.created is False
    assert second.checkin.pk == first.checkin.pk
    assert second.message == "Ingrid Berg: already checked in at 09:03."
    assert CheckIn.objects.count() == 1
    assert ActivityLogEntry.objects.filter(action="registration.checkin.create").count() == 1


def test_checkin_create_at_a_session_with_a_seat(event, guest):
    module = SessionFactory(event=event, capacity=10, signup_required=True)
    SignUpFactory(registration=guest, session=module)

    result = check_in(guest, module)

    assert result.created is True
    assert CheckIn.objects.get().session == module
    assert Registration.objects.get(pk=guest.pk).checked_in_at is None  # not the door
    assert check_in(guest).created is True  # the door is a place of its own
    assert check_in(guest, module).created is False


def test_checkin_create_at_a_session_without_sign_up_needs_no_seat(event, guest):
    talk = SessionFactory(event=event, start=at(event, 11), end=at(event, 12))

    assert check_in(guest, talk).created is True


def test_checkin_create_refuses_a_seated_session_without_a_seat(event, guest):
    module = SessionFactory(event=event, title="EU funding", capacity=1, signup_required=True)
    SignUpFactory(session=module, registration=RegistrationFactory(event=event))
    SignUpFactory(session=module, registration=guest, status="waitlisted")

    assert refused_code(guest, module) == "no_seat"


@pytest.mark.parametrize(
    "status",
    [RegistrationStatus.PENDING, RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED],
)
def test_checkin_create_refuses_a_registration_that_is_not_confirmed(event, status):
    registration = RegistrationFactory(event=event, status=status)

    assert refused_code(registration) == "not_confirmed"


def test_checkin_create_refuses_a_session_of_another_event(guest):
    elsewhere = SessionFactory(event=EventFactory())

    assert refused_code(guest, elsewhere) == "wrong_event"
