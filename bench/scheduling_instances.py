"""Seeded synthetic meeting-scheduling instances shaped like a two- or three-day B2B event.

Slots are 20 minutes, back to back, in networking sessions of `per_session` slots, one
session per half-day. People:
- 30 % are confirmed for a parallel programme session (training module, site visit) that
  covers 3-6 consecutive slots of one networking session, 10 % for a second one;
- 15 % come for only part of the event (available in about half of the sessions);
- the default caps are 40 % of the slots overall and 60 % of a session; 10 % set a lower
  personal cap of their own.
Requests join people drawn by a skewed popularity (log-normal), so a few people get many
more requests than their cap allows, as at real events. Weighted instances carry a match
score in [0.2, 1] (three decimals) and, with `must_share`, that share of mutual must-meet
pairs; unweighted ones weigh 1.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from clusterhub.algorithms.scheduling import MeetingRequest, Person, ScheduleConfig, Slot

SLOT_MINUTES = 20


@dataclass(frozen=True)
class Generated:
    slots: list[Slot]
    people: list[Person]
    requests: list[MeetingRequest]
    config: ScheduleConfig


def generate(
    n_people: int,
    n_requests: int,
    n_slots: int,
    n_tables: int,
    *,
    seed: int = 0,
    weighted: bool = False,
    must_share: float = 0.0,
    per_session: int = 10,
) -> Generated:
    rng = random.Random(seed)
    slots: list[Slot] = []
    for i in range(n_slots):
        g, k = divmod(i, per_session)
        start = g * 720 + 600 + k * SLOT_MINUTES  # half-days 12 h apart, from 10:00
        slots.append(Slot(id=1000 + i, start=start, end=start + SLOT_MINUTES, tables=n_tables,
                          session=g))  # fmt: skip
    n_sessions = (n_slots + per_session - 1) // per_session
    people = [_person(i, rng, slots, n_sessions, per_session) for i in range(n_people)]
    popularity = [rng.lognormvariate(0.0, 0.8) for _ in range(n_people)]
    ids = [p.id for p in people]
    pairs: set[tuple[int, int]] = set()
    max_pairs = n_people * (n_people - 1) // 2
    target = min(n_requests, max_pairs)
    while len(pairs) < target:
        batch = rng.choices(ids, weights=popularity, k=2 * (target - len(pairs)) + 16)
        for a, b in zip(batch[::2], batch[1::2], strict=True):
            if a != b and len(pairs) < target:
                pairs.add((min(a, b), max(a, b)))
    ordered = sorted(pairs)
    rng.shuffle(ordered)
    requests = []
    for k, (a, b) in enumerate(ordered):
        if weighted:
            w = round(rng.uniform(0.2, 1.0), 3)
            must = rng.random() < must_share
        else:
            w, must = 1.0, False
        requests.append(MeetingRequest(id=k + 1, a=a, b=b, weight=w, must_meet=must))
    config = ScheduleConfig(
        max_meetings_per_person=max(1, round(0.4 * n_slots)),
        max_per_session=max(1, round(0.6 * per_session)),
        seed=seed,
    )
    return Generated(slots, people, requests, config)


def _person(i: int, rng: random.Random, slots: list[Slot], n_sessions: int, per: int) -> Person:
    busy: list[tuple[int, int]] = []
    for share in (0.3, 0.1):
        if rng.random() < share:
            g = rng.randrange(n_sessions)
            first = slots[g * per].start
            length = rng.randint(3, 6) * SLOT_MINUTES
            offset = rng.randrange(0, per * SLOT_MINUTES - length + 1, 10)
            busy.append((first + offset, first + offset + length))
    available = None
    if n_sessions > 1 and rng.random() < 0.15:
        chosen = set(rng.sample(range(n_sessions), max(1, n_sessions // 2)))
        available = frozenset(s.id for s in slots if s.session in chosen)
    own_cap = rng.randint(3, 8) if rng.random() < 0.1 else None
    return Person(id=i + 1, busy=tuple(busy), available_slots=available, max_meetings=own_cap)
