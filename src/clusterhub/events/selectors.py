"""Reads of events and their programme. Every selector takes the event (or user) explicitly
and returns a queryset prepared for the page that shows it, so list pages run a fixed number
of queries whatever the number of sessions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from clusterhub.directory.models import ClusterRole, Organisation, Person, User
from clusterhub.events.models import (
    Event,
    EventStatus,
    Session,
    SessionRole,
    SessionType,
    Theme,
)


def events_published() -> QuerySet[Event]:
    return Event.objects.filter(status=EventStatus.PUBLISHED).select_related(
        "cluster__organisation"
    )


def events_for_organiser(*, user: User) -> QuerySet[Event]:
    """Events of every cluster where `user` is on the team (any role), each annotated with
    `session_count` (top-level sessions)."""
    if not user.is_authenticated:
        return Event.objects.none()
    mine = Event.objects.filter(
        cluster__memberships__user=user, cluster__memberships__role__in=ClusterRole.values
    )
    return (
        Event.objects.filter(pk__in=mine.values("pk"))
        .select_related("cluster__organisation")
        .annotate(
            session_count=Count("sessions", filter=Q(sessions__parent__isnull=True), distinct=True)
        )
    )


def _roles_prefetch() -> Prefetch:
    return Prefetch(
        "roles",
        queryset=SessionRole.objects.select_related("person__organisation").order_by(
            "position", "id"
        ),
    )


def sessions_for_programme(
    *,
    event: Event,
    day: date | None = None,
    session_type: str | None = None,
    theme: str | None = None,
) -> QuerySet[Session]:
    """Top-level sessions of `event` in time order, with their parts, room, themes and people.

    A session with parts matches a filter when it or one of its parts does. `day` is a date of
    the event in its own time zone; `theme` is a theme slug.
    """
    qs = Session.objects.filter(event=event, parent__isnull=True)
    if day is not None:
        start = event.local_datetime(day, time.min)
        qs = qs.filter(start__gte=start, start__lt=start + timedelta(days=1))
    if session_type:
        qs = qs.filter(Q(type=session_type) | Q(parts__type=session_type))
    if theme:
        qs = qs.filter(Q(themes__slug=theme) | Q(parts__themes__slug=theme))
    if session_type or theme:
        qs = qs.distinct()
    parts = Session.objects.select_related("room").prefetch_related(_roles_prefetch(), "themes")
    return (
        qs.select_related("room")
        .prefetch_related(_roles_prefetch(), "themes", Prefetch("parts", queryset=parts))
        .order_by("start", "title", "id")
    )


def sessions_for_orga(*, event: Event) -> QuerySet[Session]:
    """Every session of `event` (parts included) for the back office list."""
    return (
        Session.objects.filter(event=event)
        .select_related("room", "parent")
        .prefetch_related(_roles_prefetch(), "themes")
        .order_by("start", "part_order", "title", "id")
    )


def session_detail(*, event: Event, pk: int) -> Session:
    """One session of `event` with everything its page shows. Raises Session.DoesNotExist."""
    parts = Session.objects.select_related("room").prefetch_related(_roles_prefetch(), "themes")
    return (
        Session.objects.select_related("room", "parent")
        .prefetch_related(_roles_prefetch(), "themes", Prefetch("parts", queryset=parts))
        .get(event=event, pk=pk)
    )


def speakers_for_event(*, event: Event) -> QuerySet[Person]:
    """People with a role (speaker, moderator, panelist, host) in `event`, with those roles."""
    roles = SessionRole.objects.filter(session__event=event).select_related("session__parent")
    return (
        Person.objects.filter(session_roles__session__event=event)
        .distinct()
        .select_related("organisation")
        .prefetch_related(Prefetch("session_roles", queryset=roles, to_attr="event_roles"))
        .order_by("last_name", "first_name", "id")
    )


def organisations_for_event(*, event: Event) -> QuerySet[Organisation]:
    """The host, the partners and the organisations of everybody on the programme."""
    return (
        Organisation.objects.filter(
            Q(cluster__events=event)
            | Q(partnered_events=event)
            | Q(people__session_roles__session__event=event)
        )
        .distinct()
        .order_by("name")
    )


# --- public pages ----------------------------------------------------------------------------


def events_upcoming(*, today: date) -> QuerySet[Event]:
    """Published events that have not ended by `today`, soonest first. Reads only."""
    return events_published().filter(end_date__gte=today).order_by("start_date", "name", "id")


def events_past(*, today: date) -> QuerySet[Event]:
    """Published events that ended before `today`, most recent first. Reads only."""
    return events_published().filter(end_date__lt=today).order_by("-start_date", "name", "id")


def themes_for_event(*, event: Event) -> QuerySet[Theme]:
    """The themes of `event` by name (the programme's theme filter). Reads only."""
    return Theme.objects.filter(event=event).order_by("name", "id")


def sessions_for_calendar(*, event: Event) -> QuerySet[Session]:
    """Every session of `event`, parts included, with room, parent, people and themes: one
    calendar entry each. Reads only; four queries whatever the size of the programme."""
    return (
        Session.objects.filter(event=event)
        .select_related("room", "parent__room")
        .prefetch_related(_roles_prefetch(), "themes")
        .order_by("start", "part_order", "title", "id")
    )


@dataclass(frozen=True)
class ProgrammeDay:
    day: date
    sessions: int
    first_start: datetime
    last_end: datetime


@dataclass(frozen=True)
class ProgrammeGlance:
    """Counts of the top-level sessions of an event (parts are counted in `parts`)."""

    days: list[ProgrammeDay]
    types: list[tuple[str, int]]  # (translated type label, number), in SessionType order
    sessions: int
    parts: int


def programme_at_a_glance(*, event: Event) -> ProgrammeGlance:
    """How many sessions of each type `event` has and how each day runs, counted in the
    event's time zone. Reads only; one query."""
    tz = event.tzinfo
    by_type: Counter[str] = Counter()
    by_day: dict[date, list[tuple[datetime, datetime]]] = {}
    parts = 0
    rows = Session.objects.filter(event=event).values_list("parent_id", "type", "start", "end")
    for parent_id, session_type, start, end in rows:
        if parent_id is not None:
            parts += 1
            continue
        by_type[session_type] += 1
        by_day.setdefault(start.astimezone(tz).date(), []).append((start, end))
    days = [
        ProgrammeDay(
            day=day,
            sessions=len(spans),
            first_start=min(s for s, _ in spans),
            last_end=max(e for _, e in spans),
        )
        for day, spans in sorted(by_day.items())
    ]
    types = [(label, by_type[value]) for value, label in SessionType.choices if by_type[value]]
    return ProgrammeGlance(days=days, types=types, sessions=by_type.total(), parts=parts)


def event_counts(*, event: Event) -> dict[str, int]:
    """Top-level sessions, parts, people on the programme and rooms of `event` (two queries)."""
    counts = Session.objects.filter(event=event).aggregate(
        sessions=Count("pk", filter=Q(parent__isnull=True), distinct=True),
        parts=Count("pk", filter=Q(parent__isnull=False), distinct=True),
        people=Count("roles__person", distinct=True),
    )
    return {**counts, "rooms": event.rooms.count()}
