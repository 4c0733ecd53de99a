import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clusterhub.common.models import ActivityLogEntry
from clusterhub.directory import selectors, services
from clusterhub.directory.models import ClusterRole, Organisation, OrganisationType, Person
from tests.factories import ClusterFactory, OrganisationFactory, PersonFactory, UserFactory


def test_organisation_create_gives_unique_slug_and_logs(db):
    actor = UserFactory()
    first = services.organisation_create(name="Fjordline Biotech", actor=actor, country="NO")
    second = services.organisation_create(
        name="Fjordline Biotech", actor=actor, type=OrganisationType.INDUSTRY
    )
    assert (first.slug, second.slug) == ("fjordline-biotech", "fjordline-biotech-2")
    assert ActivityLogEntry.objects.filter(action="directory.organisation.create").count() == 2


def test_organisation_create_refuses_blank_name_and_unknown_type(db):
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(name="  ", actor=None)
    assert exc.value.error_dict["name"][0].code == "required"
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(name="X", actor=None, type="castle")
    assert "type" in exc.value.message_dict
    assert not Organisation.objects.exists()


def test_person_create_refuses_duplicate_email_case_insensitively(db):
    services.person_create(first_name="Olena", last_name="K", email="Olena@Example.org", actor=None)
    with pytest.raises(ValidationError):
        services.person_create(first_name="O", last_name="K", email="olena@example.ORG", actor=None)
    assert Person.objects.count() == 1
    assert Person.objects.get().email == "olena@example.org"


def test_database_refuses_duplicate_person_email_ignoring_case(db):
    PersonFactory(email="a@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonFactory(email="A@example.org")


def test_people_without_email_may_coexist(db):
    PersonFactory(email="")
    PersonFactory(email="")
    assert Person.objects.filter(email="").count() == 2


def test_cluster_create_makes_owner_and_member_set_changes_role(db):
    owner, other = UserFactory(), UserFactory()
    cluster = services.cluster_create(
        organisation=OrganisationFactory(type=OrganisationType.CLUSTER), slug="occ", owner=owner,
        actor=owner,
    )  # fmt: skip
    services.cluster_member_set(cluster=cluster, user=other, role=ClusterRole.CHECKIN, actor=owner)
    services.cluster_member_set(
        cluster=cluster, user=other, role=ClusterRole.ORGANISER, actor=owner
    )
    roles = dict(cluster.memberships.values_list("user__email", "role"))
    assert roles == {owner.email: "owner", other.email: "organiser"}
    with pytest.raises(ValidationError):
        services.cluster_member_set(cluster=cluster, user=other, role="king", actor=owner)


def test_clusters_for_user_filters_by_role_and_hides_others(db):
    user = UserFactory()
    mine = ClusterFactory()
    staffed = ClusterFactory()
    ClusterFactory()  # somebody else's
    services.cluster_member_set(cluster=mine, user=user, role=ClusterRole.OWNER, actor=None)
    services.cluster_member_set(cluster=staffed, user=user, role=ClusterRole.CHECKIN, actor=None)

    assert set(selectors.clusters_for_user(user=user)) == {mine, staffed}
    organising = selectors.clusters_for_user(
        user=user, roles=(ClusterRole.OWNER, ClusterRole.ORGANISER)
    )
    assert list(organising) == [mine]


def test_person_search_matches_every_word_among_the_clusters_contacts_only(db):
    cluster = ClusterFactory()
    org = OrganisationFactory(name="SINTEF Digital")
    hit = PersonFactory(first_name="Ingrid", last_name="Berg", organisation=org,
                        email="ingrid@sintef.example", contact_of=[cluster])  # fmt: skip
    PersonFactory(first_name="Ingrid", last_name="Hansen", contact_of=[cluster])
    PersonFactory(first_name="Per", last_name="Berg", contact_of=[cluster])
    PersonFactory(first_name="Ingrid", last_name="Berg", organisation=org)  # not a contact

    assert list(selectors.person_search(cluster=cluster, query="ingrid sintef")) == [hit]
    assert list(selectors.person_search(cluster=cluster, query="BERG ingrid")) == [hit]
    assert list(selectors.person_search(cluster=cluster, query="sintef.example")) == []
    assert list(selectors.person_search(cluster=cluster, query="INGRID@sintef.example")) == [hit]


def test_person_create_with_cluster_makes_a_contact(db):
    cluster = ClusterFactory()
    person = services.person_create(first_name="A", last_name="B", cluster=cluster, actor=None)
    assert list(person.contact_of.all()) == [cluster]
    assert selectors.contact_by_email(cluster=cluster, email="") is None
