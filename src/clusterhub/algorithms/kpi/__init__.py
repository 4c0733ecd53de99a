"""KPIs of events and of a cluster's events (pure: no Django).

    event_kpis(host_country="NO", attendees=..., modules=..., meetings=..., ratings=...,
               partnerships=...) -> Kpis
    cluster_kpis([kpis of event 1, kpis of event 2, ...]) -> Kpis
    as_rows(kpis) -> [(section, label, value), ...]      # for CSV / XLSX exports

Every figure is defined in docs/algorithms/kpi.md.
"""

from __future__ import annotations

from .counting import diversity
from .engine import cluster_kpis, event_kpis
from .inputs import (
    ORG_TYPES,
    PARTNERSHIP_STAGES,
    PARTNERSHIP_TYPES,
    RATING_KINDS,
    REGISTRATION_STATUSES,
    SECTOR_OF,
    SECTORS,
    Attendee,
    MeetingFact,
    PartnershipFact,
    Party,
    Rating,
    Sector,
    TrainingModule,
)
from .outputs import (
    Counts,
    Diversity,
    Kpis,
    MeetingKpis,
    ModuleKpis,
    PairMix,
    PartnershipKpis,
    PeopleMix,
    RatingSummary,
    RegistrationKpis,
    SatisfactionKpis,
    TrainingKpis,
)
from .rows import Row, as_rows

__all__ = [
    "ORG_TYPES",
    "PARTNERSHIP_STAGES",
    "PARTNERSHIP_TYPES",
    "RATING_KINDS",
    "REGISTRATION_STATUSES",
    "SECTORS",
    "SECTOR_OF",
    "Attendee",
    "Counts",
    "Diversity",
    "Kpis",
    "MeetingFact",
    "MeetingKpis",
    "ModuleKpis",
    "PairMix",
    "PartnershipFact",
    "PartnershipKpis",
    "Party",
    "PeopleMix",
    "Rating",
    "RatingSummary",
    "RegistrationKpis",
    "Row",
    "SatisfactionKpis",
    "Sector",
    "TrainingKpis",
    "TrainingModule",
    "as_rows",
    "cluster_kpis",
    "diversity",
    "event_kpis",
]  # fmt: skip
