"""The world the access matrix runs in: two clusters, every kind of row, eight users, and
sentinel strings planted where they must not leak.

Cluster A hosts the published event `oslo` (programme, rooms, a sign-up session, a speaker
with a login, registrations with answers, matchmaking with consent, a run, requests with
private words, meetings, feedback, partnerships, a survey with answers, a published report)
and the draft event `draft`. Cluster B hosts the published event `bergen` with the same
kinds of rows. The matchmaking part is `build_matchmaking` of the API tests, reused.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from clusterhub.directory.models import ClusterRole
from clusterhub.events.models import (
    Availability,
    EventStatus,
    SessionType,
    TimetableRule,
    TimetableRuleKind,
)
from clusterhub.followup.models import (
    MeetingFeedback,
    Partnership,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from clusterhub.matchmaking.models import MatchRun, MeetingRequest, ScheduleRun
from clusterhub.registration.models import Answer
from clusterhub.reports.models import Report
from tests.api.conftest import make_token
from tests.api.test_people_endpoints import build_matchmaking
from tests.factories import (
    EventFactory,
    MembershipFactory,
    PersonFactory,
    QuestionFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    UserFactory,
    at,
)

ROLES = [
    "anonymous", "participant", "another", "speaker", "checkin", "other_organiser",
    "organiser", "admin",
]  # fmt: skip

# Each sentinel is planted once; the roles listed may read it somewhere, nobody else may
# read it anywhere. `admin` is the platform admin (a superuser): the Django admin shows all.
SENTINELS: dict[str, tuple[str, frozenset[str]]] = {
    # The participant's (Ana's) and the other participant's (Finn's) addresses.
    "ana_email": (
        "ana.sentinel4417@example.org",
        frozenset({"participant", "checkin", "organiser", "admin"}),
    ),
    "finn_email": (
        "finn.sentinel5528@example.org",
        frozenset({"another", "checkin", "organiser", "admin"}),
    ),
    # Ana's name: herself, Finn (he sent her a request, she shares a profile), A's team.
    "a_name": (
        "SentinelA4402",
        frozenset({"participant", "another", "checkin", "organiser", "admin"}),
    ),
    # Cluster B's participant: B's organiser only.
    "b_name": ("SentinelB9911", frozenset({"other_organiser", "admin"})),
    # Ana's request to Cara: its message and answer are the pair's (Cara has no login).
    "msg": ("SENTINEL-MSG-7731", frozenset({"participant", "admin"})),
    "reply": ("SENTINEL-REPLY-7732", frozenset({"participant", "admin"})),
    # Ana's feedback comment on her meeting.
    "feedback": ("SENTINEL-FEEDBACK-8842", frozenset({"participant", "organiser", "admin"})),
    # Ana's answer to the registration question and to the survey.
    "answer": ("SENTINEL-ANSWER-6613", frozenset({"participant", "organiser", "admin"})),
    "survey": ("SENTINEL-SURVEY-6614", frozenset({"participant", "organiser", "admin"})),
    # The draft event of cluster A: its team only.
    "draft": ("SENTINEL-DRAFT-3391", frozenset({"checkin", "organiser", "admin"})),
}


def forbidden_for(role: str) -> list[tuple[str, str]]:
    """(key, text) of every sentinel `role` must never read."""
    return [(key, text) for key, (text, readers) in SENTINELS.items() if role not in readers]


def _text(key: str) -> str:
    return SENTINELS[key][0]


def _base() -> dict[str, Any]:
    """The same shape as the API tests' `world` fixture, so `build_matchmaking` runs on it."""
    event = EventFactory(slug="oslo", name="Oslo Deep Dive Days", city="Oslo")
    aud = RoomFactory(event=event, name="Auditorium")
    welcome = SessionFactory(
        event=event, title="Welcome", type=SessionType.PLENARY, room=aud,
        start=at(event, 9), end=at(event, 9, 30),
    )  # fmt: skip
    speaker_user = UserFactory(email="ketil@example.org")
    speaker = PersonFactory(
        first_name="Ketil", last_name="Widerberg", email="ketil@example.org", user=speaker_user
    )
    role = SessionRoleFactory(session=welcome, person=speaker)
    keynote = SessionFactory(
        event=event, title="Keynote", room=aud, start=at(event, 10), end=at(event, 11)
    )
    rule = TimetableRule.objects.create(
        event=event, kind=TimetableRuleKind.AFTER, session=keynote, other=welcome
    )
    availability = Availability.objects.create(
        event=event, person=speaker, start=at(event, 9), end=at(event, 12)
    )
    ana_user = UserFactory(email=_text("ana_email"))
    ana = RegistrationFactory(
        event=event,
        person=PersonFactory(
            first_name="Ana", last_name=_text("a_name"), email=_text("ana_email"), user=ana_user
        ),
    )
    draft = EventFactory(
        cluster=event.cluster, slug="draft", status=EventStatus.DRAFT,
        name=f"Draft {_text('draft')}",
    )  # fmt: skip
    SessionFactory(event=draft, title=f"Session {_text('draft')}")
    other = EventFactory(slug="bergen", name="Bergen Days")
    bergen_talk = SessionFactory(event=other, title="Bergen talk")
    b_person = PersonFactory(first_name="Bea", last_name=_text("b_name"))
    b_registration = RegistrationFactory(event=other, person=b_person)
    return {
        "event": event, "draft": draft, "other": other, "registrations": [ana],
        "speaker": speaker, "speaker_user": speaker_user, "session_role": role,
        "participant": ana_user, "room": aud, "welcome": welcome, "rule": rule,
        "availability": availability,
        "bergen_talk": bergen_talk, "b_registration": b_registration,
    }  # fmt: skip


