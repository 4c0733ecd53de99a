"""Reads of follow-up. Each selector takes the event, cluster or registration explicitly."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Q, QuerySet

from clusterhub.common.models import ActivityLogEntry
from clusterhub.directory.models import Cluster
from clusterhub.events.models import Event
from clusterhub.followup.models import (
    MeetingFeedback,
    Partnership,
    QuestionKind,
    Survey,
    SurveyAnswer,
)
from clusterhub.registration.models import Registration, RegistrationStatus, SignUpStatus


def feedback_by_meeting(*, registration: Registration) -> dict[int, MeetingFeedback]:
    """`registration`'s own feedback, by meeting id."""
    return {f.meeting_id: f for f in MeetingFeedback.objects.filter(registration=registration)}


def partnerships_for_cluster(
    *, cluster: Cluster | None = None, clusters: QuerySet | None = None,
    event: Event | None = None, stage: str = "", type: str = "",
) -> QuerySet[Partnership]:  # fmt: skip
    """Partnerships of one cluster (or of `clusters`), optionally of one event, stage or
    type, newest change first, with organisations and event loaded (three queries)."""
    found = Partnership.objects.all()
    if cluster is not None:
        found = found.filter(cluster=cluster)
    if clusters is not None:
        found = found.filter(cluster__in=clusters)
    if event is not None:
        found = found.filter(event=event)
    if stage:
        found = found.filter(stage=stage)
    if type:
        found = found.filter(type=type)
    return found.select_related("event", "cluster__organisation", "meeting").prefetch_related(
        "organisations"
    )


def partnership_history(*, partnership: Partnership) -> QuerySet[ActivityLogEntry]:
    """Every logged change of `partnership`, oldest first."""
    return ActivityLogEntry.objects.filter(
        action__startswith="followup.partnership.", object_id=str(partnership.pk)
    ).order_by("created_at", "pk")


def surveys_for_event(*, event: Event) -> QuerySet[Survey]:
    return (
        Survey.objects.filter(event=event)
        .select_related("session")
        .annotate(response_count=Count("responses"))
        .order_by("session__start", "pk")
    )


def survey_non_respondents(*, survey: Survey) -> QuerySet[Registration]:
    """Confirmed participants of the survey's event (of its session: those with a seat or a
    role there) who have not answered, by name."""
    people = Registration.objects.filter(
        event_id=survey.event_id, status=RegistrationStatus.CONFIRMED
    )
    if survey.session_id:
        people = people.filter(
            Q(signups__session_id=survey.session_id, signups__status=SignUpStatus.CONFIRMED)
            | Q(person__session_roles__session_id=survey.session_id)
        )
    return (
        people.exclude(survey_responses__survey=survey)
        .select_related("person__organisation")
        .order_by("person__last_name", "person__first_name", "pk")
        .distinct()
    )


def survey_results(*, survey: Survey) -> list[dict[str, Any]]:
    """Per question: answers count, and the mean and distribution of ratings, or the texts."""
    answers = SurveyAnswer.objects.filter(response__survey=survey).values_list(
        "question_id", "rating", "text"
    )
    by_question: dict[int, list[tuple[int | None, str]]] = {}
    for question_id, rating, text in answers:
        by_question.setdefault(question_id, []).append((rating, text))
    results = []
    for question in survey.questions.all():
        given = by_question.get(question.pk, [])
        if question.kind == QuestionKind.RATING:
            ratings = [r for r, _t in given if r is not None]
            counts = Counter(ratings)
            results.append({
                "question": question, "count": len(ratings),
                "mean": round(sum(ratings) / len(ratings), 2) if ratings else None,
                "distribution": [(value, counts.get(value, 0)) for value in range(1, 6)],
            })  # fmt: skip
        else:
            texts = [t for _r, t in given if t]
            results.append({"question": question, "count": len(texts), "texts": texts})
    return results
