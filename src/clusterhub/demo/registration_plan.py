"""Who comes to the Oslo demo event and what they do there, as plain data (no database).

`attendee_plan(key, kind=..., seed=...)` draws one person's choices from a `random.Random`
seeded with the seed and the person's address, so a person's plan does not depend on who else
is in the population: `--participants 50` and `--participants 300` agree on the first 50.
`registrations.py` carries the plans out through the registration services.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

PARTICIPANT, SPEAKER, PRESS, TRAINEE = "Participant", "Speaker", "Press", "Trainee"

# (name, description, needs approval, offered on the form)
TICKET_TYPES = [
    (PARTICIPANT, "Both days: talks, sessions, networking and the reception.", False, True),
    (SPEAKER, "Speakers, moderators and panelists on the programme; given by the organisers.",
     False, False),
    (PRESS, "Journalists covering the event; the organisers confirm each press registration.",
     True, True),
    (TRAINEE, "Cluster leaders in the Clusters4Health training programme, with priority for "
     "the three training modules.", False, True),
]  # fmt: skip

PRIVACY_NOTICE = (
    "Oslo Cancer Cluster processes your name, organisation, email address and answers to run "
    "Oslo Deep Dive Days 2025: your badge, check-in, session seats and the follow-up after the "
    "event. Your profile is shown to other participants for matchmaking only if you agree, and "
    "you choose separately whether you may appear in event photos. The data is deleted twelve "
    "months after the event; write to the organisers to see, correct or delete it sooner. "
    "(Demo text.)"
)
CAPACITY = 400
OPENS_WEEKS_BEFORE = 8

DIETARY = "Dietary needs or allergies"
DAYS = "Which day(s) will you attend?"
CLUSTER_MANAGER = "Are you a cluster manager?"
HEARD = "How did you hear about us?"
HEARD_CHOICES = [
    "Oslo Cancer Cluster newsletter",
    "Clusters4Health network",
    "A colleague",
    "Social media",
    "Other",
]
DIETS = ["Vegetarian", "Vegan", "Gluten-free", "Lactose-free", "Halal", "Nut allergy"]

MODULE_FILL = (18, 24)  # seats taken in each training module of 25: partly filled
SITE_VISIT_WAITLIST = 9  # sign-ups beyond the site visit's seats; one seat holder cancels
CANCELLED = 3  # registrations the demo cancels, one of them holding a site visit seat
# The chance of each choice; the shares of the whole demo follow from them.
P_REGISTERS = 0.85
P_PRESS = 0.02
P_PRESS_APPROVED = 0.4
P_MATCHMAKING = 0.7
P_PHOTOS = 0.6
P_MODULE_TRAINEE = 0.7
P_MODULE_OTHER = 0.07
P_SITE_VISIT = 0.3
P_ARRIVES = 0.6
P_AT_FIRST_MODULE = 0.8


class Kind(StrEnum):
    SPEAKER = "speaker"  # has a role on the programme
    CLUSTER = "cluster"  # works for a cluster organisation: a trainee
    OTHER = "other"


def day_label(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"  # "Wednesday 3 December"


@dataclass(frozen=True)
class AttendeePlan:
    registers: bool
    ticket: str
    days: tuple[int, ...]  # indexes into the event's days
    dietary: str
    heard: str | None
    matchmaking: bool
    photos: bool
    approved: bool  # press only: the organisers confirm it
    modules: tuple[int, ...]  # indexes of the training modules wanted, in time order
    site_visit: bool
    arrives: bool  # checked in at the door
    method: str  # how the door found them: scan, search or typed
    at_first_module: bool  # checked in at the first module when seated there


def attendee_plan(key: str, *, kind: Kind, seed: int, modules: int = 3) -> AttendeePlan:
    """One person's plan, the same for the same `key` (their address, in any case), `kind`
    and `seed`; `modules` is how many training modules there are to want."""
    rng = random.Random(f"{seed}:{key.lower()}")
    registers = kind == Kind.SPEAKER or rng.random() < P_REGISTERS
    press = kind == Kind.OTHER and rng.random() < P_PRESS
    ticket = {Kind.SPEAKER: SPEAKER, Kind.CLUSTER: TRAINEE}.get(
        kind, PRESS if press else PARTICIPANT
    )
    roll = rng.random()
    if ticket in (SPEAKER, TRAINEE):
        days = (0, 1) if ticket == SPEAKER or roll < 0.8 else (1,)
    elif ticket == PRESS:
        days = (0,) if roll < 0.7 else (0, 1)
    else:
        days = (0, 1) if roll < 0.65 else (0,) if roll < 0.85 else (1,)
    dietary = rng.choice(DIETS) if rng.random() < 0.2 else ""
    heard = rng.choice(HEARD_CHOICES) if rng.random() < 0.8 else None
    matchmaking, photos = rng.random() < P_MATCHMAKING, rng.random() < P_PHOTOS
    approved = rng.random() < P_PRESS_APPROVED
    p_module = {TRAINEE: P_MODULE_TRAINEE, PARTICIPANT: P_MODULE_OTHER}.get(ticket, 0.0)
    wanted = tuple(i for i in range(modules) if rng.random() < p_module)
    site_visit = rng.random() < P_SITE_VISIT and ticket != PRESS
    on_day_two = 1 in days
    arrives = rng.random() < P_ARRIVES
    method = rng.choices(["scan", "search", "typed"], [80, 15, 5])[0]
    at_first_module = rng.random() < P_AT_FIRST_MODULE
    return AttendeePlan(
        registers=registers,
        ticket=ticket,
        days=days,
        dietary=dietary,
        heard=heard,
        matchmaking=matchmaking,
        photos=photos,
        approved=ticket == PRESS and approved,
        modules=wanted if on_day_two else (),
        site_visit=site_visit and on_day_two,
        arrives=arrives,
        method=method,
        at_first_module=at_first_module,
    )


def module_targets(seed: int, modules: int = 3) -> list[int]:
    """How many seats each training module ends up with (before cancellations)."""
    rng = random.Random(f"{seed}:modules")
    return [rng.randint(*MODULE_FILL) for _ in range(modules)]
