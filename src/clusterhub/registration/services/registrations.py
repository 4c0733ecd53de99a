"""Registering for an event, and the organiser's decisions on registrations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.common.activity import activity_entry
from clusterhub.common.models import ActivityLogEntry
from clusterhub.common.outbox import outbox_queue, outbox_queue_many
from clusterhub.directory import services as directory_services
from clusterhub.directory.models import OrganisationType, Person, User
from clusterhub.events.models import Event
from clusterhub.registration.consents import consent_version_and_text
from clusterhub.registration.models import (
    ACTIVE_STATUSES,
    Answer,
    ConsentKind,
    ConsentRecord,
    ConsentSource,
    Question,
    QuestionKind,
    Registration,
    RegistrationConfig,
    RegistrationStatus,
    TicketType,
    new_token,
)
from clusterhub.registration.selectors import registration_config_for
from clusterhub.registration.services.common import log, refusal
from clusterhub.registration.services.consents import consent_record
from clusterhub.registration.services.signups import signup_cancel

BULK_CHUNK = 500  # rows per insert, and ids per lookup, of the bulk services


def registration_config(*, event: Event) -> RegistrationConfig:
    """The event's registration settings (created empty on first use)."""
    config, _created = RegistrationConfig.objects.get_or_create(event=event)
    return config


def registration_window_state(
    *, event: Event, now=None, config: RegistrationConfig | None = None
) -> str:
    """`not_published`, `not_open_yet`, `closed` or `open`. Reads only."""
    now = now or timezone.now()
    if not event.is_published:
        return "not_published"
    config = config or registration_config_for(event=event)
    if config.opens_at and now < config.opens_at:
        return "not_open_yet"
    if config.closes_at and now >= config.closes_at:
        return "closed"
    return "open"


# A yes/no answer is a bool; these words (as in the import files) are read as one too. Any
# other value is refused rather than guessed: bool("no") is True.
YES_NO_WORDS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}


