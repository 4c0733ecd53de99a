"""The organiser's meeting pages, under /orga/events/<slug>/matchmaking/meetings/ (namespace
`orga_matchmaking`): the networking set-up, scheduling runs with progress and the quality
figure, the draft grid (slots × tables, conflicts marked), moving, locking and cancelling
meetings, publishing, and the printable table plan and schedules.

Owners and organisers of the host cluster only (`events.change_event`): check-in staff get
403, anybody else 404."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from clusterhub.events.models import Event, Session, SessionType
from clusterhub.events.views.orga.access import CHANGE, event_view, form_data
from clusterhub.matchmaking import printing, selectors, services
from clusterhub.matchmaking.forms import MeetingMoveForm, NetworkingSetupForm, ScheduleRunForm
from clusterhub.matchmaking.models import Meeting, ScheduleRun, ScheduleRunStatus
from clusterhub.matchmaking.tasks import schedule_run_task

TAB = "meetings"


def _render(request: HttpRequest, event: Event, template: str, context: dict, status: int = 200):
    with timezone.override(event.tzinfo):
        return render(request, template, {"event": event, "tab": TAB, **context}, status=status)


def _grid(event: Event) -> list[dict]:
    """Per networking session: its slots, each with its meetings by table, and the number of
    table columns the grid shows (the highest table in use, at least one)."""
    meetings = list(selectors.meetings_for_event(event=event))
    conflicts = selectors.meeting_conflicts(event=event, meetings=meetings)
    by_slot: dict[tuple[int, object], dict[int, Meeting]] = defaultdict(dict)
    for meeting in meetings:
        meeting.conflict = conflicts.get(meeting.pk)
        by_slot[(meeting.session_id, meeting.start)][meeting.table] = meeting
    sessions = []
    for session, setup in selectors.networking_setups_for_event(event=event):
        slots = selectors.slots_of(session, setup) if setup else []
        used = max((t for s in slots for t in by_slot[(session.pk, s.start)]), default=0)
        columns = list(range(1, max(used, 1) + 1))
        rows = [
            {"slot": s, "cells": [by_slot[(session.pk, s.start)].get(t) for t in columns]}
            for s in slots
        ]
        count = sum(len(by_slot[(session.pk, s.start)]) for s in slots)
        sessions.append(
            {"session": session, "setup": setup, "columns": columns, "rows": rows, "count": count}
        )
    return sessions


@event_view(CHANGE)
def meetings(request: HttpRequest, event: Event) -> HttpResponse:
    settings = selectors.matchmaking_settings_for(event=event)
    latest = selectors.schedule_run_latest(event=event)
    why_not = []
    if latest and latest.figures.get("why_not_pairs"):
        pairs = latest.figures["why_not_pairs"]
        names = selectors.registration_names(
            event=event, ids={x for pair in pairs for x in (pair["a"], pair["b"])}
        )
        why_not = [
            {**pair, "a_name": names.get(pair["a"], "?"), "b_name": names.get(pair["b"], "?")}
            for pair in pairs
        ]
    context = {
        "grid": _grid(event),
        "active": selectors.schedule_run_active(event=event),
        "latest": latest,
        "why_not": why_not,
        "run_form": ScheduleRunForm(initial={"propose": settings.propose_top_k}),
        "settings": settings,
        "drafts": selectors.meetings_for_event(event=event).filter(status="draft").count(),
    }
    return _render(request, event, "matchmaking/orga/meetings.html", context)


@event_view(CHANGE)
def networking_setup(request: HttpRequest, event: Event, session_pk: int) -> HttpResponse:
    session = get_object_or_404(Session, event=event, pk=session_pk, type=SessionType.NETWORKING)
    form = NetworkingSetupForm(
        form_data(request), session=session, setup=getattr(session, "networking_setup", None)
    )
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Set-up of “%(title)s” saved.") % {"title": session.title})
        return redirect("orga_matchmaking:meetings", event.slug)
    status = 400 if form.is_bound else 200
    return _render(
        request, event, "matchmaking/orga/setup.html", {"form": form, "session": session}, status
    )


@event_view(CHANGE)
@require_POST
def schedule_start(request: HttpRequest, event: Event) -> HttpResponse:
    form = ScheduleRunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Propose from 0 to 20 recommendations."))
        return redirect("orga_matchmaking:meetings", event.slug)
    try:
        run = services.schedule_run_create(
            event=event, actor=request.user, propose=form.cleaned_data["propose"],
            move_published=form.cleaned_data["move_published"], exclusive=True,
        )  # fmt: skip
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        schedule_run_task.enqueue(run_id=run.pk)  # committed: the worker can load it
        messages.success(request, _("Scheduling is running. This page shows its progress."))
    return redirect("orga_matchmaking:meetings", event.slug)


@event_view(CHANGE)
def schedule_progress(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    run = get_object_or_404(ScheduleRun, event=event, pk=pk)
    response = _render(
        request, event, "matchmaking/orga/_progress.html",
        {"run": run, "progress_url_name": "orga_matchmaking:schedule_progress"},
    )  # fmt: skip
    if run.status in (ScheduleRunStatus.DONE, ScheduleRunStatus.FAILED):
        response["HX-Refresh"] = "true"
    return response


@event_view(CHANGE)
def meeting_detail(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    meeting = get_object_or_404(
        Meeting.objects.select_related("event", "session", "a__person", "b__person"),
        event=event, pk=pk,
    )  # fmt: skip
    with timezone.override(event.tzinfo):
        form = MeetingMoveForm(form_data(request), meeting=meeting)
        if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
            messages.success(request, _("Meeting moved and locked in its new place."))
            return redirect("orga_matchmaking:meetings", event.slug)
    status = 400 if form.is_bound else 200
    conflicts = selectors.meeting_conflicts(event=event, meetings=[meeting])
    return _render(
        request, event, "matchmaking/orga/meeting.html",
        {"meeting": meeting, "form": form, "conflict": conflicts.get(meeting.pk)}, status,
    )  # fmt: skip


def _meeting_or_404(event: Event, pk: int) -> Meeting:
    return get_object_or_404(Meeting, event=event, pk=pk)


@event_view(CHANGE)
@require_POST
def meeting_lock(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    locked = request.POST.get("locked") == "1"
    services.meeting_lock(meeting=_meeting_or_404(event, pk), locked=locked, actor=request.user)
    messages.success(request, _("Meeting locked.") if locked else _("Meeting unlocked."))
    return redirect("orga_matchmaking:meeting", event.slug, pk)


@event_view(CHANGE)
@require_POST
def meeting_cancel(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    try:
        services.meeting_cancel(meeting=_meeting_or_404(event, pk), actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Meeting cancelled."))
    return redirect("orga_matchmaking:meetings", event.slug)


@event_view(CHANGE)
@require_POST
def meetings_publish(request: HttpRequest, event: Event) -> HttpResponse:
    count = services.meetings_publish(event=event, actor=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(n)d meeting published; both people are emailed.",
                "%(n)d meetings published; each person is emailed their meetings.",
                count,
            )
            % {"n": count},
        )
    else:
        messages.info(request, _("There are no draft meetings to publish."))
    return redirect("orga_matchmaking:meetings", event.slug)


@event_view(CHANGE)
def table_plan_pdf(request: HttpRequest, event: Event) -> HttpResponse:
    """Every slot's tables with who sits there: to print and pin up at the venue."""
    return printing.pdf_response(
        printing.table_plan_html(event), f"{event.slug}-table-plan.pdf", request=request
    )


@event_view(CHANGE)
def schedules_pdf(request: HttpRequest, event: Event) -> HttpResponse:
    """One page per person with their meetings: to print for the welcome desk."""
    return printing.pdf_response(
        printing.schedules_html(event), f"{event.slug}-meeting-schedules.pdf", request=request
    )
