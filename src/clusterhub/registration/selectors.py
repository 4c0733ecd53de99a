"""Reads of registrations, sign-ups and check-ins. Each takes the event (or registration)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from clusterhub.directory.models import Person, User
from clusterhub.events.models import Event, Session
from clusterhub.registration.models import (
    ACTIVE_STATUSES,
    CheckIn,
    Registration,
    RegistrationStatus,
    SignUp,
    SignUpStatus,
)


def registration_for_user(*, event: Event, user: User) -> Registration | None:
    """The user's active registration for `event`, if any."""
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.select_related("person", "ticket_type")
        .filter(event=event, person__user=user, status__in=ACTIVE_STATUSES)
        .first()
    )


def person_for_user(*, user: User) -> Person | None:
    return Person.objects.filter(user=user).first() if user.is_authenticated else None


def registrations_for_event(
    *,
    event: Event,
    query: str = "",
    ticket_type: int | None = None,
    status: str | None = None,
    country: str | None = None,
    organisation_type: str | None = None,
) -> QuerySet[Registration]:
    """The event's registrations for the organiser list and exports, filtered; every word of
    `query` must match the name, email or organisation."""
    qs = Registration.objects.filter(event=event).select_related(
        "person__organisation", "ticket_type"
    )
    for word in query.split()[:5]:
        qs = qs.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__email__icontains=word)
            | Q(person__organisation__name__icontains=word)
        )
    if ticket_type:
        qs = qs.filter(ticket_type_id=ticket_type)
    if status:
        qs = qs.filter(status=status)
    if country:
        qs = qs.filter(person__country=country)
    if organisation_type:
        qs = qs.filter(person__organisation__type=organisation_type)
    return qs.order_by("person__last_name", "person__first_name", "id")


def signup_sessions_for_event(*, event: Event) -> QuerySet[Session]:
    """Sessions of `event` that need sign-up, annotated with `confirmed` and `waitlisted`."""
    return (
        Session.objects.filter(event=event, signup_required=True)
        .select_related("room", "parent")
        .annotate(
            confirmed=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED)),
            waitlisted=Count("signups", filter=Q(signups__status=SignUpStatus.WAITLISTED)),
        )
        .order_by("start", "id")
    )


def signups_for_session(*, session: Session) -> QuerySet[SignUp]:
    """Confirmed first, then the waitlist, each in order of arrival."""
    return (
        SignUp.objects.filter(session=session)
        .select_related("registration__person__organisation", "registration__ticket_type")
        .order_by("-status", "created_at", "id")  # "waitlisted" > "confirmed": reversed
    )


def waitlist_position(*, signup: SignUp) -> int | None:
    """1 for the head of the queue; None when the sign-up has a seat."""
    if signup.status != SignUpStatus.WAITLISTED:
        return None
    ahead = SignUp.objects.filter(
        session_id=signup.session_id, status=SignUpStatus.WAITLISTED
    ).filter(
        Q(created_at__lt=signup.created_at) | Q(created_at=signup.created_at, id__lt=signup.pk)
    )
    return ahead.count() + 1


def agenda_for_registration(*, registration: Registration) -> list[tuple[Session, SignUp | None]]:
    """The person's programme: sessions they signed up for (with the sign-up) and sessions
    where they have a role, in time order."""
    signups = {
        s.session_id: s
        for s in SignUp.objects.filter(registration=registration).select_related(
            "session__room", "session__parent"
        )
    }
    role_sessions = Session.objects.filter(
        event_id=registration.event_id, roles__person_id=registration.person_id
    ).select_related("room", "parent")
    sessions = {s.pk: s.session for s in signups.values()}
    sessions.update({s.pk: s for s in role_sessions})
    ordered = sorted(sessions.values(), key=lambda s: (s.start, s.pk))
    return [(s, signups.get(s.pk)) for s in ordered]


@dataclass(frozen=True)
class ArrivalCounts:
    registered: int
    checked_in: int


def arrival_counts(*, event: Event) -> ArrivalCounts:
    """Confirmed registrations and door check-ins, for the live counter."""
    counts = Registration.objects.filter(event=event).aggregate(
        registered=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        checked_in=Count(
            "pk", filter=Q(status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=False)
        ),
    )
    return ArrivalCounts(**counts)


def recent_checkins(*, event: Event, limit: int = 10) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.filter(registration__event=event)
        .select_related("registration__person__organisation", "session")
        .order_by("-created_at", "-id")[:limit]
    )


def registration_search_for_checkin(*, event: Event, query: str, limit: int = 15):
    """Confirmed registrations whose person matches every word, for the desk's name search."""
    if len(query.strip()) < 2:
        return Registration.objects.none()
    return registrations_for_event(event=event, query=query).filter(
        status=RegistrationStatus.CONFIRMED
    )[:limit]


def registrations_with_signups(*, event: Event) -> QuerySet[Registration]:
    """Registrations with their sign-ups prefetched (exports)."""
    return registrations_for_event(event=event).prefetch_related(
        Prefetch("signups", queryset=SignUp.objects.select_related("session"))
    )
