"""Training-module attendance and the meeting funnel."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .counting import share
from .inputs import MeetingFact, TrainingModule
from .outputs import MeetingKpis, ModuleKpis, PairMix, TrainingKpis


def module_kpis(module: TrainingModule) -> ModuleKpis:
    return ModuleKpis(
        id=module.id,
        title=module.title,
        capacity=module.capacity,
        confirmed=module.confirmed,
        waitlisted=module.waitlisted,
        checked_in=module.checked_in,
        fill_rate=share(module.confirmed, module.capacity or 0),
        show_up_rate=share(module.checked_in, module.confirmed),
    )


def _module_order(m: ModuleKpis) -> tuple[str, int, int, int, int, int]:
    # Title and id decide; the counts only break ties between equal ids (never in real data)
    # so that the order of the input never shows in the result.
    return (
        m.title,
        m.id,
        m.confirmed,
        m.checked_in,
        m.waitlisted,
        -1 if m.capacity is None else m.capacity,
    )


def training_kpis(modules: Iterable[ModuleKpis]) -> TrainingKpis:
    ordered = tuple(sorted(modules, key=_module_order))
    limited = [m for m in ordered if m.capacity is not None]
    capacity = sum(m.capacity or 0 for m in limited)
    confirmed = sum(m.confirmed for m in ordered)
    checked_in = sum(m.checked_in for m in ordered)
    return TrainingKpis(
        modules=ordered,
        capacity=capacity,
        confirmed=confirmed,
        waitlisted=sum(m.waitlisted for m in ordered),
        checked_in=checked_in,
        fill_rate=share(sum(m.confirmed for m in limited), capacity),
        show_up_rate=share(checked_in, confirmed),
    )


def pair_mix(*, pairs: int, cross_sector: int, cross_border: int, unknown_country: int) -> PairMix:
    return PairMix(
        pairs=pairs,
        cross_sector=cross_sector,
        cross_sector_share=share(cross_sector, pairs),
        cross_border=cross_border,
        cross_border_share=share(cross_border, pairs),
        unknown_country=unknown_country,
    )


def mix_of_pairs(facts: Sequence[MeetingFact]) -> PairMix:
    return pair_mix(
        pairs=len(facts),
        cross_sector=sum(1 for f in facts if f.a.org_type != f.b.org_type),
        cross_border=sum(
            1 for f in facts if f.a.country and f.b.country and f.a.country != f.b.country
        ),
        unknown_country=sum(1 for f in facts if not (f.a.country and f.b.country)),
    )


def merge_pair_mixes(parts: Sequence[PairMix]) -> PairMix:
    return pair_mix(
        pairs=sum(p.pairs for p in parts),
        cross_sector=sum(p.cross_sector for p in parts),
        cross_border=sum(p.cross_border for p in parts),
        unknown_country=sum(p.unknown_country for p in parts),
    )


def funnel(
    *,
    requested: int,
    accepted: int,
    scheduled: int,
    scheduled_from_requests: int,
    held: int,
    not_held: int,
    held_mix: PairMix,
    scheduled_mix: PairMix,
) -> MeetingKpis:
    return MeetingKpis(
        requested=requested,
        accepted=accepted,
        acceptance_rate=share(accepted, requested),
        scheduled=scheduled,
        scheduled_from_requests=scheduled_from_requests,
        scheduling_rate=share(scheduled_from_requests, accepted),
        held=held,
        not_held=not_held,
        held_unknown=scheduled - held - not_held,
        held_rate=share(held, scheduled),
        held_mix=held_mix,
        scheduled_mix=scheduled_mix,
        mix_basis="held" if held else "scheduled",
        mix=held_mix if held else scheduled_mix,
    )


def meeting_kpis(facts: Sequence[MeetingFact]) -> MeetingKpis:
    scheduled = [f for f in facts if f.scheduled]
    held = [f for f in scheduled if f.held is True]
    return funnel(
        requested=sum(1 for f in facts if f.requested),
        accepted=sum(1 for f in facts if f.accepted),
        scheduled=len(scheduled),
        scheduled_from_requests=sum(1 for f in scheduled if f.accepted),
        held=len(held),
        not_held=sum(1 for f in scheduled if f.held is False),
        held_mix=mix_of_pairs(held),
        scheduled_mix=mix_of_pairs(scheduled),
    )


def merge_meetings(parts: Sequence[MeetingKpis]) -> MeetingKpis:
    return funnel(
        requested=sum(p.requested for p in parts),
        accepted=sum(p.accepted for p in parts),
        scheduled=sum(p.scheduled for p in parts),
        scheduled_from_requests=sum(p.scheduled_from_requests for p in parts),
        held=sum(p.held for p in parts),
        not_held=sum(p.not_held for p in parts),
        held_mix=merge_pair_mixes([p.held_mix for p in parts]),
        scheduled_mix=merge_pair_mixes([p.scheduled_mix for p in parts]),
    )
