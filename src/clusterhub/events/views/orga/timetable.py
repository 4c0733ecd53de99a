"""The draft timetable, under /orga/events/<slug>/timetable/: propose one (a background job
with a progress bar), compare it with the current programme, pin sessions, accept it.

Owners and organisers of the host cluster only (`events.change_event`): check-in staff get
403, anybody else 404 (`event_view`)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from clusterhub.events import selectors
from clusterhub.events.forms.timetable import AvailabilityForm, TimetableRuleForm
from clusterhub.events.models import (
    Availability,
    Event,
    TimetableRule,
    TimetableRun,
    TimetableRunStatus,
)
from clusterhub.events.services import timetabling
from clusterhub.events.tasks import timetable_run_task
from clusterhub.events.views.orga.access import CHANGE, event_view

TAB = "timetable"


def _page(
    request: HttpRequest,
    event: Event,
    rule_form: TimetableRuleForm | None = None,
    availability_form: AvailabilityForm | None = None,
    status: int = 200,
) -> HttpResponse:
    run = selectors.timetable_run_latest(event=event)
    rows = selectors.timetable_draft_rows(event=event, run=run)
    result = run.result if run is not None and run.status == TimetableRunStatus.DONE else {}
    conflicts = list(result.get("conflicts") or [])
    items = list(result.get("conflict_items") or [])
    context = {
        "event": event, "tab": TAB, "run": run, "rows": rows,
        "changed": sum(1 for r in rows if r.changed),
        "can_accept": run is not None and run.status == TimetableRunStatus.DONE
        and run.accepted_at is None and bool(run.result.get("placements")),
        "grid": selectors.timetable_grid(event=event, rows=rows),
        "has_draft": bool(result.get("placements")),
        "conflicts": [
            (items[i] if i < len(items) else {}, english) for i, english in enumerate(conflicts)
        ],
        "rules": selectors.timetable_rules(event=event),
        "availabilities": selectors.availabilities(event=event),
        "rule_form": rule_form or TimetableRuleForm(event=event),
        "availability_form": availability_form or AvailabilityForm(event=event),
    }  # fmt: skip
    return render(request, "events/orga/timetable.html", context, status=status)


@event_view(CHANGE)
def timetable(request: HttpRequest, event: Event) -> HttpResponse:
    """The latest run (its progress while it runs), the programme grid now and with the draft
    day by day, every session with its current and proposed place, and the organiser's rules
    and availabilities with a form for each."""
    return _page(request, event)


@event_view(CHANGE)
@require_POST
def timetable_rule_add(request: HttpRequest, event: Event) -> HttpResponse:
    form = TimetableRuleForm(request.POST, event=event)
    if form.is_valid() and form.save(actor=request.user) is not None:
        messages.success(request, _("The rule is added; the next proposal keeps to it."))
        return redirect(reverse("orga:timetable", args=[event.slug]) + "#rules")
    return _page(request, event, rule_form=form, status=400)


@event_view(CHANGE)
@require_POST
def timetable_rule_delete(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    rule = get_object_or_404(TimetableRule, event=event, pk=pk)
    timetabling.timetable_rule_delete(rule=rule, actor=request.user)
    messages.success(request, _("The rule is removed."))
    return redirect(reverse("orga:timetable", args=[event.slug]) + "#rules")


@event_view(CHANGE)
@require_POST
def timetable_availability_add(request: HttpRequest, event: Event) -> HttpResponse:
    form = AvailabilityForm(request.POST, event=event)
    if form.is_valid() and form.save(actor=request.user) is not None:
        messages.success(request, _("The availability is added; the next proposal keeps to it."))
        return redirect(reverse("orga:timetable", args=[event.slug]) + "#availability")
    return _page(request, event, availability_form=form, status=400)


@event_view(CHANGE)
@require_POST
def timetable_availability_delete(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    row = get_object_or_404(Availability, event=event, pk=pk)
    timetabling.availability_delete(availability=row, actor=request.user)
    messages.success(request, _("The availability is removed."))
    return redirect(reverse("orga:timetable", args=[event.slug]) + "#availability")


@event_view(CHANGE)
def timetable_progress(request: HttpRequest, event: Event) -> HttpResponse:
    """The progress bar of the latest run (polled by htmx while it is queued or running); when
    it ends, htmx reloads the page so the draft shows."""
    run = selectors.timetable_run_latest(event=event)
    response = render(request, "events/orga/_timetable_progress.html", {"event": event, "run": run})
    if run is None or run.status in (TimetableRunStatus.DONE, TimetableRunStatus.FAILED):
        response["HX-Refresh"] = "true"
    return response


@event_view(CHANGE)
@require_POST
def timetable_propose(request: HttpRequest, event: Event) -> HttpResponse:
    """Queue a run for the background worker; the page shows its progress."""
    try:
        run = timetabling.timetable_run_create(event=event, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        transaction.on_commit(lambda: timetable_run_task.enqueue(run_id=run.pk))
        messages.success(
            request, _("The timetable is being computed. This page shows its progress.")
        )
    return redirect("orga:timetable", event.slug)


@event_view(CHANGE)
@require_POST
def timetable_pin(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    """Pin the session where it is, or release it (`pinned` = "1" or "0")."""
    session = get_object_or_404(event.sessions, pk=pk)
    pinned = request.POST.get("pinned") == "1"
    timetabling.session_pin_set(session=session, pinned=pinned, actor=request.user)
    if pinned:
        messages.success(request, _("“%(title)s” is pinned.") % {"title": session.title})
    else:
        messages.success(request, _("“%(title)s” is no longer pinned.") % {"title": session.title})
    return redirect("orga:timetable", event.slug)


@event_view(CHANGE)
@require_POST
def timetable_accept(request: HttpRequest, event: Event) -> HttpResponse:
    """Apply the draft named by the posted `run` to the programme."""
    run_id = request.POST.get("run", "")
    run = get_object_or_404(TimetableRun, event=event, pk=run_id) if run_id.isdigit() else None
    if run is None:
        messages.error(request, _("This run has no timetable to accept."))
        return redirect("orga:timetable", event.slug)
    try:
        moved = timetabling.timetable_run_accept(run=run, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            ngettext(
                "Timetable accepted: %(n)d session moved; its speakers are told.",
                "Timetable accepted: %(n)d sessions moved; their speakers are told.",
                len(moved),
            )
            % {"n": len(moved)},
        )
    return redirect("orga:timetable", event.slug)
