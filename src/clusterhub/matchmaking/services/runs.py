"""Runs of the matcher: its input built from the database (consenting people with a profile),
the stored recommendations, and the figures the organiser sees.

Only confirmed registrations with the matchmaking consent and a profile are given to the
matcher; a profile without consent is never scored and never shown."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.algorithms.matching.types import MatchConfig, Profile
from clusterhub.algorithms.matching.types import Recommendation as Suggestion
from clusterhub.common.bulk_insert import rows_insert
from clusterhub.common.progress import progress_pause
from clusterhub.directory.models import OrganisationType, User
from clusterhub.events.models import Event
from clusterhub.matchmaking.models import (
    MarkKind,
    MatchRun,
    MatchRunStatus,
    MeetingRequest,
    MeetingRequestStatus,
    ProfileMark,
    Recommendation,
)
from clusterhub.matchmaking.selectors import match_run_active, matchmaking_settings_for
from clusterhub.matchmaking.services.common import (
    MatchingUnavailable,
    consenting_registrations,
    log,
    refusal,
)
from clusterhub.matchmaking.services.settings import match_config_for
from clusterhub.registration.models import Registration


def recommend_profiles(
    profiles: Sequence[Profile], *, k: int, config: MatchConfig
) -> dict[int, list[Suggestion]]:
    """The matcher. Imported when called: the library is pure and may be absent in a build
    that has no matching; tests swap this function for a small fake."""
    try:
        from clusterhub.algorithms.matching import recommend
    except ImportError as exc:
        raise MatchingUnavailable(
            "clusterhub.algorithms.matching.recommend is not available; install the matching "
            "library before running matchmaking."
        ) from exc
    return recommend(profiles, k=k, config=config)


@transaction.atomic
def match_run_create(
    *, event: Event, actor: User | None, k: int = 20, exclusive: bool = False
) -> MatchRun:
    """A queued run for `event`; the caller runs it (`match_run_execute`, or the
    `tasks.match_run_task` task, enqueued by the organiser's page once this has committed).
    Refuses k outside 1..200 (`bad_k`) and, when `exclusive`, a new run while another is
    queued or running (`run_in_progress`). Side effects: the row, an activity log line."""
    if not 1 <= k <= 200:
        raise refusal(_("Ask for between 1 and 200 recommendations."), "bad_k", "k")
    # The event row is the lock that keeps two clicks from queuing two runs.
    Event.objects.select_for_update().filter(pk=event.pk).first()
    if exclusive and match_run_active(event=event) is not None:
        raise refusal(_("Matchmaking is already running for this event."), "run_in_progress")
    run = MatchRun.objects.create(event=event, k=k)
    log(actor, "matchmaking.run.create", run, event, k=k)
    return run


def _progress(run: MatchRun, progress: int, **fields: Any) -> None:
    # Saved outside the run's work so a page polling the run sees it move.
    run.progress = progress
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["progress", *fields])


# What `match_profiles_build` reads of a registration, its person, organisation and profile.
PROFILE_COLUMNS = (
    "person_id", "person__country", "person__organisation__name",
    "person__organisation__type", "person__organisation__country",
    *(f"match_profile__{name}" for name in (
        "offers", "needs", "interests", "tags", "objectives", "preferred_types",
        "preferred_countries",
    )),
)  # fmt: skip


def match_profiles_build(event: Event) -> list[Profile]:
    """The matcher's input for `event`: one Profile per consenting registration that has a
    profile (id = the registration's id); marks on anybody else are left out."""
    registrations = list(
        consenting_registrations(event)
        .filter(match_profile__isnull=False)  # as everywhere it is shown: with a profile
        .select_related("person__organisation", "match_profile")
        .only(*PROFILE_COLUMNS)  # at 20,000 people, loading the rest costs seconds
        .order_by("pk")
    )
    ids = {r.pk for r in registrations}
    taxonomy = {t.casefold() for t in matchmaking_settings_for(event=event).tags}
    met_before = _met_before(event, registrations)
    marks: dict[int, dict[str, set[int]]] = {}
    for mark in ProfileMark.objects.filter(from_registration__in=ids, to_registration__in=ids):
        marks.setdefault(mark.from_registration_id, {}).setdefault(mark.kind, set()).add(
            mark.to_registration_id
        )
    profiles = []
    for registration in registrations:
        person, organisation = registration.person, registration.person.organisation
        profile = getattr(registration, "match_profile", None)
        own = marks.get(registration.pk, {})
        profiles.append(
            Profile(
                id=registration.pk,
                # Nobody shares the "same organisation" exclusion through having none.
                organisation=organisation.name if organisation else f"person:{person.pk}",
                org_type=organisation.type if organisation else OrganisationType.OTHER.value,
                country=str(person.country or (organisation.country if organisation else "")),
                offers=tuple(profile.offers) if profile else (),
                needs=tuple(profile.needs) if profile else (),
                interests=tuple(profile.interests) if profile else (),
                tags=tuple(t for t in profile.tags if t.casefold() in taxonomy) if profile else (),
                objectives=tuple(profile.objectives) if profile else (),
                preferred_types=tuple(profile.preferred_types) if profile else (),
                preferred_countries=tuple(profile.preferred_countries) if profile else (),
                excluded=frozenset(own.get(MarkKind.NO_THANKS, ())),
                must_meet=frozenset(own.get(MarkKind.MUST_MEET, ())),
                met_before=frozenset(met_before.get(registration.pk, ())),
            )
        )
    return profiles


def _met_before(event: Event, registrations: list[Registration]) -> dict[int, set[int]]:
    """Registration ids of `registrations` whose people agreed to meet at an earlier event of
    the same cluster (an accepted meeting request), by registration id."""
    by_person = {r.person_id: r.pk for r in registrations}
    pairs = MeetingRequest.objects.filter(
        event__cluster_id=event.cluster_id,
        event__start_date__lt=event.start_date,
        status=MeetingRequestStatus.ACCEPTED,
        sender__person_id__in=by_person,
        recipient__person_id__in=by_person,
    ).values_list("sender__person_id", "recipient__person_id")
    met: dict[int, set[int]] = {}
    for a, b in pairs:
        met.setdefault(by_person[a], set()).add(by_person[b])
        met.setdefault(by_person[b], set()).add(by_person[a])
    return met


class RecommendationRow(NamedTuple):
    """One recommendation of a run as it is stored (`Recommendation`'s columns)."""

    run_id: int
    registration_id: int
    other_id: int
    rank: int
    score: float
    reasons: list[str]


def run_figures(profiles: Sequence[Profile], rows: Sequence[RecommendationRow]) -> dict[str, Any]:
    """What the organiser sees of a run: how many were matched, and how much the lists bridge
    sectors and borders."""
    by_id = {p.id: p for p in profiles}
    cross_sector = cross_border = 0
    for row in rows:
        me, other = by_id[row.registration_id], by_id[row.other_id]
        cross_sector += me.org_type != other.org_type
        cross_border += me.country.upper() != other.country.upper()
    n = len(rows)
    matched = len({r.registration_id for r in rows})
    return {
        "profiles": len(profiles),
        "with_recommendations": matched,
        "without_recommendations": len(profiles) - matched,
        "recommendations": n,
        "mean_score": round(sum(r.score for r in rows) / n, 3) if n else 0.0,
        "cross_sector_share": round(cross_sector / n, 3) if n else 0.0,
        "cross_border_share": round(cross_border / n, 3) if n else 0.0,
    }


def match_run_execute(*, run: MatchRun, config: MatchConfig | None = None) -> MatchRun:
    """Compute and store the recommendations of `run` (rerunnable: a rerun replaces its rows).
    Side effects: progress updates on the run, Recommendation rows, the run's figures; on any
    error the run is marked `failed` with the error, and the error is raised again
    (MatchingUnavailable when the matching library is missing).

    Crash-safe: the rows and the `done` status are written in one transaction, so a run
    killed at any point has either all its rows and is done, or none and is run again from
    the same input (the matcher is deterministic for a given seed) with the same result."""
    started = time.perf_counter()
    _progress(run, 5, status=MatchRunStatus.RUNNING, started_at=timezone.now(), error="")
    progress_pause()
    try:
        profiles = match_profiles_build(run.event)
        _progress(run, 20)
        progress_pause()
        suggestions = recommend_profiles(
            profiles, k=run.k, config=config or match_config_for(run.event)
        )
        _progress(run, 80)
        progress_pause()
        ids = {p.id for p in profiles}
        rows = []
        for registration_id, ranked in suggestions.items():
            if registration_id not in ids:
                continue
            # Never store (so never show) anybody the matcher was not given, nor oneself.
            kept = [s for s in ranked if s.other in ids and s.other != registration_id]
            for rank, s in enumerate(kept[: run.k], start=1):
                rows.append(
                    RecommendationRow(
                        run_id=run.pk,
                        registration_id=registration_id,
                        other_id=s.other,
                        rank=rank,
                        score=float(s.score),
                        reasons=list(s.reasons),
                    )
                )
        figures = {
            **run_figures(profiles, rows),
            "seconds": round(time.perf_counter() - started, 3),
        }
        with transaction.atomic():
            Recommendation.objects.filter(run=run).delete()
            # Hundreds of thousands of rows at 20,000 people: without model instances.
            rows_insert(Recommendation, RecommendationRow._fields, rows)
            _progress(
                run, 100, status=MatchRunStatus.DONE, finished_at=timezone.now(), figures=figures
            )
    except Exception as exc:
        _progress(
            run, run.progress, status=MatchRunStatus.FAILED, finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}",
        )  # fmt: skip
        raise
    return run
