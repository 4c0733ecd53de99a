"""Every download of personal data by an organiser leaves an activity log line."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clusterhub.common.models import ActivityLogEntry
from clusterhub.registration.models import RegistrationStatus
from tests.factories import RegistrationFactory


@pytest.fixture
def orga(client, organiser):
    client.force_login(organiser)
    return client


def entry() -> ActivityLogEntry:
    [found] = ActivityLogEntry.objects.filter(action__endswith=".export")
    return found


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_registrations_export_is_logged_with_format_and_rows(orga, organiser, event, fmt):
    RegistrationFactory.create_batch(3, event=event)
    RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)
    response = orga.get(
        reverse(f"orga_registration:registrations_{fmt}", args=[event.slug]) + "?status=confirmed"
    )
    b"".join(response.streaming_content)
    logged = entry()
    assert (logged.action, logged.actor, logged.event_id, logged.cluster_id) == (
        "registration.export", organiser, event.pk, event.cluster_id,
    )  # fmt: skip
    assert logged.data == {"export": "registrations", "format": fmt, "rows": 3}


def test_badges_export_is_logged(orga, organiser, event):
    RegistrationFactory.create_batch(2, event=event)
    response = orga.get(reverse("orga_registration:badges_pdf", args=[event.slug]))
    assert response.status_code == 200
    logged = entry()
    assert (logged.action, logged.actor) == ("registration.badges.export", organiser)
    assert logged.data == {"export": "badges", "format": "pdf", "rows": 2}


def test_a_refused_export_is_not_logged(client, event):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("orga_registration:registrations_csv", args=[event.slug]))
    assert response.status_code in (403, 404)
    assert not ActivityLogEntry.objects.filter(action__endswith=".export").exists()
