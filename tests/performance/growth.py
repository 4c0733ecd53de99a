"""More of every kind of row the pages show, added to the access matrix's world.

`grow(world, n)` adds `n` more of each kind at A's event `oslo`, around Ana (the participant)
and around the objects the matrix's addresses point at (the Welcome plenary, the workshop
with sign-ups, the Oslo pilot, the survey, the published meeting, the runs...), more events
of cluster A and more clusters for A's organiser. A page whose number of queries follows the
number of rows shows it between two sizes of the world. Every model of the project gets more
rows but those in `NOT_GROWN` (checked by the budget test).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from clusterhub.common.models import ActivityLogEntry, OutboxMessage
from clusterhub.directory.models import ClusterRole, OrganisationType
from clusterhub.events.models import (
    Availability,
    SessionType,
    Theme,
    TimetableRule,
    TimetableRun,
)
from clusterhub.followup.models import (
    MeetingFeedback,
    Partnership,
    Reminder,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from clusterhub.matchmaking.models import (
    MatchmakingSettings,
    MatchRun,
    MeetingRequest,
    NetworkingSetup,
    ProfileMark,
    Recommendation,
    ScheduleRun,
)
from clusterhub.registration.models import (
    Answer,
    CheckIn,
    ConsentRecord,
    RegistrationConfig,
    SignUpStatus,
)
from clusterhub.reports.models import Report, SessionHighlight
from tests.api.conftest import make_token
from tests.factories import (
    EventFactory,
    MatchProfileFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    QuestionFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SignUpFactory,
    TicketTypeFactory,
    at,
)
from tests.followup.support import meeting

# Models the growth does not add rows of, each with its reason. Every other model of the
# project must have more rows after `grow` (checked by the budget test).
NOT_GROWN = {
    "common.WorkerHeartbeat": "the task worker's liveness row, shown on no page",
    "api.ApiIdempotencyKey": "a replay guard of API writes, shown on no page",
}
ORGANISATION_TYPES = [
    OrganisationType.COMPANY, OrganisationType.HOSPITAL, OrganisationType.UNIVERSITY,
    OrganisationType.RESEARCH, OrganisationType.INVESTOR,
]  # fmt: skip


def grow(world: dict[str, Any], n: int, *, first: int = 0) -> None:
    """Add `n` more of every kind of row to `world`'s event A (and around Ana), numbered from
    `first` (a second call continues where the first ended). At most 6 in all: Ana's meetings
    fill the networking session's free slots."""
    assert first + n <= 6
    for i in range(first, first + n):
        _grow_one(world, i)


