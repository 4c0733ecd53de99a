"""Reads of registrations, sign-ups and check-ins. Each takes the event (or registration)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from clusterhub.directory.models import Person, User
from clusterhub.events import selectors as event_selectors
from clusterhub.events.models import Event, EventStatus, Session, SessionType
from clusterhub.registration.models import (
    ACTIVE_STATUSES,
    Answer,
    CheckIn,
    Question,
    Registration,
    RegistrationConfig,
    RegistrationStatus,
    SignUp,
    SignUpStatus,
    TicketType,
)


def registration_config_for(*, event: Event) -> RegistrationConfig:
    """The event's registration settings, read only: an unsaved default (no window, no
    capacity) when the organisers never set any, so a page view never writes."""
    return RegistrationConfig.objects.filter(event=event).first() or RegistrationConfig(event=event)


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
        .order_by("status", "created_at", "id")  # "confirmed" sorts before "waitlisted"
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
    sessions = {s.session_id: s.session for s in signups.values()}
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


# --- organiser pages and the check-in desk ----------------------------------------------------


def registration_status_counts(*, event: Event) -> dict[str, int]:
    """How many registrations `event` has in each status, and `total`; one query."""
    counts = Registration.objects.filter(event=event).aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in RegistrationStatus.values},
    )
    return counts


def registration_countries(*, event: Event) -> list[str]:
    """The country codes of the people registered for `event` (for the list's filter)."""
    codes = (
        Registration.objects.filter(event=event)
        .exclude(person__country="")
        .values_list("person__country", flat=True)
        .distinct()
    )
    return sorted(set(codes))


def registration_detail(*, event: Event, pk: int) -> Registration:
    """One registration of `event` with its answers, sign-ups and check-ins (DoesNotExist for
    another event's)."""
    return (
        Registration.objects.filter(event=event)
        .select_related("person__organisation", "person__user", "ticket_type")
        .prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("question")),
            Prefetch("signups", queryset=SignUp.objects.select_related("session")),
            Prefetch("checkins", queryset=CheckIn.objects.select_related("session", "actor")),
        )
        .get(pk=pk)
    )


def registrations_for_export(*, event: Event, **filters: object) -> QuerySet[Registration]:
    """`registrations_for_event` with answers and sign-ups prefetched; iterate it in chunks."""
    return registrations_for_event(event=event, **filters).prefetch_related(  # type: ignore[arg-type]
        Prefetch(
            "answers", queryset=Answer.objects.only("registration_id", "question_id", "value")
        ),
        Prefetch("signups", queryset=SignUp.objects.select_related("session")),
    )


def registration_for_desk(*, event: Event, pk: int) -> Registration | None:
    """A registration of `event` picked from the desk's name search (None for another's)."""
    return Registration.objects.filter(event=event, pk=pk).first()


def checkin_places_for_event(*, event: Event) -> QuerySet[Session]:
    """Sessions where the desk can record attendance: all but breaks, in time order."""
    return (
        Session.objects.filter(event=event)
        .exclude(type=SessionType.BREAK)
        .select_related("room")
        .order_by("start", "part_order", "id")
    )


def session_attendance_counts(*, session: Session) -> ArrivalCounts:
    """For a session: people expected (confirmed seats for a session with sign-up, else
    confirmed registrations) and check-ins there."""
    if session.signup_required:
        expected = SignUp.objects.filter(session=session, status=SignUpStatus.CONFIRMED).count()
    else:
        expected = Registration.objects.filter(
            event_id=session.event_id, status=RegistrationStatus.CONFIRMED
        ).count()
    return ArrivalCounts(
        registered=expected, checked_in=CheckIn.objects.filter(session=session).count()
    )


def registrations_to_sign_up(*, session: Session, query: str, limit: int = 10):
    """Confirmed registrations of the session's event matching every word of `query` and not
    yet signed up for `session` (the organiser's "add a person" search)."""
    if len(query.strip()) < 2:
        return Registration.objects.none()
    return (
        registrations_for_event(event=session.event, query=query)
        .filter(status=RegistrationStatus.CONFIRMED)
        .exclude(signups__session=session)[:limit]
    )


# --- participant portal ---------------------------------------------------------------------


def ticket_types_public(*, event: Event) -> QuerySet[TicketType]:
    """The ticket types `event` offers on its registration form, in their order."""
    return TicketType.objects.filter(event=event, is_public=True).order_by("position", "id")


def questions_for_event(*, event: Event) -> QuerySet[Question]:
    """The organiser's questions of `event`, in the order the form asks them."""
    return Question.objects.filter(event=event).order_by("position", "id")


def registration_places_left(*, event: Event) -> int | None:
    """How many more people can register under the event's capacity (None: no limit)."""
    capacity = (
        RegistrationConfig.objects.filter(event=event).values_list("capacity", flat=True).first()
    )
    if capacity is None:
        return None
    taken = Registration.objects.filter(event=event, status__in=ACTIVE_STATUSES).count()
    return max(capacity - taken, 0)


def answers_for_registration(*, registration: Registration) -> QuerySet[Answer]:
    """The registration's answers with their questions, in the form's order."""
    return (
        Answer.objects.filter(registration=registration)
        .select_related("question")
        .order_by("question__position", "question_id")
    )


def waitlist_position_expression() -> Case:
    """A sign-up's place in its session's queue, for `.annotate(waitlist_position=...)`: 1 for
    the head of the queue, None with a seat (the number `waitlist_position` gives), as one
    correlated subquery, so a list of sign-ups stays one query."""
    ahead = (
        SignUp.objects.filter(session_id=OuterRef("session_id"), status=SignUpStatus.WAITLISTED)
        .filter(
            Q(created_at__lt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Case(
        When(status=SignUpStatus.WAITLISTED, then=Coalesce(Subquery(ahead), Value(0)) + 1),
        default=None,
        output_field=IntegerField(),
    )


def signups_for_registration(*, registration: Registration) -> QuerySet[SignUp]:
    """The registration's sign-ups in time order with session, room and parent, each annotated
    with `waitlist_position` (1 for the head of the queue, None with a seat: the same number
    `waitlist_position` gives). One query whatever the number of sign-ups."""
    position = waitlist_position_expression()
    return (
        SignUp.objects.filter(registration=registration)
        .select_related("session__room", "session__parent")
        .annotate(waitlist_position=position)
        .order_by("session__start", "session_id")
    )


def registration_for_calendar_token(*, token: str) -> Registration | None:
    """The active registration, on a published event, whose personal calendar address
    carries `token`; None for a revoked or unknown token."""
    return (
        Registration.objects.select_related("event", "person")
        .filter(
            calendar_token=token, status__in=ACTIVE_STATUSES, event__status=EventStatus.PUBLISHED
        )
        .first()
    )


def sessions_for_agenda_calendar(*, registration: Registration) -> QuerySet[Session]:
    """The sessions of the personal calendar feed: those with a confirmed seat and those
    where the person has a role (a waitlist place is not a seat yet), loaded for
    `events.ical.programme_calendar`. Four queries whatever their number."""
    mine = Session.objects.filter(
        Q(signups__registration=registration, signups__status=SignUpStatus.CONFIRMED)
        | Q(roles__person_id=registration.person_id),
        event_id=registration.event_id,
    ).values("pk")
    return event_selectors.sessions_for_calendar(event=registration.event).filter(pk__in=mine)
