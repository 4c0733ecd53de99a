import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from clusterhub.common.models import OutboxMessage
from clusterhub.directory.models import Person
from clusterhub.events.models import EventStatus
from clusterhub.registration.models import Registration, RegistrationStatus
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PersonFactory,
    QuestionFactory,
    RegistrationConfigFactory,
    RegistrationFactory,
    TicketTypeFactory,
    UserFactory,
)
from tests.registration.portal_support import db_state, page_text, portal_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def config(event):
    return RegistrationConfigFactory(event=event, privacy_notice="Oslo Cancer Cluster keeps data.")


@pytest.fixture
def ticket(event, config):
    return TicketTypeFactory(event=event, name="Participant")


@pytest.fixture
def questions(event):
    return {
        "diet": QuestionFactory(event=event, label="Dietary needs", kind="text"),
        "role": QuestionFactory(
            event=event, label="Your role", kind="choice", required=True,
            choices=["Researcher", "Investor", "Teacher"],
        ),
        "topics": QuestionFactory(
            event=event, label="Topics", kind="multiple", choices=["AI", "Oncology", "Funding"]
        ),
        "dinner": QuestionFactory(event=event, label="Joining the dinner?", kind="yesno",
                                  required=True),
    }  # fmt: skip


@pytest.fixture
def user(client):
    user = UserFactory(email="olena.kovalenko@example.org")
    client.force_login(user)
    return user


def form_data(ticket, questions=None, **overrides) -> dict:
    data = {
        "ticket_type": ticket.pk,
        "first_name": "Olena",
        "last_name": "Kovalenko",
        "job_title": "Data scientist",
        "organisation_name": "Kyiv Biotech",
        "organisation_type": "company",
        "country": "UA",
        "consent_privacy": "on",
        "consent_photos": "on",
    }
    if questions:
        data.update({
            f"question_{questions['diet'].pk}": "Vegetarian",
            f"question_{questions['role'].pk}": "Researcher",
            f"question_{questions['topics'].pk}": ["AI", "Oncology"],
            f"question_{questions['dinner'].pk}": "no",
        })  # fmt: skip
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_register_confirms_stores_person_answers_consents_and_queues_mail(
    client, event, ticket, questions, user
):
    response = client.post(portal_url("register", event), form_data(ticket, questions), follow=True)

    assert response.redirect_chain == [(portal_url("me", event), 302)]
    assert "You are registered. Welcome!" in page_text(response)
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.ticket_type == ticket
    person = registration.person
    assert (person.user, person.email, person.first_name, person.last_name) == (
        user, "olena.kovalenko@example.org", "Olena", "Kovalenko",
    )  # fmt: skip
    assert (person.organisation.name, person.organisation.type, person.country.code) == (
        "Kyiv Biotech", "company", "UA",
    )  # fmt: skip
    answers = {a.question.label: a.value for a in registration.answers.all()}
    assert answers == {
        "Dietary needs": "Vegetarian",
        "Your role": "Researcher",
        "Topics": ["AI", "Oncology"],
        "Joining the dinner?": False,
    }
    assert registration.consent_privacy_at is not None
    assert registration.consent_matchmaking_at is None  # not ticked
    assert registration.consent_photos_at is not None
    mail = OutboxMessage.objects.get()
    assert mail.to == "olena.kovalenko@example.org"
    assert mail.subject == f"Registration confirmed: {event.name}"


def test_register_with_approval_ticket_is_pending_and_says_so(client, event, config, user):
    press = TicketTypeFactory(event=event, name="Press", requires_approval=True)

    response = client.post(portal_url("register", event), form_data(press), follow=True)

    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.PENDING
    assert "awaits the organisers' approval" in page_text(response)
    assert "Awaiting approval" in page_text(response)
    assert OutboxMessage.objects.get().subject == f"Registration received: {event.name}"


def test_register_links_an_existing_person_with_the_account_email(client, event, ticket, user):
    known = PersonFactory(email="Olena.Kovalenko@example.org", first_name="O.", user=None)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    people = Person.objects.count()

    client.post(portal_url("register", event), form_data(ticket))

    known.refresh_from_db()
    assert Person.objects.count() == people
    assert known.user == user
    assert known.first_name == "Olena"
    assert Registration.objects.get().person == known


def test_register_refuses_to_take_over_a_directory_entry_with_an_unconfirmed_email(
    client, event, ticket, user
):
    known = PersonFactory(email=user.email, first_name="Real", bio="Someone else's profile")
    before = db_state()

    response = client.post(portal_url("register", event), form_data(ticket))

    assert "Please confirm your email address first" in page_text(response)
    known.refresh_from_db()
    assert (known.user, known.first_name) == (None, "Real")
    assert db_state() == before


def test_register_reuses_the_person_of_the_account_and_an_organisation_by_name(
    client, event, ticket, user
):
    organisation = OrganisationFactory(name="Kyiv Biotech")
    mine = PersonFactory(user=user, email="old.address@example.org")

    client.post(portal_url("register", event), form_data(ticket))

    mine.refresh_from_db()
    assert Registration.objects.get().person == mine
    assert mine.organisation == organisation


