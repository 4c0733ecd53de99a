"""The data the timetabling library takes and gives: plain frozen dataclasses, no Django.

Times are integers in minutes. Sentences print clock times as `t mod 1440`, so pass local
wall-clock minutes (for instance minutes since local midnight of the first day). Intervals
are half-open: a session that starts when another ends does not overlap it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
Window = tuple[int, int]  # [start, end) in minutes


@dataclass(frozen=True)
class Day:
    """A programme day [start, end); sessions start on the grid start + k x slot_minutes and
    end by `end`. `name` is used in sentences (default "day 1", "day 2", ... by order)."""

    id: int
    start: int
    end: int
    name: str = ""


@dataclass(frozen=True)
class Room:
    """A room holding `capacity` people, open during `available` (None: every day, all day).
    `travel_minutes` > 0 marks an off-site venue: its speakers need that long to get there
    before and back after each session held in it."""

    id: int
    name: str
    capacity: int
    available: tuple[Window, ...] | None = None
    travel_minutes: int = 0


@dataclass(frozen=True)
class Speaker:
    """Someone who speaks; `available` None means always available."""

    id: int
    name: str
    available: tuple[Window, ...] | None = None


@dataclass(frozen=True)
class Session:
    """A session to place (or already placed). It needs a room holding `required_capacity`
    people, or else its expected `audience`. `rooms` restricts the rooms (None: any).
    `travel_before` / `travel_after`: minutes its speakers need to reach and leave it (an
    off-site visit); the larger of these and the room's `travel_minutes` counts.
    `pinned` = (room id, start) keeps it exactly there: the organiser's decision stands even
    if it breaks the session's own window, availability or capacity, and the other sessions
    are placed around it. `current` = (room id, start): where it is now, if anywhere; a
    proposal leaves it there unless moving it saves a clash (or makes room for a move that
    does)."""

    id: int
    title: str
    duration: int
    audience: int = 0
    required_capacity: int | None = None
    speakers: tuple[int, ...] = ()
    rooms: frozenset[int] | None = None
    pinned: tuple[int, int] | None = None
    travel_before: int = 0
    travel_after: int = 0
    current: tuple[int, int] | None = None

    @property
    def need(self) -> int:
        return self.required_capacity if self.required_capacity is not None else self.audience


@dataclass(frozen=True)
class After:
    """`then` starts at least `gap` minutes after `first` ends (parts of a series)."""

    first: int
    then: int
    gap: int = 0


@dataclass(frozen=True)
class SameDay:
    a: int
    b: int


@dataclass(frozen=True)
class NotParallel:
    """`a` and `b` must not overlap in time (same audience, same organiser...)."""

    a: int
    b: int


@dataclass(frozen=True)
class TimeWindow:
    """`session` starts at or after `start` and ends by `end`."""

    session: int
    start: int
    end: int


Constraint = After | SameDay | NotParallel | TimeWindow


@dataclass(frozen=True)
class TimetableConfig:
    """What a caller can tune.

    `slot_minutes`: the start grid. `time_limit`: seconds; with `deterministic` (default) it is
    CP-SAT's deterministic time on one worker (the same input gives the same timetable), else
    wall-clock seconds on `workers` workers. `min_overlap` and `max_pairs_per_session` choose
    which audience overlaps the model optimises (pairs below `min_overlap`, and those outside
    each session's top `max_pairs_per_session` by overlap, are left out; None: no cap); the
    reported `clashes` always count every pair. `explain` looks for the conflicting rules
    when there is no timetable."""

    slot_minutes: int = 15
    time_limit: float = 10.0
    seed: int = 0
    deterministic: bool = True
    workers: int = 1
    min_overlap: int = 1
    max_pairs_per_session: int | None = None
    explain: bool = True
    explain_time_limit: float = 5.0


@dataclass(frozen=True)
class Placement:
    session: int
    room: int
    start: int
    end: int


@dataclass(frozen=True)
class Conflict:
    """One sentence of an explanation, also as data so that a caller can word it in another
    language: `code` names its shape and `params` fill it. Sessions, rooms and speakers are
    given by title or name (`session`, `a`, `b`, `first`, `then`, `room`, `speaker`; lists in
    `sessions`, `rooms`, `travel`), times in minutes as the input gave them (`at`, `at_b`,
    `start`, `end`; `windows` as [start, end) pairs), durations in minutes (`minutes`,
    `longest`, `gap`), head counts in `need` and `capacity`. `text` is the English sentence."""

    code: str
    params: Mapping[str, object]
    text: str


@dataclass(frozen=True)
class Timetable:
    """The result. `placements` by session id (empty when infeasible or unknown).
    `clashes`: sum, over pairs of sessions that overlap in time, of the people who want both
    (every pair of the input). `objective`: the same over the pairs the model optimises;
    `bound`: a proven lower bound on that, hence on `clashes` (the larger of CP-SAT's and the
    crowding bound of bound.py); `gap` = (clashes - bound) / clashes (0 when clashes is 0).
    "optimal" means no timetable has fewer clashes among the optimised pairs (and overall
    when `pairs_modelled == pairs_total`).
    `conflicts`: plain sentences naming rules that cannot hold together (when infeasible);
    `conflict_items`: the same as `Conflict`s, for wording them in other languages.
    `greedy_clashes`: the clashes of the greedy timetable used as a start (None if greedy
    failed)."""

    status: Status
    placements: Mapping[int, Placement]
    clashes: int
    objective: int
    bound: int
    gap: float
    conflicts: tuple[str, ...] = ()
    greedy_clashes: int | None = None
    pairs_modelled: int = 0
    pairs_total: int = 0
    seconds: float = 0.0
    notes: tuple[str, ...] = field(default=())
    conflict_items: tuple[Conflict, ...] = ()