def _users(world: dict[str, Any]) -> dict[str, Any]:
    event, other = world["event"], world["other"]
    admin = UserFactory(email="platform-admin@example.org", is_superuser=True, is_staff=True)
    return {
        "anonymous": None,
        "participant": world["participant"],
        "another": world["finn_user"],
        "speaker": world["speaker_user"],
        "checkin": MembershipFactory(cluster=event.cluster, role=ClusterRole.CHECKIN).user,
        "other_organiser": MembershipFactory(
            cluster=other.cluster, role=ClusterRole.ORGANISER
        ).user,
        "organiser": MembershipFactory(cluster=event.cluster, role=ClusterRole.ORGANISER).user,
        "admin": admin,
    }


def _private_words(world: dict[str, Any]) -> None:
    """Put the sentinels into the rows `build_matchmaking` made with plain words."""
    MeetingRequest.objects.filter(message="secret message").update(
        message=_text("msg"), response=_text("reply")
    )
    MeetingFeedback.objects.filter(comment="private comment").update(comment=_text("feedback"))
    finn = world["finn"].person
    finn.email = _text("finn_email")
    finn.save()
    world["finn_user"].email = _text("finn_email")
    world["finn_user"].save()


def _followup_and_report(world: dict[str, Any]) -> None:
    event, other, ana = world["event"], world["other"], world["ana"]
    question = QuestionFactory(event=event, label="Dietary needs")
    Answer.objects.create(registration=ana, question=question, value=_text("answer"))
    world["question"] = question
    world["ticket_type"] = ana.ticket_type
    survey = Survey.objects.create(event=event, title="How was Oslo?")
    asked = SurveyQuestion.objects.create(survey=survey, label="Comments", kind="text")
    response = SurveyResponse.objects.create(survey=survey, registration=ana)
    SurveyAnswer.objects.create(response=response, question=asked, text=_text("survey"))
    world["survey"] = survey
    b_survey = Survey.objects.create(event=other, title="How was Bergen?")
    world["b_survey"] = b_survey
    now = timezone.now()
    Report.objects.create(
        event=event, introduction="Oslo met.", is_published=True, published_at=now
    )
    Report.objects.create(
        event=other, introduction="Bergen met.", is_published=True, published_at=now
    )
    world["match_run"] = MatchRun.objects.filter(event=event).get()
    world["schedule_run"] = ScheduleRun.objects.create(event=event)
    world["b_match_run"] = MatchRun.objects.create(event=other)
    world["request"] = MeetingRequest.objects.get(message=_text("msg"))
    world["finns_request"] = MeetingRequest.objects.get(sender=world["finn"], recipient=ana)
    world["networking"] = world["published"].session
    world["pilot"] = Partnership.objects.get(title="Oslo pilot")


def build_world() -> dict[str, Any]:
    """Every row of the matrix, and `users`: role -> user (None for anonymous)."""
    world = _base()
    world.update(build_matchmaking(world))
    _private_words(world)
    _followup_and_report(world)
    world["users"] = _users(world)
    make_token(world["participant"])
    world["ana_token"] = world["participant"].api_tokens.get()
    world["b_meeting"] = world["elsewhere"]
    world["b_registration_other"] = world["elsewhere"].a
    return world
