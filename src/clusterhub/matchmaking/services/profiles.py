"""Profiles and marks: what a participant offers, needs and wants, and whom they must meet or
never want suggested."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from clusterhub.common.activity import activity_entry
from clusterhub.common.models import ActivityLogEntry
from clusterhub.directory.models import OrganisationType, User
from clusterhub.events.models import Event, Session, SessionType
from clusterhub.matchmaking.models import (
    MarkKind,
    MatchProfile,
    Objective,
    ProfileMark,
)
from clusterhub.matchmaking.selectors import matchmaking_settings_for
from clusterhub.matchmaking.services.common import PHRASE_MAX, PROFILE_FIELDS, log, refusal
from clusterhub.registration.models import Registration


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
                raise refusal(_("Choose among the event's networking slots."), "bad_choice", name)
            cleaned[name] = sessions
            continue
        if name == "tags":
            taxonomy = {t.casefold(): t for t in matchmaking_settings_for(event=event).tags}
            phrases = phrases_clean(value or [])
            if any(p.casefold() not in taxonomy for p in phrases):
                raise refusal(_("Choose among the event's interest tags."), "bad_choice", name)
            cleaned[name] = [taxonomy[p.casefold()] for p in phrases]
            continue
        phrases = phrases_clean(value or [])
        if name in ("offers", "needs", "interests"):
            if any(len(p) > PHRASE_MAX for p in phrases):
                raise refusal(
                    _("Keep each phrase under %(n)d characters.") % {"n": PHRASE_MAX},
                    "phrase_too_long", name,
                )  # fmt: skip
        elif name == "objectives":
            if not set(phrases) <= set(Objective.values):
                raise refusal(_("Choose among the objectives."), "bad_choice", name)
        elif name == "preferred_types":
            if not set(phrases) <= set(OrganisationType.values):
                raise refusal(_("Choose among the organisation types."), "bad_choice", name)
        elif name == "preferred_countries":
            phrases = [p.upper() for p in phrases]
            if not all(countries.alpha2(p) for p in phrases):
                raise refusal(_("Use two-letter country codes."), "bad_country", name)
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
    log(actor, "matchmaking.profile." + ("create" if created else "update"), profile,
         registration.event, fields=sorted(cleaned))  # fmt: skip
    return profile


@transaction.atomic
def profiles_bulk_create(
    *, event: Event, items: Sequence[tuple[Registration, dict[str, Any]]], actor: User | None
) -> list[MatchProfile]:
    """`profile_update` for many registrations of `event` that have no profile yet (each
    with its fields; `available_sessions` is not taken), in a few inserts: the same
    prefilled profiles, checks and refusals (the first bad item refuses them all), and an
    activity log line each. For the participant import. Side effects: the profile rows,
    the log lines."""
    profiles, entries = [], []
    for registration, fields in items:
        if "available_sessions" in fields:
            raise TypeError("profiles_bulk_create does not set available_sessions")
        cleaned = _profile_fields_clean(event, fields)
        profile = MatchProfile(registration=registration, **profile_prefill(registration))
        for name, value in cleaned.items():
            setattr(profile, name, value)
        profiles.append((profile, sorted(cleaned)))
    created = MatchProfile.objects.bulk_create([p for p, _f in profiles], batch_size=500)
    for profile, (_p, names) in zip(created, profiles, strict=True):
        entries.append(
            activity_entry(actor=actor, action="matchmaking.profile.create", obj=profile,
                           cluster_id=event.cluster_id, event_id=event.pk,
                           data={"fields": names})
        )  # fmt: skip
    ActivityLogEntry.objects.bulk_create(entries, batch_size=500)
    return created


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
        raise refusal(_("You cannot mark yourself."), "mark_self")
    if from_registration.event_id != to_registration.event_id:
        raise refusal(_("This person is not at the same event."), "other_event")
    event = from_registration.event
    if kind is None:
        ProfileMark.objects.filter(
            from_registration=from_registration, to_registration=to_registration
        ).delete()
        log(actor, "matchmaking.mark.delete", to_registration, event)
        return None
    if kind not in MarkKind.values:
        raise refusal(_("Unknown mark."), "bad_choice", "kind")
    mark, _created = ProfileMark.objects.update_or_create(
        from_registration=from_registration, to_registration=to_registration,
        defaults={"kind": kind},
    )  # fmt: skip
    log(actor, "matchmaking.mark.set", mark, event, kind=kind)
    return mark
