"""Writes of follow-up: meeting feedback, partnerships, surveys and reminders.

Each service validates, writes, logs (partnerships log every changed field with its old and
new value) and queues its emails in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.common.activity import activity_log
from clusterhub.common.outbox import outbox_queue
from clusterhub.directory.models import Cluster, Organisation, User
from clusterhub.events.models import Event, Session
from clusterhub.followup.models import (
    Attendance,
    MeetingFeedback,
    Outcome,
    Partnership,
    PartnershipStage,
    PartnershipType,
    QuestionKind,
    Reminder,
    ReminderKind,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from clusterhub.matchmaking.models import Meeting, MeetingStatus
from clusterhub.registration.models import Registration, RegistrationStatus

PARTNERSHIP_FIELDS = (
    "title", "type", "stage", "description", "next_step", "next_step_on", "event", "meeting",
    "organisations",
)  # fmt: skip
TEXT_MAX = 2000


def _refusal(message: str, code: str, field: str | None = None) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def _log(actor: Any, action: str, obj: Any, cluster_id: int, event_id: int | None, **data: Any):
    activity_log(
        actor=actor, action=action, obj=obj, cluster_id=cluster_id, event_id=event_id, data=data
    )


def _site(path: str) -> str:
    return django_settings.SITE_URL.rstrip("/") + path


def event_is_over(event: Event, now: datetime | None = None) -> bool:
    """True once the event's last day has ended in its own time zone."""
    now = now or timezone.now()
    return now.astimezone(event.tzinfo).date() > event.end_date


# --- meeting feedback -------------------------------------------------------------------------


@transaction.atomic
def feedback_record(
    *, meeting: Meeting, registration: Registration, attendance: str, rating: int | None = None,
    outcome: str = "", comment: str = "", actor: User | None,
) -> MeetingFeedback:  # fmt: skip
    """Record (or change) one side's feedback on a meeting. Refuses somebody who is not one of
    the two (`not_in_meeting`), a meeting not published (`not_published`) or not started yet
    (`too_early`), and unknown values (`bad_choice`, keyed by field). Side effects: the
    feedback row, an activity log line."""
    if registration.pk not in (meeting.a_id, meeting.b_id):
        raise _refusal(_("This is not your meeting."), "not_in_meeting")
    if meeting.status != MeetingStatus.PUBLISHED:
        raise _refusal(_("This meeting is not on the schedule."), "not_published")
    if meeting.start > timezone.now():
        raise _refusal(_("You can say how it went once the meeting has started."), "too_early")
    if attendance not in Attendance.values:
        raise _refusal(_("Say whether you met."), "bad_choice", "attendance")
    if outcome and outcome not in Outcome.values:
        raise _refusal(_("Choose what comes next."), "bad_choice", "outcome")
    if rating is not None and not 1 <= int(rating) <= 5:
        raise _refusal(_("Rate from 1 to 5."), "bad_choice", "rating")
    feedback, created = MeetingFeedback.objects.update_or_create(
        meeting=meeting, registration=registration,
        defaults={"attendance": attendance, "rating": rating, "outcome": outcome,
                  "comment": (comment or "").strip()[:TEXT_MAX]},
    )  # fmt: skip
    event = meeting.event
    action = "followup.feedback." + ("create" if created else "update")
    _log(actor, action, feedback, event.cluster_id, event.pk,
         attendance=attendance, rating=rating, outcome=outcome)  # fmt: skip
    return feedback


def _remind(event: Event, registration: Registration, kind: str, subject: str, body: str) -> bool:
    """Mail one reminder unless one was sent before. Somebody without an email address is
    not marked reminded, so adding an address later lets the next run reach them."""
    if not registration.person.email:
        return False
    _reminder, created = Reminder.objects.get_or_create(
        event=event, registration=registration, kind=kind
    )
    if created:
        outbox_queue(to=registration.person.email, subject=subject, body=body, event_id=event.pk)
    return created


