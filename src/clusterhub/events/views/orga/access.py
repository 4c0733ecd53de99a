"""Who may open a back-office page of an event, decided once per request."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from clusterhub.events.models import Event
from clusterhub.events.selectors import events_for_organiser

CHANGE = "events.change_event"  # owners and organisers of the host cluster
VIEW = "events.view_event_orga"  # the whole team, check-in staff included

EventView = Callable[..., HttpResponse]


def event_view(perm: str = CHANGE) -> Callable[[EventView], Callable[..., HttpResponse]]:
    """Load the event named by the `slug` URL argument and check `perm` on it, then call the
    view with `(request, event, **kwargs)`.

    - Anonymous users are sent to the login page.
    - A user outside the host cluster's team gets 404 on every address and method: the
      event is looked up among the user's own events, so the answer does not tell whether
      it exists, and nothing runs.
    - Check-in staff are on the team and may open the overview (`events.view_event_orga`);
      pages that need `events.change_event` answer them 403, not 404, because they already
      know the event and a plain "not allowed" explains more than "not found".

    Put it above `require_POST` so outsiders get 404 before a 405 could tell them anything.
    """

    def decorator(view: EventView) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, **kwargs: object) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            event: Event = get_object_or_404(events_for_organiser(user=request.user), slug=slug)
            if not request.user.has_perm(perm, event):
                raise PermissionDenied
            return view(request, event, **kwargs)

        return wrapper

    return decorator


def form_data(request: HttpRequest):
    """The posted data for a bound form, None for an unbound one (an empty POST still binds)."""
    return request.POST if request.method == "POST" else None
