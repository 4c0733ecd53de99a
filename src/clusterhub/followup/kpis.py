"""The KPI dashboard's data: the database turned into the inputs of the pure KPI library
(`clusterhub.algorithms.kpi`, every figure defined in docs/algorithms/kpi.md). Reads only; a
constant number of queries whatever the number and size of the events."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count, Q

from clusterhub.algorithms.kpi import (
    Attendee,
    Kpis,
    MeetingFact,
    PartnershipFact,
    Party,
    Rating,
    TrainingModule,
    cluster_kpis,
    event_kpis,
)
from clusterhub.events.models import Event, Session, SessionType
from clusterhub.followup.models import (
    Attendance,
    MeetingFeedback,
    Partnership,
    PartnershipStage,
    PartnershipType,
    QuestionKind,
    SurveyAnswer,
)
from clusterhub.matchmaking.models import Meeting, MeetingRequest, MeetingStatus
from clusterhub.registration.models import CheckIn, Registration, SignUpStatus


def host_country(event: Event) -> str:
    """The host cluster's country: people from elsewhere count as international."""
    return str(event.cluster.organisation.country or "NO")


def _by_event(rows: Iterable[tuple]) -> dict[int, list[tuple]]:
    """Rows whose first value is an event id, grouped by it (in their order)."""
    grouped: dict[int, list[tuple]] = defaultdict(list)
    for event_id, *rest in rows:
        grouped[event_id].append(tuple(rest))
    return grouped


def _attendees(rows: list[tuple]) -> tuple[list[Attendee], dict[int, Party]]:
    attendees, parties = [], {}
    for pk, org_type, country, org_country, status, checked_in_at in rows:
        where = str(country or org_country or "")
        attendees.append(
            Attendee(org_type=org_type or "other", country=where, status=status,
                     checked_in=checked_in_at is not None)
        )  # fmt: skip
        parties[pk] = Party(org_type=org_type or "other", country=where)
    return attendees, parties


def _modules(event_ids: list[int]) -> dict[int, list[TrainingModule]]:
    sessions = Session.objects.filter(event__in=event_ids, type=SessionType.TRAINING).annotate(
        confirmed=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED)),
        waitlisted=Count("signups", filter=Q(signups__status=SignUpStatus.WAITLISTED)),
    )
    came = dict(
        CheckIn.objects.filter(session__event__in=event_ids, session__type=SessionType.TRAINING)
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    modules: dict[int, list[TrainingModule]] = defaultdict(list)
    for s in sessions.order_by("start", "pk"):
        modules[s.event_id].append(
            TrainingModule(id=s.pk, title=s.title, confirmed=s.confirmed,
                           checked_in=came.get(s.pk, 0), waitlisted=s.waitlisted,
                           capacity=s.capacity)
        )  # fmt: skip
    return modules


def _meetings(
    requests: list[tuple], feedback: list[tuple], meetings: list[tuple], parties: dict[int, Party]
) -> list[MeetingFact]:
    pairs: dict[frozenset[int], dict] = defaultdict(
        lambda: {"requested": False, "accepted": False, "scheduled": False, "held": None}
    )
    for a, b, status in requests:
        pair = pairs[frozenset((a, b))]
        pair["requested"] = True
        pair["accepted"] |= status == "accepted"
    said: dict[int, list[str]] = defaultdict(list)
    for meeting_id, attendance, _rating in feedback:
        said[meeting_id].append(attendance)
    for pk, a, b in meetings:
        pair = pairs[frozenset((a, b))]
        pair["scheduled"] = True
        answers = said.get(pk)
        if answers:  # held when either side says so; missed when every answer says no-show
            pair["held"] = Attendance.HELD in answers
    facts = []
    for key, pair in pairs.items():
        a, b = sorted(key) if len(key) == 2 else (next(iter(key)),) * 2
        facts.append(MeetingFact(a=parties.get(a, Party()), b=parties.get(b, Party()), **pair))
    return facts


def _ratings(feedback: list[tuple], answers: list[tuple]) -> list[Rating]:
    ratings = [Rating(value=r, kind="meeting") for _m, _a, r in feedback if r is not None]
    ratings += [Rating(value=r, kind="session" if session else "event") for r, session in answers]
    return ratings


def _partnerships(partnerships: Iterable[Partnership]) -> list[PartnershipFact]:
    return [
        PartnershipFact(
            type=p.type,
            stage=p.stage,
            organisations=tuple(
                Party(org_type=o.type, country=str(o.country or "")) for o in p.organisations.all()
            ),
        )
        for p in partnerships
    ]


def events_kpis_for(events: Iterable[Event]) -> dict[int, Kpis]:
    """The KPIs of each of `events` (by event id), from their registrations, modules,
    requests, meetings, feedback, survey ratings and partnerships: about ten queries for all
    the events together, whatever their number and size."""
    events = list(events)
    ids = [event.pk for event in events]
    registrations = _by_event(
        Registration.objects.filter(event__in=ids).values_list(
            "event_id", "pk", "person__organisation__type", "person__country",
            "person__organisation__country", "status", "checked_in_at",
        )
    )  # fmt: skip
    modules = _modules(ids)
    requests = _by_event(
        MeetingRequest.objects.filter(event__in=ids).values_list(
            "event_id", "sender_id", "recipient_id", "status"
        )
    )
    feedback = _by_event(
        MeetingFeedback.objects.filter(meeting__event__in=ids).values_list(
            "meeting__event_id", "meeting_id", "attendance", "rating"
        )
    )
    meetings = _by_event(
        Meeting.objects.filter(event__in=ids, status=MeetingStatus.PUBLISHED).values_list(
            "event_id", "pk", "a_id", "b_id"
        )
    )
    answers = _by_event(
        SurveyAnswer.objects.filter(
            response__survey__event__in=ids, question__kind=QuestionKind.RATING,
            rating__isnull=False,
        ).values_list("response__survey__event_id", "rating", "response__survey__session_id")
    )  # fmt: skip
    partnerships: dict[int, list[Partnership]] = defaultdict(list)
    for partnership in Partnership.objects.filter(event__in=ids).prefetch_related("organisations"):
        partnerships[partnership.event_id].append(partnership)
    figures = {}
    for event in events:
        attendees, parties = _attendees(registrations[event.pk])
        figures[event.pk] = event_kpis(
            host_country=host_country(event),
            attendees=attendees,
            modules=modules[event.pk],
            meetings=_meetings(requests[event.pk], feedback[event.pk], meetings[event.pk], parties),
            ratings=_ratings(feedback[event.pk], answers[event.pk]),
            partnerships=_partnerships(partnerships[event.pk]),
            partnership_types=PartnershipType.values,
            partnership_stages=PartnershipStage.values,
        )
    return figures


def event_kpis_for(event: Event) -> Kpis:
    """The KPIs of one event (see `events_kpis_for`)."""
    return events_kpis_for([event])[event.pk]


__all__ = [
    "cluster_kpis", "cluster_kpis_for", "event_kpis_for", "events_kpis_for", "host_country",
]  # fmt: skip


def cluster_kpis_for(events: Iterable[Event]) -> Kpis:
    """The KPIs of several events of a cluster taken together (counts add up; shares and
    indices are computed again from the sums)."""
    return cluster_kpis(events_kpis_for(events).values())
