"""The programme of an event as an iCalendar feed (RFC 5545), for calendar subscriptions.

One VEVENT per session, parts included. Each UID derives from `Session.uid`, so a subscribed
calendar keeps the same entries when a title, time or room changes. Times are written in the
event's time zone (TZID) with a matching VTIMEZONE. The feed has no METHOD, so DTSTAMP is the
last change of what the entry shows (RFC 5545 §3.8.7.2): the session, its people (services bump
the session), its room, its parent's title and the event's venue. Fetching an unchanged
programme twice gives the same bytes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

import icalendar
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterhub.events.models import Event, Room, Session, SessionRoleType

PRODID = "-//clusterhub//Event programme//EN"
# Subscribed calendars poll; a programme changes a few times a day at most.
REFRESH_INTERVAL = timedelta(hours=6)
ROLE_ORDER = SessionRoleType.values  # speakers first, as on the programme page


def session_uid(session: Session) -> str:
    """The calendar UID of a session: stable for the life of the session."""
    return f"{session.uid}@clusterhub"


def programme_calendar(
    *,
    event: Event,
    sessions: Iterable[Session],
    feed_url: str,
    session_url: Callable[[Session], str],
) -> icalendar.Calendar:
    """A calendar with one VEVENT per session in `sessions` (give them with room, parent,
    roles with person and organisation, and themes loaded). `session_url` gives the absolute
    address of a session's page."""
    calendar = icalendar.Calendar.new(
        prodid=PRODID,
        name=event.name,
        description=event.tagline or None,
        uid=uuid.uuid5(uuid.NAMESPACE_URL, feed_url),
        url=feed_url,
        refresh_interval=REFRESH_INTERVAL,
    )
    calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(REFRESH_INTERVAL))  # Outlook, Apple
    for session in sessions:
        calendar.add_component(_vevent(event, session, session_url(session)))
    # Enough transitions to cover the event, not the default 1970-2038 (~2 kB per feed).
    calendar.add_missing_timezones(
        first_date=date(event.start_date.year, 1, 1),
        last_date=date(event.end_date.year + 1, 1, 1),
    )
    return calendar


def _vevent(event: Event, session: Session, url: str) -> icalendar.Event:
    tz = event.tzinfo
    changed = _last_change(event, session)
    vevent = icalendar.Event.new(
        uid=session_uid(session),
        stamp=changed,
        last_modified=changed,
        created=session.created_at,
        start=session.start.astimezone(tz),
        end=session.end.astimezone(tz),
        summary=_summary(session),
        location=_location(event, session) or None,
        description=_description(session) or None,
        categories=[str(session.get_type_display()), *(t.name for t in session.themes.all())],
        url=url,
    )
    if session.parent_id is not None:
        vevent.add("RELATED-TO", session_uid(session.parent), parameters={"RELTYPE": "PARENT"})
    return vevent


def _room(session: Session) -> Room | None:
    # A part without a room of its own takes place where the whole session does.
    return session.room or (session.parent.room if session.parent else None)


def _last_change(event: Event, session: Session) -> datetime:
    """When anything the entry shows last changed (rows already loaded: no query)."""
    room, parent = _room(session), session.parent
    return max(
        session.updated_at,
        event.updated_at,
        *([room.updated_at] if room else []),
        *([parent.updated_at] if parent else []),
    )


def _summary(session: Session) -> str:
    if session.parent is None:
        return session.title
    # A part on its own in a calendar ("Part 1: Panel") needs the name of the whole.
    return f"{session.parent.title} — {session.title}"


def _location(event: Event, session: Session) -> str:
    room = _room(session)
    if room is None:
        return ", ".join(x for x in (event.venue_name, event.venue_address) if x)
    if room.is_offsite:
        return f"{room.name}, {room.address}"
    return ", ".join(x for x in (room.name, event.venue_name) if x)


def _description(session: Session) -> str:
    paragraphs = []
    if session.parent is not None:
        paragraphs.append(
            _("Part %(number)d of “%(title)s”.")
            % {"number": session.part_order, "title": session.parent.title}
        )
    if session.description:
        paragraphs.append(session.description.strip())
    roles = sorted(session.roles.all(), key=lambda r: ROLE_ORDER.index(r.role))
    people = [
        f"{role.get_role_display()}: {role.person.full_name}"
        + (f" ({role.person.organisation.name})" if role.person.organisation else "")
        for role in roles
    ]
    if people:
        paragraphs.append("\n".join(people))
    if session.signup_required:
        seats = session.capacity or 0
        paragraphs.append(
            ngettext(
                "Sign-up required: %(seats)d seat.", "Sign-up required: %(seats)d seats.", seats
            )
            % {"seats": seats}
        )
    return "\n\n".join(paragraphs)
