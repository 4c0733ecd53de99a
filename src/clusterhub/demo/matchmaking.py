"""The demo's matchmaking: the event's interest tags and weights, a profile for every confirmed
participant who shares one (phrases by organisation type from `data.matchmaking`, in English,
Norwegian and Ukrainian), one finished run of the matcher, and a few dozen meeting requests
answered the way people answer them (most accepted, some declined, some still waiting).

Idempotent: settings, profiles, the run and the requests are each added only when missing.
Writes go through the matchmaking services (with their log lines); their emails are muted.
Deterministic for a seed: each person's choices come from a generator seeded by the seed and
their email address.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from clusterhub.common.outbox import outbox_muted
from clusterhub.demo.data.matchmaking import PROFILES, TAGS
from clusterhub.directory.models import OrganisationType, Person, User
from clusterhub.events.models import Event
from clusterhub.matchmaking import selectors, services
from clusterhub.matchmaking.models import MatchProfile, MatchRunStatus, MeetingRequest
from clusterhub.registration import services as registration_services
from clusterhub.registration.models import Registration, RegistrationStatus

TYPE_WEIGHTS = {"company|investor": 1.5, "industry|school": 1.3, "company|hospital": 1.2}
REQUESTS = 40  # meeting requests the demo sends, from the first people with recommendations
MESSAGES = (
    "Your reasons sound like a good fit: shall we meet during the partnering slot?",
    "Hei! Jeg tror vi har mye å snakke om. Har du tid til et kort møte?",
    "Добрий день! Буду рада зустрітися та обговорити можливу співпрацю.",
    "",
)


@dataclass
class MatchmakingLoaded:
    created: Counter[str] = field(default_factory=Counter)
    run_figures: dict = field(default_factory=dict)


def _pick(rng: random.Random, items: tuple[str, ...], n: int) -> list[str]:
    return rng.sample(items, min(n, len(items)))


def _profile_fields(registration: Registration, seed: int, event: Event) -> dict:
    person = registration.person
    kind = person.organisation.type if person.organisation else OrganisationType.OTHER
    offers, needs, objectives, preferred = PROFILES.get(kind, PROFILES[OrganisationType.OTHER])
    rng = random.Random(f"{seed}:{person.email}")
    known = {t.casefold(): t for t in TAGS}
    tags = [known[e.casefold()] for e in person.expertise or [] if e.casefold() in known]
    tags = list(dict.fromkeys([*tags, rng.choice(TAGS)]))
    slots = list(services.networking_sessions(event).values_list("pk", flat=True))
    return {
        "offers": _pick(rng, offers, 2),
        "needs": _pick(rng, needs, 2),
        "tags": tags,
        "objectives": _pick(rng, objectives, rng.randint(1, 2)),
        "preferred_types": _pick(rng, preferred, 1) if rng.random() < 0.5 else [],
        "available_sessions": [s for s in slots if rng.random() < 0.6] or slots[:1],
    }


def matchmaking_demo_load(
    *, event: Event, seed: int, organiser: User | None, participant: Person | None
) -> MatchmakingLoaded:
    """Add what is missing of the demo's matchmaking (see the module docstring); the demo
    participant shares a profile. Call it inside a transaction."""
    with outbox_muted():
        return _load(event, seed, organiser, participant)


def _load(
    event: Event, seed: int, organiser: User | None, participant: Person | None
) -> MatchmakingLoaded:
    result = MatchmakingLoaded()
    if not selectors.matchmaking_settings_for(event=event).pk:
        services.matchmaking_settings_update(
            event=event, actor=organiser, tags=list(TAGS), type_weights=TYPE_WEIGHTS
        )
        result.created["settings"] += 1
    if participant is not None:
        own = Registration.objects.filter(
            event=event, person=participant, status=RegistrationStatus.CONFIRMED
        ).first()
        if own is not None and own.consent_matchmaking_at is None:
            registration_services.registration_matchmaking_consent_set(
                registration=own, consent=True, actor=participant.user
            )
    with_profile = set(
        MatchProfile.objects.filter(registration__event=event).values_list(
            "registration_id", flat=True
        )
    )
    for registration in (
        services.consenting_registrations(event)
        .select_related("event", "person__organisation")
        .order_by("pk")
    ):
        if registration.pk in with_profile:
            continue
        services.profile_update(
            registration=registration,
            actor=registration.person.user,
            **_profile_fields(registration, seed, event),
        )
        result.created["profiles"] += 1
    run = selectors.match_run_latest(event=event)
    if run is None:
        run = services.match_run_create(event=event, actor=organiser)
        services.match_run_execute(run=run)
        result.created["matchmaking runs"] += 1
    if run.status == MatchRunStatus.DONE:
        result.run_figures = run.figures
        if not MeetingRequest.objects.filter(event=event).exists():
            _requests(event, run, seed, participant, result)
    return result


def _requests(event, run, seed, participant, result) -> None:
    rng = random.Random(f"{seed}:requests")
    grouped = selectors.recommendations_by_registration(run=run)
    wanted = set(grouped) | {r.other_id for recs in grouped.values() for r in recs}
    registrations = {
        r.pk: r
        for r in Registration.objects.filter(pk__in=wanted).select_related("event", "person")
    }
    senders = sorted(grouped)
    participant_id = participant.pk if participant is not None else None
    own = next((pk for pk in senders if registrations[pk].person_id == participant_id), None)
    # The demo participant has one request waiting for them and has sent one.
    ordered = ([own] if own else []) + [pk for pk in senders if pk != own]
    sent = []
    for sender_pk in ordered[:REQUESTS]:
        recs = grouped[sender_pk]
        other = registrations.get(recs[rng.randrange(min(3, len(recs)))].other_id)
        if other is None:
            continue
        try:
            request = services.meeting_request_send(
                sender=registrations[sender_pk], recipient=other, message=rng.choice(MESSAGES),
                actor=registrations[sender_pk].person.user,
            )  # fmt: skip
        except ValidationError:
            continue
        sent.append(request)
        result.created["meeting requests"] += 1
    if own is not None:
        for pk in senders:  # somebody the participant was recommended to asks them
            if pk != own and any(r.other_id == own for r in grouped[pk][:5]):
                try:
                    services.meeting_request_send(
                        sender=registrations[pk], recipient=registrations[own],
                        message=MESSAGES[0], actor=None,
                    )  # fmt: skip
                    result.created["meeting requests"] += 1
                except ValidationError:
                    continue
                break
    for request in sent:
        if own is not None and request.sender_id == own:
            continue  # the participant's own request waits for an answer
        roll = rng.random()
        if roll < 0.6:
            services.meeting_request_answer(request=request, accept=True, actor=None)
        elif roll < 0.8:
            services.meeting_request_answer(
                request=request, accept=False, response="Sorry, my schedule is full.", actor=None
            )