@transaction.atomic
def feedback_reminders_send(*, event: Event, actor: User | None) -> int:
    """After the event, mail everybody who had published meetings and has not said how one of
    them went: once per person (a rerun mails nobody twice). Refuses before the event is over
    (`event_not_over`). Returns how many were mailed. Side effects: Reminder rows, emails, a
    log line."""
    if not event_is_over(event):
        raise _refusal(_("Reminders go out once the event is over."), "event_not_over")
    meetings = Meeting.objects.filter(event=event, status=MeetingStatus.PUBLISHED)
    answered = set(
        MeetingFeedback.objects.filter(meeting__in=meetings).values_list(
            "meeting_id", "registration_id"
        )
    )
    owing: set[int] = set()
    for meeting_id, a, b in meetings.values_list("pk", "a_id", "b_id"):
        owing |= {r for r in (a, b) if (meeting_id, r) not in answered}
    url = _site(reverse("matchmaking:meetings", args=[event.slug]))
    sent = 0
    for registration in Registration.objects.filter(
        pk__in=owing, status=RegistrationStatus.CONFIRMED
    ).select_related("person"):
        sent += _remind(
            event, registration, ReminderKind.MEETING_FEEDBACK,
            _("How did your meetings go? %(event)s") % {"event": event.name},
            _("Dear %(name)s,\n\nthank you for taking part in %(event)s. Two clicks per meeting "
              "tell us whether it took place and what comes next: %(url)s\n")
            % {"name": registration.person.full_name, "event": event.name, "url": url},
        )  # fmt: skip
    _log(actor, "followup.reminders.meeting_feedback", event, event.cluster_id, event.pk, sent=sent)
    return sent


# --- partnerships -------------------------------------------------------------------------------


def _partnership_clean(cluster: Cluster, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(PARTNERSHIP_FIELDS)
    if unknown:
        raise TypeError(f"Unknown partnership fields: {', '.join(sorted(unknown))}")
    cleaned = dict(fields)
    if "title" in cleaned:
        cleaned["title"] = (cleaned["title"] or "").strip()
        if not cleaned["title"]:
            raise _refusal(_("Give the partnership a title."), "required", "title")
    if "type" in cleaned and cleaned["type"] not in PartnershipType.values:
        raise _refusal(_("Choose a type."), "bad_choice", "type")
    if "stage" in cleaned and cleaned["stage"] not in PartnershipStage.values:
        raise _refusal(_("Choose a stage."), "bad_choice", "stage")
    event = cleaned.get("event")
    if event is not None and event.cluster_id != cluster.pk:
        raise _refusal(_("Choose one of the cluster's events."), "other_cluster", "event")
    meeting = cleaned.get("meeting")
    if meeting is not None and (event is None or meeting.event_id != event.pk):
        raise _refusal(_("The meeting must be one of the event's."), "other_event", "meeting")
    if "organisations" in cleaned:
        organisations = list(cleaned["organisations"] or [])
        if not organisations:
            raise _refusal(_("Name at least one organisation."), "required", "organisations")
        cleaned["organisations"] = organisations
    return cleaned


def _value(value: Any) -> Any:
    """A field's value as the activity log keeps it (JSON): ids for rows, ISO for dates, a
    sorted list of ids for several rows."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, (list, tuple, set)) or hasattr(value, "model"):  # a QuerySet too
        return sorted(_value(v) for v in value)
    return value


@transaction.atomic
def partnership_create(*, cluster: Cluster, actor: User | None, **fields: Any) -> Partnership:
    """Record a partnership of `cluster` (fields: PARTNERSHIP_FIELDS; title, type and at
    least one organisation required). Refuses an event of another cluster (`other_cluster`),
    a meeting of another event (`other_event`), unknown type or stage (`bad_choice`), keyed
    by field. Side effects: the row, an activity log line with every field."""
    fields.setdefault("stage", PartnershipStage.IDEA)
    for required in ("title", "type", "organisations"):
        if required not in fields:
            raise _refusal(_("This field is required."), "required", required)
    cleaned = _partnership_clean(cluster, fields)
    logged = {k: _value(v) for k, v in cleaned.items()}  # what is stored, as stored
    organisations = cleaned.pop("organisations")
    partnership = Partnership.objects.create(cluster=cluster, created_by=actor, **cleaned)
    partnership.organisations.set(organisations)
    _log(actor, "followup.partnership.create", partnership, cluster.pk, partnership.event_id,
         **logged)  # fmt: skip
    return partnership


@transaction.atomic
def partnership_update(
    *, partnership: Partnership, actor: User | None, **fields: Any
) -> Partnership:
    """Change a partnership (same rules as `partnership_create`). The log line names every
    field that changed with its old and new value. Side effects: the row, the log line."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    merged = {"event": partnership.event, "meeting": partnership.meeting, **fields}
    cleaned = _partnership_clean(partnership.cluster, merged)
    changes: dict[str, list[Any]] = {}
    organisations = cleaned.pop("organisations", None)
    for name, value in cleaned.items():
        old = getattr(partnership, name)
        if _value(old) != _value(value):
            changes[name] = [_value(old), _value(value)]
            setattr(partnership, name, value)
    if organisations is not None:
        old_orgs = sorted(partnership.organisations.values_list("pk", flat=True))
        if old_orgs != _value(organisations):
            changes["organisations"] = [old_orgs, _value(organisations)]
            partnership.organisations.set(organisations)
    if changes:
        partnership.save()
        _log(actor, "followup.partnership.update", partnership, partnership.cluster_id,
             partnership.event_id, changes=changes)  # fmt: skip
    return partnership


def organisations_for(names: Iterable[str]) -> list[Organisation]:
    """Existing organisations by exact name (case-insensitive), in the order given."""
    found = []
    for name in names:
        org = Organisation.objects.filter(name__iexact=name.strip()).first()
        if org is not None and org not in found:
            found.append(org)
    return found


# --- surveys ------------------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *, event: Event, actor: User | None, title: str, session: Session | None = None
) -> Survey:
    """A survey of `event` (or of one of its sessions). Refuses an empty title (`required`)
    and another event's session (`other_event`)."""
    title = (title or "").strip()
    if not title:
        raise _refusal(_("Give the survey a title."), "required", "title")
    if session is not None and session.event_id != event.pk:
        raise _refusal(_("Choose one of the event's sessions."), "other_event", "session")
    survey = Survey.objects.create(event=event, session=session, title=title)
    _log(actor, "followup.survey.create", survey, event.cluster_id, event.pk)
    return survey


