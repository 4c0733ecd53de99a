"""The demo's follow-up: feedback on most published meetings (most held, a few no-shows, ratings
and next steps), partnerships that came out of the meetings with a partnership idea, an event
survey and a session survey with answers from most of the people who came.

Idempotent: each part is added only when the event has none of it. Through the follow-up
services (with their log lines); deterministic for a seed."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from clusterhub.directory.models import User
from clusterhub.events.models import Event, Session
from clusterhub.followup import services
from clusterhub.followup.models import (
    MeetingFeedback,
    Outcome,
    Partnership,
    PartnershipStage,
    PartnershipType,
    QuestionKind,
    Survey,
)
from clusterhub.matchmaking.models import Meeting, MeetingStatus
from clusterhub.registration.models import Registration, RegistrationStatus

EVENT_SURVEY = (
    "How was the Deep Dive Days?",
    [
        ("Overall, how useful were the two days for you?", QuestionKind.RATING, True),
        ("How useful were the 1:1 meetings?", QuestionKind.RATING, False),
        ("What was the most valuable part?", QuestionKind.TEXT, False),
        ("What should we do differently next time?", QuestionKind.TEXT, False),
    ],
)
SESSION_SURVEY = (
    "Cancer Research and Care in Times of Crisis",
    "Panel feedback",
    [("How useful was the panel?", QuestionKind.RATING, True)],
)
VALUABLE = (
    "Meeting hospital partners from other countries.",
    "The Ukrainian cluster's account of running trials in wartime.",
    "Møtene med investorer og sykehus.",
    "Зустрічі з норвезькими кластерами та лікарнями.",
    "The site visit to SINTEF.",
)
DIFFERENTLY = (
    "Longer meeting slots.",
    "More time for the panel Q&A.",
    "",
    "Flere pauser mellom møtene.",
)
TITLES = {
    PartnershipType.LETTER_OF_INTEREST: "Letter of interest on {topic}",
    PartnershipType.MOU: "MoU on {topic}",
    PartnershipType.JOINT_PROPOSAL: "Horizon Europe proposal on {topic}",
    PartnershipType.PILOT: "Hospital pilot of {topic}",
    PartnershipType.INVESTMENT: "Seed investment in {topic}",
    PartnershipType.TRAINING_EXCHANGE: "Training exchange on {topic}",
}
PARTNERSHIPS = 14  # at most, from the first meetings that gave a partnership idea
TOPICS = (
    "digital pathology", "AI diagnostics", "cluster internationalisation", "biobanking",
    "clinical trials in crisis", "remote monitoring", "STEM outreach",
)  # fmt: skip


@dataclass
class FollowupLoaded:
    created: Counter[str] = field(default_factory=Counter)


def followup_demo_load(*, event: Event, seed: int, organiser: User | None) -> FollowupLoaded:
    """Add what is missing of the demo's follow-up (see the module docstring). Call it inside
    a transaction, after the demo's meetings."""
    result = FollowupLoaded()
    rng = random.Random(f"{seed}:followup")
    meetings = list(
        Meeting.objects.filter(event=event, status=MeetingStatus.PUBLISHED)
        .select_related("event", "a__person", "b__person")
        .order_by("start", "table")
    )
    ideas: list[Meeting] = []
    if not MeetingFeedback.objects.filter(meeting__event=event).exists():
        for meeting in meetings:
            held = rng.random() < 0.88
            for side in (meeting.a, meeting.b):
                if rng.random() < 0.2:
                    continue  # never answered: the reminder's audience
                outcome = rng.choices(
                    [Outcome.NOTHING, Outcome.FOLLOW_UP, Outcome.PARTNERSHIP_IDEA], [4, 5, 2]
                )[0] if held else ""  # fmt: skip
                services.feedback_record(
                    meeting=meeting, registration=side,
                    attendance="held" if held else "no_show",
                    rating=rng.choice([3, 4, 4, 5, 5]) if held else None, outcome=outcome,
                    actor=side.person.user,
                )  # fmt: skip
                result.created["meeting feedback"] += 1
                if outcome == Outcome.PARTNERSHIP_IDEA:
                    ideas.append(meeting)
    if not Partnership.objects.filter(event=event).exists():
        for meeting in list(dict.fromkeys(ideas))[:PARTNERSHIPS]:
            orgs = [o for o in (meeting.a.person.organisation, meeting.b.person.organisation) if o]
            if len({o.pk for o in orgs}) < 2:
                continue
            kind = rng.choice(list(TITLES))
            services.partnership_create(
                cluster=event.cluster, actor=organiser, event=event, meeting=meeting,
                title=TITLES[kind].format(topic=rng.choice(TOPICS)), type=kind,
                stage=rng.choice(PartnershipStage.values[:4]), organisations=orgs,
                next_step=rng.choice(["Call in January", "Draft the letter", "Site visit"]),
            )  # fmt: skip
            result.created["partnerships"] += 1
    if not Survey.objects.filter(event=event).exists():
        _surveys(event, rng, organiser, result)
    return result


def _surveys(event: Event, rng: random.Random, organiser: User | None, result) -> None:
    title, questions = EVENT_SURVEY
    survey = services.survey_create(event=event, actor=organiser, title=title)
    made = [
        services.survey_question_add(
            survey=survey, actor=organiser, label=label, kind=kind, required=required
        )
        for label, kind, required in questions
    ]
    came = list(
        Registration.objects.filter(
            event=event, status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=False
        ).order_by("pk")
    )
    for registration in came:
        if rng.random() < 0.35:
            continue
        answers = {
            made[0].pk: rng.choice([3, 4, 4, 5, 5, 5]),
            made[1].pk: rng.choice([2, 3, 4, 5, 5]),
            made[2].pk: rng.choice(VALUABLE),
            made[3].pk: rng.choice(DIFFERENTLY),
        }
        services.survey_answer_submit(
            survey=survey, registration=registration, answers=answers, actor=None
        )
        result.created["survey answers"] += 1
    session_title, title, questions = SESSION_SURVEY
    session = Session.objects.filter(event=event, title=session_title).first()
    if session is not None:
        panel = services.survey_create(event=event, actor=organiser, title=title, session=session)
        (question,) = [
            services.survey_question_add(
                survey=panel, actor=organiser, label=label, kind=kind, required=required
            )
            for label, kind, required in questions
        ]
        for registration in came[: len(came) // 3]:
            services.survey_answer_submit(
                survey=panel, registration=registration,
                answers={question.pk: rng.choice([4, 5, 5])}, actor=None,
            )  # fmt: skip
    result.created["surveys"] += 2 if session is not None else 1
