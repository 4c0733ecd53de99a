"""Automatic 1:1 meeting scheduling into slots and tables, with a proven quality figure
(pure: no Django).

    schedule(slots, people, requests, config=ScheduleConfig()) -> Schedule

See docs/algorithms/scheduling.md for the method, the bound and the limits.
"""

from __future__ import annotations

from collections.abc import Sequence

from .engine import run
from .types import (
    Assignment,
    MeetingRequest,
    Person,
    Schedule,
    ScheduleConfig,
    Slot,
    WhyNot,
    WhyNotCode,
)

__all__ = [
    "Assignment", "MeetingRequest", "Person", "Schedule", "ScheduleConfig", "Slot", "WhyNot",
    "WhyNotCode", "schedule",
]  # fmt: skip

_DEFAULT = ScheduleConfig()


def schedule(
    slots: Sequence[Slot],
    people: Sequence[Person],
    requests: Sequence[MeetingRequest],
    *,
    config: ScheduleConfig = _DEFAULT,
) -> Schedule:
    """Place meeting requests into (slot, table) and say how close to the best possible that is.

    Hard rules, never broken for a meeting this run places: nobody has two meetings in one
    slot; nobody meets in a slot they are unavailable for or that overlaps their own agenda;
    no slot holds more meetings than tables; nobody exceeds their overall or per-session cap.
    Fixed meetings (locked, or published without `config.allow_moving_published`) stay at
    their (slot, table) whatever they break, and those that break a rule are listed in
    `conflicts`. Earlier placements that may move stay scheduled and move only to make room.

    Objective, in order: the weight of must-meet meetings, then of other accepted requests,
    then of proposed pairs (weights counted in thousandths); then short, evenly spread idle
    gaps. Every unscheduled request gets a reason (`WhyNot`). Deterministic for a given input
    and `config.seed`. Pure computation, no side effects.

    Raises ValueError for inconsistent input (see `instance.compile_instance`) or an unknown
    `config.method`."""
    if config.method not in {"full", "heuristic", "greedy", "exact"}:
        raise ValueError(f"unknown method {config.method!r}")
    return run(slots, people, requests, config)
