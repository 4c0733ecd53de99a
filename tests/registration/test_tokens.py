"""Badge tokens: what the QR code carries, and what the check-in desk refuses."""

import string

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F
from hypothesis import given, settings
from hypothesis import strategies as st

from clusterhub.registration import services
from clusterhub.registration.models import Registration
from clusterhub.registration.tokens import badge_token, badge_token_read
from tests.factories import EventFactory, RegistrationFactory

EVENT_ID, REGISTRATION_ID = 7, 4321
TOKEN = badge_token(event_id=EVENT_ID, registration_id=REGISTRATION_ID, nonce=0)
REPLACEMENTS = string.ascii_letters + string.digits + "-_:. "


class FakeEvent:
    """badge_token_read only needs the event's id; no database for the pure token checks."""

    pk = EVENT_ID


def one_character_changed(token: str, position: int, replacement: str) -> str:
    return token[:position] + replacement + token[position + 1 :]


def test_badge_token_valid_reads_back_and_carries_no_personal_data():
    assert badge_token_read(event=FakeEvent(), token=TOKEN) == (REGISTRATION_ID, 0)
    assert badge_token_read(event=FakeEvent(), token=f"  {TOKEN}\n") == (REGISTRATION_ID, 0)
    assert TOKEN.split(":")[0] == f"{REGISTRATION_ID}.0"


def test_badge_token_altered_at_any_position_is_refused():
    altered = {
        one_character_changed(TOKEN, position, replacement)
        for position in range(len(TOKEN))
        for replacement in REPLACEMENTS
        if replacement != TOKEN[position]
    }
    assert len(altered) > len(TOKEN) * 60
    accepted = [t for t in altered if badge_token_read(event=FakeEvent(), token=t) is not None]
    assert accepted == []


@settings(max_examples=300)
@given(data=st.data())
def test_badge_token_any_single_substitution_is_refused(data):
    position = data.draw(st.integers(0, len(TOKEN) - 1))
    replacement = data.draw(st.characters().filter(lambda c: c != TOKEN[position]))

    forged = one_character_changed(TOKEN, position, replacement)

    assert badge_token_read(event=FakeEvent(), token=forged) is None


def test_badge_token_truncated_extended_or_garbage_is_refused():
    for forged in (TOKEN[:-1], TOKEN + "A", "", ":", "4321.0", f"4321.0:{'A' * 43}", "🙂"):
        assert badge_token_read(event=FakeEvent(), token=forged) is None


@pytest.mark.django_db
def test_registration_for_badge_valid_token_finds_the_registration(event):
    registration = RegistrationFactory(event=event)
    token = badge_token(event_id=event.pk, registration_id=registration.pk, nonce=0)

    assert services.registration_for_badge(event=event, token=token) == registration


@pytest.mark.django_db
def test_registration_for_badge_token_of_another_event_is_refused(event):
    registration = RegistrationFactory(event=event)
    other = EventFactory()
    RegistrationFactory(event=other)
    for token in (
        # issued for the other event, naming this event's registration
        badge_token(event_id=other.pk, registration_id=registration.pk, nonce=0),
        # validly signed for this event, naming a registration of the other event
        badge_token(event_id=event.pk, registration_id=other.registrations.get().pk, nonce=0),
    ):
        with pytest.raises(ValidationError) as exc:
            services.registration_for_badge(event=event, token=token)
        assert exc.value.code == "bad_badge"
        assert exc.value.message == "This badge is not valid for this event."


@pytest.mark.django_db
def test_registration_for_badge_altered_token_is_refused(event):
    registration = RegistrationFactory(event=event)
    token = badge_token(event_id=event.pk, registration_id=registration.pk, nonce=0)
    for position in range(len(token)):
        forged = one_character_changed(token, position, "x" if token[position] != "x" else "y")
        with pytest.raises(ValidationError) as exc:
            services.registration_for_badge(event=event, token=forged)
        assert exc.value.code == "bad_badge"


@pytest.mark.django_db
def test_registration_for_badge_revoked_by_nonce_bump(event):
    registration = RegistrationFactory(event=event)
    printed = badge_token(event_id=event.pk, registration_id=registration.pk, nonce=0)

    Registration.objects.filter(pk=registration.pk).update(badge_nonce=F("badge_nonce") + 1)

    with pytest.raises(ValidationError) as exc:
        services.registration_for_badge(event=event, token=printed)
    assert exc.value.code == "bad_badge"
    reprinted = badge_token(event_id=event.pk, registration_id=registration.pk, nonce=1)
    assert services.registration_for_badge(event=event, token=reprinted) == registration
