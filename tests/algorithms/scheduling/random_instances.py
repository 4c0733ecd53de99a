"""Small seeded instances for the exact-optimum and example tests: tight tables and caps,
parts of people's agendas busy, some people available only in one session, and (optionally)
locked, published and earlier placements."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from clusterhub.algorithms.scheduling import MeetingRequest, Person, ScheduleConfig, Slot


@dataclass(frozen=True)
class Case:
    slots: list[Slot]
    people: list[Person]
    requests: list[MeetingRequest]
    config: ScheduleConfig


def small_case(
    seed: int,
    *,
    n_people: int = 24,
    n_requests: int = 70,
    n_slots: int = 8,
    weighted: bool = False,
    placed: bool = False,
) -> Case:
    rng = random.Random(seed)
    half = n_slots // 2
    slots = []
    for i in range(n_slots):
        start = 30 * i + (60 if i >= half else 0)  # a break between the two sessions
        slots.append(Slot(id=100 + i, start=start, end=start + 30, tables=rng.randint(1, 4),
                          session=0 if i < half else 1))  # fmt: skip
    people = []
    for i in range(n_people):
        busy: tuple[tuple[int, int], ...] = ()
        if rng.random() < 0.3:
            start = rng.randrange(0, slots[-1].end, 15)
            busy = ((start, start + rng.choice((30, 45, 60))),)
        available = None
        if rng.random() < 0.2:
            g = rng.randint(0, 1)
            available = frozenset(s.id for s in slots if s.session == g)
        cap = rng.choice((None, None, 2, 3))
        people.append(Person(id=i + 1, busy=busy, available_slots=available, max_meetings=cap))
    pairs: set[tuple[int, int]] = set()
    popular = [rng.paretovariate(1.5) for _ in people]
    while len(pairs) < n_requests:
        a, b = rng.choices(range(1, n_people + 1), weights=popular, k=2)
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    requests = []
    for k, (a, b) in enumerate(sorted(pairs)):
        weight = round(rng.uniform(0.1, 1.0), 3) if weighted else 1.0
        must = weighted and rng.random() < 0.1
        proposed = weighted and not must and rng.random() < 0.2
        requests.append(MeetingRequest(id=k + 1, a=a, b=b, weight=weight, must_meet=must,
                                       proposed=proposed))  # fmt: skip
    if placed:
        requests = _placements(rng, slots, people, requests)
    config = ScheduleConfig(max_meetings_per_person=4, max_per_session=3, seed=seed)
    return Case(slots, people, requests, config)


def _placements(
    rng: random.Random, slots: list[Slot], people: list[Person], requests: list[MeetingRequest]
) -> list[MeetingRequest]:
    """Lock, publish or pre-place about a fifth of the requests, never two on one table or
    one person twice in a slot (rules a fixed schedule from the database always keeps)."""
    seats: set[tuple[int, int]] = set()
    persons: set[tuple[int, int]] = set()
    out = []
    for r in requests:
        if rng.random() < 0.2:
            s = rng.choice(slots)
            free = [t for t in range(1, s.tables + 1) if (s.id, t) not in seats]
            if free and (r.a, s.id) not in persons and (r.b, s.id) not in persons:
                table = rng.choice(free)
                seats.add((s.id, table))
                persons |= {(r.a, s.id), (r.b, s.id)}
                kind = rng.choice(("locked", "published", "draft"))
                r = replace(r, placed=(s.id, table), locked=kind == "locked",
                            published=kind == "published")  # fmt: skip
        out.append(r)
    return out
