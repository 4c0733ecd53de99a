"""Organiser reads of an event's matchmaking and its outcomes: meeting requests, meetings,
meeting feedback, partnerships and the KPI figures.

The same rules as the organiser pages (`events.change_event`) and as registrations.py:
anonymous 401; outsiders and tokens limited to another cluster 404; the host cluster's
check-in staff 403. Private texts stay out: no request messages or answers, no feedback
comments.
"""

from __future__ import annotations

from ninja import Query, Router

from clusterhub.algorithms.kpi import as_rows
from clusterhub.api.auth import required_auth
from clusterhub.api.endpoints.people import (
    ORGA_ERRORS,
    organiser_event_or_404,
    page_of_list,
    shared_router,
)
from clusterhub.api.pagination import page_of
from clusterhub.api.schemas import PageParams
from clusterhub.api.schemas_more import (
    KpiFilters,
    KpiPage,
    MeetingFilters,
    MeetingOutcomeFilters,
    MeetingOutcomePage,
    MeetingPage,
    MeetingRequestFilters,
    MeetingRequestPage,
    PartnershipFilters,
    PartnershipPage,
)
from clusterhub.followup import selectors as followup_selectors
from clusterhub.followup.kpis import event_kpis_for
from clusterhub.followup.models import MeetingFeedback
from clusterhub.matchmaking import selectors as mm_selectors
from clusterhub.matchmaking.models import MeetingRequest, MeetingStatus

router = Router(tags=["outcomes"], auth=required_auth)
CHANGE = "events.change_event"
# What the organisers see of meeting feedback: never the comment.
FEEDBACK_FIELDS = ("id", "meeting_id", "registration_id", "attendance", "rating", "outcome")


@shared_router.get(
    "/{slug}/meeting-requests/",
    response={200: MeetingRequestPage, **ORGA_ERRORS},
    url_name="meeting_request_list",
    tags=["outcomes"],
)
def meeting_request_list(
    request, slug: str, filters: Query[MeetingRequestFilters], page: Query[PageParams]
):
    """The event's meeting requests, newest first (without their messages)."""
    event = organiser_event_or_404(request, slug, CHANGE)
    qs = MeetingRequest.objects.filter(event=event).select_related(
        "sender__person__organisation", "recipient__person__organisation"
    )
    if filters.status is not None:
        qs = qs.filter(status=filters.status.value)
    return page_of(qs.order_by("-created_at", "-pk"), page)


@router.get(
    "/{slug}/meetings/", response={200: MeetingPage, **ORGA_ERRORS}, url_name="meeting_list"
)
def meeting_list(request, slug: str, filters: Query[MeetingFilters], page: Query[PageParams]):
    """The event's 1:1 meetings (drafts and published; cancelled ones when filtered for) in
    time and table order."""
    event = organiser_event_or_404(request, slug, CHANGE)
    cancelled = filters.status == MeetingStatus.CANCELLED
    qs = mm_selectors.meetings_for_event(event=event, include_cancelled=cancelled)
    if filters.status is not None:
        qs = qs.filter(status=filters.status.value)
    return page_of(qs, page)


@router.get(
    "/{slug}/meeting-outcomes/",
    response={200: MeetingOutcomePage, **ORGA_ERRORS},
    url_name="meeting_outcome_list",
)
def meeting_outcome_list(
    request, slug: str, filters: Query[MeetingOutcomeFilters], page: Query[PageParams]
):
    """Both sides' feedback on the event's meetings (attendance, rating, outcome; never the
    comment), by meeting."""
    event = organiser_event_or_404(request, slug, CHANGE)
    qs = (
        MeetingFeedback.objects.filter(meeting__event=event)
        .only(*FEEDBACK_FIELDS, "created_at", "updated_at")
        .order_by("meeting_id", "registration_id", "id")
    )
    if filters.meeting is not None:
        qs = qs.filter(meeting_id=filters.meeting)
    if filters.attendance is not None:
        qs = qs.filter(attendance=filters.attendance.value)
    if filters.outcome is not None:
        qs = qs.filter(outcome=filters.outcome.value)
    return page_of(qs, page)


@router.get(
    "/{slug}/partnerships/",
    response={200: PartnershipPage, **ORGA_ERRORS},
    url_name="partnership_list",
)
def partnership_list(
    request, slug: str, filters: Query[PartnershipFilters], page: Query[PageParams]
):
    """The host cluster's partnerships of this event, latest change first."""
    event = organiser_event_or_404(request, slug, CHANGE)
    qs = followup_selectors.partnerships_for_cluster(
        cluster=event.cluster, event=event,
        stage=filters.stage.value if filters.stage else "",
        type=filters.type.value if filters.type else "",
    ).order_by("-updated_at", "-id")  # fmt: skip
    return page_of(qs, page)


@router.get("/{slug}/kpis/", response={200: KpiPage, **ORGA_ERRORS}, url_name="kpi_list")
def kpi_list(request, slug: str, filters: Query[KpiFilters], page: Query[PageParams]):
    """The event's KPI figures as rows (definitions: docs/algorithms/kpi.md), in the
    dashboard's order."""
    event = organiser_event_or_404(request, slug, CHANGE)
    rows = [
        {"section": section, "figure": figure, "value": value}
        for section, figure, value in as_rows(event_kpis_for(event))
        if not filters.section or section.casefold() == filters.section.casefold()
    ]
    return page_of_list(rows, page)
