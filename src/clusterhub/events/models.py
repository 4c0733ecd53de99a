"""Events and their programme: rooms, themes, sessions (with parts) and who speaks in them.

Times are stored as aware datetimes (UTC in the database) and shown in the event's timezone.
"""

import uuid
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from clusterhub.common.models import TimeStampedModel
from clusterhub.directory.models import Cluster, Organisation, Person


def validate_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            _("“%(value)s” is not a known time zone (e.g. Europe/Oslo)."),
            code="invalid_timezone",
            params={"value": value},
        ) from exc


def local_time_exists(value: datetime) -> bool:
    """Whether the wall-clock time of aware `value` exists in its time zone.

    The times the clocks skip when daylight saving time starts (02:00-02:59 on the last Sunday
    of March in Oslo) do not: Python reads them with the offset before the change, so 02:15
    would quietly become 03:15. A time that happens twice when the clocks go back is read as
    its first occurrence (`fold=0`) and exists.
    """
    back = value.astimezone(UTC).astimezone(value.tzinfo)
    return back.replace(tzinfo=None) == value.replace(tzinfo=None)


# Sanity bounds: the programme pages list every day of an event, and the calendar code cannot
# go past year 9999. Real events last days, not months.
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_EVENT_DAYS = 31


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Event(TimeStampedModel):
    cluster = models.ForeignKey(
        Cluster, on_delete=models.PROTECT, related_name="events", verbose_name=_("host cluster")
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="partnered_events", verbose_name=_("partners")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name"),
        max_length=100,
        unique=True,
        help_text=_("Used in addresses, e.g. oslo-deep-dive-days-2025."),
        error_messages={"unique": _("Another event already uses this short name.")},
    )
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Oslo", validators=[validate_timezone]
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    venue_address = models.CharField(_("venue address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="event_ends_on_or_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=EventStatus.values), name="event_status_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def days(self) -> list[date]:
        n = (self.end_date - self.start_date).days + 1
        return [self.start_date + timedelta(days=i) for i in range(max(n, 0))]

    def local_datetime(self, day: date, at: time) -> datetime:
        """An aware datetime for a wall-clock time on a day of the event, in its time zone."""
        return datetime.combine(day, at, tzinfo=self.tzinfo)

    def clean(self) -> None:
        errors: dict[str, list[ValidationError]] = {}
        for name in ("start_date", "end_date"):
            value = getattr(self, name)
            if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
                errors[name] = [
                    ValidationError(
                        _("Choose a date in the years %(first)d to %(last)d."),
                        code="date_out_of_range",
                        params={"first": FIRST_YEAR, "last": LAST_YEAR},
                    )
                ]
        if self.start_date and self.end_date and not errors:
            if self.end_date < self.start_date:
                errors["end_date"] = [
                    ValidationError(
                        _("The last day cannot be before the first day."), code="end_before_start"
                    )
                ]
            elif (self.end_date - self.start_date).days >= MAX_EVENT_DAYS:
                errors["end_date"] = [
                    ValidationError(
                        ngettext_lazy(
                            "An event lasts at most %(max)d day; split a longer one into "
                            "several events.",
                            "An event lasts at most %(max)d days; split a longer one into "
                            "several events.",
                            "max",
                        ),
                        code="event_too_long",
                        params={"max": MAX_EVENT_DAYS},
                    )
                ]
        if errors:
            raise ValidationError(errors)


class Room(TimeStampedModel):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=200)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    is_offsite = models.BooleanField(
        _("off-site"), default=False, help_text=_("For site visits away from the venue.")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    travel_minutes = models.PositiveSmallIntegerField(
        _("travel time (minutes)"),
        default=0,
        help_text=_(
            "For an off-site location: how long the speakers need to get there from the venue, "
            "and the same to get back. Proposed timetables keep that time free for them."
        ),
    )
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="room_name_unique_per_event",
                violation_error_message=_("This event already has a room with this name."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                name="room_capacity_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(is_offsite=False) | ~Q(address=""),
                name="offsite_room_has_address",
                violation_error_message=_("An off-site location needs an address."),
            ),
            models.CheckConstraint(
                condition=Q(is_offsite=True) | Q(travel_minutes=0),
                name="travel_only_offsite",
                violation_error_message=_("Only an off-site location has a travel time."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="themes", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="theme_slug_unique_per_event"),
        ]

    def __str__(self) -> str:
        return self.name


class SessionType(models.TextChoices):
    PLENARY = "plenary", _("Plenary")
    TALK = "talk", _("Talk")
    SESSION = "session", _("Session")
    PANEL = "panel", _("Panel")
    TRAINING = "training", _("Training module")
    SITE_VISIT = "site_visit", _("Site visit")
    NETWORKING = "networking", _("Networking")
    BREAK = "break", _("Break")


class Session(TimeStampedModel):
    """A slot on the programme. A session with parts is their container: it spans them."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    uid = models.UUIDField(
        _("calendar identifier"), default=uuid.uuid4, unique=True, editable=False
    )  # stable iCal UID
    title = models.CharField(_("title"), max_length=300)
    type = models.CharField(
        _("type"), max_length=20, choices=SessionType.choices, default=SessionType.TALK
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="parts",
        verbose_name=_("part of"),
    )
    part_order = models.PositiveSmallIntegerField(_("part number"), null=True, blank=True)
    room = models.ForeignKey(
        Room,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        verbose_name=_("room"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    capacity = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    signup_required = models.BooleanField(_("sign-up required"), default=False)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="sessions", verbose_name=_("themes")
    )
    description = models.TextField(_("description"), blank=True)
    is_pinned = models.BooleanField(
        _("pinned"),
        default=False,
        help_text=_("A proposed timetable keeps a pinned session where it is."),
    )
    people = models.ManyToManyField(
        Person, through="SessionRole", related_name="sessions", verbose_name=_("people")
    )

    class Meta:
        ordering = ["start", "part_order", "title", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["event", "start"], name="session_event_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                name="session_capacity_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(signup_required=False) | Q(capacity__isnull=False),
                name="signup_session_has_capacity",
                violation_error_message=_("A session that needs sign-up needs a number of seats."),
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(part_order__isnull=False),
                name="part_has_order",
            ),
            models.CheckConstraint(
                condition=Q(type__in=SessionType.values), name="session_type_known"
            ),
            models.UniqueConstraint(
                fields=["parent", "part_order"],
                name="part_order_unique_per_parent",
                violation_error_message=_("That session already has a part with this number."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


class SessionRoleType(models.TextChoices):
    SPEAKER = "speaker", _("Speaker")
    MODERATOR = "moderator", _("Moderator")
    PANELIST = "panelist", _("Panelist")
    HOST = "host", _("Host")


class SessionRole(models.Model):
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="roles", verbose_name=_("session")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="session_roles", verbose_name=_("person")
    )
    role = models.CharField(
        _("role"), max_length=20, choices=SessionRoleType.choices, default=SessionRoleType.SPEAKER
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("session role")
        verbose_name_plural = _("session roles")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person", "role"],
                name="session_role_unique",
                violation_error_message=_("This person already has this role in the session."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=SessionRoleType.values), name="session_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} — {self.session}"


class TimetableRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class TimetableRun(models.Model):
    """One draft timetable computed for an event (services/timetabling.py). `result` holds
    the solver's answer: status, clashes before and after, gap, the conflict sentences, and
    the proposed place of each session ({"<session id>": {"room", "start", "end"}}, times as
    ISO 8601). Accepting it moves the sessions; `accepted_at` records that."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="timetable_runs", verbose_name=_("event")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=TimetableRunStatus.choices,
        default=TimetableRunStatus.QUEUED,
    )  # fmt: skip
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("timetable run")
        verbose_name_plural = _("timetable runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=TimetableRunStatus.values),
                name="timetable_run_status_known",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="timetable_run_progress_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.pk} ({self.status})"


class TimetableRuleKind(models.TextChoices):
    AFTER = "after", _("starts after another session ends")
    SAME_DAY = "same_day", _("is on the same day as another session")
    NOT_PARALLEL = "not_parallel", _("is not at the same time as another session")
    WINDOW = "window", _("is held within a time window")


class TimetableRule(models.Model):
    """A rule the organiser sets for proposed timetables (services/timetabling.py): `session`
    starts after `other` ends (with `gap_minutes` between), is on the same day as `other`, is
    not at the same time as `other`, or is held between `window_start` and `window_end`."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="timetable_rules", verbose_name=_("event")
    )
    kind = models.CharField(_("rule"), max_length=20, choices=TimetableRuleKind.choices)
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="timetable_rules",
        verbose_name=_("session"),
    )  # fmt: skip
    other = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="+", null=True, blank=True,
        verbose_name=_("other session"),
    )  # fmt: skip
    gap_minutes = models.PositiveSmallIntegerField(_("minutes between"), default=0)
    window_start = models.DateTimeField(_("start"), null=True, blank=True)
    window_end = models.DateTimeField(_("end"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("timetable rule")
        verbose_name_plural = _("timetable rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=TimetableRuleKind.values), name="timetable_rule_kind_known"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="window", other__isnull=True, window_start__lt=F("window_end"))
                    | (
                        Q(other__isnull=False, window_start__isnull=True, window_end__isnull=True)
                        & ~Q(kind="window")
                        & ~Q(other=F("session"))
                    )
                ),
                name="timetable_rule_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session} {self.kind} {self.other or ''}".strip()


class Availability(models.Model):
    """A time when a person with a role in the programme, or a room, is available. Someone or
    something with no rows is available throughout the event; with rows, only then. Proposed
    timetables keep to it (services/timetabling.py)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="availabilities", verbose_name=_("event")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="availabilities", null=True,
        blank=True, verbose_name=_("person"),
    )  # fmt: skip
    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="availabilities", null=True, blank=True,
        verbose_name=_("room"),
    )  # fmt: skip
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=True, room__isnull=False)
                | Q(person__isnull=False, room__isnull=True),
                name="availability_person_or_room",
            ),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="availability_starts_before_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.room}: {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"
