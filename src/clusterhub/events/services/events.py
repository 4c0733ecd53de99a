"""Events and rooms."""

from __future__ import annotations

import zoneinfo
from collections import Counter
from datetime import UTC, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterhub.directory.models import Cluster, User
from clusterhub.events.models import (
    Event,
    EventStatus,
    Room,
    Session,
    local_time_exists,
)
from clusterhub.events.services.base import (
    EVENT_FIELDS,
    ROOM_FIELDS,
    _assign,
    _lock_event,
    _log,
    _refusal,
)
from clusterhub.events.services.programme import _session_check, _within_event

# --- events --------------------------------------------------------------------------------

RESERVED_EVENT_SLUGS = frozenset({"new"})  # /orga/events/new/ creates an event


def _check_slug(event: Event) -> None:
    if event.slug in RESERVED_EVENT_SLUGS:
        raise _refusal(
            "slug",
            _("“%(slug)s” is reserved; choose another short name.") % {"slug": event.slug},
            "reserved_slug",
        )


SLUG_LENGTH = Event._meta.get_field("slug").max_length or 100


def _derived_slug(event: Event) -> str:
    """A free short name made from the event's name: `deep-dive-days`, else `deep-dive-days-2`,
    `-3`, ... A name with no Latin letters or digits (“Дні інновацій”) slugifies to nothing and
    gives `event-<year>` instead."""
    base = slugify(event.name or "")[:SLUG_LENGTH].strip("-")
    if not base:
        base = f"event-{event.start_date.year}" if event.start_date else "event"
    stem = base[: SLUG_LENGTH - 10]  # every candidate starts with it, suffix or not
    taken = set(Event.objects.filter(slug__startswith=stem).values_list("slug", flat=True))
    taken |= RESERVED_EVENT_SLUGS
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        suffix = f"-{n}"
        candidate = base[: SLUG_LENGTH - len(suffix)].rstrip("-") + suffix
    return candidate


@transaction.atomic
def event_create(*, cluster: Cluster, actor: User | None, **fields: Any) -> Event:
    """Create a draft event hosted by `cluster`.

    Without a `slug`, one is derived from the name and made unique (`name-2`, ...; `event-<year>`
    when the name gives none). An explicit slug that is taken or reserved is refused.
    Raises ValidationError on bad fields, e.g. `date_out_of_range`, `event_too_long`,
    `reserved_slug`. Side effect: an activity log entry.
    """
    partners = fields.pop("partners", None)
    event = Event(cluster=cluster)
    _assign(event, fields, EVENT_FIELDS)
    if not event.slug:
        event.slug = _derived_slug(event)
    _check_slug(event)
    event.full_clean()
    event.save()
    if partners is not None:
        event.partners.set(partners)
    _log(actor, "events.event.create", event, event)
    return event


@transaction.atomic
def event_update(*, event: Event, actor: User | None, **fields: Any) -> Event:
    """Change an event's details.

    A new time zone keeps the programme's local times: a session at 10:00 in Europe/Oslo is
    at 10:00 in America/New_York afterwards, so every session's stored (UTC) start and end move
    in the same transaction, and their `updated_at` with them (calendars see the change). A
    local time that happens twice in the new zone is read as its first occurrence.

    Raises ValidationError: bad fields (`date_out_of_range`, `event_too_long`, ...); new dates
    or time zone that would leave sessions outside the event's days (`sessions_outside_event`);
    a session whose local time does not exist in the new zone (`nonexistent_time`); and, for
    the rare session whose length changes with the zone's daylight saving time, the refusals
    of `session_update` (`room_busy`, `person_busy`, ...). Nothing is written then.
    Side effect: an activity log entry.
    """
    partners = fields.pop("partners", None)
    stored = _lock_event(event)
    _assign(event, fields, EVENT_FIELDS)
    _check_slug(event)
    event.full_clean()
    sessions = list(event.sessions.all())
    moved: dict[Session, Shift] = {}
    if event.timezone != stored.timezone:
        moved = _reanchor(event, sessions, stored.tzinfo)
    outside = [s for s in sessions if not _within_event(event, s.start, s.end)]
    if outside:
        raise ValidationError(
            ngettext(
                "%(count)d session would fall outside the event's days: “%(title)s”. "
                "Move it first.",
                "%(count)d sessions would fall outside the event's days, e.g. “%(title)s”. "
                "Move them first.",
                len(outside),
            )
            % {"count": len(outside), "title": outside[0].title},
            code="sessions_outside_event",
        )
    event.save()
    if moved:
        Session.objects.bulk_update(list(moved), ["start", "end", "updated_at"])
        for session in _shifted_unevenly(moved):
            _recheck_moved(event, session)
    changes: dict[str, Any] = {"fields": sorted(fields)}
    if moved:
        changes["sessions_moved"] = len(moved)
    if partners is not None:
        before = set(event.partners.values_list("pk", flat=True))
        event.partners.set(partners)
        if before != {p.pk for p in partners}:
            changes["partners"] = sorted(p.pk for p in partners)
    _log(actor, "events.event.update", event, event, **changes)
    return event


