"""Forms keep what was typed after an error: a refused form comes back (200 or 400) with the error
and every value the person typed, so nothing has to be typed twice; nothing is saved."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clusterhub.api.models import ApiToken
from clusterhub.events.models import Event, Session
from clusterhub.followup.models import Partnership
from clusterhub.matchmaking.models import MatchmakingSettings, MatchProfile
from clusterhub.registration.models import Registration
from tests.factories import (
    OrganisationFactory,
    RegistrationConfigFactory,
    RegistrationFactory,
    TicketTypeFactory,
    UserFactory,
)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def assert_kept(response, status: int, error: str, *typed: str):
    assert response.status_code == status
    text = page_text(response)
    assert error in text
    for value in typed:
        assert value in text, value


@pytest.mark.django_db
def test_event_form_keeps_the_typed_values_after_an_error(client, event, organiser):
    client.force_login(organiser)
    data = {
        "cluster": event.cluster_id, "name": "Bergen Typed Days", "slug": "",
        "tagline": "Typed tagline", "description": "", "start_date": "2026-03-03",
        "end_date": "2026-03-04", "timezone": "Mars/Olympus", "venue_name": "Typed Science Park",
        "venue_address": "", "city": "Bergen",
    }  # fmt: skip

    response = client.post(reverse("orga:event_create"), data)

    assert_kept(
        response, 200, "“Mars/Olympus” is not a known time zone",
        'value="Bergen Typed Days"', 'value="Typed tagline"', 'value="Typed Science Park"',
        'value="Mars/Olympus"', 'value="2026-03-03"',
    )  # fmt: skip
    assert not Event.objects.filter(name="Bergen Typed Days").exists()


@pytest.mark.django_db
def test_session_form_keeps_the_typed_values_after_an_error(client, event, organiser):
    client.force_login(organiser)
    data = {
        "title": "A typed session title", "type": "talk", "day": event.start_date.isoformat(),
        "start_time": "10:00", "end_time": "not a time", "themes": "Oncology, Typed theme",
        "description": "A typed description.",
    }  # fmt: skip

    response = client.post(reverse("orga:session_create", args=[event.slug]), data)

    assert_kept(
        response, 200, "Enter a valid time.",
        'value="A typed session title"', 'value="Oncology, Typed theme"',
        "A typed description.</textarea>", 'value="10:00"',
    )  # fmt: skip
    assert not Session.objects.filter(title="A typed session title").exists()


@pytest.mark.django_db
def test_registration_form_keeps_the_typed_values_after_an_error(client, event):
    RegistrationConfigFactory(event=event)
    ticket = TicketTypeFactory(event=event, name="Participant")
    user = UserFactory()
    client.force_login(user)
    data = {
        "ticket_type": ticket.pk,
        "first_name": "Olena",
        "last_name": "Kovalenko",
        "job_title": "Typed data scientist",
        "organisation_name": "Typed Kyiv Biotech",
        "organisation_type": "company",
        "country": "UA",
    }  # fmt: skip  (the privacy consent is missing)

    response = client.post(reverse("portal:register", args=[event.slug]), data)

    assert_kept(
        response, 400, "errorlist",
        'value="Typed data scientist"', 'value="Typed Kyiv Biotech"', 'value="Kovalenko"',
    )  # fmt: skip
    assert not Registration.objects.filter(event=event).exists()


@pytest.mark.django_db
def test_matchmaking_profile_form_keeps_the_typed_values_after_an_error(client, event):
    MatchmakingSettings.objects.create(event=event, tags=["Biobanks"])
    user = UserFactory()
    RegistrationFactory(
        event=event,
        person__user=user,
        person__email=user.email,
        consent_matchmaking_at=timezone.now(),
    )
    client.force_login(user)
    data = {
        "offers": "typed hospital test bed", "needs": "typed validation site", "interests": "",
        "about": "Typed pathologist in Bergen.", "tags": ["Quantum"], "objectives": ["partnering"],
    }  # fmt: skip

    response = client.post(reverse("matchmaking:profile", args=[event.slug]), data)

    assert_kept(
        response, 400, "Quantum is not one of the available choices.",
        "typed hospital test bed</textarea>", "typed validation site</textarea>",
        "Typed pathologist in Bergen.</textarea>",
    )  # fmt: skip
    assert not MatchProfile.objects.exists()


@pytest.mark.django_db
def test_partnership_form_keeps_the_typed_values_after_an_error(client, event, organiser):
    client.force_login(organiser)
    organisation = OrganisationFactory()
    data = {
        "title": "Typed joint pilot", "type": "pilot", "stage": "idea",
        "organisations": [organisation.pk], "event": event.pk, "meeting": "",
        "description": "A typed description of the pilot.", "next_step": "Typed next step",
        "next_step_on": "not a date",
    }  # fmt: skip

    response = client.post(reverse("orga_followup:partnership_new", args=[event.slug]), data)

    assert_kept(
        response, 400, "Enter a valid date.",
        'value="Typed joint pilot"', "A typed description of the pilot.</textarea>",
        'value="Typed next step"',
    )  # fmt: skip
    assert not Partnership.objects.exists()


@pytest.mark.django_db
def test_api_token_form_keeps_the_typed_values_after_an_error(client):
    client.force_login(UserFactory())

    response = client.post(
        reverse("api_tokens:list"),
        {"name": "Typed nightly export", "write": "on", "cluster": "999999"},
    )

    assert_kept(
        response, 400, "Select a valid choice.", 'value="Typed nightly export"',
    )  # fmt: skip
    assert re.search(r'<input type="checkbox" name="write"[^>]*\bchecked\b', page_text(response))
    assert not ApiToken.objects.exists()
