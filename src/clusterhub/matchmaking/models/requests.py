"""Meeting requests between participants."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clusterhub.events.models import Event
from clusterhub.registration.models import Registration


class MeetingRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Withdrawn")


OPEN_REQUEST_STATUSES = (MeetingRequestStatus.PENDING, MeetingRequestStatus.ACCEPTED)


class MeetingRequest(models.Model):
    """`sender` asks `recipient` for a 1:1 meeting at the event; the recipient answers.
    Between two people at most one request is open (pending or accepted) in each direction."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="meeting_requests", verbose_name=_("event")
    )
    sender = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="meeting_requests_sent",
        verbose_name=_("from"),
    )  # fmt: skip
    recipient = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="meeting_requests_received",
        verbose_name=_("to"),
    )  # fmt: skip
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingRequestStatus.choices,
        default=MeetingRequestStatus.PENDING,
    )  # fmt: skip
    response = models.TextField(_("answer"), blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        indexes = [models.Index(fields=["event", "status"], name="meeting_request_event_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sender=F("recipient")), name="meeting_request_not_self"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingRequestStatus.values),
                name="meeting_request_status_known",
            ),
            models.UniqueConstraint(
                fields=["sender", "recipient"],
                condition=Q(status__in=[s.value for s in OPEN_REQUEST_STATUSES]),
                name="one_open_meeting_request_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sender_id} -> {self.recipient_id}: {self.status}"
