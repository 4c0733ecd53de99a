"""Reads of matchmaking. Every selector takes the event (or a registration of it) and shows
only consenting, confirmed participants."""

from __future__ import annotations

import statistics
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from clusterhub.events.models import Event
from clusterhub.matchmaking.models import (
    OPEN_REQUEST_STATUSES,
    MarkKind,
    MatchmakingSettings,
    MatchProfile,
    MatchRun,
    MatchRunStatus,
    MeetingRequest,
    MeetingRequestStatus,
    ProfileMark,
    Recommendation,
)
from clusterhub.registration.models import Registration, RegistrationStatus


def matchmaking_settings_for(*, event: Event) -> MatchmakingSettings:
    """The event's matchmaking settings; an unsaved row with the defaults when it has none
    (reading never writes)."""
    found = MatchmakingSettings.objects.filter(event=event).first()
    return found or MatchmakingSettings(event=event)


def profiles_visible(*, event: Event) -> QuerySet[MatchProfile]:
    """Profiles of `event` others may see: confirmed registrations with matchmaking consent."""
    return (
        MatchProfile.objects.filter(
            registration__event=event,
            registration__status=RegistrationStatus.CONFIRMED,
            registration__consent_matchmaking_at__isnull=False,
        )
        .select_related("registration__person__organisation")
        .order_by("registration__person__last_name", "registration__person__first_name", "pk")
    )


def match_run_latest(*, event: Event) -> MatchRun | None:
    """The latest finished run of `event`, or None."""
    return MatchRun.objects.filter(event=event, status=MatchRunStatus.DONE).first()


def recommendations_for_registration(
    *, registration: Registration, run: MatchRun | None = None
) -> QuerySet[Recommendation]:
    """`registration`'s recommendations from `run` (default: the event's latest finished run),
    best first; people who withdrew their consent or registration since are left out, and
    nothing is shown to somebody without consent."""
    run = run or match_run_latest(event=registration.event)
    if run is None or run.event_id != registration.event_id:
        return Recommendation.objects.none()
    declined = _declined_either_way(registration)
    return (
        Recommendation.objects.exclude(other__in=declined[0])
        .exclude(other__in=declined[1])
        .filter(
            run=run,
            registration=registration,
            registration__status=RegistrationStatus.CONFIRMED,
            registration__consent_matchmaking_at__isnull=False,
            other__status=RegistrationStatus.CONFIRMED,
            other__consent_matchmaking_at__isnull=False,
        )
        .select_related("other__person__organisation")
        .order_by("rank")
    )


def recommendations_by_registration(*, run: MatchRun) -> dict[int, list[Recommendation]]:
    """All of `run`'s recommendations between people still consenting, by registration id,
    best first (one query)."""
    grouped: dict[int, list[Recommendation]] = {}
    rows = (
        Recommendation.objects.filter(
            run=run,
            registration__status=RegistrationStatus.CONFIRMED,
            registration__consent_matchmaking_at__isnull=False,
            other__status=RegistrationStatus.CONFIRMED,
            other__consent_matchmaking_at__isnull=False,
        )
        .select_related("other__person")
        .order_by("registration_id", "rank")
    )
    for row in rows:
        grouped.setdefault(row.registration_id, []).append(row)
    return grouped


def _declined_either_way(registration: Registration) -> tuple[QuerySet, QuerySet]:
    """Registration ids (two subqueries) of the people `registration` said "no thanks" to and
    of those who said it to them: neither sees the other anywhere, from the moment of the mark."""
    no_thanks = ProfileMark.objects.filter(kind=MarkKind.NO_THANKS)
    return (
        no_thanks.filter(from_registration=registration).values("to_registration_id"),
        no_thanks.filter(to_registration=registration).values("from_registration_id"),
    )


def _matchable(registration: Registration | None) -> bool:
    return (
        registration is not None
        and registration.status == RegistrationStatus.CONFIRMED
        and registration.consent_matchmaking_at is not None
    )


def profile_of(*, registration: Registration) -> MatchProfile | None:
    """`registration`'s own profile (whatever its consent: it is their own), or None."""
    return (
        MatchProfile.objects.filter(registration=registration)
        .prefetch_related("available_sessions")
        .first()
    )


