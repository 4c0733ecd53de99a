"""What the API returns and accepts. Output schemas read model attributes directly, so the
selectors' select_related/prefetch_related decide the query count, not the serialiser."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Field, Schema

from clusterhub.events.models import SessionType
from clusterhub.registration.models import RegistrationStatus

MAX_LIMIT = 200


class ErrorOut(Schema):
    code: str
    message: str
    details: dict | list | None = None


MAX_OFFSET = 10_000_000


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"items per page (1-{MAX_LIMIT})")
    # Bounded: a larger offset is pointless and overflows SQLite's 64-bit OFFSET.
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"items to skip (0-{MAX_OFFSET})")


class PageOut(Schema):
    count: int = Field(description="items matching the filters, on every page")
    limit: int
    offset: int


# --- events ----------------------------------------------------------------------------------


class HostOut(Schema):
    slug: str
    name: str = Field(alias="organisation.name")


class EventOut(Schema):
    slug: str
    name: str
    tagline: str
    description: str
    start_date: date
    end_date: date
    timezone: str
    venue_name: str
    venue_address: str
    city: str
    status: str
    host: HostOut = Field(alias="cluster")


class EventPage(PageOut):
    items: list[EventOut]


class EventFilters(Schema):
    q: str = Field("", max_length=100, description="words in the name, tagline or city")
    from_date: date | None = Field(None, description="events whose last day is on or after")


class RoomOut(Schema):
    id: int
    name: str
    capacity: int | None
    is_offsite: bool
    address: str


class RoomPage(PageOut):
    items: list[RoomOut]


class SessionPersonOut(Schema):
    person_id: int
    name: str
    organisation: str | None
    role: str

    @staticmethod
    def resolve_name(obj) -> str:
        return f"{obj.person.first_name} {obj.person.last_name}"

    @staticmethod
    def resolve_organisation(obj) -> str | None:
        org = obj.person.organisation
        return org.name if org is not None else None


class RoomRefOut(Schema):
    id: int
    name: str


class SessionPartOut(Schema):
    id: int
    uid: UUID
    parent_id: int | None
    part_order: int | None
    title: str
    type: str
    start: datetime
    end: datetime
    room: RoomRefOut | None
    capacity: int | None
    signup_required: bool
    description: str
    themes: list[str]
    people: list[SessionPersonOut]

    @staticmethod
    def resolve_themes(obj) -> list[str]:
        return [t.slug for t in obj.themes.all()]

    @staticmethod
    def resolve_people(obj) -> list:
        return list(obj.roles.all())


class SessionOut(SessionPartOut):
    parts: list[SessionPartOut]

    @staticmethod
    def resolve_parts(obj) -> list:
        return list(obj.parts.all())


class SessionPage(PageOut):
    items: list[SessionOut]


class SessionFilters(Schema):
    type: SessionType | None = Field(None, description="a session type; a parent matches by a part")
    day: date | None = Field(None, description="a day of the event, in its time zone")
    theme: str | None = Field(None, max_length=100, description="a theme's short name")


class SpeakerRoleOut(Schema):
    session_id: int
    session_title: str
    parent_id: int | None
    role: str

    @staticmethod
    def resolve_session_title(obj) -> str:
        return obj.session.title

    @staticmethod
    def resolve_parent_id(obj) -> int | None:
        return obj.session.parent_id


class SpeakerOut(Schema):
    id: int
    first_name: str
    last_name: str
    job_title: str
    organisation: str | None
    country: str
    bio: str
    roles: list[SpeakerRoleOut]

    @staticmethod
    def resolve_organisation(obj) -> str | None:
        return obj.organisation.name if obj.organisation is not None else None

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code or ""

    @staticmethod
    def resolve_roles(obj) -> list:
        return list(obj.event_roles)


class SpeakerPage(PageOut):
    items: list[SpeakerOut]


class OrganisationOut(Schema):
    id: int
    slug: str
    name: str
    type: str
    country: str
    website: str

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code or ""


class OrganisationPage(PageOut):
    items: list[OrganisationOut]


# --- registrations (organisers) --------------------------------------------------------------


class RegistrationOut(Schema):
    id: int
    status: str
    ticket_type: str = Field(alias="ticket_type.name")
    first_name: str = Field(alias="person.first_name")
    last_name: str = Field(alias="person.last_name")
    email: str = Field(alias="person.email")
    organisation: str | None
    country: str
    created_at: datetime
    checked_in_at: datetime | None

    @staticmethod
    def resolve_organisation(obj) -> str | None:
        org = obj.person.organisation
        return org.name if org is not None else None

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.person.country.code or ""


class RegistrationPage(PageOut):
    items: list[RegistrationOut]


class RegistrationFilters(Schema):
    status: RegistrationStatus | None = None
    q: str = Field("", max_length=100, description="words in the name, email or organisation")


class RoomFilters(Schema):
    q: str = Field("", max_length=100, description="words in the room's name or address")
    offsite: bool | None = Field(None, description="only off-site rooms (true) or only on-site")


class SpeakerFilters(Schema):
    q: str = Field("", max_length=100, description="words in the name, title or organisation")
    role: str = Field("", description="speaker, moderator, panelist or host")


class OrganisationFilters(Schema):
    q: str = Field("", max_length=100, description="words in the organisation's name")
    type: str = Field("", description="an organisation type, e.g. hospital")
    country: str = Field("", max_length=2, description="ISO 3166 alpha-2 code")
