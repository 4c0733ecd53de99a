"""Writes of matchmaking: profiles, marks, and runs of the matcher.

Only confirmed registrations with the matchmaking consent are given to the matcher
(`consenting_registrations`); a profile without consent is never scored and never shown.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from clusterhub.algorithms.matching.types import MatchConfig, Profile
from clusterhub.algorithms.matching.types import Recommendation as Suggestion
from clusterhub.common.activity import activity_log
from clusterhub.directory.models import OrganisationType, User
from clusterhub.events.models import Event
from clusterhub.matchmaking.models import (
    MarkKind,
    MatchProfile,
    MatchRun,
    MatchRunStatus,
    Objective,
    ProfileMark,
    Recommendation,
)
from clusterhub.registration.models import Registration, RegistrationStatus

PROFILE_FIELDS = (
    "offers", "needs", "interests", "about", "objectives", "preferred_types",
    "preferred_countries",
)  # fmt: skip
PHRASE_MAX = 200  # one offer, need or interest: a short phrase, not a paragraph


class MatchingUnavailable(RuntimeError):
    """The matching library (`clusterhub.algorithms.matching.recommend`) is not installed."""


def _refusal(message: str, code: str, field: str | None = None) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def _log(actor: Any, action: str, obj: Any, event: Event, **data: Any) -> None:
    activity_log(
        actor=actor, action=action, obj=obj, cluster_id=event.cluster_id, event_id=event.pk,
        data=data,
    )  # fmt: skip


def consenting_registrations(event: Event):
    """The registrations of `event` the matcher may see: confirmed, with matchmaking consent."""
    return Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED, consent_matchmaking_at__isnull=False
    )


# --- profiles ---------------------------------------------------------------------------------


def phrases_clean(values: Iterable[str] | str) -> list[str]:
    """Stripped, non-empty, each once (case-insensitive), in the order given. A string is
    split on `;`, as in the import files."""
    if isinstance(values, str):
        values = values.split(";")
    seen: set[str] = set()
    cleaned = []
    for value in values:
        phrase = " ".join(str(value).split())
        if phrase and phrase.casefold() not in seen:
            seen.add(phrase.casefold())
            cleaned.append(phrase)
    return cleaned


def profile_prefill(registration: Registration) -> dict[str, Any]:
    """Profile fields taken from the directory person: expertise as interests, bio as about."""
    person = registration.person
    return {"interests": phrases_clean(person.expertise or []), "about": person.bio or ""}


def _profile_fields_clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown profile fields: {', '.join(sorted(unknown))}")
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "about":
            cleaned[name] = (value or "").strip()
            continue
        phrases = phrases_clean(value or [])
        if name in ("offers", "needs", "interests"):
            if any(len(p) > PHRASE_MAX for p in phrases):
                raise _refusal(
                    _("Keep each phrase under %(n)d characters.") % {"n": PHRASE_MAX},
                    "phrase_too_long", name,
                )  # fmt: skip
        elif name == "objectives":
            if not set(phrases) <= set(Objective.values):
                raise _refusal(_("Choose among the objectives."), "bad_choice", name)
        elif name == "preferred_types":
            if not set(phrases) <= set(OrganisationType.values):
                raise _refusal(_("Choose among the organisation types."), "bad_choice", name)
        elif name == "preferred_countries":
            phrases = [p.upper() for p in phrases]
            if not all(countries.alpha2(p) for p in phrases):
                raise _refusal(_("Use two-letter country codes."), "bad_country", name)
        cleaned[name] = phrases
    return cleaned


@transaction.atomic
def profile_update(
    *, registration: Registration, actor: User | None, **fields: Any
) -> MatchProfile:
    """Create or change the matchmaking profile of `registration` (fields: PROFILE_FIELDS).
    A new profile starts from `profile_prefill`. Refuses a phrase over PHRASE_MAX characters
    (`phrase_too_long`), unknown objectives or organisation types (`bad_choice`) and country
    codes (`bad_country`), keyed by field. Side effects: the profile row, an activity log line.
    """
    cleaned = _profile_fields_clean(fields)
    profile = MatchProfile.objects.select_for_update().filter(registration=registration).first()
    created = profile is None
    if profile is None:
        profile = MatchProfile(registration=registration, **profile_prefill(registration))
    for name, value in cleaned.items():
        setattr(profile, name, value)
    profile.save()
    _log(actor, "matchmaking.profile." + ("create" if created else "update"), profile,
         registration.event, fields=sorted(cleaned))  # fmt: skip
    return profile


@transaction.atomic
def mark_set(
    *,
    from_registration: Registration,
    to_registration: Registration,
    kind: str | None,
    actor: User | None,
) -> ProfileMark | None:
    """Mark `to_registration` as must-meet or no-thanks for `from_registration`, replacing an
    earlier mark; `kind=None` removes the mark. Refuses oneself (`mark_self`), another event
    (`other_event`) and an unknown kind (`bad_choice`). Side effects: the mark row, a log line.
    """
    if from_registration.pk == to_registration.pk:
        raise _refusal(_("You cannot mark yourself."), "mark_self")
    if from_registration.event_id != to_registration.event_id:
        raise _refusal(_("This person is not at the same event."), "other_event")
    event = from_registration.event
    if kind is None:
        ProfileMark.objects.filter(
            from_registration=from_registration, to_registration=to_registration
        ).delete()
        _log(actor, "matchmaking.mark.delete", to_registration, event)
        return None
    if kind not in MarkKind.values:
        raise _refusal(_("Unknown mark."), "bad_choice", "kind")
    mark, _created = ProfileMark.objects.update_or_create(
        from_registration=from_registration, to_registration=to_registration,
        defaults={"kind": kind},
    )  # fmt: skip
    _log(actor, "matchmaking.mark.set", mark, event, kind=kind)
    return mark


# --- runs -------------------------------------------------------------------------------------


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
def match_run_create(*, event: Event, actor: User | None, k: int = 20) -> MatchRun:
    """A queued run for `event`. The caller runs it: `match_run_execute` now, or the
    `tasks.match_run_task` task after commit. Side effects: the row, an activity log line."""
    if not 1 <= k <= 200:
        raise _refusal(_("Ask for between 1 and 200 recommendations."), "bad_k", "k")
    run = MatchRun.objects.create(event=event, k=k)
    _log(actor, "matchmaking.run.create", run, event, k=k)
    return run


def _progress(run: MatchRun, progress: int, **fields: Any) -> None:
    # Saved outside the run's work so a page polling the run sees it move.
    run.progress = progress
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["progress", *fields])


def match_profiles_build(event: Event) -> list[Profile]:
    """The matcher's input for `event`: one Profile per consenting registration (id = the
    registration's id); marks on non-consenting people are left out."""
    registrations = list(
        consenting_registrations(event)
        .select_related("person__organisation", "match_profile")
        .order_by("pk")
    )
    ids = {r.pk for r in registrations}
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
                objectives=tuple(profile.objectives) if profile else (),
                preferred_types=tuple(profile.preferred_types) if profile else (),
                preferred_countries=tuple(profile.preferred_countries) if profile else (),
                excluded=frozenset(own.get(MarkKind.NO_THANKS, ())),
                must_meet=frozenset(own.get(MarkKind.MUST_MEET, ())),
            )
        )
    return profiles


