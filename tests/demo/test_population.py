from collections import Counter

import pytest

from clusterhub.demo.data.countries import GROUP_OF_COUNTRY
from clusterhub.demo.population import email_for, generate_population, load_population
from clusterhub.directory.models import Organisation, OrganisationType, Person
from tests.demo.conftest import run_load_demo
from tests.factories import ClusterFactory


def test_generate_population_same_seed_gives_same_people():
    assert generate_population(120, seed=5) == generate_population(120, seed=5)


def test_generate_population_different_seed_gives_different_people():
    a, b = generate_population(120, seed=5), generate_population(120, seed=6)

    assert [p.email for p in a] != [p.email for p in b]
    assert {p.organisation.name for p in a} != {p.organisation.name for p in b}


def test_generate_population_smaller_n_is_a_prefix_of_larger_n():
    assert generate_population(40, seed=2) == generate_population(90, seed=2)[:40]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_generate_population_of_300_has_the_target_mix(seed):
    people = generate_population(300, seed=seed)

    types = Counter(p.organisation.type for p in people)
    assert set(types) == set(OrganisationType.values)
    # Many companies and researchers, few diplomats.
    assert types["company"] > types["hospital"] > types["diplomatic"]
    assert types["research"] + types["university"] > types["hospital"]
    groups = Counter(GROUP_OF_COUNTRY[p.country] for p in people)
    assert groups["no"] / 300 == pytest.approx(0.55, abs=0.08)
    assert groups["eu"] / 300 == pytest.approx(0.30, abs=0.08)
    assert groups["ua"] / 300 == pytest.approx(0.15, abs=0.06)
    assert len({p.country for p in people if GROUP_OF_COUNTRY[p.country] == "eu"}) >= 10
    organisations = {p.organisation.slug for p in people}
    assert 300 / 4 <= len(organisations) <= 300 / 2  # roughly n/3


def test_generate_population_people_are_complete_and_consistent():
    people = generate_population(300, seed=0)

    assert len({p.email for p in people}) == 300
    assert all(p.email.endswith("@example.org") and p.email.isascii() for p in people)
    assert all(p.country == p.organisation.country for p in people)
    assert all(p.job_title and p.bio and 1 <= len(p.expertise) <= 4 for p in people)
    assert all("en" in p.languages for p in people)
    ukrainians = [p for p in people if p.country == "UA"]
    assert all("uk" in p.languages for p in ukrainians)
    norwegians = [p for p in people if p.country == "NO"]
    assert all("nb" in p.languages for p in norwegians)


def test_email_for_folds_letters_to_ascii():
    assert email_for("Øystein", "Ødegård", 7) == "oystein.odegard.7@example.org"
    assert email_for("Siobhán", "O'Brien", 8) == "siobhan.obrien.8@example.org"
    assert email_for("Sanne", "van Leeuwen", 9) == "sanne.vanleeuwen.9@example.org"


def test_load_population_writes_people_and_organisations_once(db):
    specs = generate_population(60, seed=3)

    first = load_population(specs)
    second = load_population(specs)

    assert (first.people_created, second.people_created, second.organisations_created) == (
        60, 0, 0,
    )  # fmt: skip
    assert Person.objects.count() == 60
    assert Organisation.objects.count() == first.organisations_created
    stored = Person.objects.select_related("organisation").get(email=specs[0].email)
    assert (stored.full_name, stored.organisation.name, stored.languages) == (
        f"{specs[0].first_name} {specs[0].last_name}", specs[0].organisation.name,
        list(specs[0].languages),
    )  # fmt: skip


def test_load_population_skips_an_address_already_there_in_other_capitals(db):
    specs = generate_population(5, seed=3)
    Person.objects.create(first_name="Edited", last_name="Person", email=specs[0].email.upper())

    loaded = load_population(specs)

    assert loaded.people_created == 4
    assert Person.objects.filter(email__iexact=specs[0].email).get().first_name == "Edited"


def test_load_demo_participants_option_sets_the_population_size(db):
    output = run_load_demo(participants=50, seed=7)

    assert Person.objects.filter(email__endswith="@example.org").count() == 50
    assert "Population (seed 7): 50 people, added 50 people" in output


def test_load_population_makes_everybody_a_contact_of_the_cluster(db):
    cluster = ClusterFactory()
    specs = generate_population(12, seed=3)
    load_population(specs, cluster=cluster)
    load_population(specs, cluster=cluster)  # idempotent
    assert Person.objects.filter(contact_of=cluster).count() == 12
    assert Person.contact_of.through.objects.filter(cluster=cluster).count() == 12
