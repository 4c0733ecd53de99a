"""Runs of the matcher and the recommendations they produced."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clusterhub.events.models import Event
from clusterhub.registration.models import Registration


class MatchRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class MatchRun(models.Model):
    """One computation of recommendations for an event; the latest finished run is shown."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="match_runs", verbose_name=_("event")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MatchRunStatus.choices,
        default=MatchRunStatus.QUEUED,
    )  # fmt: skip
    k = models.PositiveSmallIntegerField(_("recommendations per person"), default=20)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("matchmaking run")
        verbose_name_plural = _("matchmaking runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MatchRunStatus.values), name="match_run_status_known"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="match_run_progress_max"),
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.pk} ({self.status})"


class Recommendation(models.Model):
    """`other` is recommended to `registration` at `rank` (1 = best), with reasons."""

    run = models.ForeignKey(
        MatchRun, on_delete=models.CASCADE, related_name="recommendations", verbose_name=_("run")
    )
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="recommendations",
        verbose_name=_("for"),
    )  # fmt: skip
    other = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="recommended_to",
        verbose_name=_("recommended"),
    )  # fmt: skip
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)

    class Meta:
        ordering = ["run", "registration", "rank"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "registration", "other"], name="one_recommendation_per_pair_and_run"
            ),
            models.CheckConstraint(
                condition=~Q(registration=F("other")), name="recommendation_not_self"
            ),
            models.CheckConstraint(condition=Q(rank__gte=1), name="recommendation_rank_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} -> {self.other_id} #{self.rank}"
