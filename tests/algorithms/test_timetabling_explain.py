"""When no timetable exists, the sentences name the rules that conflict."""

from __future__ import annotations

from clusterhub.algorithms.timetabling import (
    After,
    Day,
    Room,
    SameDay,
    Session,
    Speaker,
    TimetableConfig,
    TimeWindow,
    timetable,
)

DAYS = [Day(1, 540, 720), Day(2, 1440 + 540, 1440 + 720)]
ROOMS = [Room(1, "Main hall", 250), Room(2, "Studio", 40)]
CONFIG = TimetableConfig(time_limit=2.0)


def test_timetable_explains_an_ordering_cycle() -> None:
    sessions = [Session(1, "Keynote", 60), Session(2, "Panel", 60), Session(3, "Demo", 30)]
    result = timetable(DAYS, ROOMS, [], sessions, [After(1, 2), After(2, 1)], config=CONFIG)
    assert result.status == "infeasible"
    assert result.conflicts[1:] == (
        "“Panel” must start after “Keynote” ends.",
        "“Keynote” must start after “Panel” ends.",
    )
    # the same as data, for wording in other languages
    assert tuple(c.text for c in result.conflict_items) == result.conflicts
    assert [c.code for c in result.conflict_items] == ["lead_minimal", "after", "after"]
    assert dict(result.conflict_items[1].params) == {"then": "Panel", "first": "Keynote", "gap": 0}


def test_timetable_explains_missing_capacity() -> None:
    sessions = [Session(1, "Plenary", 60, audience=300)]
    result = timetable(DAYS, ROOMS, [], sessions, config=CONFIG)
    assert result.conflicts == (
        "No room holds 300 people for “Plenary”: the largest room, Main hall, holds 250.",
    )
    (item,) = result.conflict_items
    assert item.code == "too_small"
    assert dict(item.params) == {"session": "Plenary", "need": 300, "room": "Main hall",
                                 "capacity": 250}  # fmt: skip


def test_timetable_explains_availability_against_same_day() -> None:
    ada = Speaker(1, "Ada Lovelace", available=((540, 720),))
    sessions = [
        Session(1, "Workshop A", 60, speakers=(1,)),
        Session(2, "Lunch talk", 30),
        Session(3, "Other", 30),
    ]
    rules = [SameDay(1, 2), TimeWindow(2, 1980, 2160)]
    result = timetable(DAYS, ROOMS, [ada], sessions, rules, config=CONFIG)
    assert result.status == "infeasible"
    assert set(result.conflicts[1:]) == {
        "Speaker Ada Lovelace is available only day 1 09:00–12:00 (for “Workshop A”).",
        "“Workshop A” and “Lunch talk” must be on the same day.",
        "“Lunch talk” must be held between day 2 09:00 and day 2 12:00.",
    }


def test_timetable_explains_travel_for_a_speaker() -> None:
    one_day = [DAYS[0]]
    rooms = [*ROOMS, Room(3, "Hospital lab (off-site)", 30, travel_minutes=30)]
    bo = Speaker(1, "Bo Ek")
    sessions = [
        Session(1, "Lab visit", 150, speakers=(1,), rooms=frozenset({3})),
        Session(2, "Talk", 30, speakers=(1,), rooms=frozenset({1, 2})),
    ]
    result = timetable(one_day, rooms, [bo], sessions, config=CONFIG)
    assert result.status == "infeasible"
    assert result.conflicts[1:] == (
        "Speaker Bo Ek cannot be in two places at once: “Lab visit” and “Talk” must not "
        "overlap, with travel time before and after “Lab visit”.",
    )


def test_timetable_explains_pinned_sessions_that_collide() -> None:
    sessions = [
        Session(1, "Opening", 60, pinned=(1, 540)),
        Session(2, "Welcome", 30, pinned=(1, 570)),
    ]
    result = timetable(DAYS, ROOMS, [], sessions, config=CONFIG)
    assert result.conflicts == (
        "“Opening” and “Welcome” are both pinned in Main hall at overlapping times "
        "(day 1 09:00 and day 1 09:30).",
    )