def profile_visible(
    *, event: Event, registration_id: int, viewer: Registration | None = None
) -> MatchProfile | None:
    """The profile of the registration `registration_id` of `event` if others may see it (and,
    given a `viewer`, unless its owner said "no thanks" to the viewer; the viewer's own
    "no thanks" keeps the page open, so the mark can be undone)."""
    visible = profiles_visible(event=event)
    if viewer is not None:
        visible = visible.exclude(registration__in=_declined_either_way(viewer)[1])
    return (
        visible.filter(registration_id=registration_id)
        .prefetch_related("available_sessions")
        .first()
    )


def _folded(values: object) -> str:
    if isinstance(values, list):
        return "\n".join(str(v) for v in values).casefold()
    return str(values or "").casefold()


def profiles_browse(
    *,
    event: Event,
    viewer: Registration,
    query: str = "",
    org_type: str = "",
    country: str = "",
    objective: str = "",
    tag: str = "",
) -> list[int]:
    """Registration ids of the profiles `viewer` may browse, filtered, in name order: nobody
    unless the viewer consents themselves; never the viewer. `query` matches names,
    organisation, offers, needs, interests and about, case-insensitively in any script (done
    here in Python, as SQLite's LIKE folds only ASCII); `tag` only counts tags still in the
    event's taxonomy. One query."""
    if not _matchable(viewer) or viewer.event_id != event.pk:
        return []
    person = "registration__person__"
    columns = (
        "registration_id", person + "first_name", person + "last_name",
        person + "organisation__name", person + "organisation__type", person + "country",
        person + "organisation__country", "offers", "needs", "interests", "about",
        "objectives", "tags",
    )  # fmt: skip
    declined = _declined_either_way(viewer)
    rows = (
        profiles_visible(event=event)
        .exclude(registration=viewer)
        .exclude(registration__in=declined[1])  # who said "no thanks" to me is gone for me
        .values_list(*columns)
    )
    words = query.casefold().split()
    taxonomy = {t.casefold() for t in matchmaking_settings_for(event=event).tags}
    wanted_tag = tag.casefold()
    ids = []
    for (reg_id, first, last, org, org_t, person_c, org_c, offers, needs, interests, about,
         objectives, tags) in rows:  # fmt: skip
        if org_type and org_t != org_type:
            continue
        if country and (person_c or org_c or "") != country:
            continue
        if objective and objective not in (objectives or []):
            continue
        if wanted_tag and (
            wanted_tag not in taxonomy or wanted_tag not in {t.casefold() for t in tags or []}
        ):
            continue
        if words:
            text = "\n".join(
                _folded(v) for v in (first, last, org, offers, needs, interests, about)
            )
            if not all(w in text for w in words):
                continue
        ids.append(reg_id)
    return ids


def profile_countries(*, event: Event) -> list[str]:
    """Country codes of the people whose profiles others may see, for the browse filter."""
    person = "registration__person__"
    rows = profiles_visible(event=event).values_list(
        person + "country", person + "organisation__country"
    )
    return sorted({str(own or org) for own, org in rows if own or org})


def profiles_by_registration(*, event: Event, ids: list[int]) -> list[MatchProfile]:
    """The visible profiles of registrations `ids`, in that order (one query)."""
    found = {p.registration_id: p for p in profiles_visible(event=event).filter(
        registration_id__in=ids
    )}  # fmt: skip
    return [found[i] for i in ids if i in found]


def marks_given(*, registration: Registration) -> dict[int, str]:
    """`registration`'s marks: the other registration's id -> kind."""
    return dict(
        ProfileMark.objects.filter(from_registration=registration).values_list(
            "to_registration_id", "kind"
        )
    )


def meeting_requests_of(*, registration: Registration) -> QuerySet[MeetingRequest]:
    """Requests `registration` sent or received, newest first, with both people loaded."""
    return (
        MeetingRequest.objects.filter(Q(sender=registration) | Q(recipient=registration))
        .select_related("sender__person__organisation", "recipient__person__organisation")
        .order_by("-created_at", "-pk")
    )


def request_states_with(*, registration: Registration) -> dict[int, MeetingRequest]:
    """The open (pending or accepted) requests between `registration` and others, by the other
    registration's id: what a profile card shows instead of a "request a meeting" button."""
    found: dict[int, MeetingRequest] = {}
    for request in MeetingRequest.objects.filter(
        Q(sender=registration) | Q(recipient=registration),
        status__in=[s.value for s in OPEN_REQUEST_STATUSES],
    ):
        other = request.recipient_id if request.sender_id == registration.pk else request.sender_id
        found[other] = request
    return found


