"""Worked examples of `schedule`: the rules at their edges, every "why not" answer, the
objective's priorities, tables, gaps, rescheduling, and the input it refuses."""

from __future__ import annotations

import pytest

from clusterhub.algorithms.scheduling import (
    MeetingRequest,
    Person,
    Schedule,
    ScheduleConfig,
    Slot,
    WhyNot,
    schedule,
)

from .reference import violations

GRID = [Slot(id=s, start=30 * (s - 1), end=30 * s, tables=2, session=1) for s in (1, 2, 3, 4)]


def _people(*ids: int, **overrides: Person) -> list[Person]:
    return [overrides.get(f"p{i}", Person(id=i)) for i in ids]


def _where(result: Schedule) -> dict[int, tuple[int, int]]:
    return {a.request: (a.slot, a.table) for a in result.assignments}


def test_schedule_touching_agenda_does_not_block_a_slot() -> None:
    slots = [Slot(id=1, start=30, end=60, tables=1)]
    touching = [Person(id=1, busy=((0, 30), (60, 90))), Person(id=2)]
    overlapping = [Person(id=1, busy=((0, 31),)), Person(id=2)]
    request = [MeetingRequest(id=7, a=1, b=2)]

    ok = schedule(slots, touching, request)
    blocked = schedule(slots, overlapping, request)

    assert _where(ok) == {7: (1, 1)}
    assert blocked.unscheduled == {7: WhyNot("no_common_slot")}


def test_schedule_explains_no_common_slot_when_agendas_never_meet() -> None:
    people = [Person(id=1, available_slots=frozenset({1, 2})), Person(id=2, busy=((0, 60),))]

    result = schedule(GRID, people, [MeetingRequest(id=7, a=1, b=2)])

    assert result.unscheduled == {7: WhyNot("no_common_slot")}
    assert result.upper_bound_count == 0
    assert result.ratio == 1.0


def test_schedule_explains_no_common_slot_when_free_slots_do_not_meet() -> None:
    slots = [Slot(id=1, start=0, end=30, tables=5)]
    requests = [MeetingRequest(id=7, a=1, b=2, weight=2.0), MeetingRequest(id=8, a=1, b=3)]

    result = schedule(slots, _people(1, 2, 3), requests)

    assert _where(result) == {7: (1, 1)}
    assert result.unscheduled == {8: WhyNot("no_common_slot")}


def test_schedule_explains_cap_reached_and_names_the_person() -> None:
    people = _people(1, 2, 3, p1=Person(id=1, max_meetings=1))
    requests = [MeetingRequest(id=7, a=1, b=2), MeetingRequest(id=8, a=1, b=3, weight=0.5)]

    result = schedule(GRID, people, requests)

    assert set(_where(result)) == {7}
    assert result.unscheduled == {8: WhyNot("cap_reached", 1)}


def test_schedule_explains_cap_reached_for_the_session_cap() -> None:
    slots = [*GRID[:2], Slot(id=9, start=500, end=530, tables=2, session=2)]
    people = _people(1, 2, 3, p3=Person(id=3, available_slots=frozenset({1, 2})))
    requests = [MeetingRequest(id=7, a=1, b=2), MeetingRequest(id=8, a=1, b=3)]
    config = ScheduleConfig(max_per_session=1)

    result = schedule(slots, people, requests, config=config)

    assert _where(result)[7][0] == 9  # 1-2 goes to the other session to make room
    assert _where(result)[8][0] in {1, 2}
    tight = schedule(slots[:2], people, requests, config=config)
    assert len(tight.assignments) == 1
    assert next(iter(tight.unscheduled.values())) == WhyNot("cap_reached", 1)


def test_schedule_explains_no_table() -> None:
    slots = [Slot(id=1, start=0, end=30, tables=1), Slot(id=2, start=30, end=60, tables=0)]
    requests = [MeetingRequest(id=7, a=1, b=2, weight=2.0), MeetingRequest(id=8, a=3, b=4)]

    result = schedule(slots, _people(1, 2, 3, 4), requests)

    assert _where(result) == {7: (1, 1)}
    assert result.unscheduled == {8: WhyNot("no_table")}


def test_schedule_bound_of_a_triangle_is_rounded_down_to_the_optimum() -> None:
    people = [Person(id=i, max_meetings=1) for i in (1, 2, 3)]
    requests = [MeetingRequest(id=10 + i, a=a, b=b)
                for i, (a, b) in enumerate(((1, 2), (2, 3), (1, 3)))]  # fmt: skip

    result = schedule(GRID, people, requests)

    # The LP may take every pair half (1.5 meetings); a schedule holds whole meetings.
    assert (result.scheduled_count, result.upper_bound_count, result.ratio) == (1, 1, 1.0)
    assert result.proven_optimal


def test_schedule_puts_must_meet_before_weight_and_accepted_before_proposed() -> None:
    people = _people(1, 2, 3, 4, p1=Person(id=1, max_meetings=1), p4=Person(id=4, max_meetings=1))
    requests = [
        MeetingRequest(id=7, a=1, b=2, weight=0.1, must_meet=True),
        MeetingRequest(id=8, a=1, b=3, weight=0.9),
        MeetingRequest(id=9, a=4, b=2, weight=0.2),
        MeetingRequest(id=10, a=4, b=3, weight=0.9, proposed=True),
    ]

    result = schedule(GRID, people, requests)

    assert set(_where(result)) == {7, 9}
    assert (result.must_meet_count, result.upper_bound_must_meet) == (1, 1)
    assert result.unscheduled == {8: WhyNot("cap_reached", 1), 10: WhyNot("cap_reached", 4)}


