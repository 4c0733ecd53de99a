"""The personal calendar feed: /calendar/<token>.ics (namespace `calendar`), no login.

The address is the secret: whoever has it sees the person's agenda, so it is unguessable
(`Registration.calendar_token`), revocable from "my registration", and answers 404 once
revoked, for a cancelled registration, or when the event is not public.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterhub.events.ical import programme_calendar
from clusterhub.registration import selectors


def agenda(request: HttpRequest, token: str) -> HttpResponse:
    registration = selectors.registration_for_calendar_token(token=token)
    if registration is None:
        raise Http404
    event = registration.event
    calendar = programme_calendar(
        event=event,
        sessions=selectors.sessions_for_agenda_calendar(registration=registration),
        feed_url=request.build_absolute_uri(request.path),
        session_url=lambda s: request.build_absolute_uri(
            reverse("public:session", kwargs={"slug": event.slug, "pk": s.pk})
        ),
    )
    # Beside the public programme feed in one calendar app, this one needs its own name.
    calendar.calendar_name = _("%(event)s — my agenda") % {"event": event.name}
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{event.slug}-agenda.ics"'
    # Personal data behind a secret address: no shared caches, no search engines.
    response["Cache-Control"] = "private, max-age=0"
    response["X-Robots-Tag"] = "noindex"
    return response
