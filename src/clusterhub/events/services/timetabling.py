"""Draft timetables: the solver (`clusterhub.algorithms.timetabling`) proposes rooms and times
for the programme, the organiser pins sessions, compares, and accepts the draft.

The solver sees local wall-clock minutes from midnight of the event's first day (so its
sentences print the times people read on the programme), rooms and people by primary key.
What goes in:

- every session without parts; a session with parts is their container and follows them
  (on acceptance it spans its parts again); parts of one session keep their order
  (`After`) and their day (`SameDay`), and stay in the container's room when it has one;
  a session at an off-site location stays there, and the others stay at the venue;
- where each session is now (`current`): the proposal moves only what pays;
- pinned sessions and breaks stay where they are; a pinned session or break without a room
  is left out;
- the days of the event, each from the earliest start to the latest end of the current
  programme, the rules' time windows and the rooms' open hours (09:00–17:00 when there are
  none), every room with its capacity, its open hours (`Availability`) and, off-site, its
  travel time;
- the people in each session (`SessionRole`), who cannot be in two places at once, each
  available when their `Availability` rows say (always, without any);
- the organiser's rules (`TimetableRule`): after, same day, not in parallel, time window; a
  rule about a session with parts holds for each part;
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
    NotParallel,
    Room,
    SameDay,
    Session,
    Speaker,
    Timetable,
    TimetableConfig,
    TimeWindow,
    audience_overlap,
    timetable,
)
from clusterhub.common.outbox import outbox_queue
from clusterhub.common.progress import progress_pause
from clusterhub.directory.models import Person, User
from clusterhub.events import models
from clusterhub.events.models import (
    Availability,
    Event,
    SessionType,
    TimetableRule,
    TimetableRuleKind,
    TimetableRun,
    TimetableRunStatus,
)
from clusterhub.events.services.base import _lock_event, _log
from clusterhub.events.services.base import _refusal as _field_refusal
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


# --- the organiser's rules and availability ---------------------------------------------


def _event_span(event: Event) -> tuple[datetime, datetime]:
    return (
        event.local_datetime(event.start_date, time(0)),
        event.local_datetime(event.end_date + timedelta(days=1), time(0)),
    )


@transaction.atomic
def timetable_rule_add(
    *,
    event: Event,
    actor: User | None,
    kind: str,
    session: models.Session,
    other: models.Session | None = None,
    gap_minutes: int = 0,
    window_start: datetime | None = None,
    window_end: datetime | None = None,
) -> TimetableRule:
    """A rule proposed timetables keep (see `TimetableRule`). Refuses sessions of another
    event, a rule of a session with itself or with one of its own parts (`same_session`,
    `own_part`: parts already keep their order and day), a time window that is empty, outside
    the event or shorter than the session (`window`), and a rule that exists already
    (`duplicate`). Side effects: the row, a log line."""
    event = _lock_event(event)
    if kind not in TimetableRuleKind.values:
        raise _field_refusal("kind", _("Choose a rule."), "kind")
    if session.event_id != event.pk or (other is not None and other.event_id != event.pk):
        raise _field_refusal("session", _("Choose a session of this event."), "other_event")
    if kind == TimetableRuleKind.WINDOW:
        other, gap_minutes = None, 0
        begin, finish = _event_span(event)
        if window_start is None or window_end is None or window_start >= window_end:
            raise _field_refusal("window_end", _("The window must end after it starts."), "window")
        if window_start < begin or window_end > finish:
            raise _field_refusal(
                "window_start", _("The window must lie within the days of the event."), "window"
            )
        minutes = (session.end - session.start).total_seconds() // 60
        if (window_end - window_start).total_seconds() // 60 < minutes:
            raise _field_refusal(
                "window_end",
                _("The window is shorter than the session (%(n)d minutes).") % {"n": minutes},
                "window",
            )
    else:
        window_start = window_end = None
        if other is None:
            raise _field_refusal("other", _("Choose the other session."), "other")
        if other.pk == session.pk:
            raise _field_refusal("other", _("Choose two different sessions."), "same_session")
        if other.parent_id == session.pk or session.parent_id == other.pk:
            raise _field_refusal(
                "other",
                _("The parts of a session already keep their order and their day."),
                "own_part",
            )
        if kind != TimetableRuleKind.AFTER:
            gap_minutes = 0
    pairs = [(session.pk, other.pk if other else None)]
    if kind in (TimetableRuleKind.SAME_DAY, TimetableRuleKind.NOT_PARALLEL) and other:
        pairs.append((other.pk, session.pk))  # the same rule either way round
    for a, b in pairs:
        twin = TimetableRule.objects.filter(event=event, kind=kind, session_id=a, other_id=b)
        if kind == TimetableRuleKind.WINDOW:
            twin = twin.filter(window_start=window_start, window_end=window_end)
        if twin.exists():
            raise _field_refusal("kind", _("This rule exists already."), "duplicate")
    rule = TimetableRule.objects.create(
        event=event, kind=kind, session=session, other=other, gap_minutes=gap_minutes,
        window_start=window_start, window_end=window_end,
    )  # fmt: skip
    _log(actor, "events.timetable_rule.create", rule, event, kind=kind)
    return rule


@transaction.atomic
def timetable_rule_delete(*, rule: TimetableRule, actor: User | None) -> None:
    _log(actor, "events.timetable_rule.delete", rule, rule.event, kind=rule.kind)
    rule.delete()


def availability_people(*, event: Event) -> list[Person]:
    """The people who may have an availability: those with a role in the programme."""
    return list(
        Person.objects.filter(session_roles__session__event=event)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


@transaction.atomic
def availability_add(
    *,
    event: Event,
    actor: User | None,
    start: datetime,
    end: datetime,
    person: Person | None = None,
    room: models.Room | None = None,
) -> Availability:
    """When `person` (someone with a role in the programme) or `room` is available; with
    any such row, proposed timetables use them only then. Refuses neither or both
    (`who`), a room of another event or a person without a role here (`who`), and an empty
    time or one outside the event (`time`). Side effects: the row, a log line."""
    event = _lock_event(event)
    if (person is None) == (room is None):
        raise _field_refusal("who", _("Choose a speaker or a room."), "who")
    if room is not None and room.event_id != event.pk:
        raise _field_refusal("who", _("Choose a room of this event."), "who")
    if (
        person is not None
        and not models.SessionRole.objects.filter(session__event=event, person=person).exists()
    ):
        raise _field_refusal(
            "who", _("Only people with a role in the programme have an availability."), "who"
        )
    if start >= end:
        raise _field_refusal("end", _("The time must end after it starts."), "time")
    begin, finish = _event_span(event)
    if start < begin or end > finish:
        raise _field_refusal("start", _("The time must lie within the days of the event."), "time")
    row = Availability.objects.create(event=event, person=person, room=room, start=start, end=end)
    _log(actor, "events.availability.create", row, event)
    return row


@transaction.atomic
def availability_delete(*, availability: Availability, actor: User | None) -> None:
    _log(actor, "events.availability.delete", availability, availability.event)
    availability.delete()


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


def solver_moment(event: Event, minute: int) -> datetime:
    """The moment a solver minute (local wall-clock minutes from midnight of the event's
    first day) stands for."""
    day = event.start_date + timedelta(days=minute // 1440)
    return event.local_datetime(day, time(minute % 1440 // 60, minute % 60))


def _day_span(event: Event, spans: list[tuple[datetime, datetime]]) -> tuple[int, int]:
    """The hours of every programme day: from the earliest start to the latest end of `spans`
    (the sessions, the rules' time windows, the rooms' open hours), each read on its own day;
    09:00–17:00 when there are none."""
    if not spans:
        return DEFAULT_DAY
    first = min(_minute(event, start) % 1440 for start, _end in spans)
    last = max(min(_minute(event, end) - _minute(event, start) // 1440 * 1440, 1440)
               for start, end in spans)  # fmt: skip
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
    rules = list(TimetableRule.objects.filter(event=event).order_by("pk"))
    availabilities = list(Availability.objects.filter(event=event))
    spans = [(s.start, s.end) for s in rows]
    spans += [(r.window_start, r.window_end) for r in rules if r.window_start and r.window_end]
    spans += [(a.start, a.end) for a in availabilities if a.room_id]
    first, last = _day_span(event, spans)
    for index, _date in enumerate(event.days):
        data.days.append(Day(id=index, start=index * 1440 + first, end=index * 1440 + last))
    available: dict[tuple[str, int], list[tuple[int, int]]] = defaultdict(list)
    for row in availabilities:
        key = ("person", row.person_id) if row.person_id else ("room", row.room_id or 0)
        available[key].append((_minute(event, row.start), _minute(event, row.end)))

    def windows(key: tuple[str, int]) -> tuple[tuple[int, int], ...] | None:
        return tuple(sorted(available[key])) if key in available else None

    all_rooms = list(event.rooms.all())
    offsite = {room.pk for room in all_rooms if room.is_offsite}
    venue = frozenset(room.pk for room in all_rooms if not room.is_offsite) if offsite else None
    for room in all_rooms:
        capacity = NO_LIMIT if room.capacity is None else room.capacity
        data.rooms.append(
            Room(
                id=room.pk, name=room.name, capacity=capacity,
                available=windows(("room", room.pk)),
                travel_minutes=room.travel_minutes if room.is_offsite else 0,
            )
        )  # fmt: skip
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
        rooms = venue
        if s.room_id in offsite:
            rooms = frozenset({s.room_id})  # a site visit stays at its site
        if s.parent_id and s.parent and s.parent.room_id:
            rooms = frozenset({s.parent.room_id})
        data.sessions.append(
            Session(
                id=s.pk, title=s.title, duration=end - start, audience=audience.get(s.pk, 0),
                required_capacity=s.capacity, speakers=speakers, rooms=rooms,
                pinned=(s.room_id, start) if fixed and s.room_id is not None else None,
                current=(s.room_id, start) if s.room_id is not None else None,
            )
        )  # fmt: skip
        data.current[s.pk] = (start, end)
        placed.add(s.pk)
    data.speakers = [
        Speaker(id=pk, name=name, available=windows(("person", pk)))
        for pk, name in sorted(people.items())
    ]
    parts: dict[int, list[models.Session]] = defaultdict(list)
    for s in rows:
        if s.parent_id and s.pk in placed:
            parts[s.parent_id].append(s)
    for series in parts.values():
        series.sort(key=lambda p: (p.part_order or 0, p.pk))
        for a, b in itertools.pairwise(series):
            data.constraints += [After(first=a.pk, then=b.pk), SameDay(a=a.pk, b=b.pk)]
    data.constraints += _rule_constraints(event, rules, placed, parts)
    data.overlap = dict(audience_overlap(w & placed for w in wanted).items())
    return data


def _rule_constraints(
    event: Event,
    rules: list[TimetableRule],
    placed: set[int],
    parts: dict[int, list[models.Session]],
) -> list[Constraint]:
    """The organiser's rules as the solver's constraints. A rule about a session with parts
    holds for each of its parts: "after the panel" is after its last part, "on the same day"
    and "not at the same time" hold for every part, a time window holds for each."""

    def placed_of(session_id: int) -> list[int]:
        if session_id in parts:
            return [p.pk for p in parts[session_id]]
        return [session_id] if session_id in placed else []

    out: list[Constraint] = []
    for rule in rules:
        mine = placed_of(rule.session_id)
        if rule.kind == TimetableRuleKind.WINDOW:
            assert rule.window_start is not None
            assert rule.window_end is not None
            start, end = _minute(event, rule.window_start), _minute(event, rule.window_end)
            out += [TimeWindow(session=sid, start=start, end=end) for sid in mine]
            continue
        theirs = placed_of(rule.other_id or 0)
        for a, b in itertools.product(mine, theirs):
            if rule.kind == TimetableRuleKind.AFTER:
                out.append(After(first=b, then=a, gap=rule.gap_minutes))
            elif rule.kind == TimetableRuleKind.SAME_DAY:
                out.append(SameDay(a=a, b=b))
            else:
                out.append(NotParallel(a=a, b=b))
    return out


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
            "start": solver_moment(event, p.start).isoformat(),
            "end": solver_moment(event, p.end).isoformat(),
        }
        for p in answer.placements.values()
    }
    return {
        "status": answer.status, "clashes": answer.clashes, "clashes_before": _clashes(data),
        "gap": answer.gap, "bound": answer.bound, "conflicts": list(answer.conflicts),
        "conflict_items": [
            {"code": c.code, "params": dict(c.params)} for c in answer.conflict_items
        ],
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
