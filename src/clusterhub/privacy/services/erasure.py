"""Erasure: a person's personal data anonymised, the rows the figures count kept.

What goes: names (a neutral placeholder instead), email addresses, job title, bio, expertise,
languages, the user account (deleted: with it its API tokens, email addresses and team
memberships), registration answers, matchmaking profile texts (offers, needs, interests,
about), marks and recommendations, meeting request messages and answers, the reasons stored
with their meetings, meeting feedback comments, survey text answers, mail to them in the
outbox, and every mention of their name or email address in the activity log, the outbox and
the free texts of partnerships, sessions and reports.

What stays (so the event's KPIs do not change): the person row with its organisation and
country, registrations with status, ticket type, consents and check-in time, check-ins,
sign-ups, meeting requests (status), meetings, feedback attendance, rating and outcome, survey
ratings, and a speaker's role on the programme (shown under the placeholder name).
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.common.activity import activity_log
from clusterhub.common.models import ActivityLogEntry, OutboxMessage
from clusterhub.directory.models import Person, User
from clusterhub.events.models import Session
from clusterhub.followup.models import MeetingFeedback, Partnership, SurveyAnswer
from clusterhub.matchmaking.models import (
    MatchProfile,
    Meeting,
    MeetingRequest,
    ProfileMark,
    Recommendation,
)
from clusterhub.registration.models import Answer, Registration, new_token
from clusterhub.reports.models import Report, SessionHighlight

# Stored as data, not translated: the language of whoever erased somebody is no reason for
# the directory to show the placeholder in that language forever.
ERASED_FIRST_NAME = "Erased"
ERASED_LAST_NAME = "participant"
PLACEHOLDER = f"{ERASED_FIRST_NAME} {ERASED_LAST_NAME}"

# Free texts that may mention a person by name (written by others: organisers, other
# participants). Their mentions are replaced, the texts stay.
MENTIONING_TEXTS: list[tuple[type[models.Model], tuple[str, ...]]] = [
    (OutboxMessage, ("subject", "body")),
    (Partnership, ("title", "description", "next_step")),
    (Session, ("description",)),
    (Report, ("title", "introduction", "closing")),
    (SessionHighlight, ("key_messages",)),
    (MeetingRequest, ("message", "response")),
    (MeetingFeedback, ("comment",)),
    (SurveyAnswer, ("text",)),
]


def erasure_refusal_for(user: User) -> ValidationError | None:
    """Why `user` may not erase themselves (None: they may). Team members and platform staff
    ask the platform admin: their account runs a cluster's events."""
    if user.is_staff or user.is_superuser:
        return ValidationError(
            _("Platform staff accounts are erased by another platform admin."), code="staff"
        )
    if user.cluster_memberships.exists():
        return ValidationError(
            _(
                "You are on the team of a host cluster: please ask the platform admin to erase "
                "your data, so that your cluster's events keep an organiser."
            ),
            code="team_member",
        )
    return None


def _needles(person: Person) -> list[str]:
    found = {person.full_name, person.email}
    if person.user is not None:
        found |= {person.user.email, f"{person.user.first_name} {person.user.last_name}".strip()}
    # A needle as short as a first name alone would rewrite other people's texts too.
    return sorted((n for n in found if len(n.strip()) >= 4), key=len, reverse=True)


def _replace(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(PLACEHOLDER, value)
    if isinstance(value, list):
        return [_replace(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, pattern) for k, v in value.items()}
    return value


def _scrub_mentions(needles: list[str], object_refs: Q, person_pk: int | None = None) -> int:
    """Replace the names and email addresses in `needles` wherever they are mentioned."""
    if not needles:
        return 0
    pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)
    changed = 0
    for model, fields in MENTIONING_TEXTS:
        where = Q()
        for field in fields:
            for needle in needles:
                where |= Q(**{f"{field}__icontains": needle})
        for row in model.objects.filter(where).only("pk", *fields):  # type: ignore[attr-defined]
            for field in fields:
                setattr(row, field, _replace(getattr(row, field), pattern))
            row.save(update_fields=list(fields))
            changed += 1
    # The activity log names objects by their str() (`Ada Lovelace @ Event`) and may carry
    # addresses in its details.
    where = object_refs
    for needle in needles:
        where |= Q(object_repr__icontains=needle) | Q(data__icontains=needle)
    for entry in ActivityLogEntry.objects.filter(where):
        entry.object_repr = _replace(entry.object_repr, pattern)
        if entry.object_type == "directory.person" and entry.object_id == str(person_pk):
            entry.object_repr = PLACEHOLDER
        entry.data = _replace(entry.data, pattern)
        entry.save(update_fields=["object_repr", "data"])
        changed += 1
    return changed