def _clean_answers(
    event: Event, answers: dict[int, Any], *, required: bool = True
) -> dict[Question, Any]:
    errors: dict[str, Any] = {}
    cleaned: dict[Question, Any] = {}
    for question in Question.objects.filter(event=event):
        value = answers.get(question.pk)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "" or value == []:  # False is an answer (“no”)
            if question.required and required:
                errors[f"question_{question.pk}"] = refusal(
                    _("Please answer this question."), "answer_required"
                )
            continue
        allowed = set(question.choices)
        if question.kind == QuestionKind.YES_NO:
            if isinstance(value, str):
                value = YES_NO_WORDS.get(value.lower(), value)
            if not isinstance(value, bool):
                errors[f"question_{question.pk}"] = refusal(_("Answer yes or no."), "bad_choice")
                continue
        elif question.kind == QuestionKind.CHOICE and not (
            isinstance(value, str) and value in allowed
        ):
            errors[f"question_{question.pk}"] = refusal(
                _("Choose one of the options."), "bad_choice"
            )
            continue
        elif question.kind == QuestionKind.MULTIPLE:
            value = list(value) if isinstance(value, list | tuple) else [value]
            if not all(isinstance(v, str) and v in allowed for v in value):
                errors[f"question_{question.pk}"] = refusal(
                    _("Choose among the options."), "bad_choice"
                )
                continue
            value = list(dict.fromkeys(value))  # each option once
        cleaned[question] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def registration_create(
    *,
    event: Event,
    person: Person,
    ticket_type: TicketType,
    consent_privacy: bool,
    consent_matchmaking: bool = False,
    consent_photos: bool = False,
    answers: dict[int, Any] | None = None,
    actor: User | None,
    by_organiser: bool = False,
    consent_source: str = "",
) -> Registration:
    """Register `person` for `event`.

    Refuses (ValidationError with a code): registration not open (`not_published`,
    `not_open_yet`, `closed`; organisers may register people outside the window), a ticket
    type of another event or not offered (`bad_ticket`), no privacy consent
    (`consent_required`), a person already registered (`already_registered`), a full event
    (`event_full`), missing or invalid answers (`answer_required`, `bad_choice`; with
    `by_organiser` required questions may stay unanswered). Side effects: the registration
    and its answers, an activity log line, a confirmation email in the outbox (sent after
    commit).
    """
    event = Event.objects.select_for_update().get(pk=event.pk)  # the event's seats, locked late
    config = registration_config_for(event=event)
    state = registration_window_state(event=event, config=config)
    if state != "open" and not (by_organiser and state != "not_published"):
        messages = {
            "not_published": _("This event is not open for registration."),
            "not_open_yet": _("Registration has not opened yet."),
            "closed": _("Registration is closed."),
        }
        raise refusal(messages[state], state)
    if ticket_type.event_id != event.pk or not (ticket_type.is_public or by_organiser):
        raise refusal(_("Choose one of the ticket types offered."), "bad_ticket", "ticket_type")
    if not consent_privacy:
        raise refusal(
            _("You need to accept the privacy notice to register."),
            "consent_required",
            "consent_privacy",
        )
    # Answers are the participant's to give: an organiser registering somebody (by hand or by
    # import) may leave required questions open; what is given must still be valid.
    cleaned = _clean_answers(event, answers or {}, required=not by_organiser)
    if Registration.objects.filter(event=event, person=person, status__in=ACTIVE_STATUSES).exists():
        raise refusal(_("You are already registered for this event."), "already_registered")
    capacity = config.capacity
    if capacity is not None:
        taken = Registration.objects.filter(event=event, status__in=ACTIVE_STATUSES).count()
        if taken >= capacity:
            raise refusal(_("The event is full."), "event_full")
    now = timezone.now()
    registration = Registration(
        event=event,
        person=person,
        ticket_type=ticket_type,
        status=RegistrationStatus.PENDING
        if ticket_type.requires_approval
        else RegistrationStatus.CONFIRMED,
        consent_privacy_at=now,
        consent_matchmaking_at=now if consent_matchmaking else None,
        consent_photos_at=now if consent_photos else None,
    )
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:  # a parallel request registered the same person first
        raise refusal(
            _("You are already registered for this event."), "already_registered"
        ) from exc
    Answer.objects.bulk_create(
        Answer(registration=registration, question=q, value=v) for q, v in cleaned.items()
    )
    source = consent_source or (
        ConsentSource.ORGANISER if by_organiser else ConsentSource.PARTICIPANT
    )
    for kind, given in (
        (ConsentKind.PRIVACY, True),
        (ConsentKind.MATCHMAKING, consent_matchmaking),
        (ConsentKind.PHOTOS, consent_photos),
    ):
        if given:
            consent_record(
                registration=registration, kind=kind, given=True, source=source, at=now,
                config=config,
            )  # fmt: skip
    directory_services.cluster_contact_add(cluster=event.cluster, person=person)
    log(actor, "registration.registration.create", registration, event,
        status=registration.status)  # fmt: skip
    _mail_status(registration)
    return registration


@transaction.atomic
def registrations_bulk_create(
    *,
    event: Event,
    people: Sequence[tuple[Person, bool]],
    ticket_type: TicketType,
    actor: User | None,
    consent_source: str = "",
) -> list[Registration]:
    """`registration_create` by the organisers (`by_organiser=True`, privacy consent given, no
    answers, no photo consent) for many people at once, each with their matchmaking consent
    (`people`: pairs of person and consent): the same rows, consent records, cluster contacts,
    activity log lines and confirmation emails, written in a few inserts instead of a dozen
    queries per person. For the participant import.

    Refuses the whole batch, with registration_create's messages and codes, when the event is
    not published (`not_published`), the ticket type is another event's (`bad_ticket`), one
    of the people is registered already (`already_registered`) or they do not all fit
    (`event_full`). Side effects as registration_create's, for each person."""
    event = Event.objects.select_for_update().get(pk=event.pk)  # the event's seats, locked late
    config = registration_config_for(event=event)
    if registration_window_state(event=event, config=config) == "not_published":
        raise refusal(_("This event is not open for registration."), "not_published")
    if ticket_type.event_id != event.pk:
        raise refusal(_("Choose one of the ticket types offered."), "bad_ticket", "ticket_type")
    active = Registration.objects.filter(event=event, status__in=ACTIVE_STATUSES)
    ids = [person.pk for person, _consent in people]
    for start in range(0, len(ids), BULK_CHUNK):
        if active.filter(person_id__in=ids[start : start + BULK_CHUNK]).exists():
            raise refusal(_("You are already registered for this event."), "already_registered")
    if config.capacity is not None and active.count() + len(people) > config.capacity:
        raise refusal(_("The event is full."), "event_full")
    now = timezone.now()
    status = (
        RegistrationStatus.PENDING if ticket_type.requires_approval
        else RegistrationStatus.CONFIRMED
    )  # fmt: skip
    try:
        with transaction.atomic():
            registrations = Registration.objects.bulk_create(
                [
                    Registration(
                        event=event, person=person, ticket_type=ticket_type, status=status,
                        consent_privacy_at=now, consent_matchmaking_at=now if consent else None,
                    )
                    for person, consent in people
                ],
                batch_size=BULK_CHUNK,
            )  # fmt: skip
    except IntegrityError as exc:  # a parallel request registered one of them first
        raise refusal(
            _("You are already registered for this event."), "already_registered"
        ) from exc
    source = consent_source or ConsentSource.ORGANISER
    host = event.cluster.name
    texts = {
        kind: consent_version_and_text(kind=kind, config=config, host=host)
        for kind in (ConsentKind.PRIVACY, ConsentKind.MATCHMAKING)
    }
    ConsentRecord.objects.bulk_create(
        [
            ConsentRecord(registration=r, kind=kind, given=True, version=texts[kind][0],
                          text=texts[kind][1], source=source, at=now)
            for r in registrations
            for kind in (ConsentKind.PRIVACY, ConsentKind.MATCHMAKING)
            if kind == ConsentKind.PRIVACY or r.consent_matchmaking_at is not None
        ],
        batch_size=BULK_CHUNK,
    )  # fmt: skip
    directory_services.cluster_contacts_add(
        cluster=event.cluster, people=[person for person, _consent in people]
    )
    ActivityLogEntry.objects.bulk_create(
        [
            activity_entry(actor=actor, action="registration.registration.create", obj=r,
                           cluster_id=event.cluster_id, event_id=event.pk,
                           data={"status": r.status})
            for r in registrations
        ],
        batch_size=BULK_CHUNK,
    )  # fmt: skip
    outbox_queue_many([m for m in map(_status_mail, registrations) if m is not None])
    return registrations


