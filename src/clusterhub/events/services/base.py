"""What the events services share: field lists, the event lock, refusals, the log."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from clusterhub.common.activity import activity_log
from clusterhub.directory.models import User
from clusterhub.events.models import (
    Event,
)

EVENT_FIELDS = {
    "name", "slug", "tagline", "description", "start_date", "end_date", "timezone",
    "venue_name", "venue_address", "city",
}  # fmt: skip
ROOM_FIELDS = {"name", "capacity", "is_offsite", "address", "travel_minutes", "position"}
SESSION_FIELDS = {
    "title", "type", "parent", "part_order", "room", "start", "end", "capacity",
    "signup_required", "description",
}  # fmt: skip


def _assign(obj: Any, fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(sorted(unknown))}")
    for key, value in fields.items():
        setattr(obj, key, value)


def _refusal(field: str, message: str, code: str) -> ValidationError:
    """A refusal keyed by form field that keeps its code (a bare dict would drop it)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _log(actor: User | None, action: str, obj: Any, event: Event, **data: Any) -> None:
    activity_log(
        actor=actor, action=action, obj=obj, cluster_id=event.cluster_id, event_id=event.pk,
        data=data,
    )  # fmt: skip
