"""The KPI dashboard's data: the database turned into the inputs of the pure KPI library
(`clusterhub.algorithms.kpi`, every figure defined in docs/algorithms/kpi.md). Reads only; a
constant number of queries per event whatever its size."""

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


def _attendees(event: Event) -> tuple[list[Attendee], dict[int, Party]]:
    rows = Registration.objects.filter(event=event).values_list(
        "pk", "person__organisation__type", "person__country", "person__organisation__country",
        "status", "checked_in_at",
    )  # fmt: skip
    attendees, parties = [], {}
    for pk, org_type, country, org_country, status, checked_in_at in rows:
        where = str(country or org_country or "")
        attendees.append(
            Attendee(org_type=org_type or "other", country=where, status=status,
                     checked_in=checked_in_at is not None)
        )  # fmt: skip
        parties[pk] = Party(org_type=org_type or "other", country=where)
    return attendees, parties


def _modules(event: Event) -> list[TrainingModule]:
    sessions = Session.objects.filter(event=event, type=SessionType.TRAINING).annotate(
        confirmed=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED)),
        waitlisted=Count("signups", filter=Q(signups__status=SignUpStatus.WAITLISTED)),
    )
    came = dict(
        CheckIn.objects.filter(session__event=event, session__type=SessionType.TRAINING)
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )
    return [
        TrainingModule(id=s.pk, title=s.title, confirmed=s.confirmed, checked_in=came.get(s.pk, 0),
                       waitlisted=s.waitlisted, capacity=s.capacity)
        for s in sessions.order_by("start", "pk")
    ]  # fmt: skip


def _meetings(event: Event, parties: dict[int, Party]) -> list[MeetingFact]:
    pairs: dict[frozenset[int], dict] = defaultdict(
        lambda: {"requested": False, "accepted": False, "scheduled": False, "held": None}
    )
    for a, b, status in MeetingRequest.objects.filter(event=event).values_list(
        "sender_id", "recipient_id", "status"
    ):
        pair = pairs[frozenset((a, b))]
        pair["requested"] = True
        pair["accepted"] |= status == "accepted"
    said: dict[int, list[str]] = defaultdict(list)
    for meeting_id, attendance in MeetingFeedback.objects.filter(meeting__event=event).values_list(
        "meeting_id", "attendance"
    ):
        said[meeting_id].append(attendance)
    for pk, a, b in Meeting.objects.filter(event=event, status=MeetingStatus.PUBLISHED).values_list(
        "pk", "a_id", "b_id"
    ):
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


def _ratings(event: Event) -> list[Rating]:
    ratings = [
        Rating(value=r, kind="meeting")
        for r in MeetingFeedback.objects.filter(
            meeting__event=event, rating__isnull=False
        ).values_list("rating", flat=True)
    ]
    answers = SurveyAnswer.objects.filter(
        response__survey__event=event, question__kind=QuestionKind.RATING, rating__isnull=False
    ).values_list("rating", "response__survey__session_id")
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


def event_kpis_for(event: Event) -> Kpis:
    """The KPIs of one event, from its registrations, modules, requests, meetings, feedback,
    survey ratings and partnerships (about ten queries)."""
    attendees, parties = _attendees(event)
    return event_kpis(
        host_country=host_country(event),
        attendees=attendees,
        modules=_modules(event),
        meetings=_meetings(event, parties),
        ratings=_ratings(event),
        partnerships=_partnerships(
            Partnership.objects.filter(event=event).prefetch_related("organisations")
        ),
        partnership_types=PartnershipType.values,
        partnership_stages=PartnershipStage.values,
    )


__all__ = ["cluster_kpis", "cluster_kpis_for", "event_kpis_for", "host_country"]


def cluster_kpis_for(events: Iterable[Event]) -> Kpis:
    """The KPIs of several events of a cluster taken together (counts add up; shares and
    indices are computed again from the sums)."""
    return cluster_kpis(event_kpis_for(event) for event in events)
