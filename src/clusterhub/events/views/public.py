"""The public pages of an event (no login): programme, sessions, speakers, organisations and
the iCal feed.

A draft event and every page under it answer 404 to anyone who may not see it (only the host
cluster's team may, through the `events.view_event` permission), so a draft's address reveals
nothing. The team sees the draft with a banner. Pages render inside the event's time zone so
every time reads as local time at the event.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clusterhub.directory.models import OrganisationType
from clusterhub.events import selectors
from clusterhub.events.ical import programme_calendar
from clusterhub.events.models import Event, Session, SessionRole, SessionRoleType, SessionType


def _event_or_404(request: HttpRequest, slug: str) -> Event:
    try:
        event = selectors.event_for_public(slug=slug)
    except Event.DoesNotExist:
        raise Http404 from None
    if not request.user.has_perm("events.view_event", event):
        raise Http404  # the same answer as an unknown slug: a draft's address stays secret
    return event


def _urls(event: Event) -> dict[str, str]:
    # Links repeated on every programme entry are reversed once here: a 300-session programme
    # would otherwise spend a third of its time in {% url %}.
    return {
        "programme": reverse("public:programme", args=[event.slug]),
        "speakers": reverse("public:speakers", args=[event.slug]),
        "sessions": reverse("public:session", args=[event.slug, 0]).removesuffix("0/"),
    }


def _render(
    request: HttpRequest, event: Event, template: str, context: dict, status: int = 200
) -> HttpResponse:
    # render() renders now (not lazily like TemplateResponse), so the override holds.
    with timezone.override(event.tzinfo):
        return render(
            request, template, {"event": event, "urls": _urls(event), **context}, status=status
        )


def _render_text(event: Event, template: str, context: dict) -> str:
    """A fragment that is the same for every reader (no request: no user, no CSRF token)."""
    with timezone.override(event.tzinfo):
        return render_to_string(template, {"event": event, "urls": _urls(event), **context})


# --- view models -----------------------------------------------------------------------------


@dataclass
class ProgrammeItem:
    """A session as the programme shows it: its people grouped by role, its parts beneath."""

    session: Session
    people_by_role: list[tuple[str, list[SessionRole]]]
    parts: list[ProgrammeItem] = field(default_factory=list)

    @classmethod
    def of(cls, session: Session, *, with_parts: bool = True) -> ProgrammeItem:
        parts = [cls.of(p, with_parts=False) for p in session.parts.all()] if with_parts else []
        return cls(session=session, people_by_role=_people_by_role(session), parts=parts)


ROLE_PLURALS = {
    SessionRoleType.SPEAKER: _("Speakers"),
    SessionRoleType.MODERATOR: _("Moderators"),
    SessionRoleType.PANELIST: _("Panelists"),
    SessionRoleType.HOST: _("Hosts"),
}


def _people_by_role(session: Session) -> list[tuple[str, list[SessionRole]]]:
    """The session's people as (label, roles) in the order speaker, moderator, panelist, host."""
    grouped: dict[str, list[SessionRole]] = {}
    for role in session.roles.all():
        grouped.setdefault(role.role, []).append(role)
    return [
        (label if len(grouped[value]) == 1 else ROLE_PLURALS[value], grouped[value])
        for value, label in SessionRoleType.choices
        if value in grouped
    ]


def _by_day(items: list[ProgrammeItem], event: Event) -> list[tuple[date, list[ProgrammeItem]]]:
    tz = event.tzinfo
    return [
        (day, list(group))
        for day, group in groupby(items, key=lambda i: i.session.start.astimezone(tz).date())
    ]


# --- programme filters -----------------------------------------------------------------------


class ProgrammeFilterForm(forms.Form):
    """GET filters of the programme. Unknown values are errors shown on the page (and a 400),
    and the programme is shown without the filters that failed."""

    day = forms.DateField(
        label=_("Day"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.Select,
        error_messages={"invalid": _("Give the day as YYYY-MM-DD, e.g. 2025-12-03.")},
    )
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *SessionType.choices],
        error_messages={"invalid_choice": _("Unknown session type “%(value)s”.")},
    )
    theme = forms.ChoiceField(
        label=_("Theme"),
        required=False,
        error_messages={"invalid_choice": _("Unknown theme “%(value)s”.")},
    )

    def __init__(self, data, *, event: Event, themes) -> None:
        super().__init__(data)
        self.event = event
        self.fields["day"].widget.choices = [
            ("", _("All days")),
            *((d.isoformat(), date_format(d, "l j F")) for d in event.days),
        ]
        self.fields["theme"].choices = [("", _("All themes")), *((t.slug, t.name) for t in themes)]

    def clean_day(self) -> date | None:
        day = self.cleaned_data["day"]
        if day is not None and day not in self.event.days:
            raise ValidationError(
                _("%(day)s is not a day of this event."),
                code="day_outside_event",
                params={"day": day.isoformat()},
            )
        return day


