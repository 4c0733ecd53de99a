"""Downloads of the registrations list, for its current filter: CSV, XLSX, and badges (PDF).
Each download is personal data leaving the platform: it writes an activity log line
(`registration.export`, `registration.badges.export`) with the format and the row count."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from clusterhub.common.activity import export_log
from clusterhub.events.models import Event
from clusterhub.registration import exports, selectors
from clusterhub.registration.badges import BadgeRenderingUnavailable, badge_pdf
from clusterhub.registration.forms.orga import RegistrationFilterForm
from clusterhub.registration.models import Question, RegistrationStatus
from clusterhub.registration.views.orga.access import MANAGE, event_view
from clusterhub.registration.views.orga.registrations import filter_query

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request: HttpRequest, event: Event) -> dict:
    return RegistrationFilterForm(request.GET or None, event=event).filters()


def _filename(event: Event, suffix: str) -> str:
    return f"{event.slug}-{suffix}-{timezone.localdate(timezone=event.tzinfo):%Y%m%d}"


def _export_args(request: HttpRequest, event: Event) -> dict:
    return {
        "event": event,
        "registrations": selectors.registrations_for_export(
            event=event, **_filters(request, event)
        ),
        "questions": list(Question.objects.filter(event=event)),
    }


def _logged(request: HttpRequest, event: Event, fmt: str, args: dict) -> None:
    export_log(
        actor=request.user, action="registration.export", event=event, export="registrations",
        fmt=fmt, rows=args["registrations"].count(),
    )  # fmt: skip


@event_view(MANAGE)
@require_GET
def registrations_csv(request: HttpRequest, event: Event) -> HttpResponse:
    """Streams: the rows are written while they are read, a chunk at a time."""
    args = _export_args(request, event)
    _logged(request, event, "csv", args)
    response = StreamingHttpResponse(
        exports.csv_stream(**args), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(event, "registrations")}.csv"'
    )
    return response


@event_view(MANAGE)
@require_GET
def registrations_xlsx(request: HttpRequest, event: Event) -> HttpResponse:
    args = _export_args(request, event)
    _logged(request, event, "xlsx", args)
    return FileResponse(
        exports.xlsx_file(**args),
        as_attachment=True,
        filename=f"{_filename(event, 'registrations')}.xlsx",
        content_type=XLSX_TYPE,
    )


@event_view(MANAGE)
@require_GET
def badges_pdf(request: HttpRequest, event: Event) -> HttpResponse:
    """Badges of the confirmed registrations among the list's current filter (one A6 page
    each). 503 with an explanation when this server cannot make PDF files."""
    filters = _filters(request, event)
    registrations = []
    if filters.setdefault("status", RegistrationStatus.CONFIRMED) == RegistrationStatus.CONFIRMED:
        registrations = list(
            selectors.registrations_for_event(event=event, **filters).select_related("event")
        )
    query = filter_query(request)
    list_url = reverse("orga_registration:registrations", args=[event.slug])
    list_url = f"{list_url}?{query}" if query else list_url
    if not registrations:
        messages.error(request, _("No confirmed registration matches: there is no badge to print."))
        return redirect(list_url)
    try:
        pdf = badge_pdf(registrations)
    except BadgeRenderingUnavailable:
        return render(
            request,
            "registration/orga/badges_unavailable.html",
            {"event": event, "list_url": list_url, "tab": "registrations"},
            status=503,
        )
    export_log(
        actor=request.user, action="registration.badges.export", event=event, export="badges",
        fmt="pdf", rows=len(registrations),
    )  # fmt: skip
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(event, "badges")}.pdf"'
    return response
