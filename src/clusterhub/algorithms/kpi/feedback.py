"""Satisfaction ratings and the partnerships that came out of the events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .counting import add, key_order, keyed, share
from .inputs import PARTNERSHIP_STAGES, PARTNERSHIP_TYPES, RATING_KINDS, PartnershipFact, Rating
from .outputs import PartnershipKpis, RatingSummary, SatisfactionKpis


def rating_summary(kind: str, distribution: tuple[int, int, int, int, int]) -> RatingSummary:
    """The summary of ratings given how many gave 1, 2, 3, 4 and 5."""
    count = sum(distribution)
    ones, twos, _, fours, fives = distribution
    total = sum(value * n for value, n in enumerate(distribution, start=1))
    return RatingSummary(
        kind=kind,
        count=count,
        distribution=distribution,
        mean=share(total, count),
        satisfied_share=share(fours + fives, count),
        net=share(fours + fives - ones - twos, count),
    )


def _distribution(values: Sequence[int]) -> tuple[int, int, int, int, int]:
    n = Counter(values)
    return (n[1], n[2], n[3], n[4], n[5])


def satisfaction_kpis(ratings: Sequence[Rating]) -> SatisfactionKpis:
    event, session, meeting = (
        rating_summary(kind, _distribution([r.value for r in ratings if r.kind == kind]))
        for kind in RATING_KINDS
    )
    return SatisfactionKpis(event=event, session=session, meeting=meeting)


def _add_distributions(parts: Sequence[RatingSummary]) -> tuple[int, int, int, int, int]:
    d = [sum(p.distribution[i] for p in parts) for i in range(5)]
    return (d[0], d[1], d[2], d[3], d[4])


def merge_satisfaction(parts: Sequence[SatisfactionKpis]) -> SatisfactionKpis:
    return SatisfactionKpis(
        event=rating_summary("event", _add_distributions([p.event for p in parts])),
        session=rating_summary("session", _add_distributions([p.session for p in parts])),
        meeting=rating_summary("meeting", _add_distributions([p.meeting for p in parts])),
    )


def _with_other(vocabulary: Sequence[str]) -> list[str]:
    keys = [word.strip().lower() for word in vocabulary]
    return [*dict.fromkeys(keys)] + ([] if "other" in keys else ["other"])


def partnership_kpis(
    facts: Sequence[PartnershipFact],
    *,
    types: Sequence[str] = PARTNERSHIP_TYPES,
    stages: Sequence[str] = PARTNERSHIP_STAGES,
) -> PartnershipKpis:
    """Partnerships counted by stage and type; values outside the vocabularies count as
    "other", which is always a key."""
    type_keys, stage_keys = _with_other(types), _with_other(stages)
    by_type = Counter(f.type if f.type in type_keys else "other" for f in facts)
    by_stage = Counter(f.stage if f.stage in stage_keys else "other" for f in facts)
    sector = sum(1 for f in facts if len({p.org_type for p in f.organisations}) > 1)
    border = sum(1 for f in facts if len({p.country for p in f.organisations if p.country}) > 1)
    return PartnershipKpis(
        total=len(facts),
        by_stage=keyed(stage_keys, by_stage),
        by_type=keyed(type_keys, by_type),
        cross_sector=sector,
        cross_sector_share=share(sector, len(facts)),
        cross_border=border,
        cross_border_share=share(border, len(facts)),
    )


def merge_partnerships(parts: Sequence[PartnershipKpis]) -> PartnershipKpis:
    total = sum(p.total for p in parts)
    sector = sum(p.cross_sector for p in parts)
    border = sum(p.cross_border for p in parts)
    stage_keys = key_order((p.by_stage for p in parts), _with_other(PARTNERSHIP_STAGES))
    type_keys = key_order((p.by_type for p in parts), _with_other(PARTNERSHIP_TYPES))
    return PartnershipKpis(
        total=total,
        by_stage=keyed(stage_keys, add(p.by_stage for p in parts)),
        by_type=keyed(type_keys, add(p.by_type for p in parts)),
        cross_sector=sector,
        cross_sector_share=share(sector, total),
        cross_border=border,
        cross_border_share=share(border, total),
    )
