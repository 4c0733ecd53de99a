"""Seats in sessions that need sign-up, with a first-come-first-served waitlist.

Every change locks the session row (`select_for_update`; on SQLite the IMMEDIATE transaction
already holds the database's write lock), then counts, then writes: two requests for the last
seat are serialised, and exactly one gets it.

Lock order on PostgreSQL, the same in every service so two of them never wait on each other:
the event (capacity changes only), then the registration, then sessions by ascending id. Each
lock takes only its own row (`of=("self",)`; a join would lock the event as well) and in
`NO KEY UPDATE` mode, so inserting rows that point at it (a sign-up's foreign key) does not wait.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.common.outbox import outbox_queue
from clusterhub.directory.models import User
from clusterhub.events import services as event_services
from clusterhub.events.models import Event, Session
from clusterhub.registration.models import (
    Registration,
    RegistrationStatus,
    SignUp,
    SignUpStatus,
)
from clusterhub.registration.services.common import log, refusal


def _lock_session(session_id: int) -> Session:
    return (
        Session.objects.select_for_update(of=("self",), no_key=True)
        .select_related("event")
        .get(pk=session_id)
    )


def _lock_registration(registration_id: int) -> Registration:
    # Taken before the session: a registration being cancelled at the same moment either
    # finishes first (and the sign-up is refused) or waits until the sign-up is in its list.
    return (
        Registration.objects.select_for_update(of=("self",), no_key=True)
        .select_related("event")
        .get(pk=registration_id)
    )


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
    registration = _lock_registration(registration.pk)
    session = _lock_session(session.pk)
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
    session = _lock_session(signup.session_id)
    current = SignUp.objects.filter(pk=signup.pk).first()
    if current is None:
        return []  # already cancelled (double click): nothing to do
    log(actor, "registration.signup.cancel", current, session.event, status=current.status)
    current.delete()
    return _promote(session, actor)


@transaction.atomic
def session_capacity_set(*, session: Session, capacity: int, actor: User | None) -> list[SignUp]:
    """Change a session's seats through events.session_update, whose signal brings the seats
    along (`seats_follow_capacity`): raising promotes from the waitlist; lowering below the
    seats already taken is refused (`below_confirmed`). Also refused as in
    events.session_update (e.g. more seats than the room holds). Returns the sign-ups promoted.
    """
    Event.objects.select_for_update().get(pk=session.event_id)  # session_update locks it too
    session = _lock_session(session.pk)
    waiting = set(
        SignUp.objects.filter(session=session, status=SignUpStatus.WAITLISTED).values_list(
            "pk", flat=True
        )
    )
    event_services.session_update(session=session, actor=actor, capacity=capacity)
    return list(
        SignUp.objects.filter(pk__in=waiting, status=SignUpStatus.CONFIRMED).order_by(
            "promoted_at", "created_at", "id"
        )
    )


def seats_follow_capacity(*, session: Session, actor: User | None) -> list[SignUp]:
    """After a session's seats changed (inside that transaction, event row locked): refuse
    fewer seats than are taken (`below_confirmed`, keyed by `capacity`), otherwise fill new
    seats from the head of the waitlist. Returns the sign-ups promoted."""
    session = _lock_session(session.pk)
    taken = _confirmed_count(session)
    if session.capacity is not None and session.capacity < taken:
        raise refusal(
            _("%(taken)d people already have a seat; cancel or move some first.")
            % {"taken": taken},
            "below_confirmed",
            "capacity",
        )
    return _promote(session, actor)


@transaction.atomic
def signup_move(*, signup: SignUp, to_session: Session, actor: User | None) -> SignUp:
    """Move a person's sign-up to another session (seat or waitlist there, by the usual rules);
    the seat they leave goes to the next person waiting. Refuses a move to the session the
    sign-up is already in (`same_session`: it would only lose the seat) and everything
    `signup_create` refuses, in which case nothing changes."""
    if to_session.pk == signup.session_id:
        raise refusal(_("This sign-up is already for that session."), "same_session")
    registration = _lock_registration(signup.registration_id)
    for session_id in sorted((signup.session_id, to_session.pk)):
        _lock_session(session_id)
    signup_cancel(signup=signup, actor=actor)
    return signup_create(registration=registration, session=to_session, actor=actor)
