"""Writes to events and their programme.

Every service is atomic, validates before writing, and records an activity log entry. Refusals
raise `django.core.exceptions.ValidationError` keyed by form field with a `code`, so forms show
them next to the field and the API can answer 400 with the same code.

Programme writes lock the event row first (`select_for_update`; on SQLite the IMMEDIATE
transaction does the same) so two organisers cannot both book one room for the same hour.
"""

from __future__ import annotations

import zoneinfo
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterhub.common.activity import activity_log
from clusterhub.directory.models import Cluster, Person, User
from clusterhub.directory.services import (
    cluster_contact_add,
    organisation_get_or_create,
    person_create,
)
from clusterhub.events.models import (
    Event,
    EventStatus,
    Room,
    Session,
    SessionRole,
    SessionRoleType,
    Theme,
    local_time_exists,
)
from clusterhub.events.signals import session_capacity_changed

EVENT_FIELDS = {
    "name", "slug", "tagline", "description", "start_date", "end_date", "timezone",
    "venue_name", "venue_address", "city",
}  # fmt: skip
ROOM_FIELDS = {"name", "capacity", "is_offsite", "address", "position"}
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


# --- sessions ------------------------------------------------------------------------------


def _within_event(event: Event, start: datetime, end: datetime) -> bool:
    first = event.local_datetime(event.start_date, time.min)
    after_last = event.local_datetime(event.end_date + timedelta(days=1), time.min)
    return first <= start and end <= after_last


def _family_ids(session: Session) -> set[int]:
    """The session, its parent and its parts: they may share a room and people."""
    ids = {session.pk} if session.pk else set()
    if session.parent_id:
        ids.add(session.parent_id)
    if session.pk:
        ids.update(session.parts.values_list("pk", flat=True))
    return ids


def _overlapping(event: Event, session: Session):
    return (
        Session.objects.filter(event=event, start__lt=session.end, end__gt=session.start)
        .exclude(pk__in=_family_ids(session))
        .order_by("start")
    )


def _when(event: Event, s: Session) -> str:
    tz = event.tzinfo
    start, end = s.start.astimezone(tz), s.end.astimezone(tz)
    return f"{date_format(start, 'D j M')} {time_format(start, 'H:i')}–{time_format(end, 'H:i')}"


