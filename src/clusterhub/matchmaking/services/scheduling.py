"""Runs of the meeting scheduler: accepted requests (and, when asked, pairs proposed from
recommendations) placed into the slots and tables of the networking sessions, around each
person's own agenda and stated availability, with the event's caps.

The solver (`clusterhub.algorithms.scheduling`) sees plain numbers: slots and busy times in
minutes since the Unix epoch, registrations by id. Locked and published meetings are given
as placed and stay where they are (published ones move only when the run allows it); other
draft meetings may move to make room. Every run records its quality figure: scheduled
meetings and weight against the solver's upper bound.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.algorithms.scheduling import MeetingRequest as Pair
from clusterhub.algorithms.scheduling import Person, Schedule, ScheduleConfig, Slot
from clusterhub.common.progress import progress_pause
from clusterhub.directory.models import User
from clusterhub.events.models import Event
from clusterhub.matchmaking.models import (
    MarkKind,
    Meeting,
    MeetingRequest,
    MeetingRequestStatus,
    MeetingSeat,
    MeetingStatus,
    ProfileMark,
    Recommendation,
    ScheduleRun,
    ScheduleRunStatus,
)
from clusterhub.matchmaking.selectors import match_run_latest, matchmaking_settings_for
from clusterhub.matchmaking.selectors.meetings import (
    MeetingSlot,
    busy_intervals,
    meeting_slots_for_event,
    schedule_run_active,
)
from clusterhub.matchmaking.services.common import log, refusal
from clusterhub.matchmaking.services.meetings import meeting_seats_set
from clusterhub.registration.models import Registration, RegistrationStatus

DEFAULT_WEIGHT = 0.5  # an accepted request between people the matcher never ranked
UNSCHEDULED_KEPT = 500  # "why not" answers stored with a run, for the organiser's page
LOOKUP_CHUNK = 500  # ids per query


def _minutes(moment) -> int:
    return int(moment.timestamp() // 60)


@dataclass
class ScheduleInput:
    """The solver's input and the way back from its ids to rows."""

    slots: list[Slot] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    slot_of: dict[int, MeetingSlot] = field(default_factory=dict)
    meeting_of: dict[int, Meeting] = field(default_factory=dict)  # pair id -> placed meeting
    off_grid: list[Meeting] = field(default_factory=list)  # in a slot that no longer exists
    request_of: dict[int, MeetingRequest | None] = field(default_factory=dict)
    people_of: dict[int, tuple[Registration, Registration]] = field(default_factory=dict)
    why_of: dict[int, list[str]] = field(default_factory=dict)


@transaction.atomic
def schedule_run_create(
    *, event: Event, actor: User | None, propose: int | None = None,
    move_published: bool = False, exclusive: bool = False,
) -> ScheduleRun:  # fmt: skip
    """A queued scheduling run; the caller runs it (`schedule_run_execute`, or the task the
    organiser's page enqueues after commit). `propose` defaults to the event's setting.
    Refuses an event without a set-up networking session (`no_slots`) and, when `exclusive`,
    a run while another is queued or running (`run_in_progress`). Side effects: the row, a log
    line."""
    Event.objects.select_for_update().filter(pk=event.pk).first()
    if exclusive and schedule_run_active(event=event) is not None:
        raise refusal(_("Scheduling is already running for this event."), "run_in_progress")
    if not meeting_slots_for_event(event=event):
        raise refusal(
            _("Set up a networking session (meeting length and tables) first."), "no_slots"
        )
    if propose is None:
        propose = matchmaking_settings_for(event=event).propose_top_k
    if not 0 <= propose <= 20:
        raise refusal(_("Propose from 0 to 20 recommendations."), "bad_propose", "propose")
    run = ScheduleRun.objects.create(event=event, propose=propose, move_published=move_published)
    log(actor, "matchmaking.schedule_run.create", run, event, propose=propose)
    return run


def _slots(event: Event, data: ScheduleInput) -> None:
    previous = None
    for number, slot in enumerate(meeting_slots_for_event(event=event), start=1):
        if previous is not None and slot.start < previous.end:
            raise refusal(
                _("The networking sessions “%(a)s” and “%(b)s” overlap: schedule meetings in "
                  "one of them only.") % {"a": previous.session.title, "b": slot.session.title},
                "slots_overlap",
            )  # fmt: skip
        previous = slot
        data.slot_of[number] = slot
        data.slots.append(
            Slot(id=number, start=_minutes(slot.start), end=_minutes(slot.end),
                 tables=slot.tables, session=slot.session.pk)
        )  # fmt: skip


