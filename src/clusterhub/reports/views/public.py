"""The public highlights report, under /events/<slug>/report/ (namespace `report`): the page and
its PDF.

Both answer 404 where the event's public pages do (a draft event, to anyone outside the host
cluster's team) and, while the report is not published, to anyone outside that team, so an
unpublished report's address reveals nothing. The team sees it with a preview banner, as it
sees a draft event.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation

from clusterhub.events.models import Event
from clusterhub.reports import rendering, selectors
from clusterhub.reports.models import Report


def _report_or_404(request: HttpRequest, slug: str) -> tuple[Event, Report, bool]:
    """The event, its report and whether this is a preview (the report is not public yet)."""
    event = get_object_or_404(Event.objects.select_related("cluster__organisation"), slug=slug)
    if not request.user.has_perm("events.view_event", event):
        raise Http404  # the same answer as an unknown slug: a draft stays secret
    report = selectors.report_for_event(event=event)
    if not request.user.has_perm("reports.view_report", report):
        raise Http404
    return event, report, not (report.is_published and event.is_published)


def report_page(request: HttpRequest, slug: str) -> HttpResponse:
    event, report, preview = _report_or_404(request, slug)
    with timezone.override(event.tzinfo):
        context = rendering.report_context(event=event, report=report, preview=preview)
        return render(
            request, "reports/public/report.html", {"event": event, "section": "report", **context}
        )


def report_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    event, report, preview = _report_or_404(request, slug)
    return pdf_response(request, event, report, preview=preview)


PUBLISHED_PDF_SECONDS = 300


def pdf_response(request: HttpRequest, event: Event, report: Report, *, preview: bool):
    """The report's PDF as a download, or a 503 page that says why there is none. A preview is
    not cached anywhere. A published report's PDF (seconds of CPU to render) is kept in the
    shared cache for five minutes per version and language, so that a public address cannot be
    used to keep the web workers busy; its live figures are at most that old, as in a browser
    that keeps it (max-age)."""
    key = None
    if not preview and report.pk and report.updated_at:
        version = report.updated_at.timestamp()
        key = f"reports:pdf:{report.pk}:{version}:{translation.get_language()}"
    data = cache.get(key) if key else None
    if data is None:
        try:
            data = rendering.report_pdf(event, report=report, preview=preview)
        except rendering.ReportPdfUnavailable:
            return render(request, "reports/unavailable.html", status=503)
        if key:
            cache.set(key, data, PUBLISHED_PDF_SECONDS)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{rendering.pdf_filename(event)}"'
    response["Cache-Control"] = "private, no-store" if preview else "public, max-age=300"
    return response