def _session_check(event: Event, session: Session) -> None:
    errors: dict[str, list[ValidationError]] = {}

    def refuse(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if session.start and session.end and session.end <= session.start:
        refuse("end", _("The session must end after it starts."), "end_before_start")
    elif session.start and session.end and not _within_event(event, session.start, session.end):
        refuse(
            "start",
            _("The session must take place during the event (%(first)s to %(last)s).")
            % {"first": event.start_date.isoformat(), "last": event.end_date.isoformat()},
            "outside_event",
        )
    room = session.room
    if room is not None and room.event_id != event.pk:
        refuse("room", _("That room belongs to another event."), "room_other_event")
    if session.signup_required and session.capacity is None:
        refuse("capacity", _("A session that needs sign-up needs a number of seats."), "no_seats")
    if (
        session.capacity is not None
        and room is not None
        and room.capacity is not None
        and session.capacity > room.capacity
    ):
        refuse(
            "capacity",
            _("%(room)s holds %(max)d people; the session cannot offer %(seats)d seats.")
            % {"room": room.name, "max": room.capacity, "seats": session.capacity},
            "seats_exceed_room",
        )
    parent = session.parent
    if parent is not None:
        if parent.event_id != event.pk:
            refuse("parent", _("The parent session belongs to another event."), "parent_other")
        elif parent.parent_id is not None or parent.pk == session.pk:
            refuse("parent", _("A part cannot itself be split into parts."), "nested_parts")
        elif session.pk and session.parts.exists():
            refuse("parent", _("A session with parts cannot become a part."), "nested_parts")
        elif (
            session.start
            and session.end
            and not (parent.start <= session.start and session.end <= parent.end)
        ):
            refuse(
                "start",
                _("A part must take place within “%(parent)s” (%(when)s).")
                % {"parent": parent.title, "when": _when(event, parent)},
                "part_outside_parent",
            )
    if session.pk and session.start and session.end:
        stray = session.parts.filter(Q(start__lt=session.start) | Q(end__gt=session.end)).first()
        if stray:
            refuse(
                "start",
                _("Part “%(part)s” (%(when)s) would fall outside this session.")
                % {"part": stray.title, "when": _when(event, stray)},
                "parts_outside",
            )
    if errors:
        raise ValidationError(errors)

    if room is not None:
        clash = _overlapping(event, session).filter(room=room).first()
        if clash:
            refuse(
                "room",
                _("%(room)s is already taken by “%(title)s” (%(when)s).")
                % {"room": room.name, "title": clash.title, "when": _when(event, clash)},
                "room_busy",
            )
    if session.pk:
        for role in session.roles.select_related("person"):
            clash = _person_clash(event, session, role.person)
            if clash:
                refuse(
                    "start",
                    _("%(person)s is already in “%(title)s” (%(when)s).")
                    % {"person": role.person, "title": clash.title, "when": _when(event, clash)},
                    "person_busy",
                )
    if errors:
        raise ValidationError(errors)


def _person_clash(event: Event, session: Session, person: Person) -> Session | None:
    return _overlapping(event, session).filter(roles__person=person).first()


def _next_part_order(parent: Session) -> int:
    return (parent.parts.aggregate(m=Max("part_order"))["m"] or 0) + 1


def _set_themes(session: Session, themes: Iterable[str]) -> None:
    objs = []
    for name in dict.fromkeys(t.strip() for t in themes if t.strip()):
        slug = slugify(name)[:100] or "theme"
        theme, _created = Theme.objects.get_or_create(
            event=session.event, slug=slug, defaults={"name": name[:100]}
        )
        objs.append(theme)
    session.themes.set(objs)


@transaction.atomic
def session_create(
    *, event: Event, actor: User | None, themes: Iterable[str] = (), **fields: Any
) -> Session:
    """Put a session on the programme.

    Raises ValidationError (keyed by field) when it ends before it starts (`end_before_start`),
    falls outside the event's days (`outside_event`), takes a room already in use
    (`room_busy`), nests parts (`nested_parts`) or leaves its parent's time (`part_outside_parent`).
    A part without `part_order` comes after the parent's existing parts.
    """
    event = _lock_event(event)
    session = Session(event=event)
    _assign(session, fields, SESSION_FIELDS)
    if session.parent is not None and session.part_order is None:
        session.part_order = _next_part_order(session.parent)
    _session_check(event, session)
    session.full_clean()
    session.save()
    _set_themes(session, themes)
    _log(actor, "events.session.create", session, event)
    return session


@transaction.atomic
def session_update(
    *, session: Session, actor: User | None, themes: Iterable[str] | None = None, **fields: Any
) -> Session:
    """Change a session; the same refusals as `session_create`, plus `person_busy` when a
    speaker would be in two sessions at once and `parts_outside` when its parts no longer fit.
    A change of seats sends `signals.session_capacity_changed`, whose receivers may refuse it."""
    event = _lock_event(session.event)
    old_parent_id = session.parent_id
    old_capacity = Session.objects.filter(pk=session.pk).values_list("capacity", flat=True).get()
    _assign(session, fields, SESSION_FIELDS)
    if session.parent is None:
        session.part_order = None
    elif session.part_order is None or (
        session.parent_id != old_parent_id and "part_order" not in fields
    ):
        # A part moving to another session comes after that session's parts.
        session.part_order = _next_part_order(session.parent)
    _session_check(event, session)
    session.full_clean()
    session.save()
    if session.capacity != old_capacity:
        session_capacity_changed.send(
            sender=Session, session=session, old=old_capacity, new=session.capacity, actor=actor
        )
    if themes is not None:
        _set_themes(session, themes)
    _log(actor, "events.session.update", session, event, fields=sorted(fields))
    return session


@transaction.atomic
def session_delete(*, session: Session, actor: User | None) -> None:
    """Remove a session (and its parts) from the programme."""
    _log(actor, "events.session.delete", session, session.event, parts=session.parts.count())
    session.delete()


@transaction.atomic
def session_role_add(
    *,
    session: Session,
    person: Person,
    role: str = SessionRoleType.SPEAKER,
    actor: User | None,
) -> SessionRole:
    """Give `person` a role in `session`. Refuses a person who is already in an overlapping
    session of the event (`person_busy`) or already has that role here (`duplicate_role`)."""
    event = _lock_event(session.event)
    if role not in SessionRoleType.values:
        raise _refusal("role", _("Unknown role."), "invalid_role")
    if session.roles.filter(person=person, role=role).exists():
        raise _refusal(
            "person", _("%(person)s already has this role here.") % {"person": person},
            "duplicate_role",
        )  # fmt: skip
    clash = _person_clash(event, session, person)
    if clash:
        raise _refusal(
            "person",
            _("%(person)s is already in “%(title)s” (%(when)s).")
            % {"person": person, "title": clash.title, "when": _when(event, clash)},
            "person_busy",
        )
    position = (session.roles.aggregate(m=Max("position"))["m"] or 0) + 1
    session_role = SessionRole.objects.create(
        session=session, person=person, role=role, position=position
    )
    cluster_contact_add(cluster=event.cluster, person=person)
    _touch(session)
    _log(actor, "events.session_role.add", session_role, event, person=person.pk, role=role)
    return session_role


@transaction.atomic
def session_person_add(
    *,
    session: Session,
    first_name: str,
    last_name: str,
    email: str,
    role: str = SessionRoleType.SPEAKER,
    organisation_name: str = "",
    job_title: str = "",
    actor: User | None,
) -> SessionRole:
    """Give somebody not yet among the cluster's contacts a role in `session`, in one go.

    A person already in the directory with this email is reused as they are (their record is
    not overwritten); otherwise a new person is created, with the organisation found by name or
    added. Either way they become a contact of the event's cluster. The same refusals as
    `session_role_add`; nothing is written when one applies.
    """
    existing = Person.objects.filter(email__iexact=email.strip()).first() if email.strip() else None
    person = existing
    if person is None:
        organisation = None
        if organisation_name.strip():
            organisation = organisation_get_or_create(name=organisation_name, actor=actor)
        person = person_create(
            first_name=first_name, last_name=last_name, email=email, job_title=job_title,
            organisation=organisation, cluster=session.event.cluster, actor=actor,
        )  # fmt: skip
    return session_role_add(session=session, person=person, role=role, actor=actor)


@transaction.atomic
def session_role_remove(*, session_role: SessionRole, actor: User | None) -> None:
    """Take a person off a session."""
    _log(actor, "events.session_role.remove", session_role, session_role.session.event)
    session_role.delete()
    _touch(session_role.session)


def _touch(session: Session) -> None:
    # The people are part of a session as calendars see it: bump its modification time so the
    # iCal feed's DTSTAMP/LAST-MODIFIED change when only the speakers do.
    Session.objects.filter(pk=session.pk).update(updated_at=timezone.now())