# --- pages -----------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """Published events, split into upcoming and past by the date at each event's venue."""
    now = timezone.now()
    context = {
        "upcoming": selectors.events_upcoming(now=now),
        "past": selectors.events_past(now=now),
    }
    return render(request, "events/public/home.html", context)


def event_home(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    context = {
        "section": "event",
        "partners": selectors.partners_for_event(event=event),
        "glance": selectors.programme_at_a_glance(event=event),
        "themes": selectors.themes_for_event(event=event),
    }
    return _render(request, event, "events/public/event.html", context)


PROGRAMME_CACHE_SECONDS = 24 * 3600  # a new version gets a new key; old ones just expire


def programme(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    themes = list(selectors.themes_for_event(event=event))
    form = ProgrammeFilterForm(request.GET, event=event, themes=themes)
    valid = form.is_valid()  # fills cleaned_data with the fields that passed
    filters = {
        "day": form.cleaned_data.get("day"),
        "session_type": form.cleaned_data.get("type") or None,
        "theme": form.cleaned_data.get("theme") or None,
    }
    filtered = any(form.cleaned_data.get(name) for name in form.fields)
    # The listing is the same for every reader of a language: rendered once per version of
    # the programme (selectors.programme_version) and filter, then served from the cache.
    version = selectors.programme_version(event=event)
    key = (
        "programme:"
        + hashlib.sha256(
            f"{version}|{get_language()}|{sorted(filters.items(), key=str)}".encode()
        ).hexdigest()
    )
    listing = cache.get(key)
    if listing is None:
        sessions = selectors.sessions_for_programme(event=event, **filters)
        days = _by_day([ProgrammeItem.of(s) for s in sessions], event)
        listing = _render_text(
            event, "events/public/_programme_days.html", {"days": days, "filtered": filtered}
        )
        cache.set(key, listing, PROGRAMME_CACHE_SECONDS)
    context = {
        "section": "programme", "form": form, "filtered": filtered,
        "listing": mark_safe(listing),  # noqa: S308 - our own template's output
    }  # fmt: skip
    return _render(
        request, event, "events/public/programme.html", context, status=200 if valid else 400
    )


def session_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    event = _event_or_404(request, slug)
    try:
        session = selectors.session_detail(event=event, pk=pk)
    except Session.DoesNotExist:
        raise Http404 from None
    context = {"section": "programme", "item": ProgrammeItem.of(session)}
    return _render(request, event, "events/public/session.html", context)


def speakers(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    people = list(selectors.speakers_for_event(event=event))
    for person in people:
        person.event_roles.sort(key=lambda r: (r.session.start, r.session.part_order or 0))
    context = {"section": "speakers", "people": people}
    return _render(request, event, "events/public/speakers.html", context)


def organisations(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    partner_ids = set(selectors.partners_for_event(event=event).values_list("pk", flat=True))
    grouped: dict[str, list] = {}
    for organisation in selectors.organisations_for_event(event=event):
        organisation.is_host = organisation.pk == event.cluster.organisation_id
        organisation.is_partner = organisation.pk in partner_ids
        grouped.setdefault(organisation.type, []).append(organisation)
    groups = [
        (label, grouped[value]) for value, label in OrganisationType.choices if value in grouped
    ]
    context = {"section": "organisations", "groups": groups}
    return _render(request, event, "events/public/organisations.html", context)


def programme_ical(request: HttpRequest, slug: str) -> HttpResponse:
    event = _event_or_404(request, slug)
    calendar = programme_calendar(
        event=event,
        sessions=selectors.sessions_for_calendar(event=event),
        feed_url=request.build_absolute_uri(request.path),
        session_url=lambda s: request.build_absolute_uri(
            reverse("public:session", kwargs={"slug": event.slug, "pk": s.pk})
        ),
    )
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response
