"""Reads of the highlights report. Each selector takes the event explicitly and runs a fixed
number of queries whatever the size of the event."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from clusterhub.events.models import Event, Session, SessionRole, SessionType
from clusterhub.followup.models import MeetingFeedback, Partnership
from clusterhub.matchmaking.models import Meeting, MeetingStatus
from clusterhub.registration.models import Registration, RegistrationStatus
from clusterhub.reports.models import Report, SessionHighlight


def report_for_event(*, event: Event) -> Report:
    """The event's report, or an unsaved empty one (a draft nobody has written yet). One
    query. The returned report's `event` is the given row."""
    report = Report.objects.filter(event=event).first() or Report(event=event)
    report.event = event
    return report


def highlights_for_report(*, report: Report) -> dict[int, SessionHighlight]:
    """The report's key messages by session id (one query; none for an unsaved report)."""
    if report.pk is None:
        return {}
    return {h.session_id: h for h in SessionHighlight.objects.filter(report=report)}


def _roles() -> Prefetch:
    return Prefetch(
        "roles",
        queryset=SessionRole.objects.select_related("person__organisation").order_by(
            "position", "id"
        ),
    )


def sessions_for_report(*, event: Event) -> QuerySet[Session]:
    """Top-level sessions of `event` other than breaks, in time order, with their room, their
    people (and organisations) and their parts (with theirs). Four queries."""
    parts = Session.objects.select_related("room").prefetch_related(_roles())
    return (
        Session.objects.filter(event=event, parent__isnull=True)
        .exclude(type=SessionType.BREAK)
        .select_related("room")
        .prefetch_related(_roles(), Prefetch("parts", queryset=parts))
        .order_by("start", "title", "id")
    )


def organisations_of_participants(*, event: Event, checked_in: bool) -> list[tuple[int, str]]:
    """(organisation id, type) of every organisation with a confirmed participant (who
    checked in, with `checked_in`). One query."""
    found = Registration.objects.filter(
        event=event, status=RegistrationStatus.CONFIRMED, person__organisation__isnull=False
    )
    if checked_in:
        found = found.filter(checked_in_at__isnull=False)
    return list(
        found.values_list("person__organisation_id", "person__organisation__type")
        .order_by()
        .distinct()
    )


def meeting_pairs(*, event: Event) -> list[tuple[int, int, int, str, str]]:
    """(meeting id, a, b, a's organisation type, b's) of every published meeting of `event`;
    a type is "" for somebody without an organisation. One query."""
    rows = Meeting.objects.filter(event=event, status=MeetingStatus.PUBLISHED).values_list(
        "pk", "a_id", "b_id", "a__person__organisation__type", "b__person__organisation__type"
    )
    return [(pk, a, b, ta or "", tb or "") for pk, a, b, ta, tb in rows.order_by("pk")]


def meeting_feedback(*, event: Event) -> list[tuple[int, str, str]]:
    """(meeting id, attendance, outcome) of every feedback given on the event's meetings. One
    query; comments and ratings are left out (they are not the report's to show)."""
    return list(
        MeetingFeedback.objects.filter(meeting__event=event)
        .values_list("meeting_id", "attendance", "outcome")
        .order_by("pk")
    )


def partnerships_for_report(*, event: Event) -> QuerySet[Partnership]:
    """The partnerships that came out of `event`, oldest first, with their organisations (two
    queries)."""
    return (
        Partnership.objects.filter(event=event)
        .prefetch_related("organisations")
        .order_by("created_at", "pk")
    )
