"""People in sessions through the back office: the person search, giving somebody from the
directory a role, adding somebody new, taking a role away."""

import pytest
from django.test import Client
from django.urls import reverse

from clusterhub.directory.models import Organisation, Person
from clusterhub.events.models import SessionRole
from tests.events.orga_support import (
    db_state,
    page_text,
    query_count,
)
from tests.events.orga_support import (
    orga_url as url,
)
from tests.factories import (
    ClusterFactory,
    EventFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    SessionRoleFactory,
    at,
)


def test_person_search_returns_only_matching_people_without_emails(orga, event):
    ada = PersonFactory(contact_of=[event.cluster], first_name="Ada", last_name="Lovelace")
    PersonFactory(contact_of=[event.cluster], first_name="Grace", last_name="Hopper")

    text = page_text(orga.get(url("person_search", event) + "?find=lovel"))

    assert f'value="{ada.pk}"' in text
    assert "Ada Lovelace" in text
    assert "Grace" not in text
    assert ada.email not in text


def test_person_search_needs_two_characters_and_shows_at_most_ten(orga, event):
    PersonFactory.create_batch(12, contact_of=[event.cluster], last_name="Hansen")

    assert 'type="radio"' not in page_text(orga.get(url("person_search", event) + "?find=h"))
    text = page_text(orga.get(url("person_search", event) + "?find=hansen"))
    assert text.count('type="radio"') == 10
    assert "Only the first matches are shown" in text
    assert "Nobody in the directory matches “zz”" in page_text(
        orga.get(url("person_search", event) + "?find=zz")
    )


def test_person_search_query_count_does_not_grow_with_matches(orga, event):
    PersonFactory.create_batch(2, contact_of=[event.cluster], last_name="Berg")
    few = query_count(orga, url("person_search", event) + "?find=berg")
    PersonFactory.create_batch(10, contact_of=[event.cluster], last_name="Berg")
    assert query_count(orga, url("person_search", event) + "?find=berg") == few


def test_session_role_add_gives_the_chosen_person_a_role(orga, event):
    session, person = (
        SessionFactory(event=event),
        PersonFactory(contact_of=[event.cluster], first_name="Ada", last_name="Lovelace"),
    )

    response = orga.post(
        url("session_role_add", event, session.pk),
        {"role": "moderator", "person": person.pk, "find": "ada"},
        follow=True,
    )

    assert list(session.roles.values_list("person", "role")) == [(person.pk, "moderator")]
    assert "Ada Lovelace added (Moderator)." in page_text(response)


def test_session_role_add_without_javascript_takes_an_email(orga, event):
    session, person = (
        SessionFactory(event=event),
        PersonFactory(contact_of=[event.cluster], email="ada@example.org"),
    )

    orga.post(
        url("session_role_add", event, session.pk), {"role": "speaker", "find": " ADA@example.org "}
    )

    assert list(session.roles.values_list("person", flat=True)) == [person.pk]


@pytest.mark.parametrize(
    ("find", "message"),
    [
        (
            "nobody@example.org",
            "None of your contacts has the email address “nobody@example.org”.",
        ),
        ("Ada", "Choose a person from the search results, or type their email address."),
    ],
)
def test_session_role_add_refuses_without_a_known_person(orga, event, find, message):
    session = SessionFactory(event=event)
    PersonFactory(contact_of=[event.cluster], first_name="Ada")
    before = db_state()

    response = orga.post(
        url("session_role_add", event, session.pk), {"role": "speaker", "find": find}
    )

    assert message in page_text(response)
    assert db_state() == before


def test_session_role_add_refuses_a_person_in_an_overlapping_session(orga, event):
    person = PersonFactory(contact_of=[event.cluster], first_name="Marine", last_name="Jeanmougin")
    SessionRoleFactory(
        person=person,
        session=SessionFactory(event=event, title="Welcome", start=at(event, 9), end=at(event, 10)),
    )
    second = SessionFactory(event=event, start=at(event, 9, 30), end=at(event, 10, 30))
    before = db_state()

    response = orga.post(
        url("session_role_add", event, second.pk), {"role": "speaker", "person": person.pk}
    )

    assert "Marine Jeanmougin is already in “Welcome” (" in page_text(response)
    assert db_state() == before


def test_session_role_add_refuses_the_same_role_twice(orga, event):
    role = SessionRoleFactory(
        session=SessionFactory(event=event), role="speaker",
        person=PersonFactory(contact_of=[event.cluster]),
    )  # fmt: skip
    before = db_state()

    response = orga.post(
        url("session_role_add", event, role.session.pk),
        {"role": "speaker", "person": role.person.pk},
    )

    assert f"{role.person} already has this role here." in page_text(response)
    assert db_state() == before


