"""The organiser's report pages, under /orga/events/<slug>/report/ (namespace `orga_report`):
the editor (texts and key messages per session), a preview, publishing and the PDF. Owners and
organisers of the host cluster only: check-in staff 403, anybody else 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.events.models import Event
from clusterhub.events.views.orga.access import CHANGE, event_view, form_data
from clusterhub.reports import rendering, selectors, services
from clusterhub.reports.forms import ReportForm
from clusterhub.reports.views.public import pdf_response

TAB = "report"


def _public_url(event: Event) -> str | None:
    """The public report's address, None while the site does not mount the public pages."""
    try:
        return reverse("report:page", args=[event.slug])
    except NoReverseMatch:
        return None


def _render(request: HttpRequest, event: Event, template: str, context: dict, status=200):
    context = {"event": event, "tab": TAB, "public_url": _public_url(event), **context}
    with timezone.override(event.tzinfo):
        return render(request, template, context, status=status)


@event_view(CHANGE)
def edit(request: HttpRequest, event: Event) -> HttpResponse:
    report = selectors.report_for_event(event=event)
    form = ReportForm(
        form_data(request), event=event, report=report,
        sessions=list(selectors.sessions_for_report(event=event)),
        highlights=selectors.highlights_for_report(report=report),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Report saved."))
        return redirect("orga_report:edit", event.slug)
    context = {"form": form, "report": report, "page": "edit"}
    return _render(request, event, "reports/orga/edit.html", context, 400 if form.is_bound else 200)


@event_view(CHANGE)
def preview(request: HttpRequest, event: Event) -> HttpResponse:
    report = selectors.report_for_event(event=event)
    public = report.is_published and event.is_published
    with timezone.override(event.tzinfo):
        context = rendering.report_context(event=event, report=report, preview=not public)
    return _render(
        request,
        event,
        "reports/orga/preview.html",
        {**context, "report": report, "page": "preview"},
    )


@event_view(CHANGE)
@require_POST
def publish(request: HttpRequest, event: Event) -> HttpResponse:
    wanted = request.POST.get("publish") == "1"
    try:
        services.report_publish(event=event, publish=wanted, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("The report is public.") if wanted else _("The report is a draft again.")
        )
    return redirect("orga_report:edit", event.slug)


@event_view(CHANGE)
def pdf(request: HttpRequest, event: Event) -> HttpResponse:
    report = selectors.report_for_event(event=event)
    public = report.is_published and event.is_published
    return pdf_response(request, event, report, preview=not public)
