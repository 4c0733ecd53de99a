"""Scheduled 1:1 meetings: the set-up of each networking session (meeting length, breaks,
tables, a cap per person), runs of the scheduler, and the meetings with their seats.

A meeting takes a table in a slot and one seat per person. The database refuses two meetings
at one table in one slot of a session and one person in two meetings starting at the same time
(`MeetingSeat`), so two organisers moving meetings at once cannot double-book anybody; the
services also refuse overlapping slots of different sessions and a person's own agenda.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clusterhub.events.models import Event, Session
from clusterhub.matchmaking.models.requests import MeetingRequest
from clusterhub.registration.models import Registration


class NetworkingSetup(models.Model):
    """How a networking session is cut into meeting slots: back-to-back meetings of
    `meeting_minutes`, each followed by `break_minutes`, at `tables` numbered tables. (The
    caps per person are the event's: `MatchmakingSettings`.)"""

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, related_name="networking_setup",
        verbose_name=_("networking session"),
    )  # fmt: skip
    meeting_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"), default=20,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
    )  # fmt: skip
    break_minutes = models.PositiveSmallIntegerField(
        _("break between meetings (minutes)"), default=5, validators=[MaxValueValidator(60)]
    )
    tables = models.PositiveSmallIntegerField(
        _("tables"), default=10, validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )

    class Meta:
        verbose_name = _("networking set-up")
        verbose_name_plural = _("networking set-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting_minutes__gte=5), name="networking_meeting_length_min"
            ),
            models.CheckConstraint(condition=Q(tables__gte=1), name="networking_tables_min"),
        ]

    def __str__(self) -> str:
        return f"{self.session}"


class ScheduleRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ScheduleRun(models.Model):
    """One run of the meeting scheduler for an event, with its quality figures."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="schedule_runs", verbose_name=_("event")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ScheduleRunStatus.choices,
        default=ScheduleRunStatus.QUEUED,
    )  # fmt: skip
    propose = models.PositiveSmallIntegerField(
        _("also propose pairs from each person's top recommendations"), default=0
    )
    move_published = models.BooleanField(_("may move published meetings"), default=False)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("scheduling run")
        verbose_name_plural = _("scheduling runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ScheduleRunStatus.values), name="schedule_run_status_known"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="schedule_run_progress_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.pk} ({self.status})"


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """A 1:1 meeting of `a` and `b` at `table` in the slot `start`–`end` of a networking
    `session`. Drafts are the scheduler's proposal; published meetings are shown to the two
    people and stay where they are unless the organiser moves them."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("event")
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="meetings",
        verbose_name=_("networking session"),
    )  # fmt: skip
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    table = models.PositiveSmallIntegerField(_("table"))
    a = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="meetings_as_a", verbose_name="A"
    )
    b = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="meetings_as_b", verbose_name="B"
    )
    request = models.ForeignKey(
        MeetingRequest, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="meetings", verbose_name=_("meeting request"),
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    locked = models.BooleanField(
        _("locked"), default=False,
        help_text=_("The scheduler leaves a locked meeting where it is."),
    )  # fmt: skip
    weight = models.FloatField(_("weight"), default=0.0)
    why = models.JSONField(_("why they meet"), default=list, blank=True)
    run = models.ForeignKey(
        ScheduleRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings",
        verbose_name=_("scheduling run"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["start", "table", "id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["event", "status"], name="meeting_event_status")]
        constraints = [
            models.CheckConstraint(condition=~Q(a=F("b")), name="meeting_two_people"),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(table__gte=1), name="meeting_table_positive"),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_known"
            ),
            models.UniqueConstraint(
                fields=["session", "start", "table"],
                condition=~Q(status="cancelled"),
                name="one_meeting_per_table_and_slot",
                violation_error_message=_("This table is already taken in this slot."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.a_id} + {self.b_id} @ {self.start:%Y-%m-%d %H:%M} table {self.table}"


class MeetingSeat(models.Model):
    """One person's place in a meeting that is not cancelled. One seat per person and start
    time: the database's guard against double-booking under concurrent moves."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="seats", verbose_name=_("meeting")
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="meeting_seats",
        verbose_name=_("participant"),
    )  # fmt: skip
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        verbose_name = _("meeting seat")
        verbose_name_plural = _("meeting seats")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "start"],
                name="one_meeting_per_person_and_slot",
                violation_error_message=_("This person already has a meeting at that time."),
            ),
            models.UniqueConstraint(fields=["meeting", "registration"], name="one_seat_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} @ {self.start:%H:%M}"
