"""Check-in at the door and at seated sessions. A repeated scan never makes a second check-in."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from clusterhub.directory.models import User
from clusterhub.events.models import Event, Session
from clusterhub.registration.models import (
    CheckIn,
    Registration,
    RegistrationStatus,
    SignUpStatus,
)
from clusterhub.registration.services.common import log, refusal
from clusterhub.registration.tokens import badge_token_read


@dataclass(frozen=True)
class CheckInResult:
    checkin: CheckIn
    created: bool  # False: this person was already checked in here

    @property
    def message(self) -> str:
        registration = self.checkin.registration
        person = registration.person.full_name
        # The desk stands at the event: its clock, not the server's time zone.
        at = time_format(self.checkin.created_at.astimezone(registration.event.tzinfo), "H:i")
        if self.created:
            return _("%(person)s checked in.") % {"person": person}
        return _("%(person)s: already checked in at %(time)s.") % {"person": person, "time": at}


def registration_for_badge(*, event: Event, token: str) -> Registration:
    """The registration a badge token names. Refuses a forged, altered or revoked token, or one
    issued for another event (`bad_badge`)."""
    read = badge_token_read(event=event, token=token)
    registration = None
    if read is not None:
        registration_id, nonce = read
        registration = (
            Registration.objects.select_related("person__organisation", "ticket_type", "event")
            .filter(pk=registration_id, event=event, badge_nonce=nonce)
            .first()
        )
    if registration is None:
        raise refusal(_("This badge is not valid for this event."), "bad_badge")
    return registration


@transaction.atomic
def checkin_create(
    *,
    registration: Registration,
    session: Session | None = None,
    actor: User | None,
    method: str = "scan",
) -> CheckInResult:
    """Check `registration` in at the door (no session) or at a seated `session`.

    Idempotent: a second scan, also from another desk at the same instant, returns the first
    check-in with `created=False`. Refuses a registration that is not confirmed
    (`not_confirmed`), a session of another event (`wrong_event`) and, at a session that needs
    sign-up, a person without a seat there (`no_seat`).
    """
    registration = Registration.objects.select_related("person", "event").get(pk=registration.pk)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise refusal(
            _("%(person)s has no confirmed registration (%(status)s).")
            % {"person": registration.person, "status": registration.get_status_display()},
            "not_confirmed",
        )
    if session is not None:
        if session.event_id != registration.event_id:
            raise refusal(_("That session belongs to another event."), "wrong_event")
        if (
            session.signup_required
            and not registration.signups.filter(
                session=session, status=SignUpStatus.CONFIRMED
            ).exists()
        ):
            raise refusal(
                _("%(person)s has no seat in “%(session)s”.")
                % {"person": registration.person, "session": session.title},
                "no_seat",
            )
    existing = CheckIn.objects.filter(registration=registration, session=session).first()
    if existing:
        existing.registration = registration  # loaded with person and event for the message
        return CheckInResult(existing, created=False)
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                registration=registration, session=session, actor=actor, method=method
            )
    except IntegrityError:  # another desk checked the same person in a moment ago
        existing = CheckIn.objects.get(registration=registration, session=session)
        existing.registration = registration
        return CheckInResult(existing, created=False)
    if session is None:
        Registration.objects.filter(pk=registration.pk).update(checked_in_at=checkin.created_at)
    log(actor, "registration.checkin.create", checkin, registration.event,
        session=session.pk if session else None, method=method)  # fmt: skip
    return CheckInResult(checkin, created=True)