def _mail_status(registration: Registration) -> None:
    message = _status_mail(registration)
    if message is not None:
        outbox_queue(**message)


def _status_mail(registration: Registration) -> dict[str, Any] | None:
    """The email telling the person the registration's status (`outbox_queue`'s arguments),
    or None without an address."""
    person, event = registration.person, registration.event
    if not person.email:
        return None
    if registration.status == RegistrationStatus.PENDING:
        subject = _("Registration received: %(event)s") % {"event": event.name}
        body = _(
            "Dear %(name)s,\n\nwe have received your registration for %(event)s. The organisers "
            "will confirm it shortly.\n"
        )
    elif registration.status == RegistrationStatus.CONFIRMED:
        subject = _("Registration confirmed: %(event)s") % {"event": event.name}
        body = _("Dear %(name)s,\n\nyour registration for %(event)s is confirmed. Welcome!\n")
    elif registration.status == RegistrationStatus.REJECTED:
        subject = _("Registration not accepted: %(event)s") % {"event": event.name}
        body = _(
            "Dear %(name)s,\n\nwe are sorry: your registration for %(event)s was not accepted.\n"
        )
    else:
        subject = _("Registration cancelled: %(event)s") % {"event": event.name}
        body = _("Dear %(name)s,\n\nyour registration for %(event)s has been cancelled.\n")
    return {
        "to": person.email,
        "subject": subject,
        "body": body % {"name": person.full_name, "event": event.name},
        "event_id": event.pk,
    }


def _lock(registration: Registration) -> Registration:
    # Only the registration's row (a join would lock the event and the person as well), and
    # NO KEY UPDATE so rows pointing at it (a new sign-up) can still be inserted meanwhile.
    return (
        Registration.objects.select_for_update(of=("self",), no_key=True)
        .select_related("event", "person")
        .get(pk=registration.pk)
    )


@transaction.atomic
def registration_decide(
    *, registration: Registration, approve: bool, actor: User | None
) -> Registration:
    """Approve or reject a registration awaiting approval (`not_pending` otherwise).
    Side effects: status change, activity log, an email."""
    registration = _lock(registration)
    if registration.status != RegistrationStatus.PENDING:
        raise refusal(_("This registration is not awaiting approval."), "not_pending")
    registration.status = RegistrationStatus.CONFIRMED if approve else RegistrationStatus.REJECTED
    registration.save(update_fields=["status", "updated_at"])
    log(actor, "registration.registration." + ("approve" if approve else "reject"), registration,
        registration.event)  # fmt: skip
    _mail_status(registration)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, actor: User | None) -> Registration:
    """Cancel a registration and release all its sign-ups; every freed seat goes at once to the
    first person waiting for it. Refuses an already cancelled one (`not_active`)."""
    registration = _lock(registration)
    if not registration.is_active:
        raise refusal(_("This registration is not active."), "not_active")
    # Sessions in id order: the lock order every sign-up service keeps (see signups.py).
    for signup in registration.signups.order_by("session_id"):
        signup_cancel(signup=signup, actor=actor, notify=False)
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    log(actor, "registration.registration.cancel", registration, registration.event)
    _mail_status(registration)
    return registration


