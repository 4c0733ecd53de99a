"""The data the scheduling library takes and gives: plain frozen dataclasses, no Django.

Times are integers in one unit of the caller's choice (the Django side uses minutes since the
Unix epoch); intervals are half-open, so a slot that starts when a session ends does not clash.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

WhyNotCode = Literal["no_common_slot", "cap_reached", "no_table"]
Method = Literal["full", "heuristic", "greedy", "exact"]


@dataclass(frozen=True)
class Slot:
    """A meeting slot [start, end) with `tables` tables, numbered 1..tables. Slots must not
    overlap one another (tables give the parallel capacity). Slots that share a `session`
    belong to one networking session, the unit of the per-session cap; None: no session."""

    id: int
    start: int
    end: int
    tables: int
    session: int | None = None


@dataclass(frozen=True)
class Person:
    """Someone who may meet. A slot is usable for them when it is in `available_slots` (None:
    every slot) and overlaps none of the `busy` intervals [start, end) of their own agenda
    (sessions they are confirmed for). `max_meetings` and `max_per_session` override the
    defaults of `ScheduleConfig`; None there too means no cap."""

    id: int
    busy: tuple[tuple[int, int], ...] = ()
    available_slots: frozenset[int] | None = None
    max_meetings: int | None = None
    max_per_session: int | None = None


@dataclass(frozen=True)
class MeetingRequest:
    """A pair that should meet once: an accepted request, or with `proposed` a pair proposed
    from recommendations. `weight` > 0 is the match score. The objective takes mutual
    must-meet pairs first, then accepted requests, then proposed pairs, each by weight.

    `placed` = (slot id, table) says where the meeting is now, from an earlier run. A `locked`
    meeting (fixed by the organiser) never moves, nor does a `published` one unless
    `ScheduleConfig.allow_moving_published`. Any other placed meeting that still fits where
    it was stays scheduled, and moves to another slot or table only to make room for more;
    one that no longer fits there is placed again ahead of new requests."""

    id: int
    a: int
    b: int
    weight: float = 1.0
    must_meet: bool = False
    proposed: bool = False
    placed: tuple[int, int] | None = None
    published: bool = False
    locked: bool = False


@dataclass(frozen=True)
class ScheduleConfig:
    """What an organiser or a caller can tune.

    `method`: "full" (default: LP-guided heuristic, repaired, then polished by CP-SAT when the
    model has at most `exact_max_variables` slot variables), "heuristic" (without CP-SAT),
    "greedy" (the naive slot-by-slot baseline of the benchmark) or "exact" (CP-SAT alone from
    scratch, for comparison only). `exact_time_limit` is CP-SAT's deterministic time budget
    (about seconds of one core). `spread_gaps` runs the secondary objective (idle gaps)."""

    max_meetings_per_person: int | None = None
    max_per_session: int | None = None
    allow_moving_published: bool = False
    seed: int = 0
    method: Method = "full"
    exact_max_variables: int = 20_000
    exact_time_limit: float = 10.0
    spread_gaps: bool = True


@dataclass(frozen=True)
class Assignment:
    request: int
    slot: int
    table: int


@dataclass(frozen=True)
class WhyNot:
    """Why a request is not scheduled, true of the returned schedule. `person` names the one
    whose cap was reached (for "cap_reached"), else None."""

    code: WhyNotCode
    person: int | None = None


@dataclass(frozen=True)
class Schedule:
    """The result. `assignments` are sorted by slot time, then table. The bounds are upper
    bounds on any feasible schedule of the same input (see docs/algorithms/scheduling.md);
    `ratio` = scheduled_count / upper_bound_count and `ratio_weight` likewise (1.0 when the
    bound is 0); `must_meet_count` and `upper_bound_must_meet` do the same for must-meet pairs.
    `proven_optimal`: no schedule that keeps the earlier placements scheduled is worth more.
    `moved`: earlier placements (not fixed) now at another slot or table. `conflicts`: fixed
    (locked, or published and not movable) meetings that
    stay although they now break their people's agenda, availability or caps (the organiser
    should look at them). `idle_penalty` is the secondary objective (lower is better)."""

    assignments: tuple[Assignment, ...]
    unscheduled: Mapping[int, WhyNot]
    scheduled_count: int
    scheduled_weight: float
    upper_bound_count: int
    upper_bound_weight: float
    ratio: float
    ratio_weight: float
    must_meet_count: int
    upper_bound_must_meet: int
    proven_optimal: bool
    moved: tuple[int, ...] = ()
    conflicts: tuple[int, ...] = ()
    idle_penalty: int = 0
    seconds: float = 0.0
    method: str = field(default="full")
