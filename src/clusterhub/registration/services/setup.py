"""The organiser's set-up of registration: the window and capacity, ticket types, questions.

Each service locks the event row first, the same lock `registration_create` takes, so a
ticket type cannot vanish under a registration being written and a capacity cannot drop
below a registration counted a moment ago.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterhub.directory.models import User
from clusterhub.events.models import Event
from clusterhub.registration.models import (
    ACTIVE_STATUSES,
    Question,
    QuestionKind,
    Registration,
    RegistrationConfig,
    TicketType,
)
from clusterhub.registration.services.common import log, refusal
from clusterhub.registration.services.registrations import registration_config

TICKET_TYPE_FIELDS = ("name", "description", "requires_approval", "is_public", "position")
QUESTION_FIELDS = ("label", "kind", "required", "choices", "position")
CHOICE_KINDS = (QuestionKind.CHOICE, QuestionKind.MULTIPLE)


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


@transaction.atomic
def registration_config_update(
    *,
    event: Event,
    opens_at: datetime | None,
    closes_at: datetime | None,
    capacity: int | None,
    privacy_notice: str,
    actor: User | None,
) -> RegistrationConfig:
    """Set the registration window, the event capacity and the privacy notice.

    Refuses a window that closes before (or when) it opens (`window_order`, on `closes_at`)
    and a capacity below the registrations already active (`capacity_below_registered`, on
    `capacity`). Side effects: the settings row, an activity log line.
    """
    event = _lock_event(event)
    config = registration_config(event=event)
    if opens_at and closes_at and closes_at <= opens_at:
        raise refusal(_("Registration must close after it opens."), "window_order", "closes_at")
    if capacity is not None:
        taken = Registration.objects.filter(event=event, status__in=ACTIVE_STATUSES).count()
        if capacity < taken:
            raise refusal(
                ngettext(
                    "%(count)d person is already registered; the capacity cannot be lower.",
                    "%(count)d people are already registered; the capacity cannot be lower.",
                    taken,
                )
                % {"count": taken},
                "capacity_below_registered",
                "capacity",
            )
    config.opens_at, config.closes_at = opens_at, closes_at
    config.capacity, config.privacy_notice = capacity, privacy_notice.strip()
    config.save()
    log(actor, "registration.config.update", config, event, capacity=capacity)
    return config


# --- ticket types ----------------------------------------------------------------------------


def _ticket_type_check(event: Event, ticket_type: TicketType) -> None:
    ticket_type.name = ticket_type.name.strip()
    if not ticket_type.name:
        raise refusal(_("Give the ticket type a name."), "name_required", "name")
    same_name = TicketType.objects.filter(event=event, name__iexact=ticket_type.name)
    if ticket_type.pk:
        same_name = same_name.exclude(pk=ticket_type.pk)
    if same_name.exists():
        raise _duplicate_ticket(ticket_type.name)


def _duplicate_ticket(name: str):
    return refusal(
        _("This event already has a ticket type called “%(name)s”.") % {"name": name},
        "duplicate_ticket",
        "name",
    )


def _ticket_type_save(event: Event, ticket_type: TicketType) -> None:
    _ticket_type_check(event, ticket_type)
    try:
        with transaction.atomic():
            ticket_type.save()
    except IntegrityError as exc:  # the same name saved by a parallel request
        raise _duplicate_ticket(ticket_type.name) from exc


@transaction.atomic
def ticket_type_create(*, event: Event, actor: User | None, **fields: Any) -> TicketType:
    """Add a ticket type (fields: TICKET_TYPE_FIELDS). Refuses an empty name
    (`name_required`) and a name the event already has, in any case (`duplicate_ticket`).
    Side effects: the row, an activity log line."""
    event = _lock_event(event)
    ticket_type = TicketType(event=event, **_only(fields, TICKET_TYPE_FIELDS))
    _ticket_type_save(event, ticket_type)
    log(actor, "registration.ticket_type.create", ticket_type, event)
    return ticket_type


@transaction.atomic
def ticket_type_update(*, ticket_type: TicketType, actor: User | None, **fields: Any) -> TicketType:
    """Change a ticket type; the refusals of `ticket_type_create`."""
    event = _lock_event(ticket_type.event)
    for name, value in _only(fields, TICKET_TYPE_FIELDS).items():
        setattr(ticket_type, name, value)
    _ticket_type_save(event, ticket_type)
    log(actor, "registration.ticket_type.update", ticket_type, event, fields=sorted(fields))
    return ticket_type


@transaction.atomic
def ticket_type_delete(*, ticket_type: TicketType, actor: User | None) -> None:
    """Remove a ticket type nobody holds. Refuses one with registrations, cancelled ones
    included, as they keep their ticket type (`ticket_in_use`, naming the count)."""
    event = _lock_event(ticket_type.event)
    used = Registration.objects.filter(ticket_type=ticket_type).count()
    if used:
        raise refusal(
            ngettext(
                "“%(name)s” is held by %(count)d registration; it cannot be deleted. "
                "Untick “public” to stop offering it.",
                "“%(name)s” is held by %(count)d registrations; it cannot be deleted. "
                "Untick “public” to stop offering it.",
                used,
            )
            % {"name": ticket_type.name, "count": used},
            "ticket_in_use",
        )
    log(actor, "registration.ticket_type.delete", ticket_type, event)
    ticket_type.delete()


# --- questions -------------------------------------------------------------------------------


def _clean_choices(choices: Any) -> list[str]:
    return [str(choice).strip() for choice in (choices or []) if str(choice).strip()]


def _question_check(question: Question, kind_before: str | None) -> None:
    question.label = question.label.strip()
    if not question.label:
        raise refusal(_("Write the question."), "label_required", "label")
    if question.kind not in QuestionKind.values:
        raise refusal(_("Choose a kind of question."), "bad_kind", "kind")
    if question.kind in CHOICE_KINDS:
        question.choices = _clean_choices(question.choices)
        if len(question.choices) < 2:
            raise refusal(
                _("A choice question needs at least two choices, one per line."),
                "choices_required",
                "choices",
            )
        lowered = [choice.casefold() for choice in question.choices]
        if len(set(lowered)) != len(lowered):
            raise refusal(_("Each choice may appear only once."), "duplicate_choice", "choices")
    else:
        question.choices = []
    if kind_before is not None and kind_before != question.kind and question.answers.exists():
        raise refusal(
            _("People have answered this question; its kind can no longer change."),
            "question_answered",
            "kind",
        )


@transaction.atomic
def question_create(*, event: Event, actor: User | None, **fields: Any) -> Question:
    """Add a question to the registration form (fields: QUESTION_FIELDS; `choices` a list
    of strings). Refuses an empty label (`label_required`), an unknown kind (`bad_kind`), a
    choice question with fewer than two choices (`choices_required`) or a choice twice
    (`duplicate_choice`); other kinds keep no choices. Side effects: the row, a log line."""
    event = _lock_event(event)
    question = Question(event=event, **_only(fields, QUESTION_FIELDS))
    _question_check(question, kind_before=None)
    question.save()
    log(actor, "registration.question.create", question, event)
    return question


@transaction.atomic
def question_update(*, question: Question, actor: User | None, **fields: Any) -> Question:
    """Change a question; the refusals of `question_create`, and a kind that changes after
    people answered (`question_answered`): their answers would no longer fit."""
    event = _lock_event(question.event)
    kind_before = question.kind
    for name, value in _only(fields, QUESTION_FIELDS).items():
        setattr(question, name, value)
    _question_check(question, kind_before=kind_before)
    question.save()
    log(actor, "registration.question.update", question, event, fields=sorted(fields))
    return question


@transaction.atomic
def question_delete(*, question: Question, actor: User | None) -> int:
    """Remove a question and its answers. Returns how many answers went with it."""
    event = _lock_event(question.event)
    answers = question.answers.count()
    log(actor, "registration.question.delete", question, event, answers=answers)
    question.delete()
    return answers


def _only(fields: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    return fields
