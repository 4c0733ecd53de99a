"""Pieces every registration service shares."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from clusterhub.common.activity import activity_log
from clusterhub.events.models import Event


def refusal(message: str, code: str, field: str | None = None) -> ValidationError:
    """A refusal with a code (kept when keyed by a form field)."""
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def log(actor: Any, action: str, obj: Any, event: Event, **data: Any) -> None:
    activity_log(
        actor=actor, action=action, obj=obj, cluster_id=event.cluster_id, event_id=event.pk,
        data=data,
    )  # fmt: skip