def match_run_execute(*, run: MatchRun, config: MatchConfig | None = None) -> MatchRun:
    """Compute and store the recommendations of `run` (rerunnable: a rerun replaces its rows).
    Side effects: progress updates on the run, Recommendation rows, the run's figures; on any
    error the run is marked `failed` with the error, and the error is raised again
    (MatchingUnavailable when the matching library is missing)."""
    started = time.perf_counter()
    _progress(run, 5, status=MatchRunStatus.RUNNING, started_at=timezone.now(), error="")
    try:
        profiles = match_profiles_build(run.event)
        _progress(run, 20)
        suggestions = recommend_profiles(profiles, k=run.k, config=config or MatchConfig())
        _progress(run, 80)
        ids = {p.id for p in profiles}
        rows = []
        for registration_id, ranked in suggestions.items():
            if registration_id not in ids:
                continue
            # Never store (so never show) anybody the matcher was not given, nor oneself.
            kept = [s for s in ranked if s.other in ids and s.other != registration_id]
            for rank, s in enumerate(kept[: run.k], start=1):
                rows.append(
                    Recommendation(
                        run=run,
                        registration_id=registration_id,
                        other_id=s.other,
                        rank=rank,
                        score=float(s.score),
                        reasons=list(s.reasons),
                    )
                )
        with transaction.atomic():
            Recommendation.objects.filter(run=run).delete()
            Recommendation.objects.bulk_create(rows, batch_size=1000)
        figures = {
            "profiles": len(profiles),
            "with_recommendations": len({r.registration_id for r in rows}),
            "recommendations": len(rows),
            "seconds": round(time.perf_counter() - started, 3),
        }
        _progress(run, 100, status=MatchRunStatus.DONE, finished_at=timezone.now(), figures=figures)
    except Exception as exc:
        _progress(
            run, run.progress, status=MatchRunStatus.FAILED, finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}",
        )  # fmt: skip
        raise
    return run
