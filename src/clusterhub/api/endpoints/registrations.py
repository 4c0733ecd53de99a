"""Organiser reads of an event's registrations.

Anonymous callers get 401. Callers who may not see the event's back office (outsiders, and
tokens limited to another cluster) get 404, as for an unknown event, so the answer reveals
nothing. The host cluster's check-in staff see the event but may not list registrations: 403.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import Query, Router

from clusterhub.api.auth import required_auth, token_allows_cluster
from clusterhub.api.endpoints.events import event_visible_or_404
from clusterhub.api.errors import ApiError
from clusterhub.api.pagination import page_of
from clusterhub.api.schemas import ErrorOut, PageParams, RegistrationFilters, RegistrationPage
from clusterhub.registration import selectors

router = Router(tags=["registrations"], auth=required_auth)


@router.get(
    "/{slug}/registrations/",
    response={200: RegistrationPage, frozenset({401, 403, 404, 422}): ErrorOut},
    url_name="registration_list",
)
def registration_list(
    request, slug: str, filters: Query[RegistrationFilters], page: Query[PageParams]
):
    """The event's registrations by name; read scope suffices."""
    event = event_visible_or_404(request, slug)
    user = request.user
    if not token_allows_cluster(request, event.cluster_id) or not user.has_perm(
        "events.view_event_orga", event
    ):
        raise ApiError(404, "not_found", _("No such event."))
    if not user.has_perm("registration.manage_registrations", event):
        raise ApiError(403, "permission_denied", _("Only the event's organisers may do this."))
    qs = selectors.registrations_for_event(
        event=event,
        query=filters.q,
        status=filters.status.value if filters.status else None,
    )
    return page_of(qs, page)
