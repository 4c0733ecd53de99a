"""The check-in desk, for check-in staff and organisers.

Three ways in, one endpoint: the camera (static/clusterhub/checkin.js decodes the QR code and
submits the form), a typed or pasted code (also what a USB scanner "types"), or a name search
whose result posts the registration. The place is the door or a session of the event; at a
session that needs sign-up only people with a seat get in.

The scan endpoint answers an htmx request with the result fragment (always 200: htmx swaps
only successful responses), a request that accepts JSON with
`{"status": "checked_in"|"already"|"refused", "message": ..., "code": ...}` (400 when
refused), and a plain form post with the whole desk page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from clusterhub.events.models import Event, Session
from clusterhub.registration import selectors
from clusterhub.registration.forms.orga import DOOR, CheckInForm, CheckInOutcome
from clusterhub.registration.views.orga.access import CHECK_IN, event_view

TEMPLATE = "registration/orga/checkin.html"
SEARCH_MIN_LENGTH = 2
RECENT = 10


def _places(event: Event) -> list[Session]:
    return list(selectors.checkin_places_for_event(event=event))


def _place(places: list[Session], value: str | None) -> Session | None:
    """The session named by `?place=`, None for the door (and for anything unknown)."""
    return next((s for s in places if str(s.pk) == value), None)


def _counters(event: Event, place: Session | None) -> dict:
    return {
        "arrivals": selectors.arrival_counts(event=event),
        "attendance": selectors.session_attendance_counts(session=place) if place else None,
        "recent": list(selectors.recent_checkins(event=event, limit=RECENT)),
    }


def _desk(
    request: HttpRequest,
    event: Event,
    places: list[Session],
    place: Session | None,
    outcome: CheckInOutcome | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        TEMPLATE,
        {
            "event": event,
            "places": places,
            "place": place,
            "place_value": str(place.pk) if place else DOOR,
            "outcome": outcome,
            "tab": "checkin",
            **_counters(event, place),
        },
        status=status,
    )


@event_view(CHECK_IN)
@require_GET
def checkin(request: HttpRequest, event: Event) -> HttpResponse:
    places = _places(event)
    return _desk(request, event, places, _place(places, request.GET.get("place")))


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _posted_place(event: Event, value: str | None) -> list[Session]:
    """The one place a scan names, as a list of places for the form: empty for the door and
    for anything that is not a place of the event (the form then refuses it). A scan must not
    load every session of the event: the desk sends ten a second at the door of a big one."""
    if not value or not value.isdigit():
        return []
    return list(selectors.checkin_places_for_event(event=event).filter(pk=int(value)))


@event_view(CHECK_IN)
@require_POST
def checkin_scan(request: HttpRequest, event: Event) -> HttpResponse:
    places = _posted_place(event, request.POST.get("place"))
    form = CheckInForm(request.POST, event=event, places=places)
    outcome = form.outcome(actor=request.user)
    refused = outcome.status == "refused"
    if _wants_json(request):
        return JsonResponse(outcome.as_json(), status=400 if refused else 200)
    place = _place(places, request.POST.get("place"))
    if request.htmx:
        response = render(
            request,
            TEMPLATE + "#result",
            {"event": event, "outcome": outcome, "place": place},
        )
        response["HX-Trigger"] = "checkin-done"  # the counters refresh at once
        return response
    return _desk(request, event, _places(event), place, outcome, status=400 if refused else 200)


@event_view(CHECK_IN)
@require_GET
def checkin_search(request: HttpRequest, event: Event) -> HttpResponse:
    """Confirmed registrations matching `?q=` (every word: name, email, organisation), each
    with a button that checks the person in at the chosen place (htmx partial)."""
    query = request.GET.get("q", "").strip()
    return render(
        request,
        TEMPLATE + "#search-results",
        {
            "event": event,
            "results": selectors.registration_search_for_checkin(event=event, query=query),
            "too_short": len(query) < SEARCH_MIN_LENGTH,
            "place_value": request.GET.get("place", DOOR),
        },
    )


@event_view(CHECK_IN)
@require_GET
def checkin_counters(request: HttpRequest, event: Event) -> HttpResponse:
    """Arrivals and the last check-ins; the desk polls it every five seconds."""
    place = _place(_places(event), request.GET.get("place"))
    return render(
        request,
        TEMPLATE + "#counters",
        {"event": event, "place": place, "place_value": str(place.pk) if place else DOOR,
         **_counters(event, place)},
    )  # fmt: skip