@transaction.atomic
def survey_question_add(
    *, survey: Survey, actor: User | None, label: str, kind: str, required: bool = False
) -> SurveyQuestion:
    label = (label or "").strip()
    if not label:
        raise _refusal(_("Write the question."), "required", "label")
    if kind not in QuestionKind.values:
        raise _refusal(_("Choose a kind of question."), "bad_choice", "kind")
    position = survey.questions.count()
    question = SurveyQuestion.objects.create(
        survey=survey, label=label, kind=kind, required=required, position=position
    )
    _log(actor, "followup.survey.question.add", question, survey.event.cluster_id, survey.event_id)
    return question


@transaction.atomic
def survey_answer_submit(
    *, survey: Survey, registration: Registration, answers: Mapping[int, Any],
    actor: User | None,
) -> SurveyResponse:  # fmt: skip
    """Give (or change) `registration`'s answers, keyed by question id: a rating 1-5 or a
    text. Refuses a closed survey (`closed`), somebody not confirmed at the event
    (`not_registered`), a required question left empty (`required`, keyed by the question
    id) and a rating outside 1-5 (`bad_rating`). Side effects: the response and its answers
    (replaced), a log line."""
    if not survey.is_open:
        raise _refusal(_("This survey is closed."), "closed")
    if (
        registration.event_id != survey.event_id
        or registration.status != RegistrationStatus.CONFIRMED
    ):
        raise _refusal(_("Only the event's participants can answer."), "not_registered")
    errors: dict[str, ValidationError] = {}
    values: list[tuple[SurveyQuestion, int | None, str]] = []
    for question in survey.questions.all():
        raw = answers.get(question.pk)
        if question.kind == QuestionKind.RATING:
            rating = None if raw in (None, "") else int(raw)
            if rating is not None and not 1 <= rating <= 5:
                errors[str(question.pk)] = ValidationError(_("Rate from 1 to 5."), "bad_rating")
            elif rating is None and question.required:
                errors[str(question.pk)] = ValidationError(_("Please answer."), "required")
            values.append((question, rating, ""))
        else:
            text = str(raw or "").strip()[:TEXT_MAX]
            if not text and question.required:
                errors[str(question.pk)] = ValidationError(_("Please answer."), "required")
            values.append((question, None, text))
    if errors:
        raise ValidationError(errors)
    response, _created = SurveyResponse.objects.get_or_create(
        survey=survey, registration=registration
    )
    response.answers.all().delete()
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, question=q, rating=r, text=t)
        for q, r, t in values
        if r is not None or t
    )
    response.save(update_fields=["updated_at"])
    _log(actor, "followup.survey.answer", response, survey.event.cluster_id, survey.event_id)
    return response
