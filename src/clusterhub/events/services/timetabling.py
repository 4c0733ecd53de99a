"""Draft timetables: the solver (`clusterhub.algorithms.timetabling`) proposes rooms and times
for the programme, the organiser pins sessions, compares, and accepts the draft.

The solver sees local wall-clock minutes from midnight of the event's first day (so its
sentences print the times people read on the programme), rooms and people by primary key.
What goes in:

- every session without parts; a session with parts is their container and follows them
  (on acceptance it spans its parts again); parts of one session keep their order
  (`After`) and their day (`SameDay`), and stay in the container's room when it has one;
- pinned sessions and breaks stay where they are; a pinned session or break without a room
  is left out;
- the days of the event, each from the earliest start to the latest end of the current
  programme (09:00–17:00 when it is empty), every room with its capacity;
- the people in each session (`SessionRole`), who cannot be in two places at once;
- the audience: each session needs its seats, or else the number of people who want it, and
  people who want two sessions should not find them at the same time. Who wants what comes
  from later apps through the `timetable_interest` signal (registration: the sign-ups).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.algorithms.timetabling import (
    After,
    Constraint,
    Day,
    Room,
    SameDay,
    Session,
    Speaker,
    Timetable,
    TimetableConfig,
    audience_overlap,
    timetable,
)
from clusterhub.common.outbox import outbox_queue
from clusterhub.common.progress import progress_pause
from clusterhub.directory.models import Person, User
from clusterhub.events import models
from clusterhub.events.models import Event, SessionType, TimetableRun, TimetableRunStatus
from clusterhub.events.services.base import _lock_event, _log
from clusterhub.events.services.programme import _session_check, _when
from clusterhub.events.signals import timetable_interest

CONFIG = TimetableConfig(time_limit=10.0, explain_time_limit=5.0)
DEFAULT_DAY = (9 * 60, 17 * 60)
NO_LIMIT = 1_000_000  # a room without a stated capacity


def _refusal(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


# --- runs ----------------------------------------------------------------------------------


def timetable_run_active(*, event: Event) -> TimetableRun | None:
    return (
        TimetableRun.objects.filter(
            event=event, status__in=(TimetableRunStatus.QUEUED, TimetableRunStatus.RUNNING)
        )
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def timetable_run_create(*, event: Event, actor: User | None) -> TimetableRun:
    """A queued draft-timetable run; the caller runs it (`timetable_run_execute`, or the task
    the organiser's page enqueues after commit). Refuses while another run is queued or
    running (`run_in_progress`), and an event without rooms (`no_rooms`). Side effects: the
    row, a log line."""
    event = _lock_event(event)
    if timetable_run_active(event=event) is not None:
        raise _refusal(
            _("A timetable is already being computed for this event."), "run_in_progress"
        )
    if not event.rooms.exists():
        raise _refusal(_("Add the rooms of the event first."), "no_rooms")
    run = TimetableRun.objects.create(event=event)
    _log(actor, "events.timetable_run.create", run, event)
    return run


@transaction.atomic
def session_pin_set(*, session: models.Session, pinned: bool, actor: User | None) -> None:
    """Pin a session where it is (a proposed timetable keeps it there) or release it.
    Side effects: the flag, a log line."""
    models.Session.objects.filter(pk=session.pk).update(is_pinned=pinned)
    session.is_pinned = pinned
    _log(actor, "events.session.pin" if pinned else "events.session.unpin", session, session.event)


# --- the solver's input --------------------------------------------------------------------


@dataclass
class TimetableInput:
    days: list[Day] = field(default_factory=list)
    rooms: list[Room] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    overlap: dict[tuple[int, int], int] = field(default_factory=dict)
    current: dict[int, tuple[int, int]] = field(default_factory=dict)  # id -> (start, end)


def _minute(event: Event, moment: datetime) -> int:
    local = moment.astimezone(event.tzinfo)
    return (local.date() - event.start_date).days * 1440 + local.hour * 60 + local.minute


def _moment(event: Event, minute: int) -> datetime:
    day = event.start_date + timedelta(days=minute // 1440)
    return event.local_datetime(day, time(minute % 1440 // 60, minute % 60))


def _day_span(event: Event, sessions: list[models.Session]) -> tuple[int, int]:
    if not sessions:
        return DEFAULT_DAY
    first = min(_minute(event, s.start) % 1440 for s in sessions)
    last = max(min(_minute(event, s.end) - _minute(event, s.start) // 1440 * 1440, 1440)
               for s in sessions)  # fmt: skip
    return first, max(last, first + 15)


def timetable_input_build(*, event: Event) -> TimetableInput:
    """What the solver gets for `event` (see the module docstring). Reads only."""
    data = TimetableInput()
    rows = list(
        models.Session.objects.filter(event=event)
        .select_related("parent")
        .prefetch_related("roles__person")
        .order_by("start", "pk")
    )
    containers = {s.parent_id for s in rows if s.parent_id}
    first, last = _day_span(event, rows)
    for index, _date in enumerate(event.days):
        data.days.append(Day(id=index, start=index * 1440 + first, end=index * 1440 + last))
    for room in event.rooms.all():
        capacity = NO_LIMIT if room.capacity is None else room.capacity
        data.rooms.append(Room(id=room.pk, name=room.name, capacity=capacity))
    wanted: list[set[int]] = []
    answers: list[tuple[Any, Any]] = timetable_interest.send(sender=Event, event=event)
    for _receiver, answer in answers:
        wanted.extend(set(w) for w in answer or ())
    audience: dict[int, int] = defaultdict(int)
    for sessions in wanted:
        for sid in sessions:
            audience[sid] += 1
    people: dict[int, str] = {}
    placed: set[int] = set()
    for s in rows:
        fixed = s.is_pinned or s.type == SessionType.BREAK
        if s.pk in containers or (fixed and s.room_id is None):
            continue
        start, end = _minute(event, s.start), _minute(event, s.end)
        speakers = tuple(sorted({r.person_id for r in s.roles.all()}))
        for role in s.roles.all():
            people[role.person_id] = role.person.full_name
        rooms = None
        if s.parent_id and s.parent and s.parent.room_id:
            rooms = frozenset({s.parent.room_id})
        data.sessions.append(
            Session(
                id=s.pk, title=s.title, duration=end - start, audience=audience.get(s.pk, 0),
                required_capacity=s.capacity, speakers=speakers, rooms=rooms,
                pinned=(s.room_id, start) if fixed and s.room_id is not None else None,
            )
        )  # fmt: skip
        data.current[s.pk] = (start, end)
        placed.add(s.pk)
    data.speakers = [Speaker(id=pk, name=name) for pk, name in sorted(people.items())]
    parts: dict[int, list[models.Session]] = defaultdict(list)
    for s in rows:
        if s.parent_id and s.pk in placed:
            parts[s.parent_id].append(s)
    for series in parts.values():
        series.sort(key=lambda p: (p.part_order or 0, p.pk))
        for a, b in itertools.pairwise(series):
            data.constraints += [After(first=a.pk, then=b.pk), SameDay(a=a.pk, b=b.pk)]
    data.overlap = dict(audience_overlap(w & placed for w in wanted).items())
    return data


def _clashes(data: TimetableInput) -> int:
    total = 0
    for (a, b), people in data.overlap.items():
        (sa, ea), (sb, eb) = data.current[a], data.current[b]
        if sa < eb and sb < ea:
            total += people
    return total


# --- running -------------------------------------------------------------------------------


def _progress(run: TimetableRun, progress: int, **fields: Any) -> None:
    run.progress = progress
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["progress", *fields])


def _result(event: Event, data: TimetableInput, answer: Timetable) -> dict[str, Any]:
    placements = {
        str(p.session): {
            "room": p.room,
            "start": _moment(event, p.start).isoformat(),
            "end": _moment(event, p.end).isoformat(),
        }
        for p in answer.placements.values()
    }
    return {
        "status": answer.status, "clashes": answer.clashes, "clashes_before": _clashes(data),
        "gap": answer.gap, "bound": answer.bound, "conflicts": list(answer.conflicts),
        "notes": list(answer.notes), "placements": placements, "seconds": answer.seconds,
    }  # fmt: skip


def timetable_run_execute(*, run: TimetableRun, config: TimetableConfig = CONFIG) -> TimetableRun:
    """Compute the draft of `run` and store it on the run (the programme does not change).
    Rerunnable: the same programme gives the same draft. Side effects: progress and result on
    the run, a log line; on any error the run is marked failed with it and the error is
    raised again."""
    event = run.event
    _progress(run, 5, status=TimetableRunStatus.RUNNING, started_at=timezone.now(), error="")
    progress_pause()
    try:
        data = timetable_input_build(event=event)
        _progress(run, 25)
        progress_pause()
        answer = timetable(
            data.days, data.rooms, data.speakers, data.sessions, data.constraints,
            data.overlap, config=config,
        )  # fmt: skip
        with transaction.atomic():
            _progress(run, 100, status=TimetableRunStatus.DONE, finished_at=timezone.now(),
                      result=_result(event, data, answer))  # fmt: skip
            _log(None, "events.timetable_run.done", run, event, status=answer.status)
    except Exception as exc:
        _progress(run, run.progress, status=TimetableRunStatus.FAILED,
                  finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}")  # fmt: skip
        raise
    return run


# --- accepting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    session: models.Session
    room_id: int | None
    start: datetime
    end: datetime


def timetable_changes(*, run: TimetableRun) -> list[Change]:
    """The sessions whose room or time the draft of `run` changes, in programme order."""
    placements = run.result.get("placements") or {}
    sessions = models.Session.objects.filter(event=run.event, pk__in=[int(k) for k in placements])
    changes = []
    for s in sessions.order_by("start", "pk"):
        p = placements[str(s.pk)]
        start, end = datetime.fromisoformat(p["start"]), datetime.fromisoformat(p["end"])
        if (s.room_id, s.start, s.end) != (p["room"], start, end):
            changes.append(Change(session=s, room_id=p["room"], start=start, end=end))
    return changes


@transaction.atomic
def timetable_run_accept(*, run: TimetableRun, actor: User | None) -> list[models.Session]:
    """Move the sessions to the places the draft of `run` gives them, all or nothing, and
    mail each person with a role in a moved session (once per run: the mails carry a key).

    Only the latest finished draft, not yet accepted (`not_latest`, `already_accepted`,
    `no_draft`). After the moves, every moved session (and each container, which spans its
    parts again) passes the programme's own checks (room busy, person busy, within the
    event, parts inside their session); the first failure refuses the whole draft
    (`timetable_conflict`). Side effects: the sessions, a log line per session and one for
    the run, the mails after commit. Returns the moved sessions."""
    event = _lock_event(run.event)
    run = TimetableRun.objects.select_for_update().get(pk=run.pk)
    latest = event.timetable_runs.filter(status=TimetableRunStatus.DONE).first()
    if run.status != TimetableRunStatus.DONE or not run.result.get("placements"):
        raise _refusal(_("This run has no timetable to accept."), "no_draft")
    if run.accepted_at is not None:
        raise _refusal(_("This timetable was already accepted."), "already_accepted")
    if latest is None or latest.pk != run.pk:
        raise _refusal(_("A newer timetable was proposed since; accept that one."), "not_latest")
    changes = timetable_changes(run=run)
    now = timezone.now()
    for c in changes:
        models.Session.objects.filter(pk=c.session.pk).update(
            room_id=c.room_id, start=c.start, end=c.end, updated_at=now
        )
    moved_ids = {c.session.pk for c in changes}
    parents = {c.session.parent_id for c in changes if c.session.parent_id}
    for parent in models.Session.objects.filter(pk__in=parents):
        span = parent.parts.aggregate(start=Min("start"), end=Max("end"))
        if (parent.start, parent.end) != (span["start"], span["end"]):
            models.Session.objects.filter(pk=parent.pk).update(
                start=span["start"], end=span["end"], updated_at=now
            )
            moved_ids.add(parent.pk)
    moved = list(
        models.Session.objects.filter(pk__in=moved_ids)
        .select_related("room", "parent")
        .order_by("start", "pk")
    )
    for s in moved:
        try:
            _session_check(event, s)
        except ValidationError as exc:
            raise _refusal(
                _("The timetable cannot be applied: “%(title)s”: %(problem)s")
                % {"title": s.title, "problem": " ".join(exc.messages)},
                "timetable_conflict",
            ) from exc
        _log(actor, "events.session.update", s, event, fields=["end", "room", "start"],
             source="timetable", run=run.pk)  # fmt: skip
    run.accepted_at = now
    run.save(update_fields=["accepted_at"])
    _log(actor, "events.timetable_run.accept", run, event, moved=len(moved))
    _mail_people(event, run, moved)
    return moved


def _mail_people(event: Event, run: TimetableRun, moved: list[models.Session]) -> None:
    by_person: dict[int, list[models.Session]] = defaultdict(list)
    roles = models.SessionRole.objects.filter(session__in=moved).order_by("session__start")
    for person_id, session_id in roles.values_list("person_id", "session_id"):
        session = next(s for s in moved if s.pk == session_id)
        if session not in by_person[person_id]:
            by_person[person_id].append(session)
    url = django_settings.SITE_URL.rstrip("/") + reverse("public:programme", args=[event.slug])
    for person in Person.objects.filter(pk__in=by_person).order_by("pk"):
        if not person.email:
            continue
        lines = "\n".join(
            _("- %(title)s: %(when)s, %(room)s")
            % {"title": s.title, "when": _when(event, s),
               "room": s.room.name if s.room else _("room to be announced")}
            for s in by_person[person.pk]
        )  # fmt: skip
        outbox_queue(
            to=person.email,
            subject=_("Programme changed: %(event)s") % {"event": event.name},
            body=_("Dear %(name)s,\n\nthe programme of %(event)s has changed. Your sessions "
                   "now take place as follows:\n\n%(lines)s\n\nThe whole programme: %(url)s\n")
            % {"name": person.full_name, "event": event.name, "lines": lines, "url": url},
            event_id=event.pk,
            key=f"timetable:{run.pk}:{person.pk}",
        )  # fmt: skip
