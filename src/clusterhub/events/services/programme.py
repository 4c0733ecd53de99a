"""Sessions, their parts and the people in them; the conflict checks of the programme."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from clusterhub.directory.models import Person, User
from clusterhub.directory.services import (
    cluster_contact_add,
    organisation_get_or_create,
    person_create,
)
from clusterhub.events.models import (
    Event,
    Session,
    SessionRole,
    SessionRoleType,
    Theme,
)
from clusterhub.events.services.base import SESSION_FIELDS, _assign, _lock_event, _log, _refusal
from clusterhub.events.signals import session_capacity_changed

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
