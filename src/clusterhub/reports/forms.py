"""The organiser's report form: title, introduction, closing words and the key messages of
every session on one page; `save(...)` hands them to the services in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clusterhub.directory.models import User
from clusterhub.events.forms.base import ServiceForm, model_field
from clusterhub.events.models import Event, Session
from clusterhub.reports import services
from clusterhub.reports.models import Report, SessionHighlight


@dataclass(frozen=True)
class SessionField:
    session: Session
    is_part: bool
    name: str


class ReportForm(ServiceForm):
    title = model_field(Report, "title", required=False)
    introduction = forms.CharField(
        label=_("Introduction"), required=False, max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Who gathered, where and why. Blank lines start a new paragraph."),
    )  # fmt: skip
    closing = forms.CharField(
        label=_("Closing words"), required=False, max_length=services.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What stood out, and what comes next. Shown after the figures."),
    )  # fmt: skip
    list_partnerships = model_field(Report, "list_partnerships", required=False)

    def __init__(
        self, data=None, *, event: Event, report: Report, sessions: list[Session],
        highlights: dict[int, SessionHighlight],
    ) -> None:  # fmt: skip
        initial = {
            "title": report.title, "introduction": report.introduction,
            "closing": report.closing, "list_partnerships": report.list_partnerships,
        }  # fmt: skip
        self.event = event
        self.session_fields: list[SessionField] = []
        for session in sessions:
            for item, is_part in [(session, False), *((p, True) for p in session.parts.all())]:
                name = f"key_messages_{item.pk}"
                found = highlights.get(item.pk)
                initial[name] = found.key_messages if found else ""
                self.session_fields.append(SessionField(item, is_part, name))
        super().__init__(data, initial=initial)
        for entry in self.session_fields:
            self.fields[entry.name] = forms.CharField(
                label=_("Key messages of “%(title)s”") % {"title": entry.session.title},
                required=False, max_length=services.KEY_MESSAGES_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One message per line."),
            )  # fmt: skip

    def session_rows(self):
        """(session, is_part, bound field) in programme order, for the template."""
        return [(e.session, e.is_part, self[e.name]) for e in self.session_fields]

    def save(self, *, actor: User) -> Report | None:
        data = self.cleaned_data
        try:
            with transaction.atomic():
                report = services.report_update(
                    event=self.event, actor=actor, title=data["title"],
                    introduction=data["introduction"], closing=data["closing"],
                    list_partnerships=data["list_partnerships"],
                )  # fmt: skip
                for entry in self.session_fields:
                    if entry.name not in self.data:
                        continue  # not on the page the organiser sent (a session added since)
                    text = data[entry.name].strip()
                    if text != self.initial[entry.name].strip():
                        services.session_highlight_set(
                            event=self.event, session=entry.session, key_messages=text,
                            actor=actor,
                        )  # fmt: skip
        except ValidationError as exc:
            self.add_service_error(exc)
            return None
        return report
