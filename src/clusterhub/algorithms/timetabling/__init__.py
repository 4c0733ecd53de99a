"""Conference timetabling: sessions into rooms and times, with the fewest audience clashes
(pure: no Django).

    timetable(days, rooms, speakers, sessions, constraints=(), overlap={}, config=...)
        -> Timetable

See docs/algorithms/timetabling.md for the model, the explanation method and the limits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations

from .solve import run
from .types import (
    After,
    Conflict,
    Constraint,
    Day,
    NotParallel,
    Placement,
    Room,
    SameDay,
    Session,
    Speaker,
    Status,
    Timetable,
    TimetableConfig,
    TimeWindow,
)

__all__ = [
    "After", "Conflict", "Constraint", "Day", "NotParallel", "Placement", "Room", "SameDay",
    "Session", "Speaker", "Status", "TimeWindow", "Timetable", "TimetableConfig",
    "audience_overlap", "timetable",
]  # fmt: skip

_DEFAULT = TimetableConfig()


def timetable(
    days: Sequence[Day],
    rooms: Sequence[Room],
    speakers: Sequence[Speaker],
    sessions: Sequence[Session],
    constraints: Sequence[Constraint] = (),
    overlap: Mapping[tuple[int, int], int] | None = None,
    *,
    config: TimetableConfig = _DEFAULT,
) -> Timetable:
    """Place every session in a room at a start time, with the fewest audience clashes.

    Hard rules, never broken in a returned timetable: no room and no speaker holds two
    sessions at once (a speaker's session is padded with its travel time); every session
    starts on the `config.slot_minutes` grid of one day and ends by the day's end, in an
    allowed room that is open then and holds its `need`, while its speakers are available
    (travel included), inside its `TimeWindow`s; `After`, `SameDay` and `NotParallel` hold.
    Pinned sessions stay where they are (their own window, availability and capacity are not
    checked; the rules linking them to other sessions are).

    Objective: the sum of `overlap[a, b]` (people wanting both a and b) over pairs placed at
    overlapping times. Returns the optimum, or the best timetable found in `config.time_limit`
    with its proven bound and gap; when there is none, `conflicts` says which rules clash.
    Deterministic for a given input and seed when `config.deterministic`. Pure computation.

    Raises ValueError for inconsistent input (see `instance.compile_instance`)."""
    return run(days, rooms, speakers, sessions, constraints, overlap or {}, config)


def audience_overlap(interests: Iterable[Iterable[int]]) -> dict[tuple[int, int], int]:
    """(a, b) with a < b -> how many people want both, from each person's set of sessions
    (sign-ups, bookmarks or declared interest)."""
    out: dict[tuple[int, int], int] = {}
    for wanted in interests:
        for pair in combinations(sorted(set(wanted)), 2):
            out[pair] = out.get(pair, 0) + 1
    return out
