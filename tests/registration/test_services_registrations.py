"""registration_create, _decide, _cancel and the calendar token: every refusal has its code and
leaves nothing behind; every success writes exactly what it says."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clusterhub.common.models import ActivityLogEntry, OutboxMessage
from clusterhub.events.models import EventStatus
from clusterhub.registration import services
from clusterhub.registration.models import (
    Answer,
    Question,
    QuestionKind,
    Registration,
    RegistrationConfig,
    RegistrationStatus,
    SignUp,
    SignUpStatus,
    TicketType,
)
from tests.factories import EventFactory, PersonFactory, RegistrationFactory, SessionFactory, at


@pytest.fixture
def ticket(event):
    return TicketType.objects.create(event=event, name="Participant")


@pytest.fixture
def person():
    return PersonFactory(first_name="Olena", last_name="Kovalenko", email="olena@example.org")


def written():
    """Everything a registration could leave behind."""
    return (
        Registration.objects.count(),
        RegistrationConfig.objects.count(),
        Answer.objects.count(),
        OutboxMessage.objects.count(),
        ActivityLogEntry.objects.filter(action__startswith="registration.").count(),
    )


def register(event, person, ticket, **kwargs):
    kwargs.setdefault("consent_privacy", True)
    return services.registration_create(
        event=event, person=person, ticket_type=ticket, actor=None, **kwargs
    )


def refused(event, person, ticket, **kwargs) -> ValidationError:
    """The refusal, after checking that it wrote nothing."""
    before = written()
    with pytest.raises(ValidationError) as exc:
        register(event, person, ticket, **kwargs)
    assert written() == before
    return exc.value


def field_codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


# --- registration_create: refusals ------------------------------------------------------------


def test_registration_create_refuses_an_unpublished_event_even_for_organisers(
    event, person, ticket
):
    event.status = EventStatus.DRAFT
    event.save()

    assert refused(event, person, ticket).code == "not_published"
    assert refused(event, person, ticket, by_organiser=True).code == "not_published"


@pytest.mark.parametrize(
    ("opens", "closes", "code"),
    [(timedelta(days=1), None, "not_open_yet"), (None, -timedelta(minutes=1), "closed")],
    ids=["not_open_yet", "closed"],
)
def test_registration_create_refuses_outside_the_window_but_organisers_may(
    event, person, ticket, opens, closes, code
):
    now = timezone.now()
    RegistrationConfig.objects.create(
        event=event, opens_at=now + opens if opens else None,
        closes_at=now + closes if closes else None,
    )  # fmt: skip

    error = refused(event, person, ticket)

    assert error.code == code
    registration = register(event, person, ticket, by_organiser=True)
    assert registration.status == RegistrationStatus.CONFIRMED


def test_registration_create_refuses_a_ticket_type_of_another_event(event, person):
    foreign = TicketType.objects.create(event=EventFactory(), name="Participant")

    assert field_codes(refused(event, person, foreign)) == {"ticket_type": ["bad_ticket"]}


def test_registration_create_hidden_ticket_type_only_through_the_organiser(event, person):
    press = TicketType.objects.create(event=event, name="Press", is_public=False)

    assert field_codes(refused(event, person, press)) == {"ticket_type": ["bad_ticket"]}
    assert register(event, person, press, by_organiser=True).ticket_type == press


def test_registration_create_refuses_without_privacy_consent(event, person, ticket):
    error = refused(event, person, ticket, consent_privacy=False, consent_photos=True)

    assert field_codes(error) == {"consent_privacy": ["consent_required"]}


def test_registration_create_refuses_a_second_active_registration(event, person, ticket):
    first = register(event, person, ticket)

    assert refused(event, person, ticket).code == "already_registered"

    services.registration_cancel(registration=first, actor=None)
    again = register(event, person, ticket)  # after cancelling, one may register again
    assert again.pk != first.pk


def test_registration_create_refuses_when_the_event_is_full(event, person, ticket):
    RegistrationConfig.objects.create(event=event, capacity=2)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=RegistrationStatus.PENDING)  # holds a place too
    RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)  # holds none

    error = refused(event, person, ticket)

    assert error.code == "event_full"
    assert error.message == "The event is full."
    assert refused(event, person, ticket, by_organiser=True).code == "event_full"


@pytest.fixture
def questions(event):
    def ask(label, kind, **kwargs):
        return Question.objects.create(event=event, label=label, kind=kind, **kwargs)

    return {
        "diet": ask("Dietary needs", QuestionKind.TEXT),
        "role": ask("Your role", QuestionKind.CHOICE, required=True,
                    choices=["Researcher", "Executive", "Teacher"]),
        "topics": ask("Topics", QuestionKind.MULTIPLE, choices=["AI", "Oncology", "Funding"]),
        "dinner": ask("Joining the dinner?", QuestionKind.YES_NO, required=True),
    }  # fmt: skip


def answers_for(questions, **values):
    return {questions[key].pk: value for key, value in values.items()}


def test_registration_create_refuses_missing_required_answers(event, person, ticket, questions):
    error = refused(event, person, ticket, answers=answers_for(questions, diet="Vegan", role=" "))

    assert field_codes(error) == {
        f"question_{questions['role'].pk}": ["answer_required"],
        f"question_{questions['dinner'].pk}": ["answer_required"],
    }


def test_registration_create_by_organiser_may_leave_required_answers_open(
    event, person, ticket, questions
):
    registration = services.registration_create(
        event=event, person=person, ticket_type=ticket, consent_privacy=True, actor=None,
        answers=answers_for(questions, diet="Vegan"), by_organiser=True,
    )  # fmt: skip
    assert {a.question.label: a.value for a in registration.answers.all()} == {
        "Dietary needs": "Vegan"
    }
    with pytest.raises(ValidationError):  # what is given must still be valid
        services.registration_create(
            event=event, person=PersonFactory(), ticket_type=ticket, consent_privacy=True,
            actor=None, answers=answers_for(questions, role="Astronaut"), by_organiser=True,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("role", "Astronaut"),
        ("role", ["Researcher"]),  # a list for a single choice
        ("topics", ["AI", "Gardening"]),
        ("topics", [["AI"]]),
        ("dinner", "maybe"),
        ("dinner", 2),
    ],
)
def test_registration_create_refuses_a_bad_choice(event, person, ticket, questions, key, value):
    good = {"role": "Teacher", "dinner": True}
    error = refused(event, person, ticket, answers=answers_for(questions, **(good | {key: value})))

    assert field_codes(error) == {f"question_{questions[key].pk}": ["bad_choice"]}


@pytest.mark.parametrize(
    ("given", "stored"),
    [(True, True), (False, False), ("yes", True), ("No", False), ("false", False)],
)
def test_registration_create_reads_yes_no_answers(event, person, ticket, questions, given, stored):
    registration = register(
        event, person, ticket, answers=answers_for(questions, role="Teacher", dinner=given)
    )

    assert registration.answers.get(question=questions["dinner"]).value is stored


def test_registration_create_stores_the_answers_given(event, person, ticket, questions):
    registration = register(
        event, person, ticket,
        answers=answers_for(questions, diet="  Vegan ", role="Researcher",
                            topics=["Funding", "AI", "Funding"], dinner=False),
    )  # fmt: skip

    stored = {a.question.label: a.value for a in registration.answers.select_related("question")}
    assert stored == {
        "Dietary needs": "Vegan",
        "Your role": "Researcher",
        "Topics": ["Funding", "AI"],  # a subset of the options, each once
        "Joining the dinner?": False,
    }


def test_registration_create_skips_optional_questions_left_empty(event, person, ticket, questions):
    registration = register(
        event, person, ticket,
        answers=answers_for(questions, diet="", topics=[], role="Teacher", dinner=True),
    )  # fmt: skip

    assert sorted(registration.answers.values_list("question__label", flat=True)) == [
        "Joining the dinner?",
        "Your role",
    ]


# --- registration_create: what it writes ------------------------------------------------------


def test_registration_create_confirms_records_consents_logs_and_queues_the_mail(
    event, person, ticket
):
    before = timezone.now()

    registration = register(event, person, ticket, consent_matchmaking=True)

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert before <= registration.consent_privacy_at <= timezone.now()
    assert registration.consent_matchmaking_at == registration.consent_privacy_at
    assert registration.consent_photos_at is None  # optional and unticked
    assert ActivityLogEntry.objects.filter(
        action="registration.registration.create", object_id=str(registration.pk),
        event_id=event.pk, data={"status": "confirmed"},
    ).exists()  # fmt: skip
    mail = OutboxMessage.objects.get()
    assert (mail.to, mail.subject, mail.event_id, mail.sent_at) == (
        "olena@example.org", f"Registration confirmed: {event.name}", event.pk, None
    )  # fmt: skip
    assert mail.body.startswith("Dear Olena Kovalenko,")


def test_registration_create_ticket_needing_approval_stays_pending(event, person):
    trainee = TicketType.objects.create(event=event, name="Trainee", requires_approval=True)

    registration = register(event, person, trainee, consent_photos=True)

    assert registration.status == RegistrationStatus.PENDING
    assert registration.consent_photos_at is not None
    assert registration.consent_matchmaking_at is None
    assert OutboxMessage.objects.get().subject == f"Registration received: {event.name}"


def test_registration_create_person_without_email_gets_no_mail(event, ticket):
    registration = register(event, PersonFactory(email=""), ticket)

    assert registration.pk
    assert OutboxMessage.objects.count() == 0


# --- registration_decide ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("approve", "status", "subject"),
    [
        (True, RegistrationStatus.CONFIRMED, "Registration confirmed"),
        (False, RegistrationStatus.REJECTED, "Registration not accepted"),
    ],
)
def test_registration_decide_on_a_pending_registration(event, organiser, approve, status, subject):
    pending = RegistrationFactory(event=event, status=RegistrationStatus.PENDING)

    decided = services.registration_decide(registration=pending, approve=approve, actor=organiser)

    assert Registration.objects.get(pk=pending.pk).status == decided.status == status
    assert OutboxMessage.objects.get().subject == f"{subject}: {event.name}"
    log = ActivityLogEntry.objects.get(object_id=str(pending.pk))
    assert log.actor == organiser
    assert log.action == "registration.registration." + ("approve" if approve else "reject")


@pytest.mark.parametrize(
    "status",
    [RegistrationStatus.CONFIRMED, RegistrationStatus.REJECTED, RegistrationStatus.CANCELLED],
)
def test_registration_decide_refuses_what_is_not_pending(event, status):
    registration = RegistrationFactory(event=event, status=status)

    with pytest.raises(ValidationError) as exc:
        services.registration_decide(registration=registration, approve=True, actor=None)

    assert exc.value.code == "not_pending"
    assert Registration.objects.get(pk=registration.pk).status == status
    assert OutboxMessage.objects.count() == 0


# --- registration_cancel ------------------------------------------------------------------------


def test_registration_cancel_releases_signups_promotes_and_mails(event):
    module = SessionFactory(event=event, title="EU funding", capacity=1, signup_required=True,
                            start=at(event, 9), end=at(event, 10))  # fmt: skip
    visit = SessionFactory(event=event, title="SINTEF visit", capacity=1, signup_required=True,
                           start=at(event, 14), end=at(event, 16))  # fmt: skip
    leaving, waiting_module, waiting_visit = (RegistrationFactory(event=event) for _ in range(3))
    for session in (module, visit):
        services.signup_create(registration=leaving, session=session, actor=None)
    services.signup_create(registration=waiting_module, session=module, actor=None)
    services.signup_create(registration=waiting_visit, session=visit, actor=None)

    cancelled = services.registration_cancel(registration=leaving, actor=None)

    assert cancelled.status == RegistrationStatus.CANCELLED
    assert cancelled.cancelled_at is not None
    assert not SignUp.objects.filter(registration=leaving).exists()
    assert set(SignUp.objects.values_list("registration", "session", "status")) == {
        (waiting_module.pk, module.pk, SignUpStatus.CONFIRMED),
        (waiting_visit.pk, visit.pk, SignUpStatus.CONFIRMED),
    }
    mails = sorted(OutboxMessage.objects.values_list("to", "subject"))
    assert mails == sorted([
        (leaving.person.email, f"Registration cancelled: {event.name}"),
        (waiting_module.person.email, "You have a seat: EU funding"),
        (waiting_visit.person.email, "You have a seat: SINTEF visit"),
    ])  # fmt: skip


def test_registration_cancel_refuses_an_inactive_registration(event):
    registration = RegistrationFactory(event=event, status=RegistrationStatus.CANCELLED)

    with pytest.raises(ValidationError) as exc:
        services.registration_cancel(registration=registration, actor=None)

    assert exc.value.code == "not_active"
    assert OutboxMessage.objects.count() == 0


# --- calendar token -----------------------------------------------------------------------------


def test_registration_calendar_token_reset_revokes_the_old_address(event):
    registration = RegistrationFactory(event=event)
    old = registration.calendar_token

    new = services.registration_calendar_token_reset(registration=registration, actor=None)

    assert new != old
    assert len(new) >= 32
    assert not Registration.objects.filter(calendar_token=old).exists()
    assert Registration.objects.get(calendar_token=new) == registration
    assert ActivityLogEntry.objects.filter(action="registration.calendar_token.reset").count() == 1
