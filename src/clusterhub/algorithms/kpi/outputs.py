"""What the KPI library gives: frozen dataclasses holding every count and the figures derived
from them, so results of several events can be added up exactly (`cluster_kpis`).

A share or rate is None when its denominator is 0 (nothing to divide), never a made-up 0.
`Counts` are (key, count) pairs in a documented, deterministic order. Definitions of every
figure: docs/algorithms/kpi.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Counts = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Diversity:
    """How spread a population is over categories, from its counts n_i (n = Σ n_i, p_i = n_i/n).

    `richness` S: categories with n_i > 0. `simpson` = 1 − Σ p_i² (Gini–Simpson, the headline:
    the chance that two people drawn at random, with replacement, fall in different
    categories). `shannon` H = −Σ p_i ln p_i (natural log). `evenness` = H / ln S (Pielou's J,
    in [0, 1]; None when S < 2). `effective_number` = exp(H): as diverse as that many equally
    common categories. All 0 for an empty population."""

    richness: int
    simpson: float
    shannon: float
    evenness: float | None
    effective_number: float


@dataclass(frozen=True)
class PeopleMix:
    """Who the people are. `by_type`: every organisation type in `ORG_TYPES` order, zeros
    included. `by_country`: known countries only, most people first, then by code;
    `unknown_country` counts the rest. `by_sector`: public, private, other (see `SECTOR_OF`),
    with their shares of `total`. `type_diversity` is over the 12 types; `country_diversity`
    over known countries. `international`: people whose known country is not the host
    country; `international_share` = international / total (unknown countries count as not
    international, so the share is a lower bound when some are unknown)."""

    total: int
    by_type: Counts
    by_country: Counts
    unknown_country: int
    by_sector: Counts
    public_share: float | None
    private_share: float | None
    other_share: float | None
    type_diversity: Diversity
    country_diversity: Diversity
    international: int
    international_share: float | None


@dataclass(frozen=True)
class RegistrationKpis:
    """Registrations by status; `attended`: confirmed registrations that checked in at the
    door; `attendance_rate` = attended / confirmed; `no_shows` = confirmed − attended."""

    confirmed: int
    pending: int
    cancelled: int
    rejected: int
    attended: int
    attendance_rate: float | None
    no_shows: int


@dataclass(frozen=True)
class ModuleKpis:
    """One training module: `fill_rate` = confirmed / capacity (None without a capacity),
    `show_up_rate` = checked_in / confirmed."""

    id: int
    title: str
    capacity: int | None
    confirmed: int
    waitlisted: int
    checked_in: int
    fill_rate: float | None
    show_up_rate: float | None


@dataclass(frozen=True)
class TrainingKpis:
    """Training modules by title (then id) and their totals. `capacity` sums the modules that
    have one; `fill_rate` = confirmed seats in those modules / capacity; `show_up_rate` =
    checked_in / confirmed over all modules. Counts are seats, not people: one person in
    three modules counts three times."""

    modules: tuple[ModuleKpis, ...]
    capacity: int
    confirmed: int
    waitlisted: int
    checked_in: int
    fill_rate: float | None
    show_up_rate: float | None


@dataclass(frozen=True)
class PairMix:
    """Who met whom among `pairs` meetings. A pair is cross-sector when the two organisation
    types differ, cross-border when both countries are known and differ; `unknown_country`
    counts pairs with a country missing. Shares are over all `pairs`."""

    pairs: int
    cross_sector: int
    cross_sector_share: float | None
    cross_border: int
    cross_border_share: float | None
    unknown_country: int


@dataclass(frozen=True)
class MeetingKpis:
    """The meeting funnel. `requested` pairs, of which `accepted` (`acceptance_rate` =
    accepted / requested); `scheduled` pairs, of which `scheduled_from_requests` come from an
    accepted request (`scheduling_rate` = scheduled_from_requests / accepted) and the rest were
    proposed; of the scheduled, `held`, `not_held` and `held_unknown` (no report);
    `held_rate` = held / scheduled (a lower bound while reports are missing).

    `mix` is `held_mix` (meetings held) when any meeting is reported held, else
    `scheduled_mix` (all scheduled meetings), and `mix_basis` says which."""

    requested: int
    accepted: int
    acceptance_rate: float | None
    scheduled: int
    scheduled_from_requests: int
    scheduling_rate: float | None
    held: int
    not_held: int
    held_unknown: int
    held_rate: float | None
    held_mix: PairMix
    scheduled_mix: PairMix
    mix_basis: Literal["held", "scheduled"]
    mix: PairMix


@dataclass(frozen=True)
class RatingSummary:
    """Ratings of one kind. `distribution`: how many gave 1, 2, 3, 4, 5. `mean` of the values;
    `satisfied_share` = share of 4s and 5s; `net` = (4s and 5s − 1s and 2s) / count, in
    [−1, 1]. None when there is no rating."""

    kind: str
    count: int
    distribution: tuple[int, int, int, int, int]
    mean: float | None
    satisfied_share: float | None
    net: float | None


@dataclass(frozen=True)
class SatisfactionKpis:
    event: RatingSummary
    session: RatingSummary
    meeting: RatingSummary


@dataclass(frozen=True)
class PartnershipKpis:
    """Partnerships by stage and by type (every key of the vocabulary, zeros included, then
    "other"). Cross-sector: at least two different organisation types among the partners;
    cross-border: at least two different known countries. Shares are over `total`."""

    total: int
    by_stage: Counts
    by_type: Counts
    cross_sector: int
    cross_sector_share: float | None
    cross_border: int
    cross_border_share: float | None


@dataclass(frozen=True)
class Kpis:
    """The dashboard of one event (`events` = 1) or of several added up (`cluster_kpis`).
    `registered` describes confirmed registrations, `attended` those who checked in. Across
    events people are counted once per event they registered for."""

    events: int
    registrations: RegistrationKpis
    registered: PeopleMix
    attended: PeopleMix
    training: TrainingKpis
    meetings: MeetingKpis
    satisfaction: SatisfactionKpis
    partnerships: PartnershipKpis