def _scores(event: Event) -> dict[frozenset[int], tuple[float, int]]:
    """The latest matchmaking run's best score per pair of registrations, with the id of the
    recommendation that gives it (its reasons are read later, only for the pairs needed:
    a run of 20,000 people has 400,000 of them)."""
    run = match_run_latest(event=event)
    scores: dict[frozenset[int], tuple[float, int]] = {}
    if run is None:
        return scores
    for pk, a, b, score in Recommendation.objects.filter(run=run).values_list(
        "pk", "registration_id", "other_id", "score"
    ):
        key = frozenset((a, b))
        if key not in scores or scores[key][0] < score:
            scores[key] = (score, pk)
    return scores


def _reasons(data: ScheduleInput, source: dict[int, int]) -> None:
    """`why_of` of each pair from the reasons of the recommendation that scored it."""
    ids = sorted(set(source.values()))
    reasons: dict[int, list[str]] = {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        reasons.update(
            Recommendation.objects.filter(pk__in=ids[start : start + LOOKUP_CHUNK]).values_list(
                "pk", "reasons"
            )
        )
    for pid, rec_id in source.items():
        data.why_of[pid] = list(reasons[rec_id])


def schedule_input_build(run: ScheduleRun) -> ScheduleInput:
    """What the solver gets for `run` (see the module docstring)."""
    event, data = run.event, ScheduleInput()
    _slots(event, data)
    slot_id = {(s.session.pk, s.start): sid for sid, s in data.slot_of.items()}
    scores = _scores(event)
    must = {
        (a, b)
        for a, b in ProfileMark.objects.filter(
            from_registration__event=event, kind=MarkKind.MUST_MEET
        ).values_list("from_registration_id", "to_registration_id")
    }
    confirmed = RegistrationStatus.CONFIRMED
    pair_ids: set[frozenset[int]] = set()

    scored_by: dict[int, int] = {}  # pair id -> the recommendation that gives its score

    def add(a: Registration, b: Registration, **kwargs: Any) -> int:
        pid = len(data.pairs) + 1
        score, rec_id = scores.get(frozenset((a.pk, b.pk)), (DEFAULT_WEIGHT, None))
        data.pairs.append(
            Pair(id=pid, a=a.pk, b=b.pk, weight=max(score, 0.01),
                 must_meet=(a.pk, b.pk) in must and (b.pk, a.pk) in must, **kwargs)
        )  # fmt: skip
        data.people_of[pid] = (a, b)
        data.why_of[pid] = []
        if rec_id is not None:
            scored_by[pid] = rec_id
        pair_ids.add(frozenset((a.pk, b.pk)))
        return pid

    placed = Meeting.objects.filter(event=event).exclude(status=MeetingStatus.CANCELLED)
    for meeting in placed.select_related("a__person", "b__person", "request"):
        where = slot_id.get((meeting.session_id, meeting.start))
        if where is None:  # its session's set-up changed: it stays, and keeps its people busy
            data.off_grid.append(meeting)
            pair_ids.add(frozenset((meeting.a_id, meeting.b_id)))
            continue
        pid = add(
            meeting.a, meeting.b, published=meeting.status == MeetingStatus.PUBLISHED,
            locked=meeting.locked, placed=(where, meeting.table),
        )  # fmt: skip
        data.meeting_of[pid] = meeting
        data.request_of[pid] = meeting.request
    accepted = MeetingRequest.objects.filter(
        event=event, status=MeetingRequestStatus.ACCEPTED,
        sender__status=confirmed, recipient__status=confirmed,
    ).select_related("sender__person", "recipient__person")  # fmt: skip
    for request in accepted.order_by("pk"):
        if frozenset((request.sender_id, request.recipient_id)) not in pair_ids:
            data.request_of[add(request.sender, request.recipient)] = request
    if run.propose:
        _proposals(run, data, pair_ids, add)
    _reasons(data, scored_by)
    _people(event, data)
    return data


def _proposals(run: ScheduleRun, data: ScheduleInput, pair_ids: set, add) -> None:
    """Pairs from each person's top `run.propose` recommendations that nobody asked for, and
    that neither declined nor said "no thanks" to."""
    latest = match_run_latest(event=run.event)
    if latest is None:
        return
    refused = {
        frozenset(p)
        for p in MeetingRequest.objects.filter(
            event=run.event, status=MeetingRequestStatus.DECLINED
        ).values_list("sender_id", "recipient_id")
    } | {
        frozenset(p)
        for p in ProfileMark.objects.filter(
            from_registration__event=run.event, kind=MarkKind.NO_THANKS
        ).values_list("from_registration_id", "to_registration_id")
    }
    top = list(
        Recommendation.objects.filter(
            run=latest,
            rank__lte=run.propose,
            registration__status=RegistrationStatus.CONFIRMED,
            registration__consent_matchmaking_at__isnull=False,
            other__status=RegistrationStatus.CONFIRMED,
            other__consent_matchmaking_at__isnull=False,
        )
        .order_by("registration_id", "rank")
        .values_list("registration_id", "other_id")
    )
    # Each person once (not once per recommendation: 50,000 of them at 20,000 people).
    wanted = sorted({pk for pair in top for pk in pair})
    people: dict[int, Registration] = {}
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        people.update(
            (r.pk, r)
            for r in Registration.objects.filter(pk__in=wanted[start : start + LOOKUP_CHUNK])
        )
    for registration_id, other_id in top:
        key = frozenset((registration_id, other_id))
        if key not in pair_ids and key not in refused:
            pid = add(people[registration_id], people[other_id], proposed=True)
            data.request_of[pid] = None


def _people(event: Event, data: ScheduleInput) -> None:
    registrations = {r.pk: r for pair in data.people_of.values() for r in pair}
    busy = busy_intervals(event=event, registrations=registrations.values())
    for meeting in data.off_grid:
        for person_id in (meeting.a_id, meeting.b_id):
            busy.setdefault(person_id, []).append((meeting.start, meeting.end))
    settings = matchmaking_settings_for(event=event)
    available: dict[int, set[int]] = {}
    slots_by_session: dict[int, set[int]] = {}
    for sid, slot in data.slot_of.items():
        slots_by_session.setdefault(slot.session.pk, set()).add(sid)
    chosen = Registration.objects.filter(
        pk__in=registrations, match_profile__available_sessions__isnull=False
    ).values_list("pk", "match_profile__available_sessions")
    for reg_id, session_id in chosen:
        available.setdefault(reg_id, set()).update(slots_by_session.get(session_id, ()))
    for reg_id in sorted(registrations):
        own = available.get(reg_id)
        data.people.append(
            Person(
                id=reg_id,
                busy=tuple((_minutes(s), _minutes(e)) for s, e in busy.get(reg_id, ())),
                available_slots=frozenset(own) if own is not None else None,
                max_meetings=settings.max_meetings_per_person,
                max_per_session=settings.max_meetings_per_session,
            )
        )


def _solve(data: ScheduleInput, config: ScheduleConfig) -> Schedule:
    from clusterhub.algorithms.scheduling import schedule  # the solver is heavy to import

    return schedule(data.slots, data.people, data.pairs, config=config)


def _progress(run: ScheduleRun, progress: int, **fields: Any) -> None:
    run.progress = progress
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["progress", *fields])


