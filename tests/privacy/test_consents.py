"""Consents are recorded with their time and the version of the text agreed to."""

from __future__ import annotations

from django.urls import reverse

from clusterhub.matchmaking.participant_import import ParticipantRow, participants_import
from clusterhub.registration import services as registration_services
from clusterhub.registration.consents import CURRENT, TEXTS, consent_version_and_text
from clusterhub.registration.models import ConsentRecord
from tests.factories import (
    PersonFactory,
    RegistrationConfigFactory,
    RegistrationFactory,
    TicketTypeFactory,
    UserFactory,
)


def register(event, **consents):
    return registration_services.registration_create(
        event=event, person=PersonFactory(), ticket_type=TicketTypeFactory(event=event),
        consent_privacy=True, actor=None, **consents,
    )  # fmt: skip


def test_registration_records_each_consent_given_with_version_and_text(db):
    from tests.factories import EventFactory

    event = EventFactory()
    registration = register(event, consent_matchmaking=True)
    records = list(ConsentRecord.objects.filter(registration=registration))
    assert [(r.kind, r.given, r.version, r.source) for r in records] == [
        ("privacy", True, CURRENT["privacy"], "participant"),
        ("matchmaking", True, CURRENT["matchmaking"], "participant"),
    ]
    assert records[1].text == TEXTS["matchmaking"][CURRENT["matchmaking"]]
    assert records[0].at == registration.consent_privacy_at


def test_an_events_own_privacy_notice_is_its_own_version(db):
    config = RegistrationConfigFactory(privacy_notice="We keep it for two years.")
    version, text = consent_version_and_text(kind="privacy", config=config)
    assert version.startswith("event-")
    assert text == "We keep it for two years."
    config.privacy_notice = "We keep it for one year."
    assert consent_version_and_text(kind="privacy", config=config)[0] != version
    registration = register(config.event)
    record = ConsentRecord.objects.get(registration=registration, kind="privacy")
    assert (record.version, record.text) == (version, "We keep it for two years.")


def test_matchmaking_toggle_records_withdrawal_and_consent_again(db):
    registration = RegistrationFactory()
    registration_services.registration_matchmaking_consent_set(
        registration=registration, consent=True, actor=None
    )
    registration_services.registration_matchmaking_consent_set(
        registration=registration, consent=False, actor=None
    )
    registration_services.registration_matchmaking_consent_set(
        registration=registration, consent=False, actor=None
    )  # no change: no record
    assert list(
        ConsentRecord.objects.filter(registration=registration).values_list("kind", "given")
    ) == [("matchmaking", True), ("matchmaking", False)]


def test_participant_import_records_consent_as_given_by_import(db):
    from tests.factories import EventFactory

    event = EventFactory()
    row = ParticipantRow(
        line=2, first_name="Imre", last_name="Port", email="imre@example.org",
        organisation="Imported AS", organisation_type="company", country="NO", job_title="",
        bio="", offers=[], needs=[], interests=[], languages=[], consent_matchmaking=True,
    )  # fmt: skip
    participants_import(event=event, rows=[row], actor=None)
    records = ConsentRecord.objects.filter(registration__person__email="imre@example.org")
    assert sorted(records.values_list("kind", "source")) == [
        ("matchmaking", "import"), ("privacy", "import"),
    ]  # fmt: skip


def test_withdrawal_shows_on_my_data_page(client, db):
    user = UserFactory()
    registration = RegistrationFactory(person__user=user)
    registration_services.registration_matchmaking_consent_set(
        registration=registration, consent=True, actor=user
    )
    registration_services.registration_matchmaking_consent_set(
        registration=registration, consent=False, actor=user
    )
    client.force_login(user)
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert "withdrawn" in page
    assert "given" in page
