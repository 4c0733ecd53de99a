"""The organiser's events: the dashboard, creating and editing an event, publishing it."""

from __future__ import annotations

import zoneinfo
from functools import cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.directory.selectors import clusters_for_user
from clusterhub.events import selectors, services
from clusterhub.events.forms import ORGANISER_ROLES, EventForm
from clusterhub.events.models import Event
from clusterhub.events.selectors import events_for_organiser
from clusterhub.events.views.orga.access import VIEW, event_view, form_data


@cache
def _timezones() -> list[str]:
    return sorted(zoneinfo.available_timezones())


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The events of every cluster whose team the user is on; two queries whatever their number."""
    events = events_for_organiser(user=request.user)
    organiser_clusters = list(clusters_for_user(user=request.user, roles=ORGANISER_ROLES))
    return render(
        request,
        "events/orga/dashboard.html",
        {
            "events": events.order_by("-start_date", "name", "id"),
            "organiser_cluster_ids": {cluster.pk for cluster in organiser_clusters},
            "can_create": bool(organiser_clusters),
        },
    )


@login_required
def event_create(request: HttpRequest) -> HttpResponse:
    """A new draft event in one of the clusters where the user is owner or organiser (403 for
    a user with none; a cluster of somebody else is not a valid choice)."""
    form = EventForm(form_data(request), user=request.user)
    if not form.fields["cluster"].queryset.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        event = form.save(actor=request.user)
        if event is not None:
            messages.success(
                request, _("Event created. Only your team sees it until you publish it.")
            )
            return redirect("orga:event", event.slug)
    context = {"form": form, "timezones": _timezones()}
    return render(request, "events/orga/event_form.html", context)


@event_view(VIEW)
def event_overview(request: HttpRequest, event: Event) -> HttpResponse:
    counts = selectors.event_counts(event=event)
    return render(
        request,
        "events/orga/event.html",
        {
            "event": event,
            "counts": counts,
            "room_count": counts["rooms"],
            "partners": selectors.partners_for_event(event=event),
            "tab": "overview",
        },
    )


@event_view()
def event_edit(request: HttpRequest, event: Event) -> HttpResponse:
    form = EventForm(form_data(request), user=request.user, instance=event)
    if request.method == "POST" and form.is_valid():
        saved = form.save(actor=request.user)
        if saved is not None:
            messages.success(request, _("Event saved."))
            return redirect("orga:event", saved.slug)
    return render(
        request,
        "events/orga/event_edit.html",
        {
            "event": event,
            "form": form,
            "timezones": _timezones(),
            "tab": "edit",
        },
    )


@event_view()
@require_POST
def event_publish(request: HttpRequest, event: Event) -> HttpResponse:
    services.event_publish(event=event, actor=request.user)
    messages.success(request, _("Event published: its programme is public now."))
    return redirect("orga:event", event.slug)


@event_view()
@require_POST
def event_unpublish(request: HttpRequest, event: Event) -> HttpResponse:
    services.event_unpublish(event=event, actor=request.user)
    messages.success(request, _("Event unpublished: only your team can see it."))
    return redirect("orga:event", event.slug)
