"""The highlights report of an event: the organiser's words (title, introduction, closing and
the key messages of each session) around the figures clusterhub computes from the event.

The figures are not stored: the report is built from the database each time it is shown (see
`content.py`), so it always agrees with the KPI dashboard. Writes go through `services`.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusterhub.common.models import TimeStampedModel
from clusterhub.events.models import Event, Session

TITLE_MAX = 200


class Report(TimeStampedModel):
    """One per event; public once published (and the event is)."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="report", verbose_name=_("event")
    )
    title = models.CharField(
        _("title"), max_length=TITLE_MAX, blank=True,
        help_text=_("Empty: “Highlights from” and the event's name."),
    )  # fmt: skip
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("The opening paragraphs. Blank lines part them.")
    )
    closing = models.TextField(
        _("closing words"), blank=True,
        help_text=_("What stood out, and what comes next. Shown after the figures."),
    )  # fmt: skip
    list_partnerships = models.BooleanField(
        _("name the partnerships"), default=True,
        help_text=_("Show each partnership's title and organisations; otherwise only counts."),
    )  # fmt: skip
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("highlights report")
        verbose_name_plural = _("highlights reports")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="published_report_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(_("Highlights from %(event)s") % {"event": self.event})


class SessionHighlight(models.Model):
    """The key messages of one session (or part) of the report's event, one per line."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="highlights", verbose_name=_("report")
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="highlights", verbose_name=_("session")
    )
    key_messages = models.TextField(_("key messages"), help_text=_("One message per line."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("session highlight")
        verbose_name_plural = _("session highlights")
        constraints = [
            models.UniqueConstraint(fields=["report", "session"], name="one_highlight_per_session"),
            models.CheckConstraint(condition=~Q(key_messages=""), name="highlight_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.key_messages[:40]}"

    @property
    def messages(self) -> list[str]:
        """The key messages, one per non-blank line, without list marks the writer typed."""
        lines = (line.strip().lstrip("-•*").strip() for line in self.key_messages.splitlines())
        return [line for line in lines if line]
