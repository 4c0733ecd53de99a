"""Writes of the highlights report: its texts, the key messages per session, publication.

Each service validates, writes and leaves one activity log line in the same transaction.
Refusals are `ValidationError`s with a code (keyed by field where one field is at fault).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterhub.common.activity import activity_log
from clusterhub.directory.models import User
from clusterhub.events.models import Event, Session
from clusterhub.reports.models import TITLE_MAX, Report, SessionHighlight

TEXT_MAX = 10_000
KEY_MESSAGES_MAX = 3_000


def _refusal(message: str, code: str, field: str | None = None) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def _log(actor: User | None, action: str, report: Report, **data: Any) -> None:
    event = report.event
    activity_log(
        actor=actor, action=action, obj=report, cluster_id=event.cluster_id, event_id=event.pk,
        data=data,
    )  # fmt: skip


def _report_for_update(event: Event) -> Report:
    """The event's report, created empty when missing, locked for the rest of the transaction."""
    report, _created = Report.objects.select_for_update().get_or_create(event=event)
    report.event = event  # the caller's row, already loaded
    return report


def _text(value: str, limit: int, field: str) -> str:
    value = (value or "").strip().replace("\r\n", "\n")
    if len(value) > limit:
        raise _refusal(_("Keep it under %(max)d characters.") % {"max": limit}, "too_long", field)
    return value


@transaction.atomic
def report_update(
    *, event: Event, actor: User | None, title: str = "", introduction: str = "",
    closing: str = "", list_partnerships: bool = True,
) -> Report:  # fmt: skip
    """Set the report's title, introduction, closing words and whether partnerships are named
    (the report is created on first use). Refuses texts that are too long (`too_long`, keyed
    by field). Side effects: the report row; one log line naming the fields that changed
    (none when nothing did)."""
    values = {
        "title": _text(title, TITLE_MAX, "title"),
        "introduction": _text(introduction, TEXT_MAX, "introduction"),
        "closing": _text(closing, TEXT_MAX, "closing"),
        "list_partnerships": bool(list_partnerships),
    }
    report = _report_for_update(event)
    changed = [name for name, value in values.items() if getattr(report, name) != value]
    if changed:
        for name in changed:
            setattr(report, name, values[name])
        report.save()
        _log(actor, "reports.report.update", report, fields=changed)
    return report


@transaction.atomic
def session_highlight_set(
    *, event: Event, session: Session, key_messages: str, actor: User | None
) -> SessionHighlight | None:
    """Set the key messages of `session` in the event's report (created when missing); empty
    text removes them. Refuses a session of another event (`wrong_event`) and text that is
    too long (`too_long`). Returns the highlight, None once removed. Side effects: the
    highlight row; one log line when the text changed."""
    if session.event_id != event.pk:
        raise _refusal(_("This session is not on this event's programme."), "wrong_event")
    text = _text(key_messages, KEY_MESSAGES_MAX, "key_messages")
    report = _report_for_update(event)
    found = SessionHighlight.objects.filter(report=report, session=session).first()
    if not text:
        if found is not None:
            found.delete()
            _log(actor, "reports.highlight.delete", report, session=session.pk)
        return None
    if found is not None and found.key_messages == text:
        return found
    highlight, created = SessionHighlight.objects.update_or_create(
        report=report, session=session, defaults={"key_messages": text}
    )
    action = "reports.highlight." + ("create" if created else "update")
    _log(actor, action, report, session=session.pk)
    Report.objects.filter(pk=report.pk).update(updated_at=timezone.now())
    return highlight


@transaction.atomic
def report_publish(*, event: Event, publish: bool, actor: User | None) -> Report:
    """Publish the report (`publish=True`) or take it back to a draft. Publishing refuses a
    draft event (`event_not_published`): its report could not be read anyway. Publishing
    again keeps the first date. Side effects: the report row (created when missing); a log
    line when the state changed."""
    if publish and not event.is_published:
        raise _refusal(
            _("Publish the event first: its report cannot be public before it is."),
            "event_not_published",
        )
    report = _report_for_update(event)
    if report.is_published == publish:
        return report
    report.is_published = publish
    if publish and report.published_at is None:
        report.published_at = timezone.now()
    report.save()
    _log(actor, "reports.report." + ("publish" if publish else "unpublish"), report)
    return report
