"""The organiser's exports of an event's follow-up data (/orga/events/<slug>/followup/exports/,
namespace `orga_followup`): a page listing them, and each as CSV (streamed) or XLSX. Owners
and organisers of the host cluster only: check-in staff 403, anybody else 404. Every download
writes an activity log line (`followup.export`: which export, format, rows)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from clusterhub.common.activity import export_log
from clusterhub.events.models import Event
from clusterhub.events.views.orga.access import CHANGE, event_view
from clusterhub.followup import exports_event
from clusterhub.followup.exports_event import EXPORTS

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


@event_view(CHANGE)
@require_GET
def exports(request: HttpRequest, event: Event) -> HttpResponse:
    return render(
        request,
        "followup/orga/exports.html",
        {"event": event, "tab": "followup", "exports": list(EXPORTS.values())},
    )


def _download(request: HttpRequest, event: Event, name: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    export = EXPORTS[name]
    export_log(
        actor=request.user, action="followup.export", event=event, export=name, fmt=fmt,
        rows=export.count(event),
    )  # fmt: skip
    day = timezone.localdate(timezone=event.tzinfo)
    filename = f"{event.slug}-{name}-{day:%Y%m%d}.{fmt}"
    if fmt == "xlsx":
        return FileResponse(
            exports_event.xlsx_file(export, event),
            as_attachment=True,
            filename=filename,
            content_type=XLSX_TYPE,
        )
    response = StreamingHttpResponse(
        exports_event.csv_stream(export, event), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@event_view(CHANGE)
@require_GET
def signups(request: HttpRequest, event: Event, fmt: str) -> HttpResponse:
    return _download(request, event, "signups", fmt)


@event_view(CHANGE)
@require_GET
def profiles(request: HttpRequest, event: Event, fmt: str) -> HttpResponse:
    """Profiles of the people who consented to matchmaking, and of nobody else."""
    return _download(request, event, "profiles", fmt)


@event_view(CHANGE)
@require_GET
def meetings(request: HttpRequest, event: Event, fmt: str) -> HttpResponse:
    return _download(request, event, "meetings", fmt)


@event_view(CHANGE)
@require_GET
def outcomes(request: HttpRequest, event: Event, fmt: str) -> HttpResponse:
    """Both sides' meeting feedback, without the comments."""
    return _download(request, event, "outcomes", fmt)


@event_view(CHANGE)
@require_GET
def partnerships(request: HttpRequest, event: Event, fmt: str) -> HttpResponse:
    return _download(request, event, "partnerships", fmt)