def _write(run: ScheduleRun, data: ScheduleInput, result: Schedule) -> dict[str, int]:
    """Store the schedule: new draft meetings, moved ones in their new place (two steps, so
    meetings that swap tables never collide on the way)."""
    placed = {a.request: a for a in result.assignments}
    moved = [
        (pid, m) for pid, m in data.meeting_of.items()
        if pid in placed and (m.start, m.table) != (
            data.slot_of[placed[pid].slot].start, placed[pid].table
        )
    ]  # fmt: skip
    for _pid, meeting in moved:
        Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
        meeting_seats_set(Meeting(pk=meeting.pk, status=MeetingStatus.CANCELLED))
    for pid, meeting in moved:
        slot = data.slot_of[placed[pid].slot]
        meeting.session, meeting.start, meeting.end = slot.session, slot.start, slot.end
        meeting.table, meeting.run = placed[pid].table, run
        meeting.save()
        meeting_seats_set(meeting)
    # The new meetings and their seats in a few inserts (thousands at 20,000 people); the
    # database's unique seats still refuse any double booking.
    weight = {p.id: p.weight for p in data.pairs}
    new = []
    for pid, assignment in placed.items():
        if pid in data.meeting_of:
            continue
        slot = data.slot_of[assignment.slot]
        a, b = data.people_of[pid]
        new.append(Meeting(
            event=run.event, session=slot.session, start=slot.start, end=slot.end,
            table=assignment.table, a=a, b=b, request=data.request_of.get(pid), run=run,
            weight=weight[pid], why=data.why_of[pid],
        ))  # fmt: skip
    created = Meeting.objects.bulk_create(new, batch_size=500)
    MeetingSeat.objects.bulk_create(
        [
            MeetingSeat(meeting=m, registration_id=person_id, start=m.start, end=m.end)
            for m in created
            for person_id in (m.a_id, m.b_id)
        ],
        batch_size=1000,
    )
    return {"created": len(created), "moved": len(moved)}


