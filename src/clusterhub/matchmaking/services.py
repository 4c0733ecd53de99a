"""Writes of matchmaking: profiles, marks, and runs of the matcher.

Only confirmed registrations with the matchmaking consent are given to the matcher
(`consenting_registrations`); a profile without consent is never scored and never shown.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from clusterhub.algorithms.matching.types import MatchConfig, Profile
from clusterhub.algorithms.matching.types import Recommendation as Suggestion
from clusterhub.common.activity import activity_log
from clusterhub.common.outbox import outbox_queue
from clusterhub.directory.models import OrganisationType, User
from clusterhub.events.models import Event, Session, SessionType
from clusterhub.matchmaking.models import (
    MarkKind,
    MatchmakingSettings,
    MatchProfile,
    MatchRun,
    MatchRunStatus,
    MeetingRequest,
    MeetingRequestStatus,
    Objective,
    ProfileMark,
    Recommendation,
)
from clusterhub.matchmaking.selectors import match_run_active, matchmaking_settings_for
from clusterhub.registration.models import Registration, RegistrationStatus

PROFILE_FIELDS = (
    "offers", "needs", "interests", "tags", "about", "objectives", "preferred_types",
    "preferred_countries", "available_sessions",
)  # fmt: skip
PHRASE_MAX = 200  # one offer, need or interest: a short phrase, not a paragraph
TAG_MAX = 60  # one taxonomy tag
TAGS_MAX = 300  # tags in an event's taxonomy
MESSAGE_MAX = 1000  # a meeting request's message or answer


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
    """The registrations of `event` that share a profile: confirmed, with matchmaking consent."""
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


def networking_sessions(event: Event):
    """The sessions of `event` a participant can be available for meetings in."""
    return Session.objects.filter(event=event, type=SessionType.NETWORKING).order_by("start", "pk")


def _profile_fields_clean(event: Event, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown profile fields: {', '.join(sorted(unknown))}")
    cleaned: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "about":
            cleaned[name] = (value or "").strip()
            continue
        if name == "available_sessions":
            wanted = {s.pk if isinstance(s, Session) else int(s) for s in value or ()}
            sessions = list(networking_sessions(event).filter(pk__in=wanted))
            if len(sessions) != len(wanted):
                raise _refusal(_("Choose among the event's networking slots."), "bad_choice", name)
            cleaned[name] = sessions
            continue
        if name == "tags":
            taxonomy = {t.casefold(): t for t in matchmaking_settings_for(event=event).tags}
            phrases = phrases_clean(value or [])
            if any(p.casefold() not in taxonomy for p in phrases):
                raise _refusal(_("Choose among the event's interest tags."), "bad_choice", name)
            cleaned[name] = [taxonomy[p.casefold()] for p in phrases]
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
    codes (`bad_country`), tags outside the event's taxonomy and slots that are not its
    networking sessions (`bad_choice`), keyed by field. Side effects: the profile row, an
    activity log line.
    """
    cleaned = _profile_fields_clean(registration.event, fields)
    sessions = cleaned.pop("available_sessions", None)
    profile = MatchProfile.objects.select_for_update().filter(registration=registration).first()
    created = profile is None
    if profile is None:
        profile = MatchProfile(registration=registration, **profile_prefill(registration))
    if "tags" in cleaned and not created:
        # Tags the organiser took out of the taxonomy were not on the form: keep them, hidden,
        # so they come back if the tag is added again.
        taxonomy = {t.casefold() for t in matchmaking_settings_for(event=registration.event).tags}
        hidden = [t for t in profile.tags if t.casefold() not in taxonomy]
        cleaned["tags"] = [*cleaned["tags"], *hidden]
    for name, value in cleaned.items():
        setattr(profile, name, value)
    profile.save()
    if sessions is not None:
        profile.available_sessions.set(sessions)
        cleaned["available_sessions"] = sessions
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


# --- settings ---------------------------------------------------------------------------------

SETTINGS_FIELDS = (
    "is_open", "tags", "border_bonus", "diversity", "type_weights", "exclude_met_before",
    "request_limit",
)  # fmt: skip


