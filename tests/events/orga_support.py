"""Helpers for the back-office tests (plain functions; the shared fixtures are in conftest.py)."""

import html

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusterhub.common.models import ActivityLogEntry
from clusterhub.events.models import Event, Room, Session, SessionRole


def page_text(response) -> str:
    """The body with HTML entities decoded, so messages can be matched as users read them."""
    return html.unescape(response.content.decode())


def query_count(client, url: str) -> int:
    """Queries one GET of `url` runs (asserting it answers 200)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def db_state() -> tuple:
    """What a refused or forbidden request must leave as it was. Every service writes an
    activity log entry, so an unchanged log means no service ran."""
    return (
        ActivityLogEntry.objects.count(),
        list(Event.objects.order_by("pk").values_list("pk", "name", "slug", "status")),
        list(Room.objects.order_by("pk").values_list("pk", "name", "capacity")),
        list(Session.objects.order_by("pk").values_list("pk", "title", "start", "end", "room")),
        SessionRole.objects.count(),
    )


def session_data(**overrides) -> dict:
    """A valid session form post for the default event days (3–4 December 2025)."""
    data = {
        "title": "Keynote",
        "type": "talk",
        "day": "2025-12-03",
        "start_time": "10:00",
        "end_time": "11:00",
        "room": "",
        "parent": "",
        "capacity": "",
        "themes": "",
        "description": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def orga_url(name: str, event, *args) -> str:
    """The address of back-office page `name` of `event`."""
    return reverse(f"orga:{name}", args=[event.slug, *args])