@transaction.atomic
def event_publish(*, event: Event, actor: User | None) -> Event:
    """Make the event and its programme visible to the public."""
    event.status = EventStatus.PUBLISHED
    event.published_at = event.published_at or timezone.now()
    event.save(update_fields=["status", "published_at", "updated_at"])
    _log(actor, "events.event.publish", event, event)
    return event


@transaction.atomic
def event_unpublish(*, event: Event, actor: User | None) -> Event:
    """Hide the event again: its public pages answer 404."""
    event.status = EventStatus.DRAFT
    event.save(update_fields=["status", "updated_at"])
    _log(actor, "events.event.unpublish", event, event)
    return event


Shift = tuple[timedelta, timedelta]  # how far a session's start and end move


def _reanchor(
    event: Event, sessions: list[Session], old: zoneinfo.ZoneInfo
) -> dict[Session, Shift]:
    """Give `sessions` the local start and end in `event`'s (new) zone that they had in `old`.
    Changes them in memory; returns those whose stored time changed, with how far."""
    new, now = event.tzinfo, timezone.now()
    moved: dict[Session, Shift] = {}
    for session in sessions:
        start = session.start.astimezone(old).replace(tzinfo=new, fold=0)
        end = session.end.astimezone(old).replace(tzinfo=new, fold=0)
        for value in (start, end):
            if not local_time_exists(value):
                raise _refusal(
                    "timezone",
                    _(
                        "“%(title)s” is at %(time)s on %(day)s, a time that does not exist in "
                        "%(zone)s (the clocks skip it for daylight saving time). Move it first."
                    )
                    % {
                        "title": session.title,
                        "time": time_format(value.time(), "H:i"),
                        "day": date_format(value.date(), "j F Y"),
                        "zone": event.timezone,
                    },
                    "nonexistent_time",
                )
        # In UTC: an ambiguous local time never compares equal to another zone's (PEP 495).
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        if (start, end) != (session.start, session.end):
            moved[session] = (start - session.start, end - session.end)
            session.start, session.end, session.updated_at = start, end, now
    return moved


def _shifted_unevenly(moved: dict[Session, Shift]) -> list[Session]:
    """The moved sessions whose start or end moved differently from most. Only they can have
    come to overlap another session or to leave their parent (a daylight saving change falls
    between them in one zone and not in the other); the rest moved together."""
    usual, _count = Counter(moved.values()).most_common(1)[0]
    return [session for session, shift in moved.items() if shift != usual]


def _recheck_moved(event: Event, session: Session) -> None:
    """The checks of `session_update` for a session the time zone moved (already saved: the
    caller's transaction rolls back on a refusal), naming the session in the message."""
    try:
        _session_check(event, session)
    except ValidationError as exc:
        error = next(e for errors in exc.error_dict.values() for e in errors)
        raise _refusal(
            "timezone",
            _("In the new time zone “%(title)s” would not fit: %(reason)s")
            % {"title": session.title, "reason": error.message},
            error.code or "invalid",
        ) from exc


# --- rooms ---------------------------------------------------------------------------------


@transaction.atomic
def room_create(*, event: Event, actor: User | None, **fields: Any) -> Room:
    room = Room(event=event)
    _assign(room, fields, ROOM_FIELDS)
    room.full_clean()
    room.save()
    _log(actor, "events.room.create", room, event)
    return room


@transaction.atomic
def room_update(*, room: Room, actor: User | None, **fields: Any) -> Room:
    """Change a room. Refuses a capacity below the seats of a session already in it."""
    _lock_event(room.event)
    _assign(room, fields, ROOM_FIELDS)
    room.full_clean()
    if room.capacity is not None:
        too_big = room.sessions.filter(capacity__gt=room.capacity).first()
        if too_big:
            raise _refusal(
                "capacity",
                _("“%(title)s” in this room offers %(seats)d seats; the room cannot hold fewer.")
                % {"title": too_big.title, "seats": too_big.capacity},
                "capacity_below_sessions",
            )
    room.save()
    _log(actor, "events.room.update", room, room.event)
    return room


@transaction.atomic
def room_delete(*, room: Room, actor: User | None) -> None:
    """Delete a room; its sessions stay on the programme without a room."""
    _log(actor, "events.room.delete", room, room.event)
    room.delete()
