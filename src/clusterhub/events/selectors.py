"""Reads of events and their programme. Every selector takes the event (or user) explicitly
and returns a queryset prepared for the page that shows it, so list pages run a fixed number
of queries whatever the number of sessions."""

from __future__ import annotations

import zoneinfo
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, F, Max, Prefetch, Q, QuerySet

from clusterhub.directory.models import ClusterRole, Organisation, Person, User
from clusterhub.events.models import (
    Availability,
    Event,
    EventStatus,
    Room,
    Session,
    SessionRole,
    SessionType,
    Theme,
    TimetableRule,
    TimetableRun,
    TimetableRunStatus,
)


def events_published() -> QuerySet[Event]:
    return Event.objects.filter(status=EventStatus.PUBLISHED).select_related(
        "cluster__organisation"
    )


def event_for_public(*, slug: str) -> Event:
    """The event at `slug`, draft or not (the caller decides who may see it), with its host.
    Raises Event.DoesNotExist."""
    return Event.objects.select_related("cluster__organisation").get(slug=slug)


def partners_for_event(*, event: Event) -> QuerySet[Organisation]:
    """The partner organisations of `event` by name. Reads only."""
    return event.partners.order_by("name")


def rooms_for_event(*, event: Event) -> QuerySet[Room]:
    """The rooms of `event` in their order (the session form's choices). Reads only."""
    return Room.objects.filter(event=event).order_by("position", "name", "id")


def rooms_for_orga(*, event: Event) -> QuerySet[Room]:
    """The rooms of `event` in their order, each annotated with `session_count` (one query)."""
    return rooms_for_event(event=event).annotate(session_count=Count("sessions"))


def sessions_for_event(*, event: Event) -> QuerySet[Session]:
    """Every session of `event`, parts included, in programme order. Reads only."""
    return Session.objects.filter(event=event).order_by("start", "part_order", "title", "id")


def parent_sessions_for_event(*, event: Event, exclude: Session | None = None) -> QuerySet[Session]:
    """The sessions of `event` that may take parts: top-level ones, in time order, without
    `exclude` (a session cannot be a part of itself). Reads only."""
    qs = Session.objects.filter(event=event, parent__isnull=True).order_by("start", "id")
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs


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


def programme_version(*, event: Event) -> str:
    """A fingerprint of everything the public programme shows (one query): the event, its
    sessions (services touch `updated_at` when a session's people change), rooms, themes,
    people and organisations. It changes whenever the programme would read differently, so
    the rendered programme can be cached under it."""
    agg = Session.objects.filter(event=event).aggregate(
        n_sessions=Count("id", distinct=True), changed=Max("updated_at"),
        n_roles=Count("roles", distinct=True), last_role=Max("roles__id"),
        people=Max("roles__person__updated_at"),
        organisations=Max("roles__person__organisation__updated_at"),
        rooms=Max("room__updated_at"), n_themes=Count("themes", distinct=True),
        last_theme=Max("themes__id"),
    )  # fmt: skip
    return "|".join(str(v) for v in (event.pk, event.updated_at, *agg.values()))


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


def _ended_lately(now: datetime) -> tuple[date, list[int]]:
    """The UTC date a day before `now`'s, and the published events whose last day is that day
    or the next, and over in their own time zone at `now`. Every time zone's date is within a
    day of UTC's, so an event that ends later has not ended anywhere and one that ended
    earlier has ended everywhere."""
    yesterday = now.astimezone(UTC).date() - timedelta(days=1)
    near = Event.objects.filter(
        status=EventStatus.PUBLISHED, end_date__range=(yesterday, yesterday + timedelta(days=1))
    ).values_list("pk", "end_date", "timezone")
    ended = [pk for pk, end, tz in near if end < now.astimezone(zoneinfo.ZoneInfo(tz)).date()]
    return yesterday, ended


def events_upcoming(*, now: datetime) -> QuerySet[Event]:
    """Published events whose last day has not ended at `now` in the event's own time zone,
    soonest first. Reads only (two queries)."""
    yesterday, ended = _ended_lately(now)
    return (
        events_published()
        .filter(end_date__gte=yesterday)
        .exclude(pk__in=ended)
        .order_by("start_date", "name", "id")
    )


def events_past(*, now: datetime) -> QuerySet[Event]:
    """Published events whose last day has ended at `now` in the event's own time zone, most
    recent first. Reads only (two queries)."""
    yesterday, ended = _ended_lately(now)
    return (
        events_published()
        .filter(Q(end_date__lt=yesterday) | Q(pk__in=ended))
        .order_by("-start_date", "name", "id")
    )


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
        # A whole session before its parts on every database (PostgreSQL sorts NULLs last).
        .order_by("start", F("part_order").asc(nulls_first=True), "title", "id")
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


# --- draft timetables ----------------------------------------------------------------------


def timetable_run_latest(*, event: Event) -> TimetableRun | None:
    """The latest draft-timetable run of the event, whatever its status."""
    return TimetableRun.objects.filter(event=event).order_by("-created_at", "-id").first()


@dataclass(frozen=True)
class DraftRow:
    """One session beside its place in a draft: `proposed_*` are None when the draft leaves
    it where it is (a container, a pinned break without room) or has no timetable."""

    session: Session
    proposed_room: Room | None
    proposed_start: datetime | None
    proposed_end: datetime | None

    @property
    def in_draft(self) -> bool:
        return self.proposed_start is not None

    @property
    def changed(self) -> bool:
        return self.in_draft and (
            self.proposed_room != self.session.room
            or (self.proposed_start, self.proposed_end) != (self.session.start, self.session.end)
        )