def test_session_person_create_adds_person_organisation_and_role(orga, event):
    session = SessionFactory(event=event)
    existing = OrganisationFactory(name="Oslo Cancer Cluster")

    response = orga.post(
        url("session_person_create", event, session.pk),
        {
            "new-first_name": "Olena",
            "new-last_name": "Kovalenko",
            "new-email": "Olena@Example.org",
            "new-organisation": "oslo cancer cluster",
            "new-job_title": "Director",
            "new-role": "panelist",
        },
        follow=True,
    )

    person = Person.objects.get(last_name="Kovalenko")
    assert (person.email, person.organisation, person.job_title) == (
        "olena@example.org",
        existing,
        "Director",
    )
    assert list(session.roles.values_list("person", "role")) == [(person.pk, "panelist")]
    assert Organisation.objects.filter(name__iexact="oslo cancer cluster").count() == 1
    assert "Olena Kovalenko added (Panelist)." in page_text(response)
    assert list(person.contact_of.all()) == [event.cluster]


def test_session_person_create_reuses_a_person_already_in_the_directory(orga, event):
    session = SessionFactory(event=event)
    ada = PersonFactory(email="ada@example.org", first_name="Ada", bio="Kept as it is")

    orga.post(
        url("session_person_create", event, session.pk),
        {
            "new-first_name": "Someone",
            "new-last_name": "Else",
            "new-email": "ADA@example.org",
            "new-organisation": "New Org",
            "new-role": "speaker",
        },
    )

    ada.refresh_from_db()
    assert (ada.first_name, ada.bio) == ("Ada", "Kept as it is")  # not overwritten
    assert list(session.roles.values_list("person", flat=True)) == [ada.pk]
    assert Person.objects.filter(email__iexact="ada@example.org").count() == 1
    assert not Organisation.objects.filter(name="New Org").exists()
    assert event.cluster in ada.contact_of.all()


def test_person_search_never_finds_another_clusters_contacts(orga, event):
    other_cluster = ClusterFactory()
    PersonFactory(
        contact_of=[other_cluster], first_name="Secret", last_name="Participant",
        email="secret.person@hospital.example",
    )  # fmt: skip
    PersonFactory(contact_of=[event.cluster], first_name="Public", last_name="Speaker",
                  email="public@hospital.example")  # fmt: skip

    for find in ("Secret", "hospital.example", "secret.person@hospital.example"):
        text = page_text(orga.get(url("person_search", event) + f"?find={find}"))
        assert "Participant" not in text  # the query is echoed; the person never is
    assert "Public Speaker" in page_text(
        orga.get(url("person_search", event) + "?find=public@hospital.example")
    )


def test_session_role_add_refuses_a_person_who_is_not_a_contact(orga, event):
    session = SessionFactory(event=event)
    stranger = PersonFactory(contact_of=[ClusterFactory()], bio="PRIVATE BIO")
    before = db_state()

    orga.post(
        url("session_role_add", event, session.pk), {"role": "speaker", "person": stranger.pk}
    )
    orga.post(
        url("session_role_add", event, session.pk), {"role": "speaker", "find": stranger.email}
    )

    assert db_state() == before
    assert "PRIVATE BIO" not in page_text(
        Client().get(reverse("public:speakers", args=[event.slug]))
    )


def test_session_role_remove_takes_the_person_off(orga, event):
    role = SessionRoleFactory(session=SessionFactory(event=event))

    response = orga.post(url("session_role_remove", event, role.session.pk, role.pk), follow=True)

    assert not SessionRole.objects.filter(pk=role.pk).exists()
    assert f"{role.person} removed from this session." in page_text(response)


def test_session_role_remove_refuses_a_role_of_another_session(orga, event):
    mine = SessionFactory(event=event)
    elsewhere = SessionRoleFactory(
        session=SessionFactory(event=event, start=at(event, 14), end=at(event, 15))
    )
    foreign = SessionRoleFactory(session=SessionFactory(event=EventFactory()))

    for role in (elsewhere, foreign):
        response = orga.post(url("session_role_remove", event, mine.pk, role.pk))
        assert response.status_code == 404
    assert SessionRole.objects.count() == 2


def test_session_edit_page_query_count_does_not_grow_with_people(orga, event, joint):
    SessionRoleFactory(session=joint)
    few = query_count(orga, url("session_edit", event, joint.pk))
    for hour in range(9):
        SessionRoleFactory(session=joint, role=["speaker", "panelist", "host"][hour % 3])
    assert query_count(orga, url("session_edit", event, joint.pk)) == few
