"""Matchmaking: a profile per registration, marks (must meet / no thanks), and runs of the
matcher with the recommendations they produced.

A profile is shown to others, and given to the matcher, only while its registration is
confirmed and carries the matchmaking consent (`Registration.consent_matchmaking_at`); the
selectors and `services.match_run_execute` are the one place that rule is applied.
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clusterhub.events.models import Event
from clusterhub.registration.models import Registration


class Objective(models.TextChoices):
    # Values are the matching library's OBJECTIVES (algorithms/matching/types.py).
    PARTNERING = "partnering", _("Partnering")
    RESEARCH_COLLABORATION = "research_collaboration", _("Research collaboration")
    INVESTMENT = "investment", _("Investment")
    PROCUREMENT = "procurement", _("Procurement")
    POLICY_DIALOGUE = "policy_dialogue", _("Policy dialogue")
    TRAINING_MENTORING = "training_mentoring", _("Training or mentoring")
    RECRUITING = "recruiting", _("Recruiting")


class MatchProfile(models.Model):
    """What a registered participant offers, needs and wants from the event."""

    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        related_name="match_profile",
        verbose_name=_("registration"),
    )
    offers = models.JSONField(_("what I offer"), default=list, blank=True)
    needs = models.JSONField(_("what I need"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    about = models.TextField(_("about me"), blank=True)
    objectives = models.JSONField(_("objectives"), default=list, blank=True)
    preferred_types = models.JSONField(_("preferred organisation types"), default=list, blank=True)
    preferred_countries = models.JSONField(_("preferred countries"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("matchmaking profile")
        verbose_name_plural = _("matchmaking profiles")

    def __str__(self) -> str:
        return f"{self.registration}"


class MarkKind(models.TextChoices):
    MUST_MEET = "must_meet", _("Must meet")
    NO_THANKS = "no_thanks", _("No thanks")


class ProfileMark(models.Model):
    """One participant's wish about another: meet them for sure, or never be suggested."""

    from_registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="marks_given",
        verbose_name=_("from"),
    )  # fmt: skip
    to_registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="marks_received",
        verbose_name=_("about"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=MarkKind.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("profile mark")
        verbose_name_plural = _("profile marks")
        constraints = [
            models.UniqueConstraint(
                fields=["from_registration", "to_registration"], name="one_mark_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(from_registration=F("to_registration")), name="mark_not_self"
            ),
            models.CheckConstraint(condition=Q(kind__in=MarkKind.values), name="mark_kind_known"),
        ]

    def __str__(self) -> str:
        return f"{self.from_registration_id} -> {self.to_registration_id}: {self.kind}"


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
