"""Registration settings through their pages: the window (in the event's local time),
capacity and privacy notice, ticket types and questions, with every refusal."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusterhub.common.models import ActivityLogEntry
from clusterhub.registration import services
from clusterhub.registration.models import (
    Answer,
    Question,
    QuestionKind,
    RegistrationConfig,
    RegistrationStatus,
    TicketType,
)
from tests.events.orga_support import page_text
from tests.factories import EventFactory, TicketTypeFactory
from tests.registration.orga_support import registered, registration_state

UTC = ZoneInfo("UTC")


@pytest.fixture
def orga(client, organiser):
    client.force_login(organiser)
    return client


def settings_url(event) -> str:
    return reverse("orga_registration:settings", args=[event.slug])


def config_data(**overrides) -> dict:
    data = {
        "opens_at": "2025-10-01T09:00",
        "closes_at": "2025-12-01T23:59",
        "capacity": "120",
        "privacy_notice": "We keep your data until the report is out.",
    }
    data.update(overrides)
    return data


def refused(response, message: str) -> None:
    assert response.status_code == 200
    assert message in page_text(response)


# --- the window, capacity and privacy notice -------------------------------------------------


def test_settings_saves_the_window_in_the_events_time_zone(orga, organiser, db):
    event = EventFactory(timezone="America/New_York")
    organiser.cluster_memberships.create(cluster=event.cluster, role="organiser")

    response = orga.post(settings_url(event), config_data())

    assert response.status_code == 302
    config = RegistrationConfig.objects.get(event=event)
    assert config.opens_at == datetime(2025, 10, 1, 13, 0, tzinfo=UTC)  # 09:00 EDT
    assert config.closes_at == datetime(2025, 12, 2, 4, 59, tzinfo=UTC)  # 23:59 EST
    assert config.capacity == 120
    assert config.privacy_notice == "We keep your data until the report is out."
    assert ActivityLogEntry.objects.filter(action="registration.config.update").count() == 1
    form = orga.get(settings_url(event)).context["form"]
    assert 'value="2025-10-01T09:00"' in str(form["opens_at"])


def test_settings_may_leave_window_and_capacity_empty(orga, event):
    response = orga.post(settings_url(event), config_data(opens_at="", closes_at="", capacity=""))

    assert response.status_code == 302
    config = RegistrationConfig.objects.get(event=event)
    assert (config.opens_at, config.closes_at, config.capacity) == (None, None, None)


@pytest.mark.parametrize("closes_at", ["2025-09-30T12:00", "2025-10-01T09:00"])
def test_settings_refuses_a_window_that_closes_before_it_opens(orga, event, closes_at):
    before = registration_state()

    response = orga.post(settings_url(event), config_data(closes_at=closes_at))

    refused(response, "Registration must close after it opens.")
    assert response.context["form"].errors["closes_at"][0] == (
        "Registration must close after it opens."
    )
    assert registration_state() == before
    assert not RegistrationConfig.objects.filter(event=event, opens_at__isnull=False).exists()


def test_settings_refuses_a_capacity_below_the_registrations(orga, event):
    for _ in range(3):
        registered(event)
    registered(event, status=RegistrationStatus.CANCELLED)  # does not count

    low = orga.post(settings_url(event), config_data(capacity="2"))
    exact = orga.post(settings_url(event), config_data(capacity="3"))

    refused(low, "3 people are already registered; the capacity cannot be lower.")
    assert exact.status_code == 302
    assert RegistrationConfig.objects.get(event=event).capacity == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("capacity", "-1", "Ensure this value is greater than or equal to 0."),
        ("capacity", "many", "Enter a whole number."),
        ("opens_at", "next week", "Enter a valid date/time."),
    ],
)
def test_settings_refuses_bad_input(orga, event, field, value, message):
    response = orga.post(settings_url(event), config_data(**{field: value}))

    refused(response, message)
    assert not RegistrationConfig.objects.filter(event=event, capacity=120).exists()


def test_settings_refuses_a_time_that_does_not_exist_locally(orga, event):
    # 30 March 2025, 02:30 never happened in Oslo (clocks jumped from 02:00 to 03:00).
    response = orga.post(settings_url(event), config_data(opens_at="2025-03-30T02:30"))

    refused(response, "2025-03-30 02:30:00 couldn’t be interpreted in time zone Europe/Oslo")


def test_settings_page_lists_ticket_types_and_questions_of_this_event_only(orga, event):
    TicketTypeFactory(event=event, name="Press")
    Question.objects.create(event=event, label="Dietary needs?", kind=QuestionKind.TEXT)
    other = EventFactory()
    TicketTypeFactory(event=other, name="Secret ticket")
    Question.objects.create(event=other, label="Secret question", kind=QuestionKind.TEXT)

    text = page_text(orga.get(settings_url(event)))

    assert "Press" in text
    assert "Dietary needs?" in text
    assert "Secret ticket" not in text
    assert "Secret question" not in text


# --- ticket types ----------------------------------------------------------------------------


def ticket_data(**overrides) -> dict:
    data = {"name": "Speaker", "description": "On stage", "requires_approval": "on",
            "is_public": "", "position": "2"}  # fmt: skip
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_ticket_type_create_saves_it(orga, event):
    response = orga.post(
        reverse("orga_registration:ticket_type_create", args=[event.slug]), ticket_data()
    )

    assert response.status_code == 302
    ticket = TicketType.objects.get(event=event)
    assert (ticket.name, ticket.description, ticket.requires_approval, ticket.is_public,
            ticket.position) == ("Speaker", "On stage", True, False, 2)  # fmt: skip


@pytest.mark.parametrize("name", ["Speaker", "speaker ", "SPEAKER"])
def test_ticket_type_create_refuses_a_duplicate_name(orga, event, name):
    TicketTypeFactory(event=event, name="Speaker")
    TicketTypeFactory(event=EventFactory(), name="Trainee")  # another event's name is free
    before = registration_state()

    response = orga.post(
        reverse("orga_registration:ticket_type_create", args=[event.slug]),
        ticket_data(name=name),
    )

    refused(response, f"This event already has a ticket type called “{name.strip()}”.")
    assert registration_state() == before


def test_ticket_type_edit_keeps_its_own_name_and_refuses_another(orga, event):
    speaker = TicketTypeFactory(event=event, name="Speaker")
    TicketTypeFactory(event=event, name="Press")
    url = reverse("orga_registration:ticket_type_edit", args=[event.slug, speaker.pk])

    same = orga.post(url, ticket_data(description="Changed"))
    clash = orga.post(url, ticket_data(name="press"))

    assert same.status_code == 302
    refused(clash, "This event already has a ticket type called “press”.")
    speaker.refresh_from_db()
    assert (speaker.name, speaker.description) == ("Speaker", "Changed")


def test_ticket_type_delete_refuses_a_ticket_type_in_use(orga, event):
    held = TicketTypeFactory(event=event, name="Participant")
    registered(event, ticket_type=held, status=RegistrationStatus.CANCELLED)
    url = reverse("orga_registration:ticket_type_delete", args=[event.slug, held.pk])
    before = registration_state()

    confirm = orga.get(url)
    response = orga.post(url, follow=True)

    assert "1 registration holds it: it cannot be deleted." in page_text(confirm)
    assert "“Participant” is held by 1 registration; it cannot be deleted." in page_text(response)
    assert registration_state() == before


def test_ticket_type_delete_removes_an_unused_one_after_confirmation(orga, event):
    unused = TicketTypeFactory(event=event, name="Press")
    url = reverse("orga_registration:ticket_type_delete", args=[event.slug, unused.pk])

    confirm = orga.get(url)
    response = orga.post(url)

    assert "Delete “Press”?" in page_text(confirm)
    assert response.status_code == 302
    assert not TicketType.objects.filter(pk=unused.pk).exists()


def test_ticket_type_pages_answer_404_for_another_events_ticket_type(orga, event):
    foreign = TicketTypeFactory(event=EventFactory(), name="Foreign")

    for name in ("ticket_type_edit", "ticket_type_delete"):
        url = reverse(f"orga_registration:{name}", args=[event.slug, foreign.pk])
        assert orga.post(url, ticket_data()).status_code == 404
    assert TicketType.objects.filter(pk=foreign.pk, name="Foreign").exists()


# --- questions -------------------------------------------------------------------------------


def question_data(**overrides) -> dict:
    data = {"label": "Which topics?", "kind": "multiple", "required": "on",
            "choices": "AI\r\n  Oncology \r\n\r\nDigital health", "position": "1"}  # fmt: skip
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_question_create_saves_choices_one_per_line(orga, event):
    response = orga.post(
        reverse("orga_registration:question_create", args=[event.slug]), question_data()
    )

    assert response.status_code == 302
    question = Question.objects.get(event=event)
    assert (question.label, question.kind, question.required, question.choices) == (
        "Which topics?", "multiple", True, ["AI", "Oncology", "Digital health"],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"choices": ""}, "A choice question needs at least two choices, one per line."),
        ({"kind": "choice", "choices": "Only one"}, "A choice question needs at least two"),
        ({"choices": "AI\nai"}, "Each choice may appear only once."),
        ({"label": "   "}, "This field is required."),
        ({"kind": "essay"}, "Select a valid choice. essay is not one of the available choices."),
    ],
)
def test_question_create_refuses_bad_input(orga, event, overrides, message):
    before = registration_state()

    response = orga.post(
        reverse("orga_registration:question_create", args=[event.slug]),
        question_data(**overrides),
    )

    refused(response, message)
    assert registration_state() == before


def test_question_of_another_kind_keeps_no_choices(orga, event):
    orga.post(
        reverse("orga_registration:question_create", args=[event.slug]),
        question_data(kind="yesno", label="Vegetarian?"),
    )

    assert Question.objects.get(event=event).choices == []


def test_question_edit_refuses_a_kind_change_once_answered(orga, event):
    question = Question.objects.create(event=event, label="Role", kind=QuestionKind.TEXT)
    Answer.objects.create(registration=registered(event), question=question, value="CEO")
    url = reverse("orga_registration:question_edit", args=[event.slug, question.pk])

    response = orga.post(url, question_data(label="Role", kind="choice", choices="CEO\nCTO"))
    relabel = orga.post(url, question_data(label="Your role", kind="text", choices=""))

    refused(response, "People have answered this question; its kind can no longer change.")
    assert relabel.status_code == 302
    question.refresh_from_db()
    assert (question.label, question.kind) == ("Your role", "text")


def test_question_delete_says_how_many_answers_go_and_removes_them(orga, event):
    question = Question.objects.create(event=event, label="Role", kind=QuestionKind.TEXT)
    Answer.objects.create(registration=registered(event), question=question, value="CEO")
    url = reverse("orga_registration:question_delete", args=[event.slug, question.pk])

    confirm = orga.get(url)
    response = orga.post(url)

    assert "1 answer to it is deleted too." in page_text(confirm)
    assert response.status_code == 302
    assert not Question.objects.filter(pk=question.pk).exists()
    assert not Answer.objects.exists()


# --- the services directly -------------------------------------------------------------------


def test_setup_services_carry_codes(event):
    TicketTypeFactory(event=event, name="Speaker")
    cases = [
        (lambda: services.ticket_type_create(event=event, actor=None, name="speaker"),
         "duplicate_ticket"),
        (lambda: services.ticket_type_create(event=event, actor=None, name=" "), "name_required"),
        (lambda: services.question_create(event=event, actor=None, label="Q", kind="choice",
                                          choices=["A"]), "choices_required"),
        (lambda: services.question_create(event=event, actor=None, label="Q", kind="bogus"),
         "bad_kind"),
        (lambda: services.registration_config_update(
            event=event, actor=None, opens_at=datetime(2025, 10, 2, tzinfo=UTC),
            closes_at=datetime(2025, 10, 1, tzinfo=UTC), capacity=None, privacy_notice=""),
         "window_order"),
    ]  # fmt: skip
    for call, code in cases:
        with pytest.raises(ValidationError) as exc:
            call()
        codes = [e.code for errors in exc.value.error_dict.values() for e in errors]
        assert codes == [code]
    with pytest.raises(TypeError):
        services.ticket_type_create(event=event, actor=None, name="X", event_id=1)
