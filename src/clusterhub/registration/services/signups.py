"""Seats in sessions that need sign-up, with a first-come-first-served waitlist.

Every change locks the session row first (`select_for_update`; on SQLite the IMMEDIATE
transaction already holds the database's write lock), then counts, then writes: two requests
for the last seat are serialised, and exactly one gets it.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.common.outbox import outbox_queue
from clusterhub.directory.models import User
from clusterhub.events import services as event_services
from clusterhub.events.models import Session
from clusterhub.registration.models import (
    Registration,
    RegistrationStatus,
    SignUp,
    SignUpStatus,
)
from clusterhub.registration.services.common import log, refusal


def _lock_session(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("event").get(pk=session.pk)


def _confirmed_count(session: Session) -> int:
    return SignUp.objects.filter(session=session, status=SignUpStatus.CONFIRMED).count()


@transaction.atomic
def signup_create(*, registration: Registration, session: Session, actor: User | None) -> SignUp:
    """Take a seat in `session`, or the next place on its waitlist when it is full.

    Refuses: a session without sign-up (`no_signup`), of another event (`wrong_event`), a
    registration that is not confirmed (`not_confirmed`), a second sign-up for the same session
    (`already_signed_up`), a session at the same time as another of the person's sign-ups
    (`overlap`, naming it). Side effects: the sign-up row, an activity log line.
    """
    session = _lock_session(session)
    registration = Registration.objects.select_related("event").get(pk=registration.pk)
    if session.event_id != registration.event_id:
        raise refusal(_("That session belongs to another event."), "wrong_event")
    if not session.signup_required or session.capacity is None:
        raise refusal(_("This session needs no sign-up: just come."), "no_signup")
    if registration.status != RegistrationStatus.CONFIRMED:
        raise refusal(_("Your registration is not confirmed yet."), "not_confirmed")
    if SignUp.objects.filter(registration=registration, session=session).exists():
        raise refusal(_("You are already signed up for this session."), "already_signed_up")
    clash = (
        SignUp.objects.filter(
            registration=registration,
            session__start__lt=session.end,
            session__end__gt=session.start,
        )
        .select_related("session")
        .first()
    )
    if clash:
        raise refusal(
            _("You are already signed up for “%(title)s” at the same time; cancel it first.")
            % {"title": clash.session.title},
            "overlap",
        )
    status = (
        SignUpStatus.CONFIRMED
        if _confirmed_count(session) < session.capacity
        else SignUpStatus.WAITLISTED
    )
    try:
        with transaction.atomic():
            signup = SignUp.objects.create(
                registration=registration, session=session, status=status
            )
    except IntegrityError as exc:
        raise refusal(
            _("You are already signed up for this session."), "already_signed_up"
        ) from exc
    log(actor, "registration.signup.create", signup, session.event, status=status)
    return signup


def _promote(session: Session, actor: User | None) -> list[SignUp]:
    """Fill free seats from the head of the waitlist. The session must be locked."""
    free = (session.capacity or 0) - _confirmed_count(session)
    if free <= 0:
        return []
    promoted = list(
        SignUp.objects.filter(session=session, status=SignUpStatus.WAITLISTED)
        .select_related("registration__person")
        .order_by("created_at", "id")[:free]
    )
    now = timezone.now()
    for signup in promoted:
        signup.status, signup.promoted_at = SignUpStatus.CONFIRMED, now
        signup.save(update_fields=["status", "promoted_at"])
        log(actor, "registration.signup.promote", signup, session.event)
        person = signup.registration.person
        if person.email:
            outbox_queue(
                to=person.email,
                subject=_("You have a seat: %(session)s") % {"session": session.title},
                body=_(
                    "Dear %(name)s,\n\na seat became free and it is yours: %(session)s "
                    "(%(event)s). If you cannot come, please cancel so the next person gets it.\n"
                )
                % {"name": person.full_name, "session": session.title, "event": session.event.name},
                event_id=session.event_id,
            )
    return promoted


@transaction.atomic
def signup_cancel(*, signup: SignUp, actor: User | None, notify: bool = True) -> list[SignUp]:
    """Give up a seat or a waitlist place. A freed seat goes at once to the first person on the
    waitlist (who gets an email). Returns the sign-ups promoted."""
    session = _lock_session(signup.session)
    signup = SignUp.objects.filter(pk=signup.pk).first()
    if signup is None:
        return []  # already cancelled (double click): nothing to do
    log(actor, "registration.signup.cancel", signup, session.event, status=signup.status)
    signup.delete()
    return _promote(session, actor)


@transaction.atomic
def session_capacity_set(*, session: Session, capacity: int, actor: User | None) -> list[SignUp]:
    """Change a session's seats. Raising promotes from the waitlist; lowering below the seats
    already taken is refused (`below_confirmed`). Also refused as in events.session_update
    (e.g. more seats than the room holds). Returns the sign-ups promoted."""
    session = _lock_session(session)
    taken = _confirmed_count(session)
    if capacity < taken:
        raise refusal(
            _("%(taken)d people already have a seat; cancel or move some first.")
            % {"taken": taken},
            "below_confirmed",
            "capacity",
        )
    event_services.session_update(session=session, actor=actor, capacity=capacity)
    return _promote(session, actor)


@transaction.atomic
def signup_move(*, signup: SignUp, to_session: Session, actor: User | None) -> SignUp:
    """Move a person's sign-up to another session (seat or waitlist there, by the usual rules);
    the seat they leave goes to the next person waiting."""
    registration = signup.registration
    signup_cancel(signup=signup, actor=actor)
    return signup_create(registration=registration, session=to_session, actor=actor)