def type_weights_clean(value: Any) -> dict[str, float]:
    """`{"a|b": weight}` with known organisation types (the pair in alphabetical order, so
    "company|investor" and "investor|company" are one pair) and weights from 0 to 5.
    Refuses anything else (`bad_type_weights`)."""
    if not isinstance(value, dict):
        raise _refusal(_("Give the weights as pairs of types."), "bad_type_weights", "type_weights")
    cleaned: dict[str, float] = {}
    for key, weight in value.items():
        parts = [p.strip() for p in str(key).split("|")]
        if len(parts) != 2 or not set(parts) <= set(OrganisationType.values):
            raise _refusal(
                _("%(pair)s is not a pair of organisation types.") % {"pair": key},
                "bad_type_weights", "type_weights",
            )  # fmt: skip
        try:
            number = float(weight)
        except (TypeError, ValueError):
            number = -1.0
        if not 0.0 <= number <= 5.0:
            raise _refusal(
                _("The weight of %(pair)s must be a number from 0 to 5.") % {"pair": key},
                "bad_type_weights", "type_weights",
            )  # fmt: skip
        cleaned["|".join(sorted(parts))] = number
    return cleaned


@transaction.atomic
def matchmaking_settings_update(
    *, event: Event, actor: User | None, **fields: Any
) -> MatchmakingSettings:
    """Change the event's matchmaking settings (fields: SETTINGS_FIELDS). Tags are cleaned
    like phrases (each once, at most TAG_MAX characters, at most TAGS_MAX of them); a tag
    taken out of the taxonomy stays on the profiles that had it but is no longer shown or
    matched, and comes back if the tag is added again. Refuses values out of range, keyed by
    field. Side effects: the settings row, an activity log line."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown settings: {', '.join(sorted(unknown))}")
    settings, _created = MatchmakingSettings.objects.select_for_update().get_or_create(event=event)
    if "tags" in fields:
        tags = phrases_clean(fields["tags"] or [])
        if any(len(t) > TAG_MAX for t in tags):
            raise _refusal(
                _("Keep each tag under %(n)d characters.") % {"n": TAG_MAX}, "tag_too_long", "tags"
            )
        if len(tags) > TAGS_MAX:
            raise _refusal(
                _("An event can have at most %(n)d tags.") % {"n": TAGS_MAX},
                "too_many_tags", "tags",
            )  # fmt: skip
        fields["tags"] = tags
    if "type_weights" in fields:
        fields["type_weights"] = type_weights_clean(fields["type_weights"])
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.full_clean(exclude=["event"])  # ranges, keyed by field, with their codes
    settings.save()
    _log(actor, "matchmaking.settings.update", settings, event, fields=sorted(fields))
    return settings


def match_config_for(event: Event, *, seed: int = 0) -> MatchConfig:
    """The matcher's configuration from the event's settings."""
    settings = matchmaking_settings_for(event=event)
    weights: dict[tuple[str, str], float] = {}
    for key, weight in (settings.type_weights or {}).items():
        a, _sep, b = key.partition("|")
        weights[(a, b)] = float(weight)
    return MatchConfig(
        type_weights=weights,
        border_bonus=settings.border_bonus,
        diversity=settings.diversity,
        exclude_met_before=settings.exclude_met_before,
        seed=seed,
    )


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
def match_run_create(
    *, event: Event, actor: User | None, k: int = 20, exclusive: bool = False
) -> MatchRun:
    """A queued run for `event`; the caller runs it (`match_run_execute`, or the
    `tasks.match_run_task` task, enqueued by the organiser's page once this has committed).
    Refuses k outside 1..200 (`bad_k`) and, when `exclusive`, a new run while another is
    queued or running (`run_in_progress`). Side effects: the row, an activity log line."""
    if not 1 <= k <= 200:
        raise _refusal(_("Ask for between 1 and 200 recommendations."), "bad_k", "k")
    # The event row is the lock that keeps two clicks from queuing two runs.
    Event.objects.select_for_update().filter(pk=event.pk).first()
    if exclusive and match_run_active(event=event) is not None:
        raise _refusal(_("Matchmaking is already running for this event."), "run_in_progress")
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
    """The matcher's input for `event`: one Profile per consenting registration that has a
    profile (id = the registration's id); marks on anybody else are left out."""
    registrations = list(
        consenting_registrations(event)
        .filter(match_profile__isnull=False)  # as everywhere it is shown: with a profile
        .select_related("person__organisation", "match_profile")
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


def run_figures(profiles: Sequence[Profile], rows: Sequence[Recommendation]) -> dict[str, Any]:
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
    (MatchingUnavailable when the matching library is missing)."""
    started = time.perf_counter()
    _progress(run, 5, status=MatchRunStatus.RUNNING, started_at=timezone.now(), error="")
    try:
        profiles = match_profiles_build(run.event)
        _progress(run, 20)
        suggestions = recommend_profiles(
            profiles, k=run.k, config=config or match_config_for(run.event)
        )
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
            **run_figures(profiles, rows),
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


# --- meeting requests -------------------------------------------------------------------------


def _lock_pair(a: Registration, b: Registration) -> None:
    # Both registration rows, in id order: two people asking each other at the same moment
    # queue up here instead of both getting through the "they asked you already" check.
    list(
        Registration.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk__in=[a.pk, b.pk])
        .order_by("pk")
    )


def _is_matchable(registration: Registration) -> bool:
    return (
        registration.status == RegistrationStatus.CONFIRMED
        and registration.consent_matchmaking_at is not None
    )


def _requests_url(event: Event) -> str:
    return django_settings.SITE_URL.rstrip("/") + reverse("matchmaking:requests", args=[event.slug])


def _mail(registration: Registration, subject: str, body: str) -> None:
    person = registration.person
    if person.email:
        outbox_queue(to=person.email, subject=subject, body=body, event_id=registration.event_id)


@transaction.atomic
def meeting_request_send(
    *, sender: Registration, recipient: Registration, message: str, actor: User | None
) -> MeetingRequest:
    """`sender` asks `recipient` for a 1:1 meeting, with a message of at most MESSAGE_MAX
    characters. Both must be confirmed with the matchmaking consent at the same event, and
    the event's matchmaking open. Refuses oneself (`request_self`), another event
    (`other_event`), matchmaking closed (`matchmaking_closed`), a sender without consent
    (`no_consent`), a recipient not taking part or who said "no thanks" to the sender
    (`not_available`, the same answer for both so a refusal tells nothing private), an open
    request already sent (`already_requested`) or received from them (`they_asked_you`), and
    more than the event's request limit (`request_limit`). Side effects: the request, an
    activity log line, an email to the recipient."""
    if sender.pk == recipient.pk:
        raise _refusal(_("You cannot ask yourself for a meeting."), "request_self")
    if sender.event_id != recipient.event_id:
        raise _refusal(_("This person is not at the same event."), "other_event")
    event = sender.event
    settings = matchmaking_settings_for(event=event)
    if not settings.is_open:
        raise _refusal(_("Matchmaking is not open for this event."), "matchmaking_closed")
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise _refusal(
            _("Keep the message under %(n)d characters.") % {"n": MESSAGE_MAX},
            "message_too_long", "message",
        )  # fmt: skip
    _lock_pair(sender, recipient)
    sender.refresh_from_db(fields=["status", "consent_matchmaking_at"])
    recipient.refresh_from_db(fields=["status", "consent_matchmaking_at"])
    if not _is_matchable(sender):
        raise _refusal(
            _("Share your matchmaking profile before you ask people for meetings."), "no_consent"
        )
    declined_me = ProfileMark.objects.filter(
        from_registration=recipient, to_registration=sender, kind=MarkKind.NO_THANKS
    ).exists()
    if not _is_matchable(recipient) or declined_me:
        raise _refusal(_("This person is not available for meetings."), "not_available")
    open_between = MeetingRequest.objects.filter(
        status__in=[MeetingRequestStatus.PENDING, MeetingRequestStatus.ACCEPTED]
    )
    if open_between.filter(sender=sender, recipient=recipient).exists():
        raise _refusal(_("You have already asked this person."), "already_requested")
    if open_between.filter(sender=recipient, recipient=sender).exists():
        raise _refusal(
            _("This person has already asked you: answer their request."), "they_asked_you"
        )
    sent = MeetingRequest.objects.filter(sender=sender).exclude(
        status=MeetingRequestStatus.CANCELLED
    )
    if sent.count() >= settings.request_limit:
        raise _refusal(
            _("You have sent the %(n)d meeting requests this event allows.")
            % {"n": settings.request_limit},
            "request_limit",
        )
    try:
        with transaction.atomic():
            request = MeetingRequest.objects.create(
                event=event, sender=sender, recipient=recipient, message=message
            )
    except IntegrityError as exc:  # the same request sent twice at once
        raise _refusal(_("You have already asked this person."), "already_requested") from exc
    _log(actor, "matchmaking.request.send", request, event)
    who = sender.person
    organisation = f" ({who.organisation.name})" if who.organisation else ""
    _mail(
        recipient,
        _("Meeting request from %(name)s: %(event)s")
        % {"name": who.full_name, "event": event.name},
        _(
            "Dear %(recipient)s,\n\n%(name)s%(organisation)s would like to meet you at %(event)s."
            "\n\n%(message)s\n\nAccept or decline here: %(url)s\n"
        )
        % {
            "recipient": recipient.person.full_name, "name": who.full_name,
            "organisation": organisation, "event": event.name,
            "message": message or _("(no message)"), "url": _requests_url(event),
        },
    )  # fmt: skip
    return request


def _lock_request(request: MeetingRequest) -> MeetingRequest:
    return (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("event", "sender__person", "recipient__person")
        .get(pk=request.pk)
    )


@transaction.atomic
def meeting_request_answer(
    *, request: MeetingRequest, accept: bool, response: str = "", actor: User | None
) -> MeetingRequest:
    """The recipient accepts or declines a pending request, with an optional answer of at most
    MESSAGE_MAX characters. Refuses a request no longer pending (`not_pending`). The caller
    checks that `actor` is the recipient. Side effects: the status, an activity log line, an
    email to the sender."""
    request = _lock_request(request)
    if request.status != MeetingRequestStatus.PENDING:
        raise _refusal(_("This request has already been answered or withdrawn."), "not_pending")
    response = (response or "").strip()
    if len(response) > MESSAGE_MAX:
        raise _refusal(
            _("Keep the answer under %(n)d characters.") % {"n": MESSAGE_MAX},
            "message_too_long", "response",
        )  # fmt: skip
    request.status = MeetingRequestStatus.ACCEPTED if accept else MeetingRequestStatus.DECLINED
    request.response = response
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "response", "answered_at"])
    _log(actor, "matchmaking.request." + ("accept" if accept else "decline"), request,
         request.event)  # fmt: skip
    event, name = request.event, request.recipient.person.full_name
    if accept:
        subject = _("%(name)s accepted your meeting request: %(event)s")
        body = _(
            "Dear %(sender)s,\n\n%(name)s accepted your request to meet at %(event)s."
            "\n\n%(response)s\n\nYour requests: %(url)s\n"
        )
    else:
        subject = _("%(name)s declined your meeting request: %(event)s")
        body = _(
            "Dear %(sender)s,\n\n%(name)s cannot meet you at %(event)s this time."
            "\n\n%(response)s\n\nYour requests: %(url)s\n"
        )
    _mail(
        request.sender,
        subject % {"name": name, "event": event.name},
        body % {
            "sender": request.sender.person.full_name, "name": name, "event": event.name,
            "response": response, "url": _requests_url(event),
        },
    )  # fmt: skip
    return request


@transaction.atomic
def meeting_request_cancel(*, request: MeetingRequest, actor: User | None) -> MeetingRequest:
    """The sender withdraws a request that is pending or accepted (`not_open` otherwise); an
    accepted one is announced to the other side. Side effects: the status, an activity log
    line, an email when it had been accepted."""
    request = _lock_request(request)
    if request.status not in (MeetingRequestStatus.PENDING, MeetingRequestStatus.ACCEPTED):
        raise _refusal(_("This request is no longer open."), "not_open")
    was_accepted = request.status == MeetingRequestStatus.ACCEPTED
    request.status = MeetingRequestStatus.CANCELLED
    request.save(update_fields=["status"])
    _log(actor, "matchmaking.request.cancel", request, request.event)
    if was_accepted:
        event, name = request.event, request.sender.person.full_name
        _mail(
            request.recipient,
            _("%(name)s cancelled your meeting: %(event)s") % {"name": name, "event": event.name},
            _("Dear %(recipient)s,\n\n%(name)s cannot meet you at %(event)s after all.\n")
            % {"recipient": request.recipient.person.full_name, "name": name, "event": event.name},
        )
    return request
