"""What the KPI library takes: plain frozen dataclasses, no Django, and the fixed vocabularies.

The Django side turns rows into these (one `Attendee` per registration, one `MeetingFact` per
pair of people that asked to meet or were put in the schedule, ...). Free-text values are
normalised here, so callers may pass what the database holds: organisation types are
lower-cased and anything unknown becomes "other"; countries are ISO 3166 alpha-2 codes,
upper-cased, and "" means unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

ORG_TYPES: tuple[str, ...] = (
    "cluster", "company", "industry", "hospital", "research", "university", "school",
    "public_authority", "diplomatic", "investor", "patient_org", "other",
)  # fmt: skip

Sector = Literal["public", "private", "other"]
SECTORS: tuple[Sector, ...] = ("public", "private", "other")

# Hospitals, universities, schools and research institutes are public bodies in Norway and in
# most of the EU, so they count as public here; a privately owned one still counts as public
# (the organisation type does not say who owns it). Clusters and patient organisations are
# member-based non-profits, neither state nor market: "other", with "other" itself.
SECTOR_OF: Mapping[str, Sector] = MappingProxyType(
    {
        "company": "private", "industry": "private", "investor": "private",
        "hospital": "public", "research": "public", "university": "public", "school": "public",
        "public_authority": "public", "diplomatic": "public",
        "cluster": "other", "patient_org": "other", "other": "other",
    }
)  # fmt: skip

# Statuses and rating kinds are typed `str` in the dataclasses so the Django side can pass
# model values as they are; the dataclasses check them when built.
REGISTRATION_STATUSES: tuple[str, ...] = (
    "confirmed", "pending", "cancelled", "rejected",
)  # fmt: skip

RATING_KINDS: tuple[str, ...] = ("event", "session", "meeting")

# The default vocabularies of the partnership pipeline (DESIGN.md names the types); a caller
# with other words passes its own to `event_kpis`. Values outside the list count as "other".
PARTNERSHIP_TYPES: tuple[str, ...] = (
    "letter_of_interest", "mou", "joint_proposal", "pilot", "investment", "training", "other",
)  # fmt: skip
PARTNERSHIP_STAGES: tuple[str, ...] = (
    "exploring", "negotiating", "signed", "active", "completed", "dropped", "other",
)  # fmt: skip


def normal_org_type(value: str | None) -> str:
    """The organisation type as one of `ORG_TYPES`; unknown or empty values are "other"."""
    word = (value or "").strip().lower()
    return word if word in SECTOR_OF else "other"


def normal_country(value: str | None) -> str:
    """The country code upper-cased and stripped; "" means unknown."""
    return (value or "").strip().upper()


@dataclass(frozen=True)
class Party:
    """One side of a meeting or partnership: an organisation's type and country."""

    org_type: str = "other"
    country: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "org_type", normal_org_type(self.org_type))
        object.__setattr__(self, "country", normal_country(self.country))


@dataclass(frozen=True)
class Attendee:
    """One registration: the person's organisation type and country (the person's own
    country, else the organisation's), its status, and whether they checked in at the door.

    Raises ValueError for a status outside `REGISTRATION_STATUSES`."""

    org_type: str = "other"
    country: str = ""
    status: str = "confirmed"
    checked_in: bool = False

    def __post_init__(self) -> None:
        if self.status not in REGISTRATION_STATUSES:
            raise ValueError(f"unknown registration status {self.status!r}")
        object.__setattr__(self, "org_type", normal_org_type(self.org_type))
        object.__setattr__(self, "country", normal_country(self.country))


@dataclass(frozen=True)
class TrainingModule:
    """One training module (or any session with sign-up) and its seats: `capacity` (None: no
    limit), `confirmed` seats, people `waitlisted`, and seat holders `checked_in` at the door
    of the session. Raises ValueError for a negative count."""

    id: int
    title: str
    confirmed: int
    checked_in: int = 0
    waitlisted: int = 0
    capacity: int | None = None

    def __post_init__(self) -> None:
        counts = (self.confirmed, self.checked_in, self.waitlisted, self.capacity or 0)
        if min(counts) < 0:
            raise ValueError(f"negative count in training module {self.id}")


@dataclass(frozen=True)
class MeetingFact:
    """One pair of people on its way through the meeting funnel.

    `requested`: one asked the other; `accepted`: that request was accepted; `scheduled`: the
    pair has a meeting in the schedule (also a pair proposed from the recommendations with no
    request); `held`: the meeting took place (True), did not (False) or nobody said (None).
    Raises ValueError when `accepted` comes without `requested` or `held` without `scheduled`.
    """

    a: Party
    b: Party
    requested: bool = True
    accepted: bool = False
    scheduled: bool = False
    held: bool | None = None

    def __post_init__(self) -> None:
        if self.accepted and not self.requested:
            raise ValueError("a meeting cannot be accepted without a request")
        if self.held is not None and not self.scheduled:
            raise ValueError("only a scheduled meeting can be held or missed")


@dataclass(frozen=True)
class Rating:
    """A satisfaction rating from 1 (poor) to 5 (excellent) of the event, a session or a
    meeting. Raises ValueError for a value or kind out of range."""

    value: int
    kind: str = "event"

    def __post_init__(self) -> None:
        if self.value not in (1, 2, 3, 4, 5):
            raise ValueError(f"a rating is 1..5, not {self.value!r}")
        if self.kind not in RATING_KINDS:
            raise ValueError(f"unknown rating kind {self.kind!r}")


@dataclass(frozen=True)
class PartnershipFact:
    """A partnership that came out of the event: its type, its stage in the pipeline and the
    organisations in it. Type and stage are lower-cased and stripped."""

    type: str
    stage: str
    organisations: tuple[Party, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "type", self.type.strip().lower())
        object.__setattr__(self, "stage", self.stage.strip().lower())
