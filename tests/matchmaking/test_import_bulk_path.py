"""The import writes new people in bulk and known people one by one (for speed at 20,000
rows); both paths must leave exactly the same rows as the one-by-one path alone."""

from collections import Counter

import pytest
from django.db import transaction

from clusterhub.common.models import ActivityLogEntry, OutboxMessage
from clusterhub.directory.models import Person
from clusterhub.matchmaking import participant_import
from clusterhub.matchmaking.models import MatchProfile
from clusterhub.registration.models import ConsentRecord, Registration
from tests.factories import OrganisationFactory, PersonFactory
from tests.matchmaking.test_import_participants import HEADER_LINE, INGRID, OLEH, run, write_csv

pytestmark = pytest.mark.django_db(transaction=False)

ROWS = [
    INGRID,
    # a person the directory knows (another case): the one-by-one path, between new ones
    "Kari,Nordmann,KARI@example.no,Kyiv MedTech,company,NO,Advisor,,mentoring,,,nb,yes",
    OLEH,
    *(
        f"New{i},Person{i},new{i}@example.org,Org {i % 3},university,SE,,,,,"
        f"topic {i};oncology,en,{'yes' if i % 2 else 'no'}"
        for i in range(7)
    ),
]


def _snapshot(event) -> dict:
    people = {p.pk: p.email for p in Person.objects.all()}
    registrations = {r.pk: people[r.person_id] for r in Registration.objects.filter(event=event)}
    return {
        "people": sorted(
            (
                p.email,
                p.first_name,
                p.last_name,
                p.organisation.name if p.organisation else "",
                p.organisation.type if p.organisation else "",
                str(p.country),
                p.job_title,
                tuple(p.languages),
                tuple(p.expertise),
                p.bio,
            )
            for p in Person.objects.select_related("organisation")
        ),
        "registrations": sorted(
            (
                people[r.person_id],
                r.status,
                r.ticket_type.name,
                r.consent_privacy_at is not None,
                r.consent_matchmaking_at is not None,
            )
            for r in Registration.objects.filter(event=event).select_related("ticket_type")
        ),
        "profiles": sorted(
            (registrations[m.registration_id], tuple(m.offers), tuple(m.needs), tuple(m.interests))
            for m in MatchProfile.objects.filter(registration__event=event)
        ),
        "consents": sorted(
            (registrations[c.registration_id], c.kind, c.given, c.version, c.source)
            for c in ConsentRecord.objects.filter(registration__event=event)
        ),
        "log": Counter(ActivityLogEntry.objects.values_list("action", flat=True)),
        "mail": sorted(OutboxMessage.objects.values_list("to", "subject")),
        "order": [
            people[pk]
            for pk in Registration.objects.filter(event=event)
            .order_by("pk")
            .values_list("person_id", flat=True)
        ],
    }


def test_bulk_and_one_by_one_imports_write_the_same_rows(event, tmp_path, monkeypatch):
    OrganisationFactory(name="Kyiv MedTech", type="company")
    PersonFactory(first_name="Kari", last_name="Nordmann", email="kari@example.no")
    path = write_csv(tmp_path, HEADER_LINE, *ROWS)
    taken: list[bool] = []
    real = participant_import._bulk_safe

    def spy(*args, **kwargs):
        taken.append(real(*args, **kwargs))
        return taken[-1]

    monkeypatch.setattr(participant_import, "_bulk_safe", spy)
    with transaction.atomic():
        run(event, path)
        bulk = _snapshot(event)
        transaction.set_rollback(True)
    assert taken == [True]
    monkeypatch.setattr(participant_import, "_bulk_safe", lambda *a, **k: False)
    run(event, path)
    one_by_one = _snapshot(event)
    assert len(bulk["registrations"]) == len(ROWS)
    assert bulk == one_by_one
    run(event, path)  # a second import adds nothing
    assert _snapshot(event)["registrations"] == one_by_one["registrations"]