def _grow_one(world: dict[str, Any], i: int) -> None:
    event, ana = world["event"], world["ana"]
    cluster = event.cluster
    now = timezone.now()
    tag = f"grown{i}"

    # --- directory and programme -------------------------------------------------------
    org = OrganisationFactory(name=f"Org {tag}", type=ORGANISATION_TYPES[i % 5])
    event.partners.add(org)
    MembershipFactory(cluster=cluster, role=ClusterRole.CHECKIN)
    speaker = PersonFactory(organisation=org, contact_of=[cluster], first_name=f"GrownSpeaker{i}")
    room = RoomFactory(event=event, name=f"Room {tag}", position=10 + i)
    theme = Theme.objects.create(event=event, name=f"Theme {tag}", slug=tag)
    start = at(event, 13, day=i % 2) + timedelta(minutes=10 * i)
    talk = SessionFactory(
        event=event, title=f"Talk {tag}", room=room, start=start, end=start + timedelta(hours=1),
        signup_required=True, capacity=30,
    )  # fmt: skip
    talk.themes.add(theme)
    part = SessionFactory(
        event=event, title=f"Part {tag}", parent=talk, part_order=1, start=talk.start,
        end=talk.end, room=room,
    )  # fmt: skip
    in_auditorium = SessionFactory(
        event=event, title=f"Auditorium {tag}", room=world["room"],
        start=at(event, 16, day=1) + timedelta(minutes=10 * i),
        end=at(event, 16, day=1) + timedelta(minutes=10 * i + 5),
    )  # fmt: skip
    in_auditorium.themes.add(theme)
    for session in (talk, part, in_auditorium):
        SessionRoleFactory(session=session, person=speaker)
    SessionRoleFactory(
        session=world["welcome"],
        role="panelist",
        person=PersonFactory(organisation=org, first_name=f"GrownPanelist{i}"),
    )
    TimetableRule.objects.create(event=event, kind="after", session=talk, other=world["welcome"])
    Availability.objects.create(event=event, person=speaker, start=talk.start, end=talk.end)
    # Runs that failed: the latest finished run, whose results the pages show, stays the same.
    TimetableRun.objects.create(event=event, status="failed", progress=100)

    # --- registration ----------------------------------------------------------------------
    ticket = TicketTypeFactory(event=event, name=f"Ticket {tag}")
    question = QuestionFactory(event=event, label=f"Question {tag}")
    registration = RegistrationFactory(
        event=event, ticket_type=ticket, consent_matchmaking_at=now,
        person=PersonFactory(organisation=org, first_name=f"Grown{i}"),
    )  # fmt: skip
    for who in (ana, registration):
        Answer.objects.create(registration=who, question=question, value=f"answer {tag}")
        ConsentRecord.objects.create(
            registration=who, kind="photos", given=True, version="1", source="participant", at=now
        )
    Answer.objects.create(registration=registration, question=world["question"], value=tag)
    workshop = world["signup"].session
    SignUpFactory(registration=registration, session=workshop, status=SignUpStatus.CONFIRMED)
    SignUpFactory(registration=ana, session=talk)
    SignUpFactory(registration=registration, session=talk, status=SignUpStatus.WAITLISTED)
    CheckIn.objects.create(registration=registration, method="typed")
    CheckIn.objects.create(registration=registration, session=talk, method="scan")
    CheckIn.objects.create(registration=ana, session=talk, method="scan")

    # --- matchmaking -------------------------------------------------------------------------
    profile = MatchProfileFactory(registration=registration, about=f"about {tag}")
    profile.available_sessions.add(world["networking"])
    Recommendation.objects.create(
        run=world["match_run"], registration=ana, other=registration, rank=10 + i, score=0.5,
        reasons=[f"{tag} offers what you need"],
    )  # fmt: skip
    Recommendation.objects.create(
        run=world["match_run"], registration=registration, other=ana, rank=1, score=0.5,
        reasons=["Ana shares your interest"],
    )  # fmt: skip
    ProfileMark.objects.create(
        from_registration=ana, to_registration=registration, kind="must_meet"
    )
    MeetingRequest.objects.create(
        event=event, sender=ana, recipient=registration, message=f"hello {tag}"
    )
    asked = RegistrationFactory(
        event=event, consent_matchmaking_at=now, person__first_name=f"GrownAsker{i}"
    )
    MatchProfileFactory(registration=asked)
    MeetingRequest.objects.create(
        event=event, sender=asked, recipient=ana, status="declined", response="busy"
    )
    # Ana's meetings fill the 20-minute slots after her 09:00 and 10:00 ones.
    slot = at(event, 9, 20) + timedelta(minutes=20 * i + (20 if i >= 2 else 0))
    anas = meeting(event, ana, registration, session=world["networking"], start=slot)
    theirs = meeting(event, session=world["networking"], start=slot, status="draft")
    for side, who in ((anas, ana), (anas, registration), (theirs, theirs.a)):
        MeetingFeedback.objects.create(
            meeting=side, registration=who, attendance="held", rating=4, outcome="follow_up",
            comment=f"feedback {tag}",
        )  # fmt: skip
    MatchRun.objects.create(event=event, status="failed", progress=100)
    ScheduleRun.objects.create(event=event, status="done", progress=100, figures={"meetings": i})
    lounge = SessionFactory(
        event=event, title=f"Lounge {tag}", type=SessionType.NETWORKING,
        start=at(event, 14, day=1), end=at(event, 15, day=1),
    )  # fmt: skip
    NetworkingSetup.objects.create(session=lounge)

    # --- follow-up ---------------------------------------------------------------------------
    partnership = Partnership.objects.create(
        cluster=cluster, event=event, meeting=anas, title=f"Partnership {tag}", type="pilot",
        created_by=world["users"]["organiser"], next_step=f"call {tag}",
    )  # fmt: skip
    partnership.organisations.add(org, ana.person.organisation)
    world["pilot"].organisations.add(org)
    survey = Survey.objects.create(event=event, title=f"Survey {tag}", session=talk)
    SurveyQuestion.objects.create(survey=survey, label=f"Rate {tag}", kind="rating")
    asked_too = SurveyQuestion.objects.create(
        survey=world["survey"], label=f"Rate {tag}", kind="rating", position=10 + i
    )
    response = SurveyResponse.objects.create(survey=world["survey"], registration=registration)
    for question_ in world["survey"].questions.all():
        rating = 4 if question_.kind == "rating" else None
        SurveyAnswer.objects.create(
            response=response, question=question_, rating=rating, text=f"said {tag}"
        )
    anas_answer = SurveyResponse.objects.get(survey=world["survey"], registration=ana)
    SurveyAnswer.objects.create(response=anas_answer, question=asked_too, rating=5)
    Reminder.objects.create(event=event, registration=registration, kind="survey", sent_at=now)
    ActivityLogEntry.objects.create(
        actor=world["users"]["organiser"], action="session.update", cluster_id=cluster.pk,
        event_id=event.pk, object_type="session", object_id=str(talk.pk), object_repr=talk.title,
    )  # fmt: skip
    OutboxMessage.objects.create(event_id=event.pk, to=ana.person.email, subject=tag, body=tag)
    SessionHighlight.objects.create(
        report=Report.objects.get(event=event), session=talk, key_messages=f"message {tag}"
    )

    # --- more events of cluster A, Ana at each; tokens -------------------------------------
    sibling = EventFactory(cluster=cluster, name=f"Sibling {tag}", slug=f"sibling-{tag}")
    RegistrationConfig.objects.get_or_create(event=sibling)
    MatchmakingSettings.objects.get_or_create(event=sibling)
    Report.objects.create(event=sibling, introduction=tag)
    RegistrationFactory(event=sibling, person=ana.person)
    RegistrationFactory(event=sibling)
    SessionFactory(event=sibling)
    Partnership.objects.create(cluster=cluster, event=sibling, title=f"Sibling deal {tag}",
                               type="mou")  # fmt: skip
    make_token(world["participant"])
    make_token(world["users"]["organiser"])
    # A's organiser works for one more cluster, with its own event and partnership.
    more = MembershipFactory(user=world["users"]["organiser"], role=ClusterRole.ORGANISER).cluster
    EventFactory(cluster=more, name=f"Elsewhere {tag}", slug=f"elsewhere-{tag}")
    Partnership.objects.create(cluster=more, title=f"Elsewhere deal {tag}", type="mou")
