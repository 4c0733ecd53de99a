"""Helpers for the participant portal tests (plain functions: fixtures live in the modules)."""

import html

from django.urls import reverse

from clusterhub.common.models import ActivityLogEntry, OutboxMessage
from clusterhub.directory.models import Organisation, Person
from clusterhub.registration.models import Answer, Registration, RegistrationConfig, SignUp
from tests.factories import RegistrationFactory, UserFactory


def page_text(response) -> str:
    """The body with HTML entities decoded, so messages can be matched as users read them."""
    return html.unescape(response.content.decode())


def portal_url(name: str, event, *args) -> str:
    return reverse(f"portal:{name}", args=[event.slug, *args])


def db_state() -> tuple:
    """What a refused request must leave as it was (every service writes the activity log)."""
    return (
        ActivityLogEntry.objects.count(),
        Registration.objects.count(),
        Person.objects.count(),
        Organisation.objects.count(),
        Answer.objects.count(),
        OutboxMessage.objects.count(),
        RegistrationConfig.objects.count(),
        list(SignUp.objects.order_by("pk").values_list("pk", "status")),
    )


def registered(client, event, **fields) -> Registration:
    """Log `client` in as a new user with a registration for `event` and return it."""
    user = UserFactory()
    registration = RegistrationFactory(
        event=event, person__user=user, person__email=user.email, **fields
    )
    client.force_login(user)
    return registration