def meeting_request_statistics(*, event: Event) -> dict[str, Any]:
    """What the organiser sees of the event's meeting requests (two queries): counts by
    status, how many people sent and received, the acceptance rate among answered requests,
    the median time to an answer, how many crossed a sector or a border, and how many went to
    somebody the sender had been recommended."""
    columns = (
        "sender_id", "recipient_id", "status", "created_at", "answered_at",
        "sender__person__organisation__type", "recipient__person__organisation__type",
        "sender__person__country", "recipient__person__country",
    )  # fmt: skip
    rows = list(MeetingRequest.objects.filter(event=event).values_list(*columns))
    run = match_run_latest(event=event)
    recommended = (
        set(Recommendation.objects.filter(run=run).values_list("registration_id", "other_id"))
        if run
        else set()
    )
    by_status = {s.value: 0 for s in MeetingRequestStatus}
    waits: list[float] = []
    cross_sector = cross_border = followed = 0
    for sender, recipient, status, created, answered, s_type, r_type, s_c, r_c in rows:
        by_status[status] = by_status.get(status, 0) + 1
        if answered is not None:
            waits.append((answered - created).total_seconds() / 3600)
        cross_sector += bool(s_type and r_type and s_type != r_type)
        cross_border += bool(s_c and r_c and s_c != r_c)
        followed += (sender, recipient) in recommended
    total = len(rows)
    answered_count = (
        by_status[MeetingRequestStatus.ACCEPTED] + by_status[MeetingRequestStatus.DECLINED]
    )
    return {
        "total": total,
        "by_status": by_status,
        "senders": len({r[0] for r in rows}),
        "recipients": len({r[1] for r in rows}),
        "acceptance_rate": (
            round(by_status[MeetingRequestStatus.ACCEPTED] / answered_count, 3)
            if answered_count
            else None
        ),
        "median_hours_to_answer": round(statistics.median(waits), 1) if waits else None,
        "cross_sector_share": round(cross_sector / total, 3) if total else None,
        "cross_border_share": round(cross_border / total, 3) if total else None,
        "from_recommendations_share": round(followed / total, 3) if total else None,
    }


ACTIVE_RUN_STATUSES = (MatchRunStatus.QUEUED, MatchRunStatus.RUNNING)
RUN_STALE_AFTER = timedelta(minutes=30)  # a run still "running" after this was abandoned


def match_run_active(*, event: Event) -> MatchRun | None:
    """The run of `event` that is queued or running and not abandoned (younger than
    RUN_STALE_AFTER: its worker may have died), or None."""
    return (
        MatchRun.objects.filter(
            event=event,
            status__in=ACTIVE_RUN_STATUSES,
            created_at__gte=timezone.now() - RUN_STALE_AFTER,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


def match_runs_of(*, event: Event) -> QuerySet[MatchRun]:
    """The event's runs, newest first."""
    return MatchRun.objects.filter(event=event).order_by("-created_at", "-pk")


def matchmaking_participation(*, event: Event) -> dict[str, int]:
    """How many confirmed participants there are, how many share a profile, and how many of
    those filled one in (one query)."""
    confirmed = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
    return confirmed.aggregate(
        confirmed=Count("pk"),
        consenting=Count("pk", filter=Q(consent_matchmaking_at__isnull=False)),
        with_profile=Count(
            "pk",
            filter=Q(consent_matchmaking_at__isnull=False, match_profile__isnull=False),
        ),
    )


# The meeting-scheduling reads live in their own module; imported here for one namespace.
from clusterhub.matchmaking.selectors.meetings import (  # noqa: E402
    MeetingSlot,
    busy_intervals,
    meeting_conflicts,
    meeting_slots_for_event,
    meetings_for_event,
    meetings_for_registration,
    networking_setups_for_event,
    registration_names,
    schedule_run_active,
    schedule_run_latest,
    schedule_runs_of,
    slots_of,
)

__all__ = [
    "MeetingSlot",
    "busy_intervals",
    "meeting_conflicts",
    "meeting_slots_for_event",
    "meetings_for_event",
    "meetings_for_registration",
    "networking_setups_for_event",
    "registration_names",
    "schedule_run_active",
    "schedule_run_latest",
    "schedule_runs_of",
    "slots_of",
]
