"""Helpers for the matchmaking page tests (plain functions: fixtures live in the modules)."""

import html
import re

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from clusterhub.common.models import ActivityLogEntry, OutboxMessage
from clusterhub.matchmaking.models import (
    MatchmakingSettings,
    MatchProfile,
    MatchRun,
    MatchRunStatus,
    MeetingRequest,
    ProfileMark,
    Recommendation,
)
from clusterhub.registration.models import Registration
from tests.factories import MatchProfileFactory, RegistrationFactory, UserFactory


def page_text(response) -> str:
    """The body with HTML entities decoded, so messages can be matched as users read them."""
    return html.unescape(response.content.decode())


def flashed(response) -> list[str]:
    """The messages a (non-followed) response left for the next page."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def mm_url(name: str, event, *args) -> str:
    """The address of participant matchmaking page `name` of `event`."""
    return reverse(f"matchmaking:{name}", args=[event.slug, *args])


def orga_url(name: str, event, *args) -> str:
    """The address of organiser matchmaking page `name` of `event`."""
    return reverse(f"orga_matchmaking:{name}", args=[event.slug, *args])


def db_state() -> tuple:
    """What a refused or forbidden request must leave as it was (every service writes the
    activity log, and every mail goes through the outbox)."""
    return (
        ActivityLogEntry.objects.count(),
        OutboxMessage.objects.count(),
        list(
            Registration.objects.order_by("pk").values_list(
                "pk", "status", "consent_matchmaking_at"
            )
        ),
        list(
            MatchProfile.objects.order_by("pk").values_list(
                "pk",
                "offers",
                "needs",
                "interests",
                "tags",
                "about",
                "objectives",
                "preferred_types",
                "preferred_countries",
            )
        ),
        list(
            MatchProfile.available_sessions.through.objects.order_by("pk").values_list(
                "matchprofile_id", "session_id"
            )
        ),
        list(
            ProfileMark.objects.order_by("pk").values_list(
                "from_registration_id", "to_registration_id", "kind"
            )
        ),
        list(
            MeetingRequest.objects.order_by("pk").values_list(
                "pk", "sender_id", "recipient_id", "status", "message", "response", "answered_at"
            )
        ),
        list(MatchRun.objects.order_by("pk").values_list("pk", "status", "k")),
        list(
            MatchmakingSettings.objects.order_by("pk").values_list(
                "is_open", "tags", "border_bonus", "diversity", "type_weights", "request_limit"
            )
        ),
    )


def participant(client, event, *, consent: bool = True, profile: bool = True, **fields):
    """Log `client` in as a new user with a (by default confirmed) registration for `event`,
    sharing a matchmaking profile unless `consent=False`; `profile=False` leaves it without a
    MatchProfile row. `fields` go to the registration (`person__first_name=...`)."""
    user = UserFactory()
    registration = RegistrationFactory(
        event=event, person__user=user, person__email=user.email,
        consent_matchmaking_at=timezone.now() if consent else None, **fields,
    )  # fmt: skip
    if profile:
        MatchProfileFactory(registration=registration)
    client.force_login(user)
    return registration


def shared(event, **fields) -> Registration:
    """Another participant of `event` sharing a profile. `fields` go to MatchProfileFactory:
    `offers=[...]`, `registration__person__first_name="Olena"`, ..."""
    return MatchProfileFactory(registration__event=event, **fields).registration


def finished_run(event, recommendations: list[tuple], status=MatchRunStatus.DONE) -> MatchRun:
    """A run of `event` with `status` and rows (registration, other, reasons), ranked in the
    order given per registration."""
    run = MatchRun.objects.create(event=event, status=status, progress=100)
    ranks: dict[int, int] = {}
    for registration, other, reasons in recommendations:
        ranks[registration.pk] = ranks.get(registration.pk, 0) + 1
        Recommendation.objects.create(
            run=run, registration=registration, other=other, rank=ranks[registration.pk],
            score=round(1 - 0.1 * ranks[registration.pk], 2), reasons=list(reasons),
        )  # fmt: skip
    return run


def figure(text: str, label: str) -> str:
    """The value shown in the figures table row labelled `label`."""
    found = re.search(
        r'<th scope="row">' + re.escape(label) + r'</th><td class="number">([^<]*)</td>', text
    )
    assert found, f"no row {label!r}"
    return found.group(1).strip()


def card_names(text: str) -> list[str]:
    """The names on the profile cards of a page, in order."""
    return re.findall(r'<h3><a href="[^"]*">([^<]+)</a></h3>', text)
