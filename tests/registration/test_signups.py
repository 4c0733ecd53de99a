import pytest
from django.core.exceptions import ValidationError

from clusterhub.common.models import OutboxMessage
from clusterhub.registration import services
from clusterhub.registration.models import Registration, RegistrationStatus, SignUp, SignUpStatus
from tests.factories import RegistrationFactory, SessionFactory, at


@pytest.fixture
def module(event):
    return SessionFactory(event=event, title="EU funding", type="training", capacity=2,
                          signup_required=True, start=at(event, 9), end=at(event, 10))  # fmt: skip


def statuses(session):
    return list(
        SignUp.objects.filter(session=session)
        .order_by("created_at", "id")
        .values_list("registration__person__last_name", "status")
    )


def test_signup_create_confirms_until_full_then_waitlists_in_order(event, module):
    regs = [RegistrationFactory(event=event) for _ in range(4)]
    for r in regs:
        services.signup_create(registration=r, session=module, actor=None)
    assert [s for _, s in statuses(module)] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]


def test_signup_cancel_promotes_first_waitlisted_and_mails_them(event, module):
    regs = [RegistrationFactory(event=event) for _ in range(4)]
    signups = [services.signup_create(registration=r, session=module, actor=None) for r in regs]

    promoted = services.signup_cancel(signup=signups[0], actor=None)

    assert [p.registration for p in promoted] == [regs[2]]
    assert SignUp.objects.get(pk=signups[2].pk).status == SignUpStatus.CONFIRMED
    assert SignUp.objects.get(pk=signups[3].pk).status == SignUpStatus.WAITLISTED
    mail = OutboxMessage.objects.get(to=regs[2].person.email)
    assert "EU funding" in mail.subject


def test_signup_create_refuses_overlap_duplicate_and_unconfirmed(event, module):
    other = SessionFactory(
        event=event, title="Cluster development", capacity=5, signup_required=True,
        start=at(event, 9, 30), end=at(event, 10, 30),
    )  # fmt: skip
    reg = RegistrationFactory(event=event)
    services.signup_create(registration=reg, session=module, actor=None)
    with pytest.raises(ValidationError) as exc:
        services.signup_create(registration=reg, session=other, actor=None)
    assert exc.value.code == "overlap"
    assert "EU funding" in exc.value.message
    with pytest.raises(ValidationError) as exc:
        services.signup_create(registration=reg, session=module, actor=None)
    assert exc.value.code == "already_signed_up"
    pending = RegistrationFactory(event=event, status=RegistrationStatus.PENDING)
    with pytest.raises(ValidationError) as exc:
        services.signup_create(registration=pending, session=module, actor=None)
    assert exc.value.code == "not_confirmed"


def test_capacity_raise_promotes_and_lowering_below_taken_is_refused(event, module):
    regs = [RegistrationFactory(event=event) for _ in range(4)]
    for r in regs:
        services.signup_create(registration=r, session=module, actor=None)
    promoted = services.session_capacity_set(session=module, capacity=3, actor=None)
    assert [p.registration for p in promoted] == [regs[2]]
    with pytest.raises(ValidationError) as exc:
        services.session_capacity_set(session=module, capacity=2, actor=None)
    assert exc.value.error_dict["capacity"][0].code == "below_confirmed"


def test_registration_cancel_releases_all_signups_with_promotion(event, module):
    regs = [RegistrationFactory(event=event) for _ in range(3)]
    signups = [services.signup_create(registration=r, session=module, actor=None) for r in regs]
    services.registration_cancel(registration=regs[0], actor=None)
    assert Registration.objects.get(pk=regs[0].pk).status == RegistrationStatus.CANCELLED
    assert not SignUp.objects.filter(registration=regs[0]).exists()
    assert SignUp.objects.get(pk=signups[2].pk).status == SignUpStatus.CONFIRMED


def test_signups_for_session_lists_seats_first_then_the_waitlist_in_order(event, module):
    from clusterhub.registration.selectors import signups_for_session

    regs = [RegistrationFactory(event=event) for _ in range(4)]
    for r in regs:
        services.signup_create(registration=r, session=module, actor=None)
    listed = [(s.registration, s.status) for s in signups_for_session(session=module)]
    assert listed == [
        (regs[0], "confirmed"), (regs[1], "confirmed"),
        (regs[2], "waitlisted"), (regs[3], "waitlisted"),
    ]  # fmt: skip


def test_programme_edits_of_seats_follow_the_signup_rules(event, module):
    """The events app's session_update (used by the programme form) goes through the same
    seat rules, by the session_capacity_changed signal."""
    from clusterhub.events import services as event_services

    regs = [RegistrationFactory(event=event) for _ in range(4)]
    for r in regs:
        services.signup_create(registration=r, session=module, actor=None)

    with pytest.raises(ValidationError) as exc:
        event_services.session_update(session=module, actor=None, capacity=1)
    assert exc.value.error_dict["capacity"][0].code == "below_confirmed"
    module.refresh_from_db()
    assert module.capacity == 2

    event_services.session_update(session=module, actor=None, capacity=3)
    assert [s for _, s in statuses(module)] == ["confirmed", "confirmed", "confirmed", "waitlisted"]


def test_reading_registration_settings_never_writes_a_row(event):
    from clusterhub.registration.models import RegistrationConfig
    from clusterhub.registration.selectors import registration_config_for

    config = registration_config_for(event=event)
    assert (config.pk, config.capacity, config.opens_at) == (None, None, None)
    assert services.registration_window_state(event=event) == "open"
    assert not RegistrationConfig.objects.exists()
