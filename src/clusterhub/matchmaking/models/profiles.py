"""Profiles, marks and the event's matchmaking settings.

A profile is shown to others, and given to the matcher, only while its registration is
confirmed and carries the matchmaking consent (`Registration.consent_matchmaking_at`); the
selectors and `services.runs` are the one place that rule is applied.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clusterhub.events.models import Event, Session
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


class MatchmakingSettings(models.Model):
    """What the organiser tunes for an event's matchmaking. An event without a row uses the
    defaults (`selectors.matchmaking_settings_for` gives an unsaved one)."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="matchmaking_settings",
        verbose_name=_("event"),
    )  # fmt: skip
    is_open = models.BooleanField(
        _("open to participants"),
        default=True,
        help_text=_(
            "Participants see their recommendations, browse profiles and send meeting requests."
        ),
    )
    tags = models.JSONField(
        _("interest tags"), default=list, blank=True,
        help_text=_("The event's taxonomy: participants pick their interests from these tags."),
    )  # fmt: skip
    border_bonus = models.FloatField(
        _("bonus for crossing borders"), default=0.1,
        validators=[MinValueValidator(0.0), MaxValueValidator(0.5)],
    )  # fmt: skip
    diversity = models.FloatField(
        _("diversity of each list"), default=0.3,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_(
            "0 ranks by relevance alone; 1 spreads each list most over sectors and countries."
        ),
    )  # fmt: skip
    type_weights = models.JSONField(
        _("weights of organisation-type pairs"), default=dict, blank=True,
        help_text=_('Pairs of organisation types and a weight, e.g. {"investor|company": 1.5}.'),
    )  # fmt: skip
    exclude_met_before = models.BooleanField(
        _("leave out people who met at an earlier event"), default=False
    )
    request_limit = models.PositiveSmallIntegerField(
        _("meeting requests per participant"), default=30,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )  # fmt: skip
    max_meetings_per_person = models.PositiveSmallIntegerField(
        _("meetings per person at the event"), null=True, blank=True,
        help_text=_("Empty: no cap beyond the slots and each session's own cap."),
    )  # fmt: skip
    max_meetings_per_session = models.PositiveSmallIntegerField(
        _("meetings per person in one networking session"), null=True, blank=True,
        help_text=_("Empty: as many as the session has slots."),
    )  # fmt: skip
    propose_top_k = models.PositiveSmallIntegerField(
        _("propose meetings from each person's top recommendations"), default=0,
        validators=[MaxValueValidator(20)],
        help_text=_(
            "0: schedule accepted requests only. K: also pair people from each other's top K "
            "recommendations where there is room."
        ),
    )  # fmt: skip
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("matchmaking settings")
        verbose_name_plural = _("matchmaking settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(border_bonus__gte=0, border_bonus__lte=0.5),
                name="matchmaking_border_bonus_range",
            ),
            models.CheckConstraint(
                condition=Q(diversity__gte=0, diversity__lte=1), name="matchmaking_diversity_range"
            ),
            models.CheckConstraint(
                condition=Q(request_limit__gte=1), name="matchmaking_request_limit_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event}"


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
    tags = models.JSONField(_("interest tags"), default=list, blank=True)
    about = models.TextField(_("about me"), blank=True)
    objectives = models.JSONField(_("objectives"), default=list, blank=True)
    preferred_types = models.JSONField(_("preferred organisation types"), default=list, blank=True)
    preferred_countries = models.JSONField(_("preferred countries"), default=list, blank=True)
    available_sessions = models.ManyToManyField(
        Session, blank=True, related_name="available_profiles",
        verbose_name=_("networking slots I am available for"),
    )  # fmt: skip
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
