"""The personal calendar feed: /calendar/<token>.ics (namespace `calendar`), no login.

The address is the secret: whoever has it sees the person's agenda, so it is unguessable
(`Registration.calendar_token`), revocable from "my registration", and answers 404 once
revoked, for a cancelled registration, or when the event is not public.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from clusterhub.events.ical import programme_calendar
from clusterhub.registration import selectors
from clusterhub.registration.agenda import agenda_items_for
from clusterhub.registration.ical import agenda_vevent


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
    for item in agenda_items_for(registration):
        calendar.add_component(agenda_vevent(event, item, request.build_absolute_uri(item.url)))
    calendar.add_missing_timezones(
        first_date=date(event.start_date.year, 1, 1),
        last_date=date(event.end_date.year + 1, 1, 1),
    )
    # Beside the public programme feed in one calendar app, this one needs its own name.
    calendar.calendar_name = _("%(event)s — my agenda") % {"event": event.name}
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-agenda.ics"'
    # Personal data behind a secret address: no shared caches, no search engines.
    response["Cache-Control"] = "private, max-age=0"
    response["X-Robots-Tag"] = "noindex"
    return response
