"""The organiser's matchmaking pages, under /orga/events/<slug>/matchmaking/ (namespace
`orga_matchmaking`): settings and taxonomy, runs of the matcher as a background job with a
progress bar and the run's figures, and the meeting-request statistics.

Owners and organisers of the host cluster only (`events.change_event`): check-in staff get
403, anybody else 404 (`event_view`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.events.models import Event
from clusterhub.events.views.orga.access import CHANGE, event_view, form_data
from clusterhub.matchmaking import selectors, services
from clusterhub.matchmaking.forms import RunForm, SettingsForm
from clusterhub.matchmaking.models import MatchRun, MatchRunStatus
from clusterhub.matchmaking.tasks import match_run_task

TAB = "matchmaking"
RUNS_SHOWN = 5


def _render(request: HttpRequest, event: Event, template: str, context: dict, status: int = 200):
    return render(request, template, {"event": event, "tab": TAB, **context}, status=status)


@event_view(CHANGE)
def overview(request: HttpRequest, event: Event) -> HttpResponse:
    """Runs (the latest one's figures, a live progress bar while one runs), the button to run
    matchmaking, participation, and the meeting-request statistics."""
    runs = list(selectors.match_runs_of(event=event)[:RUNS_SHOWN])
    context = {
        "runs": runs,
        "active": selectors.match_run_active(event=event),
        "latest": selectors.match_run_latest(event=event),
        "run_form": RunForm(),
        "settings": selectors.matchmaking_settings_for(event=event),
        "participation": selectors.matchmaking_participation(event=event),
        "stats": selectors.meeting_request_statistics(event=event),
    }
    return _render(request, event, "matchmaking/orga/overview.html", context)


@event_view(CHANGE)
def settings(request: HttpRequest, event: Event) -> HttpResponse:
    form = SettingsForm(
        form_data(request), settings=selectors.matchmaking_settings_for(event=event)
    )
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Matchmaking settings saved. They apply from the next run."))
        return redirect("orga_matchmaking:overview", event.slug)
    status = 400 if form.is_bound else 200
    return _render(request, event, "matchmaking/orga/settings.html", {"form": form}, status)


@event_view(CHANGE)
@require_POST
def run_start(request: HttpRequest, event: Event) -> HttpResponse:
    """Queue a run for the background worker; the overview shows its progress."""
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["k"][0])
        return redirect("orga_matchmaking:overview", event.slug)
    try:
        run = services.match_run_create(
            event=event, actor=request.user, k=form.cleaned_data["k"], exclusive=True
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        match_run_task.enqueue(run_id=run.pk)  # the run is committed: the worker can load it
        messages.success(request, _("Matchmaking is running. This page shows its progress."))
    return redirect("orga_matchmaking:overview", event.slug)


@event_view(CHANGE)
def run_progress(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    """The progress bar of one run (polled by htmx while the run is queued or running). When
    the run ends, the answer asks htmx to reload the page so the figures show."""
    run = get_object_or_404(MatchRun, event=event, pk=pk)
    response = _render(request, event, "matchmaking/orga/_progress.html", {"run": run})
    if run.status in (MatchRunStatus.DONE, MatchRunStatus.FAILED):
        response["HX-Refresh"] = "true"
    return response
