"""One event's KPIs from its facts, and the KPIs of several events added up."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .activity import meeting_kpis, merge_meetings, module_kpis, training_kpis
from .feedback import merge_partnerships, merge_satisfaction, partnership_kpis, satisfaction_kpis
from .inputs import (
    PARTNERSHIP_STAGES,
    PARTNERSHIP_TYPES,
    Attendee,
    MeetingFact,
    PartnershipFact,
    Rating,
    TrainingModule,
)
from .outputs import Kpis
from .people import merge_mixes, merge_registrations, people_kpis


def event_kpis(
    *,
    host_country: str,
    attendees: Iterable[Attendee] = (),
    modules: Iterable[TrainingModule] = (),
    meetings: Iterable[MeetingFact] = (),
    ratings: Iterable[Rating] = (),
    partnerships: Iterable[PartnershipFact] = (),
    partnership_types: Sequence[str] = PARTNERSHIP_TYPES,
    partnership_stages: Sequence[str] = PARTNERSHIP_STAGES,
) -> Kpis:
    """The KPI dashboard of one event hosted in `host_country` (ISO alpha-2; people from
    elsewhere are international). Every input may be empty: counts are then 0 and shares and
    rates None. The result depends only on the inputs as multisets, not on their order.

    Raises nothing itself; the input dataclasses raise ValueError when built wrong."""
    registrations, registered, attended = people_kpis(attendees, host_country)
    return Kpis(
        events=1,
        registrations=registrations,
        registered=registered,
        attended=attended,
        training=training_kpis(module_kpis(m) for m in modules),
        meetings=meeting_kpis(list(meetings)),
        satisfaction=satisfaction_kpis(list(ratings)),
        partnerships=partnership_kpis(
            list(partnerships), types=partnership_types, stages=partnership_stages
        ),
    )


def cluster_kpis(events: Iterable[Kpis]) -> Kpis:
    """The KPIs of several events (or of earlier sums) taken together: counts add up, and
    every share, rate, mean and diversity index is computed again from the summed counts
    (never averaged), so the result equals `event_kpis` of all the facts pooled, except that
    each event keeps its own host country for `international`. No events: all zeros."""
    parts = list(events)
    return Kpis(
        events=sum(k.events for k in parts),
        registrations=merge_registrations([k.registrations for k in parts]),
        registered=merge_mixes([k.registered for k in parts]),
        attended=merge_mixes([k.attended for k in parts]),
        training=training_kpis(m for k in parts for m in k.training.modules),
        meetings=merge_meetings([k.meetings for k in parts]),
        satisfaction=merge_satisfaction([k.satisfaction for k in parts]),
        partnerships=merge_partnerships([k.partnerships for k in parts]),
    )