def test_register_form_shows_the_privacy_notice_and_unticked_optional_consents(
    client, event, ticket, questions, user
):
    response = client.get(portal_url("register", event))

    text = page_text(response)
    assert response.status_code == 200
    assert "Oslo Cancer Cluster keeps data." in text
    form = response.context["form"]
    for name in ("consent_matchmaking", "consent_photos", "consent_privacy"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', text).group(0)
        assert "checked" not in tag
    assert [f.label for f in form.question_fields] == [
        "Dietary needs", "Your role", "Topics", "Joining the dinner?",
    ]  # fmt: skip


def test_register_initial_values_come_from_my_directory_entry(client, event, ticket, user):
    PersonFactory(user=user, first_name="Ingrid", job_title="CEO")

    form = client.get(portal_url("register", event)).context["form"]

    assert form["first_name"].value() == "Ingrid"
    assert form["job_title"].value() == "CEO"


def test_register_anonymous_is_sent_to_login_and_back(client, event, ticket):
    response = client.get(portal_url("register", event))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/events/{event.slug}/register/"


def _refused(client, event, data, message, status=400):
    before = db_state()
    response = client.post(portal_url("register", event), data)
    assert response.status_code == status, response.content[:300]
    assert message in page_text(response)
    assert db_state() == before
    return response


def test_register_refuses_when_closed_or_not_open(client, event, config, ticket, user):
    config.closes_at = timezone.now() - timedelta(days=1)
    config.save()
    _refused(client, event, form_data(ticket), "Registration is closed.")

    config.opens_at, config.closes_at = timezone.now() + timedelta(days=1), None
    config.save()
    _refused(client, event, form_data(ticket), "Registration has not opened yet.")
    response = client.get(portal_url("register", event))
    assert "Registration opens on" in page_text(response)
    assert response.context["state"] == "not_open_yet"
    assert b'name="consent_privacy"' not in response.content  # no form to fill in vain


def test_register_refuses_a_full_event(client, event, config, ticket, user):
    config.capacity = 1
    config.save()
    RegistrationFactory(event=event, ticket_type=ticket)

    _refused(client, event, form_data(ticket), "The event is full.")
    assert "no more places are left" in page_text(client.get(portal_url("register", event)))


def test_register_refuses_missing_required_and_bad_answers(client, event, ticket, questions, user):
    role, dinner = questions["role"].pk, questions["dinner"].pk
    missing = form_data(ticket, questions, **{f"question_{role}": None})
    _refused(client, event, missing, "Please answer this question.")
    no_dinner = form_data(ticket, questions, **{f"question_{dinner}": None})
    _refused(client, event, no_dinner, "Please answer this question.")
    bad = form_data(ticket, questions, **{f"question_{role}": "Astronaut"})
    _refused(client, event, bad, "Choose one of the options.")
    bad_many = form_data(ticket, questions, **{f"question_{questions['topics'].pk}": ["Golf"]})
    _refused(client, event, bad_many, "Choose one of the options.")


def test_register_refuses_without_privacy_consent(client, event, ticket, user):
    data = form_data(ticket, consent_privacy=None)
    _refused(client, event, data, "You need to accept the privacy notice to register.")


def test_register_refuses_another_events_or_a_hidden_ticket(client, event, ticket, user):
    other = TicketTypeFactory(event=EventFactory())
    hidden = TicketTypeFactory(event=event, is_public=False)
    _refused(client, event, form_data(other), "Choose one of the ticket types offered.")
    _refused(client, event, form_data(hidden), "Choose one of the ticket types offered.")


def test_register_refuses_an_email_held_by_another_account(client, event, ticket, user):
    PersonFactory(email=user.email, user=UserFactory())
    _refused(client, event, form_data(ticket), "belongs to another account")


def test_register_twice_keeps_one_registration_and_shows_it(client, event, ticket, user):
    data = form_data(ticket)
    client.post(portal_url("register", event), data)
    before = db_state()

    response = client.post(portal_url("register", event), data, follow=True)

    assert db_state() == before
    assert response.redirect_chain == [(portal_url("me", event), 302)]
    assert "You are already registered for this event." in page_text(response)
    assert client.get(portal_url("register", event))["Location"] == portal_url("me", event)


def test_register_again_after_cancelling(client, event, ticket, user):
    client.post(portal_url("register", event), form_data(ticket))
    client.post(portal_url("cancel", event))

    client.post(portal_url("register", event), form_data(ticket))

    assert list(Registration.objects.values_list("status", flat=True)) == [
        "cancelled", "confirmed",
    ]  # fmt: skip


def test_register_draft_event_is_404_for_participants_and_refused_for_the_team(
    client, event, ticket, user, organiser
):
    event.status = EventStatus.DRAFT
    event.save()
    assert client.get(portal_url("register", event)).status_code == 404
    assert client.post(portal_url("register", event), form_data(ticket)).status_code == 404

    client.force_login(organiser)
    before = db_state()
    response = client.post(portal_url("register", event), form_data(ticket))
    assert "This event is not open for registration." in page_text(response)
    assert db_state() == before
