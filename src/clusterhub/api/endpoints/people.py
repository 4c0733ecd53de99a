"""Reads of an event's participants: the organisers' list of sign-ups, and a participant's own
matchmaking (recommendations, published meetings, the shared profiles they may browse).

Organiser endpoints answer as registrations.py does: anonymous 401; outsiders and tokens
limited to another cluster 404 (as an unknown event); the host cluster's check-in staff 403.

A participant's endpoints (`/me/...`, `/profiles/`) act only as the caller's own confirmed
registration at the event; without one (or with a token limited to another cluster) they
answer 404, as the portal pages do. Recommendations are listed only while the participant
shares a profile and matchmaking is open (else the list is empty, as on the portal's home);
the profiles only to a participant who shares theirs while matchmaking is open (else 404, as
the portal's "people" page), and only the profiles of people who share theirs.
"""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router

from clusterhub.api.auth import required_auth, token_allows_cluster
from clusterhub.api.endpoints import writes
from clusterhub.api.endpoints.events import event_visible_or_404
from clusterhub.api.errors import ApiError
from clusterhub.api.pagination import page_of
from clusterhub.api.schemas import ErrorOut, PageParams
from clusterhub.api.schemas_more import (
    MyMeetingFilters,
    MyMeetingPage,
    ProfileFilters,
    ProfilePage,
    RecommendationFilters,
    RecommendationPage,
    SignUpFilters,
    SignUpPage,
)
from clusterhub.events.models import Event
from clusterhub.matchmaking import selectors as mm_selectors
from clusterhub.registration import selectors as reg_selectors
from clusterhub.registration.models import Registration, RegistrationStatus, SignUp

router = Router(tags=["participants"], auth=required_auth)
# A path that the write endpoints also serve must live on their router: ninja merges the
# methods of one path only within a router (otherwise the first router's path answers 405).
shared_router = writes.router
ORGA_ERRORS: dict[int | frozenset[int], type[ErrorOut]] = {
    frozenset({401, 403, 404, 422}): ErrorOut
}
OWN_ERRORS: dict[int | frozenset[int], type[ErrorOut]] = {frozenset({401, 404, 422}): ErrorOut}
OWN = "registration.change_own_registration"


def organiser_event_or_404(request: HttpRequest, slug: str, perm: str) -> Event:
    """The event at `slug` if the caller organises it (`perm`): 404 to outsiders and to tokens
    limited to another cluster, 403 to the rest of the team (check-in staff)."""
    event = event_visible_or_404(request, slug)
    user = request.user
    if not token_allows_cluster(request, event.cluster_id) or not user.has_perm(
        "events.view_event_orga", event
    ):
        raise ApiError(404, "not_found", _("No such event."))
    if not user.has_perm(perm, event):
        raise ApiError(403, "permission_denied", _("Only the event's organisers may do this."))
    return event


def own_registration_or_404(request: HttpRequest, slug: str) -> tuple[Event, Registration]:
    """The event at `slug` and the caller's own confirmed registration for it; 404 without."""
    event = event_visible_or_404(request, slug)
    registration = None
    if token_allows_cluster(request, event.cluster_id):
        registration = reg_selectors.registration_for_user(event=event, user=request.user)
    if (
        registration is None
        or registration.status != RegistrationStatus.CONFIRMED
        or not request.user.has_perm(OWN, registration)
    ):
        raise ApiError(404, "not_found", _("You have no confirmed registration for this event."))
    registration.event = event  # the same row, already loaded
    return event, registration


def page_of_list(rows: list, page: PageParams) -> dict[str, Any]:
    """`page_of` for a list already in memory."""
    return {
        "count": len(rows),
        "limit": page.limit,
        "offset": page.offset,
        "items": rows[page.offset : page.offset + page.limit],
    }


def _sharing_with_matchmaking_open(event: Event, registration: Registration) -> bool:
    return (
        registration.consent_matchmaking_at is not None
        and mm_selectors.matchmaking_settings_for(event=event).is_open
    )


@shared_router.get(
    "/{slug}/signups/",
    response={200: SignUpPage, **ORGA_ERRORS},
    url_name="signup_list",
    tags=["participants"],
)
def signup_list(request, slug: str, filters: Query[SignUpFilters], page: Query[PageParams]):
    """Sign-ups for the event's sessions, by session time, then seats before the waitlist, each
    in order of arrival."""
    event = organiser_event_or_404(request, slug, "registration.manage_registrations")
    qs = SignUp.objects.filter(session__event=event).select_related(
        "session", "registration__person__organisation"
    )
    if filters.session is not None:
        qs = qs.filter(session_id=filters.session)
    if filters.status is not None:
        qs = qs.filter(status=filters.status.value)
    qs = qs.order_by("session__start", "session_id", "status", "created_at", "id")
    return page_of(qs, page)


@router.get(
    "/{slug}/me/recommendations/",
    response={200: RecommendationPage, **OWN_ERRORS},
    url_name="my_recommendation_list",
)
def my_recommendation_list(
    request, slug: str, filters: Query[RecommendationFilters], page: Query[PageParams]
):
    """The caller's recommendations from the latest matchmaking run, best first, with reasons;
    people who withdrew their consent or registration, or marked "no thanks", are left out."""
    event, registration = own_registration_or_404(request, slug)
    if not _sharing_with_matchmaking_open(event, registration):
        return page_of_list([], page)
    qs = mm_selectors.recommendations_for_registration(registration=registration)
    if filters.min_score is not None:
        qs = qs.filter(score__gte=filters.min_score)
    return page_of(qs, page)


@router.get(
    "/{slug}/me/meetings/", response={200: MyMeetingPage, **OWN_ERRORS}, url_name="my_meeting_list"
)
def my_meeting_list(request, slug: str, filters: Query[MyMeetingFilters], page: Query[PageParams]):
    """The caller's published 1:1 meetings in time order, each with the other person."""
    event, registration = own_registration_or_404(request, slug)
    qs = mm_selectors.meetings_for_registration(registration=registration)
    if filters.day is not None:
        start = event.local_datetime(filters.day, time.min)
        qs = qs.filter(start__gte=start, start__lt=start + timedelta(days=1))
    body = page_of(qs, page)
    for meeting in body["items"]:
        meeting.other = meeting.b if meeting.a_id == registration.pk else meeting.a
    return body


@router.get("/{slug}/profiles/", response={200: ProfilePage, **OWN_ERRORS}, url_name="profile_list")
def profile_list(request, slug: str, filters: Query[ProfileFilters], page: Query[PageParams]):
    """The profiles shared at the event that the caller may browse, by name: only for a
    participant who shares their own while matchmaking is open; never the caller's own, never
    those who do not share theirs or who said "no thanks" to the caller."""
    event, registration = own_registration_or_404(request, slug)
    if not _sharing_with_matchmaking_open(event, registration):
        raise ApiError(
            404, "not_found", _("Share your matchmaking profile to see the other participants.")
        )
    ids = mm_selectors.profiles_browse(
        event=event, viewer=registration, query=filters.q, org_type=filters.org_type,
        country=filters.country, objective=filters.objective, tag=filters.tag,
    )  # fmt: skip
    body = page_of_list(ids, page)
    body["items"] = mm_selectors.profiles_by_registration(event=event, ids=body["items"])
    return body
