"""Reads of meeting scheduling: the slots of an event's networking sessions, people's busy
times, meetings for the organiser's grid and for a participant's agenda."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.events.models import Event, Session, SessionRole, SessionType
from clusterhub.matchmaking.models import (
    Meeting,
    MeetingStatus,
    NetworkingSetup,
    ScheduleRun,
    ScheduleRunStatus,
)
from clusterhub.registration.models import (
    Registration,
    RegistrationStatus,
    SignUp,
    SignUpStatus,
)

SCHEDULE_RUN_STALE_AFTER = timedelta(minutes=30)


@dataclass(frozen=True)
class MeetingSlot:
    """One slot of a networking session: meetings run `start`–`end` at tables 1..`tables`."""

    session: Session
    start: datetime
    end: datetime
    tables: int

    @property
    def key(self) -> str:
        """A stable name for forms, whatever the time zone: "<session id>@<Unix start>"."""
        return slot_key(self.session.pk, self.start)


def slot_key(session_id: int, start: datetime) -> str:
    return f"{session_id}@{int(start.timestamp())}"


def networking_setups_for_event(*, event: Event) -> list[tuple[Session, NetworkingSetup | None]]:
    """The event's networking sessions (parts included, containers left out) in time order,
    each with its set-up or None."""
    sessions = (
        Session.objects.filter(event=event, type=SessionType.NETWORKING)
        .exclude(parts__isnull=False)
        .select_related("networking_setup", "room")
        .order_by("start", "pk")
        .distinct()
    )
    return [(s, getattr(s, "networking_setup", None)) for s in sessions]


def slots_of(session: Session, setup: NetworkingSetup) -> list[MeetingSlot]:
    """Back-to-back meetings of the set-up's length with its breaks between them, from the
    session's start, as many as end by the session's end."""
    slots = []
    length = timedelta(minutes=setup.meeting_minutes)
    step = length + timedelta(minutes=setup.break_minutes)
    start = session.start
    while start + length <= session.end:
        slots.append(MeetingSlot(session, start, start + length, setup.tables))
        start += step
    return slots


def meeting_slots_for_event(*, event: Event) -> list[MeetingSlot]:
    """Every meeting slot of the event's set-up networking sessions, in time order."""
    slots = [
        slot
        for session, setup in networking_setups_for_event(event=event)
        if setup is not None
        for slot in slots_of(session, setup)
    ]
    return sorted(slots, key=lambda s: (s.start, s.session.pk))


def busy_intervals(
    *, event: Event, registrations: Iterable[Registration]
) -> dict[int, list[tuple[datetime, datetime]]]:
    """By registration id: the times of the sessions each person is confirmed for (a seat)
    or has a role in, networking sessions left out (two queries)."""
    by_person = {r.person_id: r.pk for r in registrations}
    busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    signups = SignUp.objects.filter(
        registration_id__in=by_person.values(), status=SignUpStatus.CONFIRMED
    ).exclude(session__type=SessionType.NETWORKING)
    for reg_id, start, end in signups.values_list(
        "registration_id", "session__start", "session__end"
    ):
        busy[reg_id].append((start, end))
    roles = SessionRole.objects.filter(session__event=event, person_id__in=by_person).exclude(
        session__type=SessionType.NETWORKING
    )
    for person_id, start, end in roles.values_list("person_id", "session__start", "session__end"):
        busy[by_person[person_id]].append((start, end))
    return busy


def meetings_for_event(*, event: Event, include_cancelled: bool = False) -> QuerySet[Meeting]:
    """The event's meetings in time and table order, with both people and the session."""
    meetings = Meeting.objects.filter(event=event)
    if not include_cancelled:
        meetings = meetings.exclude(status=MeetingStatus.CANCELLED)
    return meetings.select_related(
        "session", "a__person__organisation", "b__person__organisation"
    ).order_by("start", "session_id", "table", "pk")


def meetings_for_registration(
    *, registration: Registration, published_only: bool = True
) -> QuerySet[Meeting]:
    """`registration`'s meetings (published ones only, unless asked), in time order."""
    meetings = Meeting.objects.filter(Q(a=registration) | Q(b=registration))
    if published_only:
        meetings = meetings.filter(status=MeetingStatus.PUBLISHED)
    else:
        meetings = meetings.exclude(status=MeetingStatus.CANCELLED)
    return meetings.select_related(
        "event", "session__room", "a__person__organisation", "b__person__organisation"
    ).order_by("start", "pk")


def schedule_runs_of(*, event: Event) -> QuerySet[ScheduleRun]:
    return ScheduleRun.objects.filter(event=event).order_by("-created_at", "-pk")


def schedule_run_active(*, event: Event) -> ScheduleRun | None:
    """The scheduling run of `event` queued or running and not abandoned, or None."""
    return (
        schedule_runs_of(event=event)
        .filter(
            status__in=[ScheduleRunStatus.QUEUED, ScheduleRunStatus.RUNNING],
            created_at__gte=timezone.now() - SCHEDULE_RUN_STALE_AFTER,
        )
        .first()
    )


def schedule_run_latest(*, event: Event) -> ScheduleRun | None:
    return schedule_runs_of(event=event).filter(status=ScheduleRunStatus.DONE).first()


def meeting_conflicts(*, event: Event, meetings: Iterable[Meeting]) -> dict[int, str]:
    """Why each of `meetings` needs the organiser's eye, by meeting id: a person no longer
    confirmed, in a session of their own at that time, or a slot that the session's set-up
    no longer has (two queries beyond the meetings)."""
    meetings = [m for m in meetings if m.status != MeetingStatus.CANCELLED]
    people = {r.pk: r for m in meetings for r in (m.a, m.b)}
    busy = busy_intervals(event=event, registrations=people.values())
    grid = {(s.session.pk, s.start) for s in meeting_slots_for_event(event=event)}
    found: dict[int, str] = {}
    for meeting in meetings:
        for person in (meeting.a, meeting.b):
            if person.status != RegistrationStatus.CONFIRMED:
                found[meeting.pk] = _("%(name)s is no longer registered.") % {
                    "name": person.person.full_name
                }
            elif any(s < meeting.end and meeting.start < e for s, e in busy.get(person.pk, ())):
                found[meeting.pk] = _("%(name)s is in a session of their own at that time.") % {
                    "name": person.person.full_name
                }
        if meeting.pk not in found and (meeting.session_id, meeting.start) not in grid:
            found[meeting.pk] = _("The session's set-up changed: this slot no longer exists.")
    return found


def registration_names(*, event: Event, ids: Iterable[int]) -> dict[int, str]:
    """Full names (and organisation) of the event's registrations `ids`."""
    rows = Registration.objects.filter(event=event, pk__in=list(ids)).values_list(
        "pk", "person__first_name", "person__last_name", "person__organisation__name"
    )
    return {
        pk: f"{first} {last}".strip() + (f" ({org})" if org else "")
        for pk, first, last, org in rows
    }
