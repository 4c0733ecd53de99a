"""What comes of an event: each side's feedback on a meeting, the partnerships it started,
the organiser's surveys with their answers, and the reminders sent.

Every write goes through `services` and leaves an activity log line; partnerships keep every
change there, so their history can be read back.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusterhub.directory.models import Cluster, Organisation, User
from clusterhub.events.models import Event, Session
from clusterhub.matchmaking.models import Meeting
from clusterhub.registration.models import Registration

RATING = [MinValueValidator(1), MaxValueValidator(5)]


class Attendance(models.TextChoices):
    HELD = "held", _("We met")
    NO_SHOW = "no_show", _("The other person did not come")


class Outcome(models.TextChoices):
    NOTHING = "nothing", _("Nothing further")
    FOLLOW_UP = "follow_up", _("Follow-up planned")
    PARTNERSHIP_IDEA = "partnership_idea", _("A partnership idea")


class MeetingFeedback(models.Model):
    """One side's account of a meeting: held or not, a rating and what comes next."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("meeting")
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="meeting_feedback",
        verbose_name=_("from"),
    )  # fmt: skip
    attendance = models.CharField(_("did you meet?"), max_length=20, choices=Attendance.choices)
    rating = models.PositiveSmallIntegerField(
        _("how useful was it? (1-5)"), null=True, blank=True, validators=RATING
    )
    outcome = models.CharField(
        _("what comes next"), max_length=20, choices=Outcome.choices, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("meeting feedback")
        verbose_name_plural = _("meeting feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "registration"], name="one_feedback_per_side"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_range",
            ),
            models.CheckConstraint(
                condition=Q(attendance__in=Attendance.values), name="feedback_attendance_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} / {self.registration_id}: {self.attendance}"


class PartnershipType(models.TextChoices):
    LETTER_OF_INTEREST = "letter_of_interest", _("Letter of interest")
    MOU = "mou", _("Memorandum of understanding")
    JOINT_PROPOSAL = "joint_proposal", _("Joint proposal")
    PILOT = "pilot", _("Pilot")
    INVESTMENT = "investment", _("Investment")
    TRAINING_EXCHANGE = "training_exchange", _("Training exchange")
    OTHER = "other", _("Other")


class PartnershipStage(models.TextChoices):
    IDEA = "idea", _("Idea")
    IN_TALKS = "in_talks", _("In talks")
    PROPOSAL = "proposal", _("Proposal")
    AGREEMENT = "agreement", _("Agreement")
    RUNNING = "running", _("Running")


class Partnership(models.Model):
    """A collaboration between organisations that came out of a cluster's event (or meeting)."""

    cluster = models.ForeignKey(
        Cluster, on_delete=models.CASCADE, related_name="partnerships",
        verbose_name=_("host cluster"),
    )  # fmt: skip
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="partnerships",
        verbose_name=_("event it came from"),
    )  # fmt: skip
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="partnerships",
        verbose_name=_("meeting it came from"),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    organisations = models.ManyToManyField(
        Organisation, related_name="partnerships", verbose_name=_("organisations")
    )
    type = models.CharField(_("type"), max_length=30, choices=PartnershipType.choices)
    stage = models.CharField(
        _("stage"), max_length=20, choices=PartnershipStage.choices, default=PartnershipStage.IDEA
    )
    description = models.TextField(_("description"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(_("next step by"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        indexes = [models.Index(fields=["cluster", "stage"], name="partnership_cluster_stage")]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=PartnershipType.values), name="partnership_type_known"
            ),
            models.CheckConstraint(
                condition=Q(stage__in=PartnershipStage.values), name="partnership_stage_known"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Survey(models.Model):
    """The organiser's feedback form for the event, or for one session of it."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("event")
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, null=True, blank=True, related_name="surveys",
        verbose_name=_("session"), help_text=_("Empty: feedback on the whole event."),
    )  # fmt: skip
    title = models.CharField(_("title"), max_length=200)
    is_open = models.BooleanField(_("open for answers"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["event", "session__start", "id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    RATING = "rating", _("Rating from 1 to 5")
    TEXT = "text", _("Free text")


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    label = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["survey", "position", "id"]
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="survey_question_kind_known"
            )
        ]

    def __str__(self) -> str:
        return self.label


class SurveyResponse(models.Model):
    """One participant's answers to one survey (given once; can be changed while open)."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey")
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="survey_responses",
        verbose_name=_("participant"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "registration"], name="one_survey_response_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} / {self.registration_id}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(
        SurveyResponse, on_delete=models.CASCADE, related_name="answers",
        verbose_name=_("response"),
    )  # fmt: skip
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.CASCADE, related_name="answers",
        verbose_name=_("question"),
    )  # fmt: skip
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True, validators=RATING)
    text = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_survey_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="survey_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.rating or self.text[:30]}"


class ReminderKind(models.TextChoices):
    MEETING_FEEDBACK = "meeting_feedback", _("Meeting feedback")
    SURVEY = "survey", _("Survey")


class Reminder(models.Model):
    """A reminder sent (once per person, kind and event): reruns send nobody a second one."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="reminders")
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "registration", "kind"], name="one_reminder_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} -> {self.registration_id}"
