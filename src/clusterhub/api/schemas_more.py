"""Response schemas of the participant, matchmaking and outcome reads (endpoints/people.py and
endpoints/outcomes.py). Like schemas.py they read model attributes directly, so the selectors'
select_related/prefetch_related decide the query count. Private texts (request messages and
answers, feedback comments, email addresses) are never part of them."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from clusterhub.api.schemas import PageOut
from clusterhub.followup.models import Attendance, Outcome, PartnershipStage, PartnershipType
from clusterhub.matchmaking.models import MeetingRequestStatus, MeetingStatus
from clusterhub.registration.models import SignUpStatus


class PersonRefOut(Schema):
    """A participant, named by their registration at the event."""

    registration_id: int = Field(alias="pk")
    first_name: str = Field(alias="person.first_name")
    last_name: str = Field(alias="person.last_name")
    organisation: str | None

    @staticmethod
    def resolve_organisation(obj) -> str | None:
        org = obj.person.organisation
        return org.name if org is not None else None


# --- organisers ------------------------------------------------------------------------------


class SignUpItemOut(Schema):
    id: int
    status: str
    session_id: int
    session_title: str = Field(alias="session.title")
    registration: PersonRefOut
    created_at: datetime
    promoted_at: datetime | None


class SignUpPage(PageOut):
    items: list[SignUpItemOut]


class SignUpFilters(Schema):
    session: int | None = Field(None, description="a session's id")
    status: SignUpStatus | None = None


class MeetingRequestItemOut(Schema):
    id: int
    status: str
    sender: PersonRefOut
    recipient: PersonRefOut
    created_at: datetime
    answered_at: datetime | None


class MeetingRequestPage(PageOut):
    items: list[MeetingRequestItemOut]


class MeetingRequestFilters(Schema):
    status: MeetingRequestStatus | None = None


class MeetingOut(Schema):
    id: int
    status: str
    session_id: int
    session_title: str = Field(alias="session.title")
    start: datetime
    end: datetime
    table: int
    a: PersonRefOut
    b: PersonRefOut
    why: list[str]


class MeetingPage(PageOut):
    items: list[MeetingOut]


class MeetingFilters(Schema):
    status: MeetingStatus | None = Field(None, description="cancelled meetings only when asked")


class MeetingOutcomeOut(Schema):
    id: int
    meeting_id: int
    registration_id: int = Field(description="who gave the feedback")
    attendance: str
    rating: int | None
    outcome: str
    created_at: datetime
    updated_at: datetime


class MeetingOutcomePage(PageOut):
    items: list[MeetingOutcomeOut]


class MeetingOutcomeFilters(Schema):
    meeting: int | None = Field(None, ge=1, le=2**63 - 1, description="a meeting's id")
    attendance: Attendance | None = None
    outcome: Outcome | None = None


class KpiFilters(Schema):
    section: str = Field("", max_length=100, description="one section of the dashboard")


class MyMeetingFilters(Schema):
    day: date | None = Field(None, description="a day of the event, in its time zone")


class RecommendationFilters(Schema):
    min_score: float | None = Field(None, ge=0, le=1, description="only scores at least this")


class PartnershipOrganisationOut(Schema):
    id: int
    name: str
    type: str
    country: str

    @staticmethod
    def resolve_country(obj) -> str:
        return obj.country.code or ""


class PartnershipOut(Schema):
    id: int
    title: str
    type: str
    stage: str
    description: str
    next_step: str
    next_step_on: date | None
    meeting_id: int | None
    organisations: list[PartnershipOrganisationOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_organisations(obj) -> list:
        return list(obj.organisations.all())


class PartnershipPage(PageOut):
    items: list[PartnershipOut]


class PartnershipFilters(Schema):
    stage: PartnershipStage | None = None
    type: PartnershipType | None = None


class KpiRowOut(Schema):
    section: str
    figure: str
    value: int | float | str | None


class KpiPage(PageOut):
    items: list[KpiRowOut]


# --- a participant about themselves ----------------------------------------------------------


class RecommendationOut(Schema):
    rank: int
    score: float
    reasons: list[str]
    other: PersonRefOut


class RecommendationPage(PageOut):
    items: list[RecommendationOut]


class MyMeetingOut(Schema):
    id: int
    session_id: int
    session_title: str = Field(alias="session.title")
    room: str | None
    start: datetime
    end: datetime
    table: int
    other: PersonRefOut
    why: list[str]

    @staticmethod
    def resolve_room(obj) -> str | None:
        return obj.session.room.name if obj.session.room is not None else None


class MyMeetingPage(PageOut):
    items: list[MyMeetingOut]


class ProfileOut(Schema):
    registration_id: int
    first_name: str = Field(alias="registration.person.first_name")
    last_name: str = Field(alias="registration.person.last_name")
    job_title: str = Field(alias="registration.person.job_title")
    organisation: str | None
    organisation_type: str | None
    country: str
    offers: list[str]
    needs: list[str]
    interests: list[str]
    tags: list[str]
    objectives: list[str]
    about: str

    @staticmethod
    def resolve_organisation(obj) -> str | None:
        org = obj.registration.person.organisation
        return org.name if org is not None else None

    @staticmethod
    def resolve_organisation_type(obj) -> str | None:
        org = obj.registration.person.organisation
        return org.type if org is not None else None

    @staticmethod
    def resolve_country(obj) -> str:
        person = obj.registration.person
        org = person.organisation
        return person.country.code or (org.country.code if org is not None else "") or ""


class ProfilePage(PageOut):
    items: list[ProfileOut]


class ProfileFilters(Schema):
    q: str = Field("", max_length=100, description="words in names, organisation, offers, ...")
    org_type: str = Field("", max_length=30, description="an organisation type")
    country: str = Field("", max_length=2, description="a country code")
    objective: str = Field("", max_length=40, description="an objective")
    tag: str = Field("", max_length=100, description="a tag of the event's taxonomy")