def timetable_draft_rows(*, event: Event, run: TimetableRun | None) -> list[DraftRow]:
    """Every session of the event in programme order, with its place in the draft of `run`
    (a finished run) beside its current one. Three queries."""
    placements = {}
    if run is not None and run.status == TimetableRunStatus.DONE:
        placements = run.result.get("placements") or {}
    rooms = {r.pk: r for r in Room.objects.filter(event=event)}
    rows = []
    sessions = Session.objects.filter(event=event).select_related("room", "parent")
    for s in sessions.order_by("start", "part_order", "title", "pk"):
        p = placements.get(str(s.pk))
        rows.append(
            DraftRow(
                session=s,
                proposed_room=rooms.get(p["room"]) if p else None,
                proposed_start=datetime.fromisoformat(p["start"]) if p else None,
                proposed_end=datetime.fromisoformat(p["end"]) if p else None,
            )
        )
    return rows


SLOT = 15  # minutes per row of the timetable grid


@dataclass(frozen=True)
class GridBlock:
    """A session on the grid: `column` and `row_start`/`row_end` are CSS grid lines (column 1
    holds the times, row 1 the room names)."""

    session: Session
    start: datetime
    end: datetime
    column: int
    row_start: int
    row_end: int
    changed: bool = False


@dataclass(frozen=True)
class GridDay:
    day: date
    rooms: list[str]
    unroomed: bool  # a last column for sessions without a room
    rows: int  # slot rows below the header
    hours: list[tuple[int, str]]  # (row, "09:00")
    now: list[GridBlock]
    proposed: list[GridBlock]


def timetable_grid(*, event: Event, rows: list[DraftRow]) -> list[GridDay]:
    """The programme as a grid per day, rooms across and time down, now and with the draft:
    every session that takes time (the parts of a session, not the session that holds them).
    A day runs from the whole hour before its first session to the whole hour after its last;
    sessions without a room go in a last column. Reads nothing more than `rows`."""
    tz = event.tzinfo
    containers = {r.session.parent_id for r in rows if r.session.parent_id}
    places: dict[str, list[tuple[DraftRow, Room | None, datetime, datetime]]] = {
        "now": [], "proposed": []
    }  # fmt: skip
    for r in rows:
        s = r.session
        if s.pk in containers:
            continue
        places["now"].append((r, s.room, s.start, s.end))
        if r.in_draft:
            assert r.proposed_start is not None
            assert r.proposed_end is not None
            places["proposed"].append((r, r.proposed_room, r.proposed_start, r.proposed_end))
        else:
            places["proposed"].append((r, s.room, s.start, s.end))
    room_order = {room.pk: i for i, room in enumerate(rooms_for_event(event=event))}
    days: list[GridDay] = []

    def local(moment: datetime) -> datetime:
        return moment.astimezone(tz)

    for day in event.days:
        todays = {
            key: [p for p in items if local(p[2]).date() == day] for key, items in places.items()
        }
        every = todays["now"] + todays["proposed"]
        if not every:
            continue
        used = sorted(
            {p[1].pk: p[1] for p in every if p[1] is not None}.values(),
            key=lambda room: (room_order.get(room.pk, 0), room.name),
        )
        columns = {room.pk: i + 2 for i, room in enumerate(used)}
        names = [room.name for room in used]

        def minute(moment: datetime, day: date = day) -> int:  # wall-clock minutes into `day`
            at = local(moment)
            return (at.date() - day).days * 1440 + at.hour * 60 + at.minute

        first = min(minute(p[2]) for p in every) // 60 * 60
        last = min(-(-max(minute(p[3]) for p in every) // 60) * 60, 1440)
        blocks: dict[str, list[GridBlock]] = {}
        for key, items in todays.items():
            blocks[key] = [
                GridBlock(
                    session=r.session, start=start, end=end,
                    column=columns[room.pk] if room is not None else len(names) + 2,
                    row_start=2 + (minute(start) - first) // SLOT,
                    row_end=2 + max((min(minute(end), last) - first + SLOT - 1) // SLOT,
                                    (minute(start) - first) // SLOT + 1),
                    changed=key == "proposed" and r.changed,
                )
                for r, room, start, end in items
            ]  # fmt: skip
        hours = [(2 + (m - first) // SLOT, f"{m // 60:02d}:00") for m in range(first, last, 60)]
        days.append(
            GridDay(
                day=day, rooms=names, unroomed=any(p[1] is None for p in every),
                rows=(last - first) // SLOT, hours=hours,
                now=blocks["now"], proposed=blocks["proposed"],
            )
        )  # fmt: skip
    return days


def timetable_rules(*, event: Event) -> QuerySet[TimetableRule]:
    """The organiser's rules for proposed timetables, oldest first (one query)."""
    return TimetableRule.objects.filter(event=event).select_related("session", "other")


def availabilities(*, event: Event) -> QuerySet[Availability]:
    """When speakers and rooms are available, by speaker or room and time (one query)."""
    return (
        Availability.objects.filter(event=event)
        .select_related("person", "room")
        .order_by("room__position", "room__name", "person__last_name", "person__first_name",
                  "person_id", "start")
    )  # fmt: skip
