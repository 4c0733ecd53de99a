"""Builders for the privacy tests: participants whose every personal field carries a
distinctive tag, so a test can look for the tag anywhere in the database or a download."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clusterhub.api.models import ApiToken
from clusterhub.common.outbox import outbox_queue
from clusterhub.events.models import Event, Session, SessionType
from clusterhub.followup.models import (
    MeetingFeedback,
    Partnership,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from clusterhub.followup.models import (
    QuestionKind as SurveyQuestionKind,
)
from clusterhub.matchmaking.models import MatchProfile, MeetingRequest, ProfileMark
from clusterhub.registration import services as registration_services
from clusterhub.registration.models import CheckIn, Question, Registration, SignUp
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    QuestionFactory,
    SessionFactory,
    TicketTypeFactory,
    UserFactory,
    at,
)
from tests.followup.support import meeting


@dataclass
class Setup:
    question: Question
    module: Session
    survey: Survey
    rating: SurveyQuestion
    comment: SurveyQuestion


def event_setup(event: Event) -> Setup:
    survey = Survey.objects.create(event=event, title="How was it?")
    return Setup(
        question=QuestionFactory(event=event, label="Why do you come?"),
        module=SessionFactory(
            event=event, type=SessionType.TRAINING, capacity=10, signup_required=True
        ),
        survey=survey,
        rating=SurveyQuestion.objects.create(
            survey=survey, label="Rate it", kind=SurveyQuestionKind.RATING
        ),
        comment=SurveyQuestion.objects.create(
            survey=survey, label="Anything else?", kind=SurveyQuestionKind.TEXT
        ),
    )


def participant(event: Event, setup: Setup, tag: str, *, country: str = "UA") -> Registration:
    """A registered participant (through the registration service, so with consent records)
    with an account, answers, a profile, a sign-up, a check-in, a survey response and an API
    token, every text of them containing `tag`."""
    user = UserFactory(email=f"{tag}@example.org", first_name=f"{tag}Acc")
    person = PersonFactory(
        user=user, email=user.email, first_name=f"{tag}First", last_name=f"{tag}Last",
        job_title=f"{tag} job", bio=f"{tag} bio", expertise=[f"{tag} skill"], country=country,
        organisation=OrganisationFactory(type="hospital", country=country),
    )  # fmt: skip
    registration = registration_services.registration_create(
        event=event, person=person, ticket_type=TicketTypeFactory(event=event),
        consent_privacy=True, consent_matchmaking=True, consent_photos=True,
        answers={setup.question.pk: f"{tag} answer"}, actor=user, by_organiser=True,
    )  # fmt: skip
    MatchProfile.objects.create(
        registration=registration, offers=[f"{tag} offer"], needs=[f"{tag} need"],
        interests=[f"{tag} interest"], about=f"{tag} about",
    )  # fmt: skip
    SignUp.objects.create(registration=registration, session=setup.module, status="confirmed")
    CheckIn.objects.create(registration=registration, session=setup.module)
    CheckIn.objects.create(registration=registration)
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=timezone.now())
    response = SurveyResponse.objects.create(survey=setup.survey, registration=registration)
    SurveyAnswer.objects.create(response=response, question=setup.rating, rating=4)
    SurveyAnswer.objects.create(response=response, question=setup.comment, text=f"{tag} survey")
    ApiToken.objects.create(user=user, name=f"{tag} token", prefix=tag[:8], hashed_key=tag * 4)
    registration.refresh_from_db()
    return registration


def acquainted(a: Registration, b: Registration, tag_a: str, tag_b: str) -> None:
    """`a` asked `b` for a meeting, both met, both gave feedback, a partnership came of it,
    and each got an email naming the other."""
    event = a.event
    MeetingRequest.objects.create(
        event=event, sender=a, recipient=b, message=f"{tag_a} message",
        response=f"{tag_b} reply", status="accepted",
    )  # fmt: skip
    ProfileMark.objects.create(from_registration=a, to_registration=b, kind="must_meet")
    slot = MeetingRequest.objects.filter(event=event).count()  # a new slot per pair
    met = meeting(event, a, b, start=at(event, 9 + slot // 3, 20 * (slot % 3)))
    for who, tag, rating in ((a, tag_a, 5), (b, tag_b, 3)):
        MeetingFeedback.objects.create(
            meeting=met, registration=who, attendance="held", rating=rating,
            outcome="follow_up", comment=f"{tag} comment",
        )  # fmt: skip
    partnership = Partnership.objects.create(
        cluster=event.cluster, event=event, meeting=met, title="Joint pilot", type="pilot",
        description=f"Started by {a.person.full_name} and {b.person.full_name}",
    )  # fmt: skip
    partnership.organisations.set([a.person.organisation, b.person.organisation])
    outbox_queue(
        to=b.person.email, subject="A meeting request",
        body=f"Dear {b.person.full_name}, {a.person.full_name} would like to meet you.",
        event_id=event.pk,
    )  # fmt: skip


def speaker(event: Event, tag: str):
    person = PersonFactory(first_name=f"{tag}First", last_name=f"{tag}Last", email=f"{tag}@x.org")
    session = SessionFactory(event=event, description=f"With {person.full_name}.")
    session.roles.create(person=person, role="speaker")
    return person


TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def traces(tag: str) -> list[str]:
    """Every row of every table Django knows that still contains `tag` anywhere."""
    found = []
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields or model._meta.label == "sessions.Session":
            continue  # sessions: encoded; an erased account's sessions no longer log anybody in
        where = Q()
        for name in fields:
            where |= Q(**{f"{name}__icontains": tag})
        found += [
            f"{model._meta.label}:{pk}"
            for pk in model.objects.filter(where).values_list("pk", flat=True)
        ]
    return found
