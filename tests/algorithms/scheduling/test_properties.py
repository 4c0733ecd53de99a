"""Properties of `schedule` that must hold for any input: the hard rules, fixed meetings left
where they are, true "why not" answers, valid bounds, and determinism."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from clusterhub.algorithms.scheduling import (
    MeetingRequest,
    Person,
    ScheduleConfig,
    Slot,
    schedule,
)

from .reference import is_fixed, kept, violations

Instance = tuple[list[Slot], list[Person], list[MeetingRequest], ScheduleConfig]
caps = st.one_of(st.none(), st.integers(min_value=0, max_value=3))


@st.composite
def instances(draw: st.DrawFn) -> Instance:
    n_slots = draw(st.integers(min_value=1, max_value=6))
    pause = draw(st.sampled_from((0, 10)))  # 0: slots touch end to start
    slots = [
        Slot(id=10 + i, start=(30 + pause) * i, end=(30 + pause) * i + 30,
             tables=draw(st.integers(min_value=0, max_value=3)),
             session=draw(st.sampled_from((None, 1, 2))))
        for i in range(n_slots)
    ]  # fmt: skip
    horizon = slots[-1].end
    n_people = draw(st.integers(min_value=2, max_value=8))
    people = []
    for pid in range(1, n_people + 1):
        busy = draw(st.lists(
            st.tuples(st.integers(min_value=0, max_value=horizon), st.sampled_from((15, 30, 45))),
            max_size=2,
        ))  # fmt: skip
        available = draw(
            st.one_of(st.none(), st.frozensets(st.sampled_from([s.id for s in slots])))
        )
        people.append(Person(
            id=pid, busy=tuple((b, b + length) for b, length in busy),
            available_slots=available, max_meetings=draw(caps), max_per_session=draw(caps),
        ))  # fmt: skip
    pairs = draw(st.lists(
        st.tuples(st.integers(1, n_people), st.integers(1, n_people)).filter(lambda p: p[0] < p[1]),
        unique=True, max_size=16,
    ))  # fmt: skip
    seats: set[tuple[int, int]] = set()
    requests = []
    for k, (a, b) in enumerate(pairs):
        placed, kind = None, draw(st.sampled_from(("new", "new", "locked", "published", "draft")))
        if kind != "new":
            s = draw(st.sampled_from(slots))
            table = draw(st.integers(min_value=1, max_value=3))
            # Earlier placements come from a valid schedule: no seat or person used twice.
            if table <= s.tables and not {(s.id, -table), (s.id, a), (s.id, b)} & seats:
                placed = (s.id, table)
                seats |= {(s.id, -table), (s.id, a), (s.id, b)}
        requests.append(MeetingRequest(
            id=100 + k, a=a, b=b, weight=draw(st.sampled_from((2e-5, 0.25, 1.0, 2.5, 1e7))),
            must_meet=draw(st.booleans()), proposed=draw(st.booleans()), placed=placed,
            locked=placed is not None and kind == "locked",
            published=placed is not None and kind == "published",
        ))  # fmt: skip
    config = ScheduleConfig(
        max_meetings_per_person=draw(caps), max_per_session=draw(caps),
        allow_moving_published=draw(st.booleans()), seed=draw(st.integers(0, 3)),
        method=draw(st.sampled_from(("full", "heuristic", "greedy"))),
    )  # fmt: skip
    return slots, people, requests, config


@settings(max_examples=150, deadline=None)
@given(instance=instances())
def test_schedule_keeps_every_rule_and_explains_every_gap(instance: Instance) -> None:
    slots, people, requests, config = instance

    result = schedule(slots, people, requests, config=config)

    assert violations(slots, people, requests, config, result) == []


@settings(max_examples=80, deadline=None)
@given(instance=instances())
def test_schedule_leaves_fixed_and_keeps_earlier_meetings(instance: Instance) -> None:
    slots, people, requests, config = instance
    if config.method == "greedy":
        config = replace(config, method="heuristic")

    result = schedule(slots, people, requests, config=config)

    where = {a.request: (a.slot, a.table) for a in result.assignments}
    for r in requests:
        if is_fixed(r, config):
            assert where[r.id] == r.placed
    assert kept(slots, people, requests, config) <= set(where)
    earlier = {r.id: r.placed for r in requests if r.placed is not None and not is_fixed(r, config)}
    assert set(result.moved) == {rid for rid, at in earlier.items() if where.get(rid, at) != at}


@settings(max_examples=80, deadline=None)
@given(instance=instances())
def test_schedule_stays_within_its_bounds_and_is_deterministic(instance: Instance) -> None:
    slots, people, requests, config = instance

    first = schedule(slots, people, requests, config=config)
    second = schedule(slots, people, requests, config=config)

    assert first.scheduled_count <= first.upper_bound_count
    assert first.scheduled_weight <= first.upper_bound_weight + 1e-9
    assert first.must_meet_count <= first.upper_bound_must_meet
    assert 0.0 <= first.ratio <= 1.0
    assert replace(first, seconds=0.0) == replace(second, seconds=0.0)
