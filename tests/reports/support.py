"""A small but complete event for the report tests: a programme with speakers and parts,
participants of several stakeholder types and countries (some checked in), published meetings
with feedback, a partnership and event ratings. Plain functions; fixtures are in conftest.py."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone

from clusterhub.directory.models import OrganisationType
from clusterhub.events.models import Event, Session, SessionRoleType, SessionType
from clusterhub.followup import services as followup
from clusterhub.followup.models import Outcome, Partnership, PartnershipStage, QuestionKind
from clusterhub.matchmaking.models import Meeting, MeetingStatus
from clusterhub.registration.models import Registration
from tests.factories import (
    OrganisationFactory,
    RegistrationFactory,
    SessionFactory,
    SessionRoleFactory,
    at,
)
from tests.followup.support import lounge, meeting


@dataclass
class World:
    event: Event
    plenary: Session
    joint: Session
    part_one: Session
    part_two: Session
    coffee: Session
    people: list[Registration]
    meetings: list[Meeting] = field(default_factory=list)
    partnership: Partnership | None = None


SECRET_COMMENT = "Secret comment about pricing"  # a feedback comment: never in the report

# (organisation type, country, checked in)
PEOPLE = [
    (OrganisationType.COMPANY, "NO", True),
    (OrganisationType.HOSPITAL, "UA", True),
    (OrganisationType.RESEARCH, "NO", True),
    (OrganisationType.SCHOOL, "NO", True),
    (OrganisationType.DIPLOMATIC, "DK", True),
    (OrganisationType.COMPANY, "FI", False),
]


def programme(event: Event, *, extra: int = 0) -> dict[str, Session]:
    """A plenary with two speakers, a session in two parts (a panel with a moderator), a
    coffee break and `extra` more talks with a speaker each."""
    plenary = SessionFactory(
        event=event, title="Welcome to the Deep Dive", type=SessionType.PLENARY,
        start=at(event, 9), end=at(event, 9, 30),
    )  # fmt: skip
    SessionRoleFactory(session=plenary, person__first_name="Ketil", person__last_name="Widerberg")
    SessionRoleFactory(session=plenary, person__first_name="Marine", person__last_name="Jeanmougin")
    joint = SessionFactory(
        event=event, title="Joint Health Initiatives", type=SessionType.SESSION,
        start=at(event, 13), end=at(event, 16),
    )  # fmt: skip
    one = SessionFactory(
        event=event, parent=joint, part_order=1, title="Innovating for Crisis Preparedness",
        start=at(event, 13), end=at(event, 14),
    )  # fmt: skip
    SessionRoleFactory(session=one)
    two = SessionFactory(
        event=event, parent=joint, part_order=2, type=SessionType.PANEL,
        title="Cancer Research and Care in Times of Crisis", start=at(event, 14, 30),
        end=at(event, 16),
    )  # fmt: skip
    SessionRoleFactory(session=two, role=SessionRoleType.MODERATOR)
    SessionRoleFactory(session=two, role=SessionRoleType.PANELIST)
    coffee = SessionFactory(
        event=event, title="Coffee break", type=SessionType.BREAK,
        start=at(event, 10), end=at(event, 10, 30),
    )  # fmt: skip
    extra_talks(event, extra)
    return {"plenary": plenary, "joint": joint, "one": one, "two": two, "coffee": coffee}


def extra_talks(event: Event, n: int) -> None:
    """`n` talks on the second day, each with a new speaker."""
    for k in range(n):
        talk = SessionFactory(event=event, title=f"Extra talk {k}", start=at(event, 11, day=1))
        SessionRoleFactory(session=talk)


def participants(event: Event, specs=PEOPLE) -> list[Registration]:
    now = timezone.now()
    made = []
    for org_type, country, came in specs:
        made.append(
            RegistrationFactory(
                event=event, person__country=country,
                person__organisation=OrganisationFactory(type=org_type, country=country),
                checked_in_at=now if came else None,
            )
        )  # fmt: skip
    return made


def meetings_with_feedback(event: Event, people: list[Registration], *, start_hour=9) -> list:
    """Three published meetings: company+hospital held (a partnership idea from one side, a
    follow-up from the other), research+school held (nothing further), company+diplomat
    reported a no-show; and a draft meeting that must not count."""
    company, hospital, research, school, diplomat, _absent = people
    session = lounge(event)
    first = meeting(event, company, hospital, session=session, start=at(event, start_hour))
    second = meeting(event, research, school, session=session, start=at(event, start_hour))
    third = meeting(event, company, diplomat, session=session, start=at(event, start_hour, 30))
    meeting(event, hospital, school, session=session, status=MeetingStatus.DRAFT,
            start=at(event, start_hour, 30))  # fmt: skip
    record = followup.feedback_record
    record(meeting=first, registration=company, attendance="held", rating=5,
           outcome=Outcome.FOLLOW_UP, comment=SECRET_COMMENT, actor=None)  # fmt: skip
    record(meeting=first, registration=hospital, attendance="held", rating=4,
           outcome=Outcome.PARTNERSHIP_IDEA, actor=None)  # fmt: skip
    record(meeting=second, registration=school, attendance="held", rating=3,
           outcome=Outcome.NOTHING, actor=None)  # fmt: skip
    record(meeting=third, registration=diplomat, attendance="no_show", actor=None)
    return [first, second, third]


def world(event: Event, *, extra_sessions: int = 0) -> World:
    sessions = programme(event, extra=extra_sessions)
    people = participants(event)
    made = World(
        event=event, plenary=sessions["plenary"], joint=sessions["joint"],
        part_one=sessions["one"], part_two=sessions["two"], coffee=sessions["coffee"],
        people=people, meetings=meetings_with_feedback(event, people),
    )  # fmt: skip
    company, hospital = people[0], people[1]
    made.partnership = followup.partnership_create(
        cluster=event.cluster, actor=None, event=event, meeting=made.meetings[0],
        title="Pilot of remote monitoring", type="pilot", stage=PartnershipStage.AGREEMENT,
        organisations=[company.person.organisation, hospital.person.organisation],
        description="Confidential budget details", next_step="Call the CFO on Monday",
    )  # fmt: skip
    survey = followup.survey_create(event=event, actor=None, title="How was it?")
    question = followup.survey_question_add(
        survey=survey, actor=None, label="Overall?", kind=QuestionKind.RATING, required=True
    )
    for registration, rating in zip(people[:3], (5, 4, 2), strict=True):
        followup.survey_answer_submit(
            survey=survey, registration=registration, answers={question.pk: rating}, actor=None
        )
    return made


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def ended_long_ago(event: Event) -> Event:
    """Move `event` into the past so that meetings can have feedback."""
    today = timezone.now().date()
    event.start_date, event.end_date = today - timedelta(days=10), today - timedelta(days=9)
    event.save()
    return event
