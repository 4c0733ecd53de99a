"""What every matchmaking service shares: limits, refusals, the activity log, and who takes part."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from clusterhub.common.activity import activity_log
from clusterhub.events.models import Event
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


def refusal(message: str, code: str, field: str | None = None) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def log(actor: Any, action: str, obj: Any, event: Event, **data: Any) -> None:
    activity_log(
        actor=actor, action=action, obj=obj, cluster_id=event.cluster_id, event_id=event.pk,
        data=data,
    )  # fmt: skip


def consenting_registrations(event: Event):
    """The registrations of `event` that share a profile: confirmed, with matchmaking consent."""
    return Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED, consent_matchmaking_at__isnull=False
    )
