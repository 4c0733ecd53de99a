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
    # Who claimed it: the id of the `outbox_send` task run. The same task, put back in the
    # queue after its worker died, may take its own claim over at once.
    claimed_by = models.CharField(_("being sent by"), max_length=64, blank=True)
    # "<kind>:<object>:<version>" for mail a job may queue again when it reruns: a second
    # message with the same key is never written, so never sent (see `outbox_queue`).
    key = models.CharField(_("deduplication key"), max_length=200, null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        constraints = [models.UniqueConstraint(fields=["key"], name="outbox_message_key_unique")]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"


class WorkerHeartbeat(models.Model):
    """A live task worker (`python -m clusterhub worker`), which renews `beat_at` every few
    seconds. A running task whose worker has not beaten within the lease is given back to
    the queue (see `clusterhub.common.worker`)."""

    worker_id = models.CharField(_("worker id"), max_length=64, primary_key=True)
    hostname = models.CharField(_("host"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        ordering = ["-beat_at"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
