"""The organiser's registrations list: search, filters, counts, pages, one registration, and
the decisions (approve, reject, cancel) through their POSTs."""

import pytest
from django.urls import reverse

from clusterhub.common.models import OutboxMessage
from clusterhub.registration.models import Registration, RegistrationStatus, SignUp, SignUpStatus
from tests.events.orga_support import page_text
from tests.factories import EventFactory, SessionFactory, TicketTypeFactory, at
from tests.registration.orga_support import queries, registered, registration_state


@pytest.fixture
def orga(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def people(event):
    """Four registrations of `event`, and look-alikes of each in another event."""
    speaker = TicketTypeFactory(event=event, name="Speaker")
    made = {
        "ada": registered(event, first="Ada", last="Lovelace", org="Oslo Cancer Cluster"),
        "olga": registered(event, first="Olga", last="Kovalenko", org="Kyiv Biotech",
                           org_type="company", country="UA", ticket_type=speaker),
        "nils": registered(event, first="Nils", last="Berg", org="Oslo University Hospital",
                           org_type="hospital", status=RegistrationStatus.PENDING),
        "eva": registered(event, first="Eva", last="Lund", org="Karolinska", org_type="hospital",
                          country="SE", status=RegistrationStatus.CANCELLED),
    }  # fmt: skip
    other = EventFactory(name="Other Summit")
    for r in list(made.values()):
        registered(other, first=r.person.first_name, last=r.person.last_name,
                   org=r.person.organisation.name, org_type=r.person.organisation.type,
                   country=str(r.person.country), status=r.status)  # fmt: skip
    registered(other, first="Zed", last="Outsider", org="Hidden Corp")
    return made


def listed(response) -> list[str]:
    return [r.person.full_name for r in response.context["page"].object_list]


def url(event, **params) -> str:
    base = reverse("orga_registration:registrations", args=[event.slug])
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"{base}?{query}" if query else base


def test_registrations_list_shows_only_this_events_rows_with_counts(orga, event, people):
    response = orga.get(url(event))

    assert response.status_code == 200
    assert listed(response) == ["Nils Berg", "Olga Kovalenko", "Ada Lovelace", "Eva Lund"]
    ids = {r.pk for r in response.context["page"].object_list}
    assert ids == {r.pk for r in Registration.objects.filter(event=event)}
    text = page_text(response)
    assert "Zed Outsider" not in text
    assert "Hidden Corp" not in text
    assert response.context["counts"] == {
        "total": 4, "confirmed": 2, "pending": 1, "cancelled": 1, "rejected": 0,
    }  # fmt: skip
    assert "4 registrations match" in text


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "kyiv"}, ["Olga Kovalenko"]),
        ({"q": "oslo"}, ["Nils Berg", "Ada Lovelace"]),
        ({"q": "oslo hospital"}, ["Nils Berg"]),
        ({"q": "olga.kovalenko"}, []),  # emails are p<n>@example.org here
        ({"status": "pending"}, ["Nils Berg"]),
        ({"country": "UA"}, ["Olga Kovalenko"]),
        ({"organisation_type": "hospital"}, ["Nils Berg", "Eva Lund"]),
        ({"organisation_type": "hospital", "status": "cancelled"}, ["Eva Lund"]),
    ],
)
def test_registrations_list_searches_and_filters(orga, event, people, params, expected):
    response = orga.get(url(event, **params))

    assert listed(response) == expected


def test_registrations_list_searches_email_and_filters_ticket_type(orga, event, people):
    olga = people["olga"]

    by_email = orga.get(url(event, q=olga.person.email))
    by_ticket = orga.get(url(event, ticket_type=olga.ticket_type_id))

    assert listed(by_email) == ["Olga Kovalenko"]
    assert listed(by_ticket) == ["Olga Kovalenko"]


def test_registrations_list_ignores_another_events_ticket_type_and_unknown_values(
    orga, event, people
):
    foreign_ticket = TicketTypeFactory(event=EventFactory(), name="Foreign")

    response = orga.get(url(event, ticket_type=foreign_ticket.pk, status="bogus"))

    assert response.status_code == 200
    assert len(listed(response)) == 4
    assert response.context["form"].errors.keys() == {"ticket_type", "status"}


def test_registrations_list_offers_only_countries_present(orga, event, people):
    form = orga.get(url(event)).context["form"]

    assert [code for code, _ in form.fields["country"].choices] == ["", "NO", "SE", "UA"]


def test_registrations_list_pages_by_fifty_and_keeps_filters_in_links(orga, event):
    for i in range(55):
        registered(event, first=f"P{i:02d}", last="Same")

    first = orga.get(url(event, q="same"))
    second = orga.get(url(event, q="same", page=2))

    assert len(listed(first)) == 50
    assert len(listed(second)) == 5
    assert "?q=same&amp;page=2" in first.content.decode()
    assert f"{reverse('orga_registration:registrations_csv', args=[event.slug])}?q=same" in (
        first.content.decode()
    )


