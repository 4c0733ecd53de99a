"""Small shared pieces: a timestamped base model and the activity log every service writes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ActivityLogEntry(models.Model):
    """One audit line: who did what to which object, scoped to a cluster for later filtering."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    # "<app>.<entity>.<verb>", e.g. events.session.create
    action = models.CharField(_("action"), max_length=100)
    cluster_id = models.BigIntegerField(_("cluster"), null=True, blank=True, db_index=True)
    event_id = models.BigIntegerField(_("event"), null=True, blank=True, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class OutboxMessage(models.Model):
    """An email waiting to be sent, written in the transaction of the change it reports."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    event_id = models.BigIntegerField(_("event"), null=True, blank=True, db_index=True)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Set while a worker sends it, so the send happens outside any database transaction (on
    # SQLite a transaction holds the whole database's write lock) and still only once.
    claimed_at = models.DateTimeField(_("being sent since"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"
