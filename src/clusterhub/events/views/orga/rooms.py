"""Rooms of an event: the list, adding, changing and deleting them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterhub.events import selectors, services
from clusterhub.events.forms import RoomForm
from clusterhub.events.models import Event
from clusterhub.events.views.orga.access import event_view, form_data


@event_view()
def rooms(request: HttpRequest, event: Event) -> HttpResponse:
    """One query for the rooms with their session counts, whatever their number."""
    room_list = selectors.rooms_for_orga(event=event)
    return render(
        request,
        "events/orga/rooms.html",
        {
            "event": event,
            "rooms": room_list,
            "tab": "rooms",
        },
    )


@event_view()
def room_create(request: HttpRequest, event: Event) -> HttpResponse:
    form = RoomForm(form_data(request), event=event)
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Room saved."))
        return redirect("orga:rooms", event.slug)
    return render(
        request,
        "events/orga/room_form.html",
        {
            "event": event,
            "form": form,
            "tab": "rooms",
        },
    )


@event_view()
def room_edit(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    room = get_object_or_404(selectors.rooms_for_event(event=event), pk=pk)
    form = RoomForm(form_data(request), event=event, instance=room)
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Room saved."))
        return redirect("orga:rooms", event.slug)
    return render(
        request,
        "events/orga/room_form.html",
        {
            "event": event,
            "form": form,
            "room": room,
            "tab": "rooms",
        },
    )


@event_view()
def room_delete(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    """GET asks for confirmation, POST deletes; the room's sessions stay without a room."""
    room = get_object_or_404(selectors.rooms_for_orga(event=event), pk=pk)
    if request.method == "POST":
        services.room_delete(room=room, actor=request.user)
        messages.success(request, _("Room “%(name)s” deleted.") % {"name": room.name})
        return redirect("orga:rooms", event.slug)
    return render(
        request,
        "events/orga/confirm_delete.html",
        {
            "event": event,
            "object": room,
            "tab": "rooms",
            "cancel_url": reverse("orga:rooms", args=[event.slug]),
            "consequence": ngettext(
                "%(count)d session in this room stays on the programme without a room.",
                "%(count)d sessions in this room stay on the programme without a room.",
                room.session_count,
            )
            % {"count": room.session_count},
        },
    )