def test_schedule_numbers_tables_around_fixed_ones() -> None:
    slots = [Slot(id=1, start=0, end=30, tables=3)]
    requests = [
        MeetingRequest(id=7, a=1, b=2, placed=(1, 1), published=True),
        MeetingRequest(id=8, a=3, b=4, placed=(1, 3), locked=True),
        MeetingRequest(id=9, a=5, b=6),
    ]

    result = schedule(slots, _people(1, 2, 3, 4, 5, 6), requests)

    assert _where(result) == {7: (1, 1), 8: (1, 3), 9: (1, 2)}


def test_schedule_keeps_a_locked_meeting_that_breaks_an_agenda_and_reports_it() -> None:
    people = _people(1, 2, p1=Person(id=1, busy=((0, 30),)))
    requests = [MeetingRequest(id=7, a=1, b=2, placed=(1, 2), locked=True)]

    result = schedule(GRID, people, requests)

    assert _where(result) == {7: (1, 2)}
    assert result.conflicts == (7,)


def test_schedule_moves_published_meetings_only_when_allowed() -> None:
    people = _people(1, 2, 3, p3=Person(id=3, available_slots=frozenset({1})))
    requests = [
        MeetingRequest(id=7, a=1, b=2, placed=(1, 1), published=True),
        MeetingRequest(id=8, a=1, b=3),
    ]

    kept = schedule(GRID, people, requests)
    moved = schedule(GRID, people, requests, config=ScheduleConfig(allow_moving_published=True))

    assert _where(kept) == {7: (1, 1)}
    assert kept.unscheduled == {8: WhyNot("no_common_slot")}
    assert _where(moved)[8][0] == 1
    assert _where(moved)[7][0] != 1
    assert moved.moved == (7,)


def test_schedule_reschedules_after_a_cancellation_without_moving_published_meetings() -> None:
    people = [Person(id=i) for i in range(1, 9)]
    pairs = [(1, 2), (3, 4), (5, 6), (7, 8), (1, 3), (2, 4), (5, 7), (6, 8)]
    requests = [MeetingRequest(id=10 + k, a=a, b=b) for k, (a, b) in enumerate(pairs)]
    slots = [Slot(id=s, start=30 * s, end=30 * s + 30, tables=2, session=1) for s in range(4)]
    first = schedule(slots, people, requests)
    placed = _where(first)
    assert len(placed) == len(requests)
    cancelled = next(iter(placed))
    late = MeetingRequest(id=99, a=2, b=7)
    again = [
        MeetingRequest(id=r.id, a=r.a, b=r.b, placed=placed[r.id], published=True)
        for r in requests if r.id != cancelled
    ] + [late]  # fmt: skip

    second = schedule(slots, people, again)

    after = _where(second)
    assert all(after[rid] == where for rid, where in placed.items() if rid != cancelled)
    assert 99 in after
    assert violations(slots, people, again, ScheduleConfig(), second) == []


def test_schedule_spreads_idle_gaps_by_closing_a_long_wait() -> None:
    people = _people(1, 2, 3, p2=Person(id=2, available_slots=frozenset({4})))
    requests = [MeetingRequest(id=7, a=1, b=2), MeetingRequest(id=8, a=1, b=3)]

    result = schedule(GRID, people, requests)

    assert _where(result)[7][0] == 4
    assert _where(result)[8][0] == 3  # next to 7, not in slot 1 with two idle slots between
    assert result.idle_penalty == 0


def test_schedule_of_nothing_is_empty_and_optimal() -> None:
    result = schedule(GRID, _people(1, 2), [])

    assert (result.assignments, dict(result.unscheduled)) == ((), {})
    assert (result.ratio, result.ratio_weight, result.proven_optimal) == (1.0, 1.0, True)


@pytest.mark.parametrize(
    ("slots", "people", "requests", "message"),
    [
        ([GRID[0], GRID[0]], _people(1, 2), [], "slot ids must be unique"),
        ([GRID[0], Slot(id=9, start=10, end=40, tables=1)], _people(1, 2), [], "overlap"),
        ([Slot(id=1, start=5, end=5, tables=1)], _people(1, 2), [], "end after it starts"),
        (GRID, _people(1, 1), [], "person ids must be unique"),
        (GRID, _people(1, 2), [MeetingRequest(id=1, a=1, b=3)], "unknown person"),
        (GRID, _people(1, 2), [MeetingRequest(id=1, a=1, b=1)], "themselves"),
        (GRID, _people(1, 2), [MeetingRequest(id=1, a=1, b=2, weight=0)], "positive weight"),
        (GRID, _people(1, 2), [MeetingRequest(id=1, a=1, b=2), MeetingRequest(id=2, a=2, b=1)],
         "two requests for the pair"),
        (GRID, _people(1, 2), [MeetingRequest(id=1, a=1, b=2, locked=True)], "not placed"),
        (GRID, _people(1, 2), [MeetingRequest(id=1, a=1, b=2, placed=(1, 3))], "not in 1..tables"),
        (GRID, _people(1, 2), [MeetingRequest(id=1, a=1, b=2, placed=(9, 1))], "unknown slot"),
        (GRID, _people(1, 2, 3), [MeetingRequest(id=1, a=1, b=2, placed=(1, 1), locked=True),
                                  MeetingRequest(id=2, a=1, b=3, placed=(1, 2), locked=True)],
         "two fixed meetings in"),
    ],
)  # fmt: skip
def test_schedule_refuses_inconsistent_input(
    slots: list[Slot], people: list[Person], requests: list[MeetingRequest], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        schedule(slots, people, requests)


def test_schedule_refuses_an_unknown_method() -> None:
    with pytest.raises(ValueError, match="unknown method"):
        schedule(GRID, _people(1, 2), [], config=ScheduleConfig(method="magic"))  # type: ignore[arg-type]
