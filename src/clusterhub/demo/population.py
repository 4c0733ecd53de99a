"""A deterministic synthetic population of an Oslo health-innovation event.

`generate_population(n, seed)` is pure Python (one `random.Random(seed)`, no Faker, no database):
the same `n` and `seed` give the same people, and the first `n` people of a larger population
are the population of size `n`, because person i depends only on the seed and persons before
it. `load_population(specs)` writes them in bulk and skips whoever is already there (people are
keyed by email, organisations by slug), so loading twice changes nothing.

Each participant draws a stakeholder type (weights in `data.stakeholders`) and a country group
(55 % Norway, 30 % other EU/EEA, 15 % Ukraine), then either joins an organisation of that type
and group already met (the bigger, the likelier) or brings a new one; the chance of a new one is
about one in three, so there are roughly n/3 organisations (n=300: ~110; n=5,000: ~1,350).
Beyond a few thousand people the fictitious names run out and organisations grow instead
(n=20,000: ~3,300), as a real country's hospitals and universities would. People share their
organisation's country.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models.functions import Lower
from django.utils.text import slugify

from clusterhub.common.activity import activity_log
from clusterhub.demo.data.countries import COUNTRIES, COUNTRY_GROUPS, EU_COUNTRY_WEIGHTS
from clusterhub.demo.data.stakeholders import (
    BIO_OPENINGS,
    EXPERTISE,
    SECTORS,
    STAKEHOLDERS,
    TAILS,
)
from clusterhub.directory.models import Cluster, Organisation, Person

EMAIL_DOMAIN = "example.org"  # reserved for documentation (RFC 2606): mail goes nowhere
EXTRA_LANGUAGES = ("en", "de", "fr", "sv", "nb", "pl", "es")
_NAME_ATTEMPTS = 12
_LOOKUP_CHUNK = 500


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    slug: str
    type: str
    country: str
    sectors: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class PersonSpec:
    first_name: str
    last_name: str
    email: str
    organisation: OrganisationSpec
    job_title: str
    country: str
    bio: str
    expertise: tuple[str, ...]
    languages: tuple[str, ...]


# Letters NFKD does not take apart into an ASCII letter and an accent.
_ASCII = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L"})


def ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return decomposed.encode("ascii", "ignore").decode()


def email_for(first_name: str, last_name: str, number: int) -> str:
    """`firstname.lastname.N@example.org`, lower-case ASCII; N makes it unique."""
    parts = [re.sub(r"[^a-z0-9]", "", ascii_fold(p).lower()) for p in (first_name, last_name)]
    return f"{'.'.join(p for p in parts if p)}.{number}@{EMAIL_DOMAIN}"


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.types = list(STAKEHOLDERS)
        self.type_weights = [STAKEHOLDERS[t].weight for t in self.types]
        self.groups = list(COUNTRY_GROUPS)
        self.group_weights = list(COUNTRY_GROUPS.values())
        self.eu = list(EU_COUNTRY_WEIGHTS)
        self.eu_weights = list(EU_COUNTRY_WEIGHTS.values())
        # (type, group) -> organisations met so far, and how many people each has
        self.orgs: dict[tuple[str, str], list[OrganisationSpec]] = {}
        self.sizes: dict[tuple[str, str], list[int]] = {}
        self.used_slugs: set[str] = set()

    def person(self, number: int) -> PersonSpec:
        rng = self.rng
        kind = rng.choices(self.types, self.type_weights)[0]
        org = self._organisation(kind, rng.choices(self.groups, self.group_weights)[0])
        words = COUNTRIES[org.country]
        female = rng.random() < 0.5
        first = rng.choice(words.female if female else words.male)
        last = rng.choice(words.last)
        if "/" in last:
            last = last.split("/")[1 if female else 0]
        stakeholder = STAKEHOLDERS[kind]
        title = rng.choice(stakeholder.titles)
        expertise = self._expertise(kind)
        return PersonSpec(
            first_name=first,
            last_name=last,
            email=email_for(first, last, number),
            organisation=org,
            job_title=title,
            country=org.country,
            bio=self._bio(kind, title, org.name, expertise),
            expertise=expertise,
            languages=self._languages(org.country),
        )

    def _organisation(self, kind: str, group: str) -> OrganisationSpec:
        key = (kind, group)
        orgs, sizes = self.orgs.setdefault(key, []), self.sizes.setdefault(key, [])
        if not orgs or self.rng.random() < STAKEHOLDERS[kind].new_org:
            org = self._new_organisation(kind, group, must=not orgs)
            if org is not None:
                orgs.append(org)
                sizes.append(1)
                return org
        # Bigger organisations send more people (preferential attachment).
        i = self.rng.choices(range(len(orgs)), sizes)[0]
        sizes[i] += 1
        return orgs[i]

    def _new_organisation(self, kind: str, group: str, *, must: bool) -> OrganisationSpec | None:
        """A new organisation with an unused name, or None once the names run out (then the
        participant joins one already met) unless `must`, when a number makes it unique."""
        rng = self.rng
        country = {"no": "NO", "ua": "UA"}.get(group) or rng.choices(self.eu, self.eu_weights)[0]
        words = COUNTRIES[country]
        stakeholder = STAKEHOLDERS[kind]
        for attempt in range(_NAME_ATTEMPTS + (1 if must else 0)):
            sector, template = rng.choice(SECTORS), rng.choice(stakeholder.names)
            name = template.format(
                town=rng.choice(words.towns),
                brand=rng.choice(words.brands),
                sector=sector,
                tail=rng.choice(TAILS),
                adj=words.adjective,
                legal=words.legal,
                legal_large=words.legal_large,
            )
            slug = slugify(ascii_fold(name))[:190]
            number = 1
            while attempt == _NAME_ATTEMPTS and slug in self.used_slugs:
                number += 1  # the last resort: "Granvik Health Angels 2"
                slug = slugify(ascii_fold(f"{name} {number}"))[:190]
            name = f"{name} {number}" if number > 1 else name
            if slug not in self.used_slugs:
                self.used_slugs.add(slug)
                sectors = (sector.lower(),) if "{sector}" in template else ()
                return OrganisationSpec(
                    name=name,
                    slug=slug,
                    type=str(kind),
                    country=country,
                    sectors=sectors or (rng.choice(stakeholder.expertise),),
                    description="Fictitious organisation of the clusterhub demo population.",
                )
        return None

    def _expertise(self, kind: str) -> tuple[str, ...]:
        rng = self.rng
        own = STAKEHOLDERS[kind].expertise
        tags = rng.sample(own, min(len(own), rng.randint(1, 3)))
        if rng.random() < 0.5:
            tags.append(rng.choice(EXPERTISE))
        return tuple(dict.fromkeys(tags))

    def _languages(self, country: str) -> tuple[str, ...]:
        rng = self.rng
        native = COUNTRIES[country].languages
        languages = [rng.choice(native)] if native else []
        languages.append("en")
        if rng.random() < 0.25:
            languages.append(rng.choice(EXTRA_LANGUAGES))
        return tuple(dict.fromkeys(languages))

    def _bio(self, kind: str, title: str, org: str, expertise: tuple[str, ...]) -> str:
        rng = self.rng
        opening = rng.choice(BIO_OPENINGS).format(title=title, org=org, tag=rng.choice(expertise))
        if rng.random() < 0.2:
            return opening  # some people write one sentence only
        # The first tag is always one of the type's own, so the pitch stays in character.
        return f"{opening} {rng.choice(STAKEHOLDERS[kind].pitch).format(tag=expertise[0])}"


def generate_population(n: int, seed: int = 0) -> list[PersonSpec]:
    """`n` synthetic people, identical for the same `n` and `seed`. No database access."""
    if n < 0:
        raise ValueError("n must not be negative")
    generator = _Generator(seed)
    return [generator.person(i) for i in range(1, n + 1)]


@dataclass(frozen=True)
class PopulationLoaded:
    organisations_created: int
    people_created: int
    people_total: int


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _LOOKUP_CHUNK):
        yield items[i : i + _LOOKUP_CHUNK]


def _org_ids(slugs: Sequence[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in _chunks(slugs):
        ids.update(Organisation.objects.filter(slug__in=chunk).values_list("slug", "pk"))
    return ids


def person_ids_by_email(emails: Sequence[str]) -> dict[str, int]:
    """Primary keys of the people with these lower-case addresses, whatever the case they are
    stored in (the unique index ignores case too), looked up in chunks."""
    ids: dict[str, int] = {}
    people = Person.objects.annotate(email_lower=Lower("email"))
    for chunk in _chunks(emails):
        ids.update(people.filter(email_lower__in=chunk).values_list("email_lower", "pk"))
    return ids


def load_population(
    specs: Sequence[PersonSpec], *, cluster: Cluster | None = None, batch_size: int = 500
) -> PopulationLoaded:
    """Write `specs` to the directory in bulk, skipping organisations (by slug) and people (by
    email, case-insensitively) that exist already; existing rows are left as they are. With
    `cluster`, everybody in `specs` becomes one of its contacts.

    Bypasses the directory services for speed (20,000 people in seconds); the database
    constraints still hold, and one activity log entry records the load when it added anyone.
    """
    orgs = list({spec.organisation.slug: spec.organisation for spec in specs}.values())
    ids = _org_ids([o.slug for o in orgs])
    new_orgs = [
        Organisation(
            name=o.name,
            slug=o.slug,
            type=o.type,
            country=o.country,
            sectors=list(o.sectors),
            description=o.description,
        )
        for o in orgs
        if o.slug not in ids
    ]
    Organisation.objects.bulk_create(new_orgs, batch_size=batch_size, ignore_conflicts=True)
    ids.update(_org_ids([o.slug for o in new_orgs]))

    existing = set(person_ids_by_email([spec.email.lower() for spec in specs]))
    new_people = [
        Person(
            first_name=s.first_name,
            last_name=s.last_name,
            email=s.email.lower(),
            organisation_id=ids[s.organisation.slug],
            job_title=s.job_title,
            country=s.country,
            bio=s.bio,
            expertise=list(s.expertise),
            languages=list(s.languages),
        )
        for s in specs
        if s.email.lower() not in existing
    ]
    # ignore_conflicts: a row another process added meanwhile is caught by the unique index.
    Person.objects.bulk_create(new_people, batch_size=batch_size, ignore_conflicts=True)
    if cluster is not None:  # the host cluster knows its whole population (its contacts)
        contact = Person.contact_of.through
        ids_by_email = person_ids_by_email([spec.email.lower() for spec in specs])
        contact.objects.bulk_create(
            [contact(person_id=pk, cluster_id=cluster.pk) for pk in ids_by_email.values()],
            batch_size=batch_size,
            ignore_conflicts=True,
        )
    if new_orgs or new_people:
        activity_log(
            actor=None,
            action="demo.population.load",
            data={"organisations": len(new_orgs), "people": len(new_people)},
        )
    return PopulationLoaded(len(new_orgs), len(new_people), len(specs))
