"""The KPIs flattened into (section, label, value) rows for CSV and XLSX exports.

Sections and labels are stable machine words (the field names of the dataclasses, organisation
types, country codes, stage and type words); the Django side translates them for display.
Values are raw: ints, floats (unrounded), str or None (no denominator).
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

from .outputs import Kpis, MeetingKpis, PeopleMix, RatingSummary, TrainingKpis

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Value = int | float | str | None
Row = tuple[str, str, Value]


def as_rows(kpis: Kpis) -> list[Row]:
    """Every figure of `kpis` as a row, in a fixed order: events, registrations, registered,
    attended, training, meetings, satisfaction, partnerships."""
    rows: list[Row] = [("summary", "events", kpis.events)]
    rows += _scalars("registrations", kpis.registrations)
    rows += _people("registered", kpis.registered)
    rows += _people("attended", kpis.attended)
    rows += _training(kpis.training)
    rows += _meetings(kpis.meetings)
    for summary in (kpis.satisfaction.event, kpis.satisfaction.session, kpis.satisfaction.meeting):
        rows += _rating(summary)
    partnerships = kpis.partnerships
    rows += _scalars("partnerships", partnerships)
    rows += [("partnerships.by_stage", key, n) for key, n in partnerships.by_stage]
    rows += [("partnerships.by_type", key, n) for key, n in partnerships.by_type]
    return rows


def _scalars(section: str, obj: DataclassInstance) -> list[Row]:
    """The int, float, str and None fields of a dataclass, in declaration order."""
    rows: list[Row] = []
    for f in fields(obj):
        value = getattr(obj, f.name)
        if value is None or isinstance(value, int | float | str):
            rows.append((section, f.name, value))
    return rows


def _people(section: str, mix: PeopleMix) -> list[Row]:
    rows = _scalars(section, mix)
    rows += [(f"{section}.by_type", key, n) for key, n in mix.by_type]
    rows += [(f"{section}.by_country", key, n) for key, n in mix.by_country]
    rows += [(f"{section}.by_sector", key, n) for key, n in mix.by_sector]
    rows += _scalars(f"{section}.type_diversity", mix.type_diversity)
    rows += _scalars(f"{section}.country_diversity", mix.country_diversity)
    return rows


def _training(training: TrainingKpis) -> list[Row]:
    rows = _scalars("training", training)
    for module in training.modules:
        rows += _scalars(f"training.module.{module.id}", module)
    return rows


def _meetings(meetings: MeetingKpis) -> list[Row]:
    rows = _scalars("meetings", meetings)
    rows += _scalars("meetings.mix", meetings.mix)
    rows += _scalars("meetings.held_mix", meetings.held_mix)
    rows += _scalars("meetings.scheduled_mix", meetings.scheduled_mix)
    return rows


def _rating(summary: RatingSummary) -> list[Row]:
    section = f"satisfaction.{summary.kind}"
    rows = [r for r in _scalars(section, summary) if r[1] != "kind"]
    rows += [(f"{section}.distribution", str(v), n) for v, n in enumerate(summary.distribution, 1)]
    return rows
