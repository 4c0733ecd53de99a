"""Helpers for the follow-up tests (plain functions: fixtures live in conftest.py)."""

import html
from datetime import date, timedelta

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from clusterhub.common.models import ActivityLogEntry, OutboxMessage
from clusterhub.events.models import Event, Session, SessionType
from clusterhub.followup.models import (
    MeetingFeedback,
    Partnership,
    Reminder,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from clusterhub.matchmaking import services as mm_services
from clusterhub.matchmaking.models import Meeting, MeetingStatus
from clusterhub.registration.models import Registration
from tests.factories import EventFactory, RegistrationFactory, SessionFactory, UserFactory, at


def today() -> date:
    return timezone.now().date()


def past_event(**fields) -> Event:
    """An event that ended more than a week ago (whatever today is)."""
    return EventFactory(
        start_date=today() - timedelta(days=10), end_date=today() - timedelta(days=9), **fields
    )


def future_event(**fields) -> Event:
    """An event that has not begun yet."""
    return EventFactory(
        start_date=today() + timedelta(days=20), end_date=today() + timedelta(days=21), **fields
    )


def lounge(event: Event) -> Session:
    """A networking session 09:00-12:00 on the event's first day."""
    return SessionFactory(
        event=event, title="Partnering", type=SessionType.NETWORKING,
        start=at(event, 9), end=at(event, 12),
    )  # fmt: skip


_tables: dict[int, int] = {}


def meeting(
    event: Event, a: Registration | None = None, b: Registration | None = None, *,
    session: Session | None = None, status: str = MeetingStatus.PUBLISHED, start=None,
) -> Meeting:  # fmt: skip
    """A 20-minute meeting of `a` and `b` (new participants by default) at a fresh table of
    the event's networking session, published unless told otherwise, with its seats."""
    session = (
        session
        or Session.objects.filter(event=event, type=SessionType.NETWORKING).first()
        or lounge(event)
    )
    start = start or at(event, 9)
    table = Meeting.objects.filter(session=session).count() + 1
    made = Meeting.objects.create(
        event=event, session=session, start=start, end=start + timedelta(minutes=20),
        table=table, a=a or RegistrationFactory(event=event),
        b=b or RegistrationFactory(event=event), status=status,
    )  # fmt: skip
    mm_services.meeting_seats_set(made)
    return made


def participant(client, event, **fields) -> Registration:
    """Log `client` in as a new user with a (by default confirmed) registration for `event`.
    `fields` go to the registration (`status=...`, `person__organisation=...`)."""
    user = UserFactory()
    registration = RegistrationFactory(
        event=event, person__user=user, person__email=user.email, **fields
    )
    client.force_login(user)
    return registration


def page_text(response) -> str:
    """The body with HTML entities decoded."""
    return html.unescape(response.content.decode())


def flashed(response) -> list[str]:
    """The messages a (non-followed) response left for the next page."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def fu_url(name: str, event, *args) -> str:
    return reverse(f"followup:{name}", args=[event.slug, *args])


def orga_url(name: str, event, *args) -> str:
    return reverse(f"orga_followup:{name}", args=[event.slug, *args])


def code_of(exc_info) -> str:
    """The code of the (first) refusal in a ValidationError."""
    error = exc_info.value
    if hasattr(error, "error_dict"):
        return next(iter(error.error_dict.values()))[0].code
    return error.error_list[0].code


def field_of(exc_info) -> str | None:
    error = exc_info.value
    return next(iter(error.error_dict)) if hasattr(error, "error_dict") else None


def db_state() -> tuple:
    """Everything a refused or forbidden request must leave as it was."""
    return (
        ActivityLogEntry.objects.count(),
        OutboxMessage.objects.count(),
        Reminder.objects.count(),
        list(
            MeetingFeedback.objects.order_by("pk").values_list(
                "pk",
                "meeting_id",
                "registration_id",
                "attendance",
                "rating",
                "outcome",
                "comment",
            )
        ),
        list(
            Partnership.objects.order_by("pk").values_list(
                "pk",
                "cluster_id",
                "event_id",
                "meeting_id",
                "title",
                "type",
                "stage",
                "description",
                "next_step",
                "next_step_on",
            )
        ),
        list(
            Partnership.organisations.through.objects.order_by("pk").values_list(
                "partnership_id", "organisation_id"
            )
        ),
        list(Survey.objects.order_by("pk").values_list("pk", "event_id", "session_id", "title")),
        list(
            SurveyQuestion.objects.order_by("pk").values_list(
                "pk", "survey_id", "label", "kind", "required", "position"
            )
        ),
        list(
            SurveyResponse.objects.order_by("pk").values_list("pk", "survey_id", "registration_id")
        ),
        list(
            SurveyAnswer.objects.order_by("pk").values_list(
                "pk", "response_id", "question_id", "rating", "text"
            )
        ),
    )
