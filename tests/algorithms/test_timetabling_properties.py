"""Hard rules of the timetabler hold on random small instances; pinned sessions stay; an
optimal timetable is never worse than the greedy one."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusterhub.algorithms.timetabling import (
    After,
    Constraint,
    Day,
    NotParallel,
    Placement,
    Room,
    SameDay,
    Session,
    Speaker,
    Timetable,
    TimetableConfig,
    TimeWindow,
    timetable,
)
from clusterhub.algorithms.timetabling.bound import crowding_bound
from clusterhub.algorithms.timetabling.explain import prechecks
from clusterhub.algorithms.timetabling.greedy import greedy
from clusterhub.algorithms.timetabling.instance import (
    candidates,
    clashes,
    compile_instance,
    modelled_pairs,
)
from clusterhub.algorithms.timetabling.lns import improve

DAYS = [Day(1, 540, 780), Day(2, 1440 + 540, 1440 + 780)]
CONFIG = TimetableConfig(time_limit=2.0, explain=False)


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Room], list[Speaker], list[Session], list, dict]:
    n_rooms = draw(st.integers(1, 3))
    rooms = [
        Room(r, f"R{r}", draw(st.sampled_from([20, 50, 100])),
             available=draw(st.sampled_from([None, ((540, 780),), ((600, 2220),)])),
             travel_minutes=draw(st.sampled_from([0, 0, 15])))
        for r in range(1, n_rooms + 1)
    ]  # fmt: skip
    speakers = [
        Speaker(p, f"P{p}", draw(st.sampled_from([None, None, ((540, 700),), ((1980, 2220),)])))
        for p in range(1, 5)
    ]
    n = draw(st.integers(2, 7))
    sessions = []
    for i in range(1, n + 1):
        pinned = None
        if i == 1 and draw(st.booleans()):
            pinned = (1, 540 + 15 * draw(st.integers(0, 8)))
        sessions.append(Session(
            i, f"S{i}", draw(st.sampled_from([15, 30, 45, 60])),
            audience=draw(st.integers(0, 60)),
            speakers=tuple(draw(st.sets(st.integers(1, 4), max_size=2))),
            pinned=pinned, travel_before=draw(st.sampled_from([0, 0, 10])),
            current=draw(st.one_of(st.none(), st.tuples(
                st.integers(1, n_rooms), st.sampled_from([540, 600, 660, 1980, 2040])))),
        ))  # fmt: skip
    constraints: list[Constraint] = []
    for _ in range(draw(st.integers(0, 3))):
        a, b = draw(st.lists(st.integers(1, n), min_size=2, max_size=2, unique=True))
        kind = draw(st.sampled_from(["after", "same", "not", "window"]))
        constraints.append({"after": After(a, b, draw(st.sampled_from([0, 15]))),
                            "same": SameDay(a, b), "not": NotParallel(a, b),
                            "window": TimeWindow(a, 540, 780)}[kind])  # fmt: skip
    overlap = {
        (a, b): draw(st.integers(0, 9)) for a in range(1, n + 1) for b in range(a + 1, n + 1)
    }
    return rooms, speakers, sessions, constraints, overlap


def inside(lo: int, hi: int, windows: tuple[tuple[int, int], ...] | None) -> bool:
    return windows is None or any(a <= lo and hi <= b for a, b in windows)


def check(result: Timetable, rooms: list[Room], speakers: list[Speaker],
          sessions: list[Session], constraints: list) -> None:  # fmt: skip
    room = {r.id: r for r in rooms}
    speaker = {p.id: p for p in speakers}
    by_id = {s.id: s for s in sessions}
    pl = result.placements
    assert set(pl) == set(by_id)
    day_of = {s: next(k for k, d in enumerate(DAYS) if d.start <= p.start < d.end)
              for s, p in pl.items()}  # fmt: skip
    for s, p in pl.items():
        sess = by_id[s]
        assert p.end == p.start + sess.duration
        if sess.pinned is not None:
            assert (p.room, p.start) == sess.pinned
            continue
        d = DAYS[day_of[s]]
        assert (p.start - d.start) % CONFIG.slot_minutes == 0
        assert p.end <= d.end
        assert room[p.room].capacity >= sess.need
        assert inside(p.start, p.end, room[p.room].available)
        pad = (max(sess.travel_before, room[p.room].travel_minutes),
               max(sess.travel_after, room[p.room].travel_minutes))  # fmt: skip
        for sp in sess.speakers:
            assert inside(p.start - pad[0], p.end + pad[1], speaker[sp].available)
    for a in pl.values():
        for b in pl.values():
            if a.session >= b.session:
                continue
            sa, sb = by_id[a.session], by_id[b.session]
            if a.room == b.room:
                assert a.end <= b.start or b.end <= a.start
            if set(sa.speakers) & set(sb.speakers):
                pa = max(sa.travel_before, room[a.room].travel_minutes)
                qa = max(sa.travel_after, room[a.room].travel_minutes)
                pb = max(sb.travel_before, room[b.room].travel_minutes)
                qb = max(sb.travel_after, room[b.room].travel_minutes)
                assert a.end + qa <= b.start - pb or b.end + qb <= a.start - pa
    for c in constraints:
        if isinstance(c, After):
            assert pl[c.then].start >= pl[c.first].end + c.gap
        elif isinstance(c, SameDay):
            assert day_of[c.a] == day_of[c.b]
        elif isinstance(c, NotParallel):
            assert pl[c.a].end <= pl[c.b].start or pl[c.b].end <= pl[c.a].start
        elif isinstance(c, TimeWindow) and by_id[c.session].pinned is None:
            assert c.start <= pl[c.session].start
            assert pl[c.session].end <= c.end


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(instances())
def test_timetable_never_breaks_hard_rules(data: tuple) -> None:
    rooms, speakers, sessions, constraints, overlap = data
    result = timetable(DAYS, rooms, speakers, sessions, constraints, overlap, config=CONFIG)
    if result.status in ("infeasible", "unknown"):
        assert result.placements == {}
        return
    check(result, rooms, speakers, sessions, constraints)
    assert result.bound <= result.clashes
    if result.status == "optimal" and result.greedy_clashes is not None:
        assert result.clashes <= result.greedy_clashes
    if result.status == "optimal":  # the crowding LP never exceeds the optimum
        inst = compile_instance(DAYS, rooms, speakers, sessions, constraints, overlap, CONFIG)
        assert crowding_bound(inst, modelled_pairs(inst), step=1) <= result.clashes


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(instances())
def test_neighbourhood_search_keeps_hard_rules_and_never_worsens(data: tuple) -> None:
    rooms, speakers, sessions, constraints, overlap = data
    inst = compile_instance(DAYS, rooms, speakers, sessions, constraints, overlap, CONFIG)
    if prechecks(inst):
        return
    cand = candidates(inst)
    start = greedy(inst, cand)
    if start is None:
        return
    pairs = modelled_pairs(inst)
    placed, _ = improve(inst, cand, pairs, start, 1.0, deterministic=True, size=2,
                        max_rounds=15)  # fmt: skip
    dur = {s.id: s.duration for s in sessions}
    result = Timetable("feasible", {s: Placement(s, r, t, t + dur[s])
                                    for s, (r, t) in placed.items()}, 0, 0, 0, 0.0)  # fmt: skip
    check(result, rooms, speakers, sessions, constraints)
    assert clashes(inst, placed, pairs) <= clashes(inst, start, pairs)


def test_timetable_finds_the_known_optimum() -> None:
    # Two rooms, one 60-minute slot each on a one-hour day... and three talks: two must run
    # in parallel. The pair wanted by fewest people (1) is the one to clash.
    day = [Day(1, 540, 660)]
    rooms = [Room(1, "A", 100), Room(2, "B", 100)]
    sessions = [Session(i, f"T{i}", 60) for i in (1, 2, 3)]
    overlap = {(1, 2): 5, (1, 3): 4, (2, 3): 1}
    result = timetable(day, rooms, [], sessions, (), overlap, config=CONFIG)
    assert result.status == "optimal"
    assert result.clashes == 1
    assert result.bound == 1
    assert result.placements[2].start == result.placements[3].start
    inst = compile_instance(day, rooms, [], sessions, (), overlap, CONFIG)
    assert crowding_bound(inst, modelled_pairs(inst), step=1) == 1  # 180 minutes in 120


def test_timetable_is_deterministic() -> None:
    rooms = [Room(1, "A", 100), Room(2, "B", 50)]
    sessions = [Session(i, f"T{i}", 30 + 15 * (i % 3), audience=10 * i) for i in range(1, 8)]
    overlap = {(a, b): (a * b) % 7 for a in range(1, 8) for b in range(a + 1, 8)}
    runs = [timetable(DAYS, rooms, [], sessions, (), overlap, config=CONFIG) for _ in range(2)]
    assert runs[0].placements == runs[1].placements


def test_timetable_leaves_sessions_where_they_are_when_moving_saves_nothing() -> None:
    # Three talks in a row in room A and a fourth in room B at 11:00. Nobody wants two of
    # them: the search may place them anywhere, but the proposal moves none.
    rooms = [Room(1, "A", 100), Room(2, "B", 100)]
    now = {1: (1, 600), 2: (1, 660), 3: (1, 720), 4: (2, 660)}
    sessions = [Session(i, f"T{i}", 60, current=now[i]) for i in (1, 2, 3, 4)]
    result = timetable(DAYS, rooms, [], sessions, (), {}, config=CONFIG)
    assert {p.session: (p.room, p.start) for p in result.placements.values()} == now


def test_timetable_moves_only_the_session_whose_move_saves_clashes() -> None:
    # T1 and T2 run at 10:00 side by side and 9 people want both; T3 at 11:00 in A. Moving
    # one of T1 and T2 away from the other saves the clash; nothing else needs to move.
    rooms = [Room(1, "A", 100), Room(2, "B", 100)]
    now = {1: (1, 600), 2: (2, 600), 3: (1, 660)}
    sessions = [Session(i, f"T{i}", 60, current=now[i]) for i in (1, 2, 3)]
    result = timetable(DAYS, rooms, [], sessions, (), {(1, 2): 9}, config=CONFIG)
    assert result.clashes == 0
    placed = {p.session: (p.room, p.start) for p in result.placements.values()}
    assert sum(placed[i] != now[i] for i in now) == 1
