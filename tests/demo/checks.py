"""Invariant checks shared by the demo tests: what the programme services promise, checked
afterwards on whatever ended up in the database (so data that bypassed them is held to it too)."""

from collections import defaultdict
from datetime import time, timedelta
from itertools import combinations

from clusterhub.algorithms.intervals import overlaps
from clusterhub.events.models import Event, Session, SessionRole


def _family(a: Session, b: Session) -> bool:
    return a.parent_id == b.pk or b.parent_id == a.pk


def room_clashes(event: Event) -> list[tuple[str, str]]:
    """Pairs of overlapping sessions in one room that are not a session and its part."""
    by_room = defaultdict(list)
    for s in Session.objects.filter(event=event, room__isnull=False):
        by_room[s.room_id].append(s)
    return [
        (a.title, b.title)
        for sessions in by_room.values()
        for a, b in combinations(sessions, 2)
        if overlaps(a.start, a.end, b.start, b.end) and not _family(a, b)
    ]


def person_clashes(event: Event) -> list[tuple[str, str, str]]:
    """(person, session, session) for anyone in two overlapping sessions outside one family."""
    by_person = defaultdict(list)
    for role in SessionRole.objects.filter(session__event=event).select_related("session"):
        by_person[role.person_id].append(role.session)
    return [
        (str(person), a.title, b.title)
        for person, sessions in by_person.items()
        for a, b in combinations(sessions, 2)
        if a.pk != b.pk and overlaps(a.start, a.end, b.start, b.end) and not _family(a, b)
    ]


def outside_event(event: Event) -> list[str]:
    first = event.local_datetime(event.start_date, time.min)
    after = event.local_datetime(event.end_date + timedelta(days=1), time.min)
    return [s.title for s in event.sessions.all() if not (first <= s.start and s.end <= after)]


def parts_outside_parent(event: Event) -> list[str]:
    return [
        s.title
        for s in event.sessions.filter(parent__isnull=False).select_related("parent")
        if not (s.parent.start <= s.start and s.end <= s.parent.end)
    ]


def seats_beyond_room(event: Event) -> list[str]:
    return [
        s.title
        for s in event.sessions.filter(capacity__isnull=False).select_related("room")
        if s.room and s.room.capacity is not None and s.capacity > s.room.capacity
    ]


def assert_programme_invariants(event: Event) -> None:
    assert room_clashes(event) == []
    assert person_clashes(event) == []
    assert outside_event(event) == []
    assert parts_outside_parent(event) == []
    assert seats_beyond_room(event) == []
    assert not event.sessions.filter(signup_required=True, capacity__isnull=True).exists()