def test_registrations_list_query_count_does_not_grow(orga, event):
    for _ in range(5):
        registered(event)
    few = queries(orga, url(event))
    for _ in range(25):
        registered(event)

    many = queries(orga, url(event))

    assert few == many


def test_registration_detail_shows_answers_signups_and_is_scoped_to_the_event(orga, event, people):
    olga = people["olga"]
    module = SessionFactory(event=event, title="EU funding", capacity=5, signup_required=True)
    SignUp.objects.create(registration=olga, session=module, status=SignUpStatus.CONFIRMED)
    stranger = Registration.objects.exclude(event=event).first()

    response = orga.get(
        reverse("orga_registration:registration_detail", args=[event.slug, olga.pk])
    )
    foreign = orga.get(
        reverse("orga_registration:registration_detail", args=[event.slug, stranger.pk])
    )

    text = page_text(response)
    assert "Olga Kovalenko" in text
    assert "Kyiv Biotech" in text
    assert "EU funding" in text
    assert foreign.status_code == 404


def test_approve_confirms_a_pending_registration_and_mails_the_person(orga, event, people):
    nils = people["nils"]
    back = url(event, status="pending")

    response = orga.post(
        reverse("orga_registration:registration_approve", args=[event.slug, nils.pk]),
        {"next": back},
    )

    assert response.status_code == 302
    assert response["Location"] == back
    nils.refresh_from_db()
    assert nils.status == RegistrationStatus.CONFIRMED
    mail = OutboxMessage.objects.get(to=nils.person.email)
    assert mail.subject.startswith("Registration confirmed")
    followed = page_text(orga.get(back))
    assert "Nils Berg is registered: approved, and told by email." in followed


def test_reject_refuses_a_pending_registration_and_mails_the_person(orga, event, people):
    nils = people["nils"]

    response = orga.post(
        reverse("orga_registration:registration_reject", args=[event.slug, nils.pk])
    )

    assert response["Location"] == reverse(
        "orga_registration:registration_detail", args=[event.slug, nils.pk]
    )
    nils.refresh_from_db()
    assert nils.status == RegistrationStatus.REJECTED
    assert OutboxMessage.objects.get(to=nils.person.email).subject.startswith(
        "Registration not accepted"
    )


def test_approve_refuses_a_registration_that_is_not_pending(orga, event, people):
    ada = people["ada"]
    before = registration_state()

    response = orga.post(
        reverse("orga_registration:registration_approve", args=[event.slug, ada.pk]), follow=True
    )

    assert "This registration is not awaiting approval." in page_text(response)
    assert registration_state() == before


def test_cancel_releases_the_seat_to_the_first_waitlisted(orga, event, people):
    module = SessionFactory(event=event, title="Site visit", capacity=1, signup_required=True,
                            start=at(event, 14), end=at(event, 16))  # fmt: skip
    ada, olga = people["ada"], people["olga"]
    SignUp.objects.create(registration=ada, session=module, status=SignUpStatus.CONFIRMED)
    waiting = SignUp.objects.create(
        registration=olga, session=module, status=SignUpStatus.WAITLISTED
    )

    response = orga.post(
        reverse("orga_registration:registration_cancel", args=[event.slug, ada.pk]),
        {"next": "https://evil.example/"},
    )

    assert response["Location"] == reverse(
        "orga_registration:registration_detail", args=[event.slug, ada.pk]
    )
    ada.refresh_from_db()
    assert ada.status == RegistrationStatus.CANCELLED
    assert SignUp.objects.get(pk=waiting.pk).status == SignUpStatus.CONFIRMED
    assert not SignUp.objects.filter(registration=ada).exists()
    subjects = set(OutboxMessage.objects.values_list("to", "subject"))
    assert (ada.person.email, f"Registration cancelled: {event.name}") in subjects
    assert (olga.person.email, "You have a seat: Site visit") in subjects


def test_cancel_refuses_an_already_cancelled_registration(orga, event, people):
    before = registration_state()

    response = orga.post(
        reverse("orga_registration:registration_cancel", args=[event.slug, people["eva"].pk]),
        follow=True,
    )

    assert "This registration is not active." in page_text(response)
    assert registration_state() == before


def test_decisions_on_another_events_registration_answer_404(orga, event, people):
    stranger = Registration.objects.exclude(event=event).get(person__first_name="Nils")
    before = registration_state()

    for name in ("registration_approve", "registration_reject", "registration_cancel"):
        response = orga.post(reverse(f"orga_registration:{name}", args=[event.slug, stranger.pk]))
        assert response.status_code == 404, name

    assert registration_state() == before


def test_list_shows_decision_buttons_for_pending_only(orga, event, people):
    text = orga.get(url(event)).content.decode()

    approve = reverse(
        "orga_registration:registration_approve", args=[event.slug, people["nils"].pk]
    )
    assert approve in text
    for key in ("ada", "olga", "eva"):
        assert (
            reverse("orga_registration:registration_approve", args=[event.slug, people[key].pk])
            not in text
        )
    assert (
        reverse("orga_registration:registration_cancel", args=[event.slug, people["eva"].pk])
        not in text
    )