@transaction.atomic
def registration_calendar_token_reset(*, registration: Registration, actor: User | None) -> str:
    """Revoke the personal calendar address: the old one answers 404 from now on."""
    registration.calendar_token = new_token()
    registration.save(update_fields=["calendar_token", "updated_at"])
    log(actor, "registration.calendar_token.reset", registration, registration.event)
    return registration.calendar_token


@transaction.atomic
def registration_matchmaking_consent_set(
    *, registration: Registration, consent: bool, actor: User | None
) -> Registration:
    """Give or withdraw the matchmaking consent. Withdrawn, the profile is hidden from everyone
    and the matcher at once (every matchmaking read checks the consent). Giving it again keeps
    the first time it was given if it was never withdrawn. Side effects: the registration's
    consent time, a ConsentRecord (given or withdrawn, with the text version), an activity
    log line."""
    registration = _lock(registration)
    if consent == (registration.consent_matchmaking_at is not None):
        return registration
    now = timezone.now()
    registration.consent_matchmaking_at = now if consent else None
    registration.save(update_fields=["consent_matchmaking_at", "updated_at"])
    consent_record(
        registration=registration, kind=ConsentKind.MATCHMAKING, given=consent,
        source=ConsentSource.PARTICIPANT, at=now,
    )  # fmt: skip
    log(actor, "registration.consent_matchmaking." + ("give" if consent else "withdraw"),
        registration, registration.event)  # fmt: skip
    return registration


@transaction.atomic
def _email_verified(user: User, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def registration_person_for_user(
    *,
    event: Event,
    user: User,
    first_name: str,
    last_name: str,
    job_title: str = "",
    organisation_name: str = "",
    organisation_type: str = "",
    country: str = "",
    actor: User | None,
) -> Person:
    """The directory person who registers for `event` with the account `user`: the person
    linked to the account, else the unlinked person with the account's email address (linked
    now), else a new person with that address. Their name, job title and country are set from
    what they typed, and their organisation when a name is given (reused by name, else added
    with `organisation_type` and `country`).

    Call it in the same transaction as `registration_create`, so a refused registration leaves
    no person behind. Refuses an email address whose person belongs to another account
    (`email_taken`) and fields the directory refuses (keyed by field). Side effects: person
    and organisation rows, an activity log line.
    """
    email = user.email.strip().lower()
    person = Person.objects.select_for_update().filter(user=user).first()
    if person is None and email:
        person = Person.objects.select_for_update().filter(email__iexact=email).first()
        if person is not None and person.user_id is not None:
            raise refusal(
                _(
                    "The directory entry with your email address belongs to another account; "
                    "please contact the organisers."
                ),
                "email_taken",
            )
        if person is not None and not _email_verified(user, email):
            # Anybody can sign up with any address: only a confirmed one may take over the
            # directory entry (and the speaker profile) that carries it.
            raise refusal(
                _(
                    "Please confirm your email address first: use the link we sent you, then "
                    "register again."
                ),
                "email_unverified",
            )
    action = "registration.person.update"
    if person is None:
        person, action = Person(email=email), "registration.person.create"
    elif person.user_id is None:
        action = "registration.person.link"
    person.user = user
    person.first_name, person.last_name = first_name.strip(), last_name.strip()
    person.job_title = job_title.strip()
    if country:
        person.country = country
    if organisation_name.strip():
        person.organisation = directory_services.organisation_get_or_create(
            name=organisation_name,
            actor=actor,
            type=organisation_type or OrganisationType.OTHER,
            country=country,
        )
    person.full_clean()
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError as exc:  # a parallel request (double submit) made the person first
        existing = Person.objects.filter(user=user).first()
        if existing is None:
            raise refusal(
                _("Your directory entry could not be saved; please try again."), "person_conflict"
            ) from exc
        return existing
    log(actor, action, person, event)
    return person
