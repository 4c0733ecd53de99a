"""Printable meeting plans (PDF through WeasyPrint): the table plan of every slot, one page per
person with their meetings, and a participant's own schedule. Only published and draft
meetings that are not cancelled are printed.

WeasyPrint is imported only when a PDF is drawn (as for badges): without it the pages answer
503 with an explanation and the rest of the site works."""

from __future__ import annotations

from collections import defaultdict

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from clusterhub.events.models import Event
from clusterhub.matchmaking.selectors import meetings_for_event, meetings_for_registration
from clusterhub.registration.models import Registration


class PdfUnavailable(RuntimeError):
    """WeasyPrint (or the Pango library under it) is not installed on this machine."""


def _html(template: str, event: Event, context: dict) -> str:
    with timezone.override(event.tzinfo):
        return render_to_string(template, {"event": event, **context})


def table_plan_html(event: Event) -> str:
    """Per slot, each table with the two people meeting there."""
    slots: dict[tuple, list] = defaultdict(list)
    for meeting in meetings_for_event(event=event):
        slots[(meeting.start, meeting.end, meeting.session.title)].append(meeting)
    return _html("matchmaking/print/table_plan.html", event, {"slots": sorted(slots.items())})


def _by_person(meetings) -> list[tuple[Registration, list]]:
    people: dict[int, tuple[Registration, list]] = {}
    for meeting in meetings:
        for me, other in ((meeting.a, meeting.b), (meeting.b, meeting.a)):
            people.setdefault(me.pk, (me, []))[1].append((meeting, other))
    return sorted(
        people.values(), key=lambda item: (item[0].person.last_name, item[0].person.first_name)
    )


def schedules_html(event: Event) -> str:
    """One page per person: their meetings in time order, with table and partner."""
    return _html(
        "matchmaking/print/schedules.html", event,
        {"people": _by_person(meetings_for_event(event=event))},
    )  # fmt: skip


def participant_schedule_html(registration: Registration) -> str:
    """The participant's own published meetings on one page."""
    meetings = meetings_for_registration(registration=registration)
    people = [p for p in _by_person(meetings) if p[0].pk == registration.pk]
    return _html("matchmaking/print/schedules.html", registration.event, {"people": people})


def pdf(html: str) -> bytes:
    """`html` as a PDF. Raises PdfUnavailable without WeasyPrint."""
    try:
        import weasyprint  # heavy, and needs Pango: loaded on first use
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(str(exc)) from exc
    return weasyprint.HTML(string=html).write_pdf()


def pdf_response(html: str, filename: str, *, request: HttpRequest) -> HttpResponse:
    """A PDF download (an attachment), or a 503 page that says why there is none."""
    try:
        data = pdf(html)
    except PdfUnavailable:
        return render(request, "matchmaking/print/unavailable.html", status=503)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
