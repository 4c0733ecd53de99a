"""Calendar entries (VEVENT) for the agenda items other apps provide (`agenda.py`), written
like the programme's sessions: in the event's time zone, with a stable UID and DTSTAMP the
last change of the entry."""

from __future__ import annotations

import icalendar

from clusterhub.events.models import Event
from clusterhub.registration.agenda import AgendaItem


def agenda_vevent(event: Event, item: AgendaItem, url: str) -> icalendar.Event:
    tz = event.tzinfo
    vevent = icalendar.Event()
    vevent.add("uid", item.uid)
    vevent.add("summary", item.title)
    vevent.add("dtstart", item.start.astimezone(tz))
    vevent.add("dtend", item.end.astimezone(tz))
    vevent.add("dtstamp", item.changed or item.start)
    if item.location:
        vevent.add("location", item.location)
    if item.description:
        vevent.add("description", item.description)
    if item.url:
        vevent.add("url", url)
    return vevent
