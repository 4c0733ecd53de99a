"""Helpers for registration's back-office tests (plain functions; fixtures live in the test
modules)."""

from itertools import count

from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterhub.common.models import ActivityLogEntry, OutboxMessage
from clusterhub.registration.models import (
    Answer,
    CheckIn,
    Question,
    Registration,
    RegistrationConfig,
    SignUp,
    TicketType,
)
from clusterhub.registration.tokens import badge_token
from tests.factories import OrganisationFactory, PersonFactory, RegistrationFactory

_serial = count(1)


def registered(
    event,
    *,
    first: str = "Ada",
    last: str = "Lovelace",
    org: str = "Oslo Cancer Cluster",
    org_type: str = "cluster",
    country: str = "NO",
    email: str | None = None,
    **kwargs,
) -> Registration:
    """A registration of a person with this name, organisation and country. Names may repeat
    (look-alike data in another event); emails and organisation slugs stay unique."""
    n = next(_serial)
    organisation = OrganisationFactory(name=org, slug=f"org-{n}", type=org_type, country=country)
    person = PersonFactory(
        first_name=first,
        last_name=last,
        organisation=organisation,
        country=country,
        email=email if email is not None else f"p{n}@example.org",
    )
    return RegistrationFactory(event=event, person=person, **kwargs)


def badge(registration: Registration) -> str:
    return badge_token(
        event_id=registration.event_id,
        registration_id=registration.pk,
        nonce=registration.badge_nonce,
    )


def registration_state() -> tuple:
    """What a refused or forbidden request must leave as it was."""
    return (
        ActivityLogEntry.objects.count(),
        OutboxMessage.objects.count(),
        list(Registration.objects.order_by("pk").values_list("pk", "status", "checked_in_at")),
        list(SignUp.objects.order_by("pk").values_list("pk", "session_id", "status")),
        CheckIn.objects.count(),
        list(TicketType.objects.order_by("pk").values_list("pk", "name", "is_public")),
        list(Question.objects.order_by("pk").values_list("pk", "label", "kind", "choices")),
        # The settings row is made empty when first needed (a page view): only values count.
        list(
            RegistrationConfig.objects.exclude(
                opens_at=None, closes_at=None, capacity=None, privacy_notice=""
            ).values_list("event_id", "opens_at", "closes_at", "capacity", "privacy_notice")
        ),
        Answer.objects.count(),
    )


def queries(client, url: str) -> int:
    """Queries one GET of `url` runs, the response read to its end (asserting 200)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(ctx.captured_queries)
