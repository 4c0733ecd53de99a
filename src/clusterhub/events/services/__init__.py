"""Writes to events and their programme: `from clusterhub.events import services`.

Every service is atomic, validates before writing, and records an activity log entry. Refusals
raise `django.core.exceptions.ValidationError` keyed by form field with a `code`, so forms show
them next to the field and the API can answer 400 with the same code.

Programme writes lock the event row first (`select_for_update`; on SQLite the IMMEDIATE
transaction does the same) so two organisers cannot both book one room for the same hour.
"""

from clusterhub.events.services.base import EVENT_FIELDS, ROOM_FIELDS, SESSION_FIELDS
from clusterhub.events.services.events import (
    RESERVED_EVENT_SLUGS,
    event_create,
    event_publish,
    event_unpublish,
    event_update,
    room_create,
    room_delete,
    room_update,
)
from clusterhub.events.services.programme import (
    session_create,
    session_delete,
    session_person_add,
    session_role_add,
    session_role_remove,
    session_update,
)

__all__ = [
    "EVENT_FIELDS",
    "RESERVED_EVENT_SLUGS",
    "ROOM_FIELDS",
    "SESSION_FIELDS",
    "event_create",
    "event_publish",
    "event_unpublish",
    "event_update",
    "room_create",
    "room_delete",
    "room_update",
    "session_create",
    "session_delete",
    "session_person_add",
    "session_role_add",
    "session_role_remove",
    "session_update",
]
