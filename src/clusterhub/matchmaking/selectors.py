"""Reads of matchmaking. Every selector takes the event (or a registration of it) and shows
only consenting, confirmed participants."""

from __future__ import annotations

from django.db.models import QuerySet

from clusterhub.events.models import Event
from clusterhub.matchmaking.models import MatchProfile, MatchRun, MatchRunStatus, Recommendation
from clusterhub.registration.models import Registration, RegistrationStatus


def profiles_visible(*, event: Event) -> QuerySet[MatchProfile]:
    """Profiles of `event` others may see: confirmed registrations with matchmaking consent."""
    return (
        MatchProfile.objects.filter(
            registration__event=event,
            registration__status=RegistrationStatus.CONFIRMED,
            registration__consent_matchmaking_at__isnull=False,
        )
        .select_related("registration__person__organisation")
        .order_by("registration__person__last_name", "registration__person__first_name", "pk")
    )


def match_run_latest(*, event: Event) -> MatchRun | None:
    """The latest finished run of `event`, or None."""
    return MatchRun.objects.filter(event=event, status=MatchRunStatus.DONE).first()


def recommendations_for_registration(
    *, registration: Registration, run: MatchRun | None = None
) -> QuerySet[Recommendation]:
    """`registration`'s recommendations from `run` (default: the event's latest finished run),
    best first; people who withdrew their consent or registration since are left out, and
    nothing is shown to somebody without consent."""
    run = run or match_run_latest(event=registration.event)
    if run is None or run.event_id != registration.event_id:
        return Recommendation.objects.none()
    return (
        Recommendation.objects.filter(
            run=run,
            registration=registration,
            registration__status=RegistrationStatus.CONFIRMED,
            registration__consent_matchmaking_at__isnull=False,
            other__status=RegistrationStatus.CONFIRMED,
            other__consent_matchmaking_at__isnull=False,
        )
        .select_related("other__person__organisation")
        .order_by("rank")
    )


def recommendations_by_registration(*, run: MatchRun) -> dict[int, list[Recommendation]]:
    """All of `run`'s recommendations between people still consenting, by registration id,
    best first (one query)."""
    grouped: dict[int, list[Recommendation]] = {}
    rows = (
        Recommendation.objects.filter(
            run=run,
            registration__status=RegistrationStatus.CONFIRMED,
            registration__consent_matchmaking_at__isnull=False,
            other__status=RegistrationStatus.CONFIRMED,
            other__consent_matchmaking_at__isnull=False,
        )
        .select_related("other__person")
        .order_by("registration_id", "rank")
    )
    for row in rows:
        grouped.setdefault(row.registration_id, []).append(row)
    return grouped
