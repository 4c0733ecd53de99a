"""Registration: ticket types, questions, registrations with answers and consents, session
sign-ups with waitlists, and check-ins.

Seats are a scarce resource. They change only through `services.py`, inside one transaction
that locks the session row just before counting (pretix's pattern), and the database refuses a
second sign-up of one registration for one session and a second check-in at one place.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusterhub.common.models import TimeStampedModel
from clusterhub.directory.models import Person
from clusterhub.events.models import Event, Session


def new_token() -> str:
    return secrets.token_urlsafe(24)


class RegistrationConfig(TimeStampedModel):
    """How an event takes registrations: window, capacity, privacy notice."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="registration_config"
    )
    opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("event capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    privacy_notice = models.TextField(
        _("privacy notice"),
        blank=True,
        help_text=_("What participants agree to when they register."),
    )

    class Meta:
        verbose_name = _("registration settings")
        verbose_name_plural = _("registration settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="registration_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event}"


class TicketType(TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="ticket_types")
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    requires_approval = models.BooleanField(
        _("needs approval"), default=False, help_text=_("An organiser confirms each registration.")
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Offered on the registration form.")
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("ticket type")
        verbose_name_plural = _("ticket types")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"],
                name="ticket_type_name_unique_per_event",
                violation_error_message=_("This event already has a ticket type with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHOICE = "choice", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    YES_NO = "yesno", _("Yes or no")


class Question(TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    required = models.BooleanField(_("required"), default=False)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="question_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")


ACTIVE_STATUSES = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED)


class Registration(TimeStampedModel):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="registrations")
    ticket_type = models.ForeignKey(
        TicketType, on_delete=models.PROTECT, related_name="registrations"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )  # fmt: skip
    consent_privacy_at = models.DateTimeField(_("accepted the privacy notice"))
    consent_matchmaking_at = models.DateTimeField(
        _("agreed to show the profile for matchmaking"), null=True, blank=True
    )
    consent_photos_at = models.DateTimeField(_("agreed to photos"), null=True, blank=True)
    calendar_token = models.CharField(max_length=64, unique=True, default=new_token)
    badge_nonce = models.PositiveIntegerField(default=0)  # bumped to revoke printed badges
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set when the registration's personal data (answers, profile texts, messages) was erased:
    # by the person, by the platform admin or by the retention purge. The row itself stays,
    # so the event's KPIs do not change.
    anonymised_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="one_active_registration_per_person",
                violation_error_message=_("This person is already registered for the event."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values), name="registration_status_known"
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]

    def __str__(self) -> str:
        return f"{self.person} @ {self.event}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class Answer(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(default=None, null=True)  # str, list[str] or bool by question kind

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="one_answer_each"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")


class SignUp(models.Model):
    """A registration's seat (or place in the queue) for a session that needs sign-up.

    Waitlist order is `(created_at, id)`: first come, first promoted. A cancelled sign-up is
    deleted (and logged), so a person can sign up again later, at the end of the queue.
    """

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="signups")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="signups")
    status = models.CharField(_("status"), max_length=20, choices=SignUpStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    promoted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"],
                name="one_signup_per_registration_and_session",
                violation_error_message=_("Already signed up for this session."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=SignUpStatus.values), name="signup_status_known"
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"], name="signup_queue")]

    def __str__(self) -> str:
        return f"{self.registration.person} — {self.session} ({self.status})"


class CheckIn(models.Model):
    """An arrival, at the door (`session` empty) or at a seated session. One per place."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="checkins"
    )
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.CASCADE, related_name="checkins"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(max_length=20, default="scan")  # scan, typed, search

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(
                fields=["registration"],
                condition=Q(session__isnull=True),
                name="one_door_checkin_per_registration",
            ),
            models.UniqueConstraint(
                fields=["registration", "session"],
                condition=Q(session__isnull=False),
                name="one_session_checkin_per_registration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration.person} @ {self.session or self.registration.event}"


class ConsentKind(models.TextChoices):
    PRIVACY = "privacy", _("Privacy notice")
    MATCHMAKING = "matchmaking", _("Matchmaking profile shown to others")
    PHOTOS = "photos", _("Photos may be published")


class ConsentSource(models.TextChoices):
    PARTICIPANT = "participant", _("Given by the participant")
    ORGANISER = "organiser", _("Registered by the organisers")
    IMPORT = "import", _("Participant import")
    BACKFILL = "backfill", _("Recorded before consents were versioned")


class ConsentRecord(models.Model):
    """One consent given or withdrawn, with the version and the exact text agreed to.

    Append-only: a change of mind is a new row (`given=False`), never an update, so the
    history answers "what had this person agreed to on that day?". The `consent_*_at` fields
    of the registration stay the current state that every read checks.
    """

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="consent_records",
        verbose_name=_("registration"),
    )  # fmt: skip
    kind = models.CharField(_("consent"), max_length=20, choices=ConsentKind.choices)
    given = models.BooleanField(_("given"), help_text=_("Unticked: withdrawn."))
    version = models.CharField(_("text version"), max_length=64)
    text = models.TextField(_("text agreed to"), blank=True)
    source = models.CharField(_("source"), max_length=20, choices=ConsentSource.choices)
    at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ConsentKind.values), name="consent_record_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ConsentSource.values), name="consent_record_source_known"
            ),
        ]

    def __str__(self) -> str:
        verb = "given" if self.given else "withdrawn"
        return f"{self.kind} {self.version} {verb} ({self.registration_id})"