def _anonymise_registration_rows(registration: Registration) -> None:
    Answer.objects.filter(registration=registration).delete()
    MatchProfile.objects.filter(registration=registration).update(
        offers=[], needs=[], interests=[], about=""
    )
    ProfileMark.objects.filter(
        Q(from_registration=registration) | Q(to_registration=registration)
    ).delete()
    Recommendation.objects.filter(Q(registration=registration) | Q(other=registration)).delete()
    MeetingRequest.objects.filter(sender=registration).update(message="")
    MeetingRequest.objects.filter(recipient=registration).update(response="")
    Meeting.objects.filter(Q(a=registration) | Q(b=registration)).update(why=[])
    MeetingFeedback.objects.filter(registration=registration).update(comment="")
    SurveyAnswer.objects.filter(response__registration=registration).update(text="")
    registration.anonymised_at = timezone.now()
    registration.calendar_token = new_token()  # the old calendar address answers 404
    registration.badge_nonce += 1  # printed badges stop scanning
    registration.save(
        update_fields=["anonymised_at", "calendar_token", "badge_nonce", "updated_at"]
    )


@transaction.atomic
def registration_anonymise(*, registration: Registration, actor: Any, reason: str) -> bool:
    """Erase the personal data of one registration (answers, profile texts, marks,
    recommendations, request messages, meeting reasons, feedback comments, survey texts) and
    keep the row with its status, ticket type, consents and check-in, so the event's figures
    stay. False (and nothing written) when it was anonymised before. Side effects: those
    rows, the registration's `anonymised_at`, a new calendar token and badge nonce, an
    activity log line `privacy.registration.anonymise` with `reason` (no personal data)."""
    registration = (
        Registration.objects.select_for_update(of=("self",))
        .select_related("event")
        .get(pk=registration.pk)
    )
    if registration.anonymised_at is not None:
        return False
    _anonymise_registration_rows(registration)
    event = registration.event
    activity_log(
        actor=actor, action="privacy.registration.anonymise", cluster_id=event.cluster_id,
        event_id=event.pk, data={"registration": registration.pk, "reason": reason},
    )  # fmt: skip
    return True


@transaction.atomic
def person_erase(*, person: Person, actor: Any, reason: str) -> Person:
    """Erase `person`'s personal data everywhere (see the module docstring for what goes and
    what stays) and delete their user account. Erasing an erased person again changes
    nothing. `reason`: `self_service`, `admin` or `retention`. Side effects: the rows above,
    the account's deletion (with its API tokens, email addresses, team memberships and
    sessions: it can no longer log in), an activity log line `privacy.person.erase` with
    counts only."""
    person = Person.objects.select_for_update(of=("self",)).select_related("user").get(pk=person.pk)
    if person.erased_at is not None:
        return person
    registrations = list(Registration.objects.filter(person=person).order_by("pk"))
    mentions = Q(object_type="directory.person", object_id=str(person.pk)) | Q(
        object_type="registration.registration",
        object_id__in=[str(r.pk) for r in registrations],
    )
    _scrub_mentions(_needles(person), mentions, person.pk)
    for registration in registrations:
        if registration.anonymised_at is None:
            _anonymise_registration_rows(registration)
    addresses = {a for a in (person.email, getattr(person.user, "email", "")) if a}
    OutboxMessage.objects.filter(to__in=addresses).delete()
    user = person.user
    person.user = None
    person.first_name, person.last_name = ERASED_FIRST_NAME, ERASED_LAST_NAME
    person.email = person.job_title = person.bio = ""
    person.expertise, person.languages = [], []
    person.erased_at = timezone.now()
    person.save()
    had_account = user is not None
    # The log line cannot point at an account that is about to go.
    by_self = user is not None and getattr(actor, "pk", None) == user.pk
    if user is not None:
        user.delete()  # cascades: API tokens, allauth addresses, memberships, idempotency keys
    activity_log(
        actor=None if by_self else actor,
        action="privacy.person.erase", obj=person,
        data={"reason": reason, "registrations": len(registrations), "account": had_account},
    )  # fmt: skip
    return person


@transaction.atomic
def user_erase(*, user: User, actor: Any, reason: str) -> None:
    """Erase the person behind the account `user` (`person_erase`), or, for an account
    without a directory entry, delete the account alone. Side effects: those of
    `person_erase`, or the account's deletion and an activity log line `privacy.user.erase`."""
    person = Person.objects.filter(user=user).first()
    if person is not None:
        person_erase(person=person, actor=actor, reason=reason)
        return
    by_self = getattr(actor, "pk", None) == user.pk
    _scrub_mentions([user.email], Q(pk__in=[]))
    OutboxMessage.objects.filter(to=user.email).delete()
    user.delete()
    activity_log(actor=None if by_self else actor, action="privacy.user.erase",
                 data={"reason": reason})  # fmt: skip
