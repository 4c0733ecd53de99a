"""A synthetic large programme for benchmarks: hundreds of sessions over several days and rooms.

`build_large_event` bypasses the services (bulk inserts; the services would take minutes) but
plans the programme so that it keeps every rule they enforce: sessions inside the event's days,
no room holding two overlapping sessions (a session's parts share its room and time), parts
inside their session with unique part numbers, no person in two overlapping sessions, seats
with sign-up that fit the room. The plan is pure Python with one `random.Random(seed)`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from clusterhub.demo.data.stakeholders import EXPERTISE
from clusterhub.demo.population import (
    generate_population,
    load_population,
    person_ids_by_email,
)
from clusterhub.directory.models import Cluster, Organisation, OrganisationType
from clusterhub.events.models import (
    Event,
    EventStatus,
    Room,
    Session,
    SessionRole,
    SessionRoleType,
    SessionType,
    Theme,
)

START_DATE = date(2026, 3, 9)  # a Monday
DAY_START, DAY_END = 9 * 60, 18 * 60  # minutes after midnight, event time
ROOMS = [
    ("Main hall", 400),
    ("Hall B", 250),
    ("Hall C", 150),
    ("Room 1", 90),
    ("Room 2", 60),
    ("Room 3", 40),
    ("Workshop room", 30),
]
OFFSITE = ("Site visit: partner laboratory", 30, "Gaustadalléen 99, 0349 Oslo (fictitious)")
TYPES = {
    SessionType.TALK: 35,
    SessionType.SESSION: 18,
    SessionType.PANEL: 14,
    SessionType.TRAINING: 9,
    SessionType.NETWORKING: 8,
    SessionType.PLENARY: 4,
    SessionType.BREAK: 6,
}
ANGLES = (
    "from lab to clinic",
    "lessons from Ukraine",
    "what regulators need",
    "scaling in the Nordics",
    "the next five years",
    "a practical guide",
    "case studies",
    "open questions",
    "building the partnership",
    "funding the first pilot",
    "patients at the table",
)
THEMES = (
    "Oncology",
    "Crisis preparedness",
    "Digital health",
    "EU funding",
    "Cluster development",
    "Public-private partnership",
    "Education",
    "Health data",
    "Medtech regulation",
    "Clinical trials",
    "Precision medicine",
    "International cooperation",
)
DESCRIPTION = (
    "A synthetic session of the clusterhub benchmark programme about {topic}, {angle}. "
    "Speakers from companies, hospitals and research share what worked and what did not, "
    "followed by questions from the floor and time to meet."
)
CONTAINER_SHARE = 0.15  # share of slots that are a session in two or three parts


@dataclass
class _Planned:
    title: str
    type: str
    day: int
    start: int  # minutes after midnight
    end: int
    room: int  # index into the event's rooms (the last one is off-site)
    parent: int | None = None  # index into the plan
    part_order: int | None = None
    capacity: int | None = None
    themes: list[int] = field(default_factory=list)
    people: list[tuple[int, str]] = field(default_factory=list)  # (person index, role)
    has_parts: bool = False


def _title(rng: random.Random, kind: str) -> str:
    topic = rng.choice(EXPERTISE)
    if kind == SessionType.BREAK:
        return rng.choice(("Coffee break", "Lunch", "Refreshments"))
    if kind == SessionType.NETWORKING:
        return f"Networking: {topic}"
    return f"{topic[0].upper()}{topic[1:]}: {rng.choice(ANGLES)}"


def _plan(rng: random.Random, sessions: int) -> list[_Planned]:
    """Fill room after room, day after day, with back-to-back slots until `sessions` rows."""
    plan: list[_Planned] = []
    rooms = len(ROOMS) + 1
    day = 0
    while len(plan) < sessions:
        for room in range(rooms):
            at = DAY_START + rng.choice((0, 0, 15, 30))
            while len(plan) < sessions:
                offsite = room == rooms - 1
                kind = (
                    SessionType.SITE_VISIT
                    if offsite
                    else rng.choices(list(TYPES), list(TYPES.values()))[0]
                )
                length = 150 if offsite else rng.choice((30, 45, 60, 60, 90))
                parts = 0
                if not offsite and kind != SessionType.BREAK and rng.random() < CONTAINER_SHARE:
                    parts = rng.choice((2, 3))
                if parts and len(plan) + 1 + parts > sessions:
                    parts = 0  # the last rows: no space left for a session with parts
                if parts:
                    length = 75 * parts - 15  # one-hour parts with a quarter of an hour between
                if at + length > DAY_END:
                    break
                capacity = None
                if kind in (SessionType.TRAINING, SessionType.SITE_VISIT) and not parts:
                    room_capacity = OFFSITE[1] if offsite else ROOMS[room][1]
                    capacity = min(room_capacity, rng.choice((20, 25, 30, 40)))
                container = _Planned(
                    _title(rng, kind),
                    SessionType.SESSION if parts else kind,
                    day,
                    at,
                    at + length,
                    room,
                    capacity=capacity,
                    themes=rng.sample(range(len(THEMES)), rng.randint(0, 3)),
                    has_parts=parts > 0,
                )
                plan.append(container)
                parent = len(plan) - 1
                for order in range(1, parts + 1):
                    start = at + (order - 1) * 75
                    part_kind = rng.choice((SessionType.TALK, SessionType.PANEL))
                    plan.append(
                        _Planned(
                            _title(rng, part_kind),
                            part_kind,
                            day,
                            start,
                            start + 60,
                            room,
                            parent=parent,
                            part_order=order,
                            themes=rng.sample(range(len(THEMES)), rng.randint(0, 2)),
                        )
                    )
                at += length + rng.choice((0, 15, 15, 30))
            if len(plan) >= sessions:
                break
        day += 1
    return plan


def _cast(rng: random.Random, plan: list[_Planned], speakers: int) -> None:
    """Give every session 1-4 people (a session with parts: one host; a break: nobody) so
    nobody is in two overlapping sessions, not even a session and its own part."""
    busy: dict[int, list[tuple[int, int, int]]] = {}  # person -> [(day, start, end)]
    for s in plan:
        if s.type == SessionType.BREAK:
            continue
        wanted = 1 if s.has_parts else rng.randint(1, 4)
        if s.has_parts:
            roles = [SessionRoleType.HOST]
        elif s.type == SessionType.PANEL and wanted > 1:
            roles = [SessionRoleType.MODERATOR] + [SessionRoleType.PANELIST] * (wanted - 1)
        else:
            roles = [SessionRoleType.SPEAKER] * wanted
        chosen: set[int] = set()
        for role in roles:
            for _attempt in range(50):
                person = rng.randrange(speakers)
                if person not in chosen and all(
                    d != s.day or e <= s.start or s.end <= b for d, b, e in busy.get(person, ())
                ):
                    break
            else:
                continue  # everyone tried was busy: the session gets one person fewer
            chosen.add(person)
            busy.setdefault(person, []).append((s.day, s.start, s.end))
            s.people.append((person, role))


def _host() -> Cluster:
    org, _ = Organisation.objects.get_or_create(
        slug="synthetic-benchmark-cluster",
        defaults={
            "name": "Synthetic Benchmark Cluster",
            "type": OrganisationType.CLUSTER,
            "country": "NO",
            "description": "Host of the benchmark programmes.",
        },
    )
    cluster, _ = Cluster.objects.get_or_create(slug="synthetic-benchmark-cluster", organisation=org)
    return cluster


@transaction.atomic
def build_large_event(
    *, sessions: int = 300, people: int = 5000, seed: int = 0, slug: str | None = None
) -> Event:
    """A published event with `sessions` sessions (parts included) and `people` synthetic
    people in the directory, some of them on the programme. Returns the existing event when
    `slug` (default `large-<sessions>-<people>-<seed>`) is taken."""
    slug = slug or f"large-{sessions}-{people}-{seed}"
    existing = Event.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    rng = random.Random(seed)
    specs = generate_population(people, seed)
    host = _host()
    load_population(specs, cluster=host)
    ids = person_ids_by_email([spec.email for spec in specs])
    person_ids = [ids[spec.email] for spec in specs if spec.email in ids]
    plan = _plan(rng, sessions)
    # Roughly one speaker for every two sessions' worth of roles; the rest are the audience.
    _cast(rng, plan, max(1, min(len(person_ids), sessions * 2)))

    days = max(s.day for s in plan) + 1 if plan else 1
    event = Event.objects.create(
        cluster=host,
        name=f"Large programme ({sessions} sessions)",
        slug=slug,
        description="A synthetic programme for benchmarks.",
        start_date=START_DATE,
        end_date=START_DATE + timedelta(days=days - 1),
        timezone="Europe/Oslo",
        venue_name="Synthetic Congress Centre",
        city="Oslo",
        status=EventStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    rooms = Room.objects.bulk_create(
        [
            Room(event=event, name=name, capacity=cap, position=i)
            for i, (name, cap) in enumerate(ROOMS)
        ]
        + [
            Room(
                event=event,
                name=OFFSITE[0],
                capacity=OFFSITE[1],
                is_offsite=True,
                address=OFFSITE[2],
                position=len(ROOMS),
            )
        ]
    )
    themes = Theme.objects.bulk_create(
        [Theme(event=event, name=name, slug=slugify(name)) for name in THEMES]
    )

    def row(s: _Planned) -> Session:
        day = event.start_date + timedelta(days=s.day)
        return Session(
            event=event,
            title=s.title,
            type=s.type,
            room=rooms[s.room],
            start=event.local_datetime(day, time(*divmod(s.start, 60))),
            end=event.local_datetime(day, time(*divmod(s.end, 60))),
            capacity=s.capacity,
            signup_required=s.capacity is not None,
            part_order=s.part_order,
            description=DESCRIPTION.format(
                topic=s.title.split(":")[0].lower(), angle=rng.choice(ANGLES)
            ),
        )

    # Top-level sessions first, so the parts can point at their saved parent.
    top = [i for i, s in enumerate(plan) if s.parent is None]
    rows = dict(zip(top, Session.objects.bulk_create([row(plan[i]) for i in top]), strict=True))
    parts = {i: row(s) for i, s in enumerate(plan) if s.parent is not None}
    for i, obj in parts.items():
        obj.parent = rows[plan[i].parent]  # type: ignore[index]
    rows |= dict(zip(parts, Session.objects.bulk_create(list(parts.values())), strict=True))

    Through = Session.themes.through
    Through.objects.bulk_create(
        [
            Through(session_id=rows[i].pk, theme_id=themes[t].pk)
            for i, s in enumerate(plan)
            for t in s.themes
        ]
    )
    SessionRole.objects.bulk_create(
        [
            SessionRole(session=rows[i], person_id=person_ids[p], role=role, position=n)
            for i, s in enumerate(plan)
            for n, (p, role) in enumerate(s.people, start=1)
        ],
        batch_size=500,
    )
    return event
