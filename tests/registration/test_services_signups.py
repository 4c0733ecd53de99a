"""Sign-up services beyond the basics in test_signups.py: moves, repeated cancels, the
remaining refusals. A refused call changes nothing."""

import pytest
from django.core.exceptions import ValidationError

from clusterhub.common.models import OutboxMessage
from clusterhub.registration import services
from clusterhub.registration.models import SignUp, SignUpStatus
from clusterhub.registration.selectors import waitlist_position
from tests.factories import EventFactory, RegistrationFactory, RoomFactory, SessionFactory, at


def module(event, title, capacity, hour=9, **kwargs):
    return SessionFactory(
        event=event, title=title, type="training", capacity=capacity, signup_required=True,
        start=at(event, hour), end=at(event, hour + 1), **kwargs,
    )  # fmt: skip


def state():
    return sorted(SignUp.objects.values_list("registration", "session", "status"))


def code(call) -> str:
    before = state(), OutboxMessage.objects.count()
    with pytest.raises(ValidationError) as exc:
        call()
    assert (state(), OutboxMessage.objects.count()) == before
    error = exc.value
    return (
        error.code
        if not hasattr(error, "error_dict")
        else next(iter(error.error_dict.values()))[0].code
    )


@pytest.fixture
def modules(event):
    return module(event, "EU funding", 2), module(event, "Cluster strategy", 1)  # in parallel


def sign_up(registration, session):
    return services.signup_create(registration=registration, session=session, actor=None)


def test_signup_move_frees_the_seat_for_the_next_and_queues_at_the_target(event, modules):
    funding, strategy = modules
    a, b, c, d = (RegistrationFactory(event=event) for _ in range(4))
    moving = sign_up(a, funding)
    sign_up(b, funding)
    waiting = sign_up(c, funding)
    sign_up(d, strategy)  # the target's only seat is taken

    moved = services.signup_move(signup=moving, to_session=strategy, actor=None)

    assert (moved.registration, moved.session, moved.status) == (
        a, strategy, SignUpStatus.WAITLISTED
    )  # fmt: skip
    assert waitlist_position(signup=moved) == 1
    assert SignUp.objects.get(pk=waiting.pk).status == SignUpStatus.CONFIRMED
    assert OutboxMessage.objects.get().to == c.person.email
    assert not SignUp.objects.filter(pk=moving.pk).exists()


def test_signup_move_to_the_same_session_is_refused_and_keeps_the_seat(event, modules):
    funding, _strategy = modules
    seated = sign_up(RegistrationFactory(event=event), funding)
    sign_up(RegistrationFactory(event=event), funding)
    sign_up(RegistrationFactory(event=event), funding)  # waiting for a seat

    assert code(lambda: services.signup_move(signup=seated, to_session=funding, actor=None)) == (
        "same_session"
    )
    assert SignUp.objects.get(pk=seated.pk).status == SignUpStatus.CONFIRMED


def test_signup_move_refused_at_the_target_changes_nothing(event, modules):
    funding, _strategy = modules
    talk = SessionFactory(event=event, start=at(event, 14), end=at(event, 15))  # no sign-up
    seated = sign_up(RegistrationFactory(event=event), funding)
    sign_up(RegistrationFactory(event=event), funding)
    sign_up(RegistrationFactory(event=event), funding)  # would be promoted if the move went on

    assert code(lambda: services.signup_move(signup=seated, to_session=talk, actor=None)) == (
        "no_signup"
    )
    assert SignUp.objects.get(pk=seated.pk).status == SignUpStatus.CONFIRMED


def test_signup_cancel_twice_is_harmless(event, modules):
    funding, _strategy = modules
    signups = [sign_up(RegistrationFactory(event=event), funding) for _ in range(3)]

    first = services.signup_cancel(signup=signups[0], actor=None)
    second = services.signup_cancel(signup=signups[0], actor=None)  # a double click

    assert [s.pk for s in first] == [signups[2].pk]
    assert second == []
    assert OutboxMessage.objects.count() == 1


def test_signup_create_refuses_sessions_without_sign_up_and_of_other_events(event):
    registration = RegistrationFactory(event=event)
    talk = SessionFactory(event=event)
    elsewhere = module(EventFactory(), "Elsewhere", 5)

    assert code(lambda: sign_up(registration, talk)) == "no_signup"
    assert code(lambda: sign_up(registration, elsewhere)) == "wrong_event"


def test_signup_create_with_no_seats_queues_everybody(event):
    closed = module(event, "Full from the start", 0)

    first = sign_up(RegistrationFactory(event=event), closed)
    second = sign_up(RegistrationFactory(event=event), closed)

    assert [first.status, second.status] == [SignUpStatus.WAITLISTED] * 2
    assert [waitlist_position(signup=s) for s in (first, second)] == [1, 2]


def test_session_capacity_set_refuses_more_seats_than_the_room(event):
    room = RoomFactory(event=event, capacity=12)
    visit = module(event, "SINTEF visit", 10, room=room)

    assert code(lambda: services.session_capacity_set(session=visit, capacity=13, actor=None)) == (
        "seats_exceed_room"
    )
    visit.refresh_from_db()
    assert visit.capacity == 10
