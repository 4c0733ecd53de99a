"""Public reads of an event and its programme.

The same visibility rule as the public pages: a draft event answers 404 (as an unknown slug
does) to everyone but its host cluster's team (`events.view_event`), and a token limited to
another cluster does not count as the team.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router

from clusterhub.api.auth import public_auth, token_allows_cluster
from clusterhub.api.errors import ApiError
from clusterhub.api.pagination import page_of
from clusterhub.api.schemas import (
    ErrorOut,
    EventFilters,
    EventOut,
    EventPage,
    OrganisationFilters,
    OrganisationPage,
    PageParams,
    RoomFilters,
    RoomPage,
    SessionFilters,
    SessionPage,
    SpeakerFilters,
    SpeakerPage,
)
from clusterhub.events import selectors
from clusterhub.events.models import Event

router = Router(tags=["events"], auth=public_auth)
ERRORS: dict[int | frozenset[int], type[ErrorOut]] = {frozenset({401, 404, 422}): ErrorOut}


def event_visible_or_404(request: HttpRequest, slug: str) -> Event:
    """The event at `slug` if the caller may see it; ApiError 404 otherwise."""
    try:
        event = selectors.event_for_public(slug=slug)
    except Event.DoesNotExist:
        raise ApiError(404, "not_found", _("No such event.")) from None
    if event.is_published:
        return event
    if token_allows_cluster(request, event.cluster_id) and request.user.has_perm(
        "events.view_event", event
    ):
        return event
    raise ApiError(404, "not_found", _("No such event."))


@router.get("/", response={200: EventPage, **ERRORS}, url_name="event_list")
def event_list(request, filters: Query[EventFilters], page: Query[PageParams]):
    """Published events, soonest first. Drafts are never listed, even to their team."""
    qs = selectors.events_published().order_by("start_date", "name", "id")
    for word in filters.q.split()[:5]:
        qs = qs.filter(
            Q(name__icontains=word) | Q(tagline__icontains=word) | Q(city__icontains=word)
        )
    if filters.from_date is not None:
        qs = qs.filter(end_date__gte=filters.from_date)
    return page_of(qs, page)


@router.get("/{slug}/", response={200: EventOut, **ERRORS}, url_name="event_detail")
def event_detail(request, slug: str):
    return event_visible_or_404(request, slug)


@router.get("/{slug}/sessions/", response={200: SessionPage, **ERRORS}, url_name="session_list")
def session_list(request, slug: str, filters: Query[SessionFilters], page: Query[PageParams]):
    """Top-level sessions in time order, each with its parts (which carry `parent_id`)."""
    event = event_visible_or_404(request, slug)
    if filters.day is not None and filters.day not in event.days:
        raise ApiError(
            422,
            "day_not_in_event",
            _("Choose a day of the event."),
            [{"loc": ["query", "day"], "msg": "not a day of the event", "type": "value_error"}],
        )
    qs = selectors.sessions_for_programme(
        event=event,
        day=filters.day,
        session_type=filters.type.value if filters.type else None,
        theme=filters.theme,
    )
    return page_of(qs, page)


@router.get("/{slug}/rooms/", response={200: RoomPage, **ERRORS}, url_name="room_list")
def room_list(request, slug: str, page: Query[PageParams], filters: Query[RoomFilters]):
    event = event_visible_or_404(request, slug)
    qs = selectors.rooms_for_event(event=event)
    for word in filters.q.split():
        qs = qs.filter(Q(name__icontains=word) | Q(address__icontains=word))
    if filters.offsite is not None:
        qs = qs.filter(is_offsite=filters.offsite)
    return page_of(qs, page)


@router.get("/{slug}/speakers/", response={200: SpeakerPage, **ERRORS}, url_name="speaker_list")
def speaker_list(request, slug: str, page: Query[PageParams], filters: Query[SpeakerFilters]):
    """Everybody with a role on the programme (speaker, moderator, panelist, host)."""
    event = event_visible_or_404(request, slug)
    qs = selectors.speakers_for_event(event=event)
    for word in filters.q.split():
        qs = qs.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word)
            | Q(job_title__icontains=word) | Q(organisation__name__icontains=word)
        )  # fmt: skip
    if filters.role:
        qs = qs.filter(
            session_roles__session__event=event, session_roles__role=filters.role
        ).distinct()
    return page_of(qs, page)


@router.get(
    "/{slug}/organisations/", response={200: OrganisationPage, **ERRORS}, url_name="org_list"
)
def organisation_list(
    request, slug: str, page: Query[PageParams], filters: Query[OrganisationFilters]
):
    """The host, the partners and the organisations of everybody on the programme."""
    event = event_visible_or_404(request, slug)
    qs = selectors.organisations_for_event(event=event)
    for word in filters.q.split():
        qs = qs.filter(name__icontains=word)
    if filters.type:
        qs = qs.filter(type=filters.type)
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    return page_of(qs, page)