def schedule_run_execute(*, run: ScheduleRun, config: ScheduleConfig | None = None) -> ScheduleRun:
    """Compute and store the schedule of `run`: new draft meetings, and moves of unlocked
    drafts (and of published meetings only when the run allows it). Rerunnable. Side
    effects: progress on the run, meetings and seats, the run's figures, a log line; on any
    error the run is marked failed with it and the error is raised again.

    Crash-safe: the meetings, the `done` status and the log line are written in one
    transaction, so a run killed at any point has either written everything or nothing; run
    again, it reads the same input and the solver (deterministic for a given seed) places the
    same meetings."""
    started = time.perf_counter()
    _progress(run, 5, status=ScheduleRunStatus.RUNNING, started_at=timezone.now(), error="")
    progress_pause()
    try:
        data = schedule_input_build(run)
        _progress(run, 25)
        progress_pause()
        result = _solve(data, config or ScheduleConfig(allow_moving_published=run.move_published))
        _progress(run, 75)
        progress_pause()
        with transaction.atomic():
            written = _write(run, data, result)
            figures = schedule_figures(data, result) | written
            figures["seconds"] = round(time.perf_counter() - started, 3)
            _progress(run, 100, status=ScheduleRunStatus.DONE, finished_at=timezone.now(),
                      figures=figures)  # fmt: skip
            log(None, "matchmaking.schedule_run.done", run, run.event,
                scheduled=figures["scheduled"])  # fmt: skip
    except Exception as exc:
        _progress(run, run.progress, status=ScheduleRunStatus.FAILED,
                  finished_at=timezone.now(), error=f"{type(exc).__name__}: {exc}")  # fmt: skip
        raise
    return run


def schedule_figures(data: ScheduleInput, result: Schedule) -> dict[str, Any]:
    """The quality figure and its parts, as stored with the run and shown to the organiser."""
    reasons: dict[str, int] = {}
    why_not: list[dict[str, Any]] = []
    for pid, why in sorted(result.unscheduled.items()):
        reasons[why.code] = reasons.get(why.code, 0) + 1
        if len(why_not) < UNSCHEDULED_KEPT:
            a, b = data.people_of[pid]
            why_not.append({"a": a.pk, "b": b.pk, "code": why.code, "person": why.person,
                            "proposed": data.pairs[pid - 1].proposed})  # fmt: skip
    return {
        "pairs": len(data.pairs),
        "requests": sum(1 for p in data.pairs if not p.proposed),
        "proposed": sum(1 for p in data.pairs if p.proposed),
        "scheduled": result.scheduled_count,
        "upper_bound": result.upper_bound_count,
        "ratio": round(result.ratio, 4),
        "scheduled_weight": round(result.scheduled_weight, 3),
        "upper_bound_weight": round(result.upper_bound_weight, 3),
        "ratio_weight": round(result.ratio_weight, 4),
        "proven_optimal": result.proven_optimal,
        "unscheduled": len(result.unscheduled),
        "why_not": reasons,
        "why_not_pairs": why_not,
        "conflicts": len(result.conflicts),
        "slots": len(data.slots),
        "tables": sum(s.tables for s in data.slots),
    }
