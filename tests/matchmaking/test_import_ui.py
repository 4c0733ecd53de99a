"""Importing participants from the organiser pages (/orga/events/<slug>/matchmaking/import/):
upload, a dry-run preview naming every bad line and column, then an all-or-nothing commit
through the functions of the `import_participants` command."""

import dataclasses
import re
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from clusterhub.common.models import OutboxMessage
from clusterhub.directory.models import ClusterRole, Person
from clusterhub.events.views.orga import upload_import
from clusterhub.matchmaking.participant_import import HEADER
from clusterhub.matchmaking.views import orga_import
from clusterhub.registration.models import Registration
from tests.factories import EventFactory, MembershipFactory, PersonFactory, RegistrationFactory
from tests.matchmaking.test_import_participants import HEADER_LINE, INGRID, OLEH
from tests.matchmaking.view_support import db_state, flashed, orga_url, page_text

pytestmark = pytest.mark.django_db

ADA = ["Ada", "Berg", "ada@example.org", "Nordic Bio", "investor", "SE", None, None,
       "seed funding", None, "biotech", "en", "Yes"]  # fmt: skip
BAD_LINES = [
    "Bad,Email,not-an-email,,,,,,,,,,yes",
    "Olga,,olga@example.org,,robots,XX,,,,,,,maybe",
]


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR / orga_import.STORE


@pytest.fixture
def orga_client(client, organiser):
    client.force_login(organiser)
    return client


def csv_file(*lines: str, name: str = "people.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), "text/csv")


def xlsx_file(*rows: list, name: str = "people.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def preview(client, event, upload):
    return client.post(orga_url("participant_import", event), {"preview": "1", "file": upload})


def commit(client, event, token):
    return client.post(orga_url("participant_import", event), {"commit": "1", "token": token})


def token_of(response) -> str:
    return response.context["token"]


def stored(var_dir) -> list:
    return sorted(p.name for p in var_dir.iterdir()) if var_dir.is_dir() else []


def refused(response) -> bool:
    """The commit was turned away because no checked upload of this user and event exists."""
    return response.status_code == 302 and any(
        "please upload it again" in m for m in flashed(response)
    )


def registered(event) -> list[tuple]:
    return sorted(
        Registration.objects.filter(event=event).values_list(
            "person__first_name", "person__last_name", "person__email"
        )
    )


# --- the happy paths --------------------------------------------------------------------------


def test_the_page_shows_the_upload_form_and_the_header(orga_client, event):
    response = orga_client.get(orga_url("participant_import", event))

    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page_text(response)
    assert HEADER_LINE in page_text(response)


def test_the_overview_links_to_the_import(orga_client, event):
    response = orga_client.get(orga_url("overview", event))

    assert orga_url("participant_import", event) in page_text(response)


def test_a_good_csv_is_previewed_without_writing_then_committed(orga_client, event, var_dir):
    before = db_state()

    response = preview(orga_client, event, csv_file(HEADER_LINE, INGRID, OLEH))

    assert response.status_code == 200
    text = page_text(response)
    assert "Check people.csv before importing" in text
    assert response.context["summary"].registrations_created == 2
    assert response.context["summary"].organisations_created == 2
    assert "ingrid.hansen@example.org" in text
    assert "oleh@example.ua" in text
    assert "Import all rows" in text
    assert db_state() == before
    assert not Person.objects.exists()
    assert len(stored(var_dir)) == 1

    response = commit(orga_client, event, token_of(response))

    assert response.status_code == 302
    assert response["Location"] == orga_url("overview", event)
    assert flashed(response) == ["people.csv imported: 2 registered, 0 already there."]
    assert registered(event) == [
        ("Ingrid", "Hansen", "ingrid.hansen@example.org"),
        ("Oleh", "Shevchenko", "oleh@example.ua"),
    ]
    ingrid = Registration.objects.get(person__email="ingrid.hansen@example.org")
    assert ingrid.match_profile.offers == ["hospital test bed", "biobank access"]
    assert ingrid.consent_matchmaking_at is not None
    assert OutboxMessage.objects.count() == 2  # the usual confirmations
    assert stored(var_dir) == []  # the upload is forgotten once imported


def test_a_good_xlsx_is_previewed_then_committed(orga_client, event, var_dir):
    upload = xlsx_file(list(HEADER), ADA)

    response = preview(orga_client, event, upload)

    assert response.status_code == 200
    assert response.context["summary"].registrations_created == 1
    assert not Registration.objects.exists()

    response = commit(orga_client, event, token_of(response))

    assert flashed(response) == ["people.xlsx imported: 1 registered, 0 already there."]
    assert registered(event) == [("Ada", "Berg", "ada@example.org")]
    registration = Registration.objects.get(event=event)
    assert registration.person.organisation.type == "investor"
    assert registration.match_profile.offers == ["seed funding"]
    assert stored(var_dir) == []


def test_people_already_registered_are_counted_as_already_there(orga_client, event):
    RegistrationFactory(event=event, person=PersonFactory(email="oleh@example.ua"))

    response = preview(orga_client, event, csv_file(HEADER_LINE, INGRID, OLEH))
    assert response.context["summary"].already_registered == ["oleh@example.ua"]
    response = commit(orga_client, event, token_of(response))

    assert flashed(response) == ["people.csv imported: 1 registered, 1 already there."]
    assert Registration.objects.filter(event=event).count() == 2


def test_a_committed_file_cannot_be_committed_twice(orga_client, event):
    token = token_of(preview(orga_client, event, csv_file(HEADER_LINE, INGRID)))
    commit(orga_client, event, token)
    before = db_state()

    response = commit(orga_client, event, token)

    assert response["Location"] == orga_url("participant_import", event)
    assert refused(response)
    assert db_state() == before


def test_cancel_forgets_the_upload(orga_client, event, var_dir):
    token = token_of(preview(orga_client, event, csv_file(HEADER_LINE, INGRID)))

    orga_client.post(orga_url("participant_import", event), {"cancel": "1", "token": token})
    response = commit(orga_client, event, token)

    assert stored(var_dir) == []
    assert refused(response)
    assert not Registration.objects.exists()


# --- bad files --------------------------------------------------------------------------------


def test_a_bad_file_lists_every_bad_line_and_column_and_cannot_be_committed(
    orga_client, event, var_dir
):
    before = db_state()

    response = preview(orga_client, event, csv_file(HEADER_LINE, INGRID, *BAD_LINES))

    assert response.status_code == 200
    text = page_text(response)
    assert "people.csv: 5 problems, nothing can be imported." in text
    for error in (
        "line 3, column email: not an email address: 'not-an-email'",
        "line 4, column last_name: required",
        "line 4, column organisation_type: unknown type 'robots'",
        "line 4, column country: not an ISO 3166 alpha-2 country code: 'XX'",
        "line 4, column consent_matchmaking: answer yes or no, not 'maybe'",
    ):
        assert error in text
    assert "Import all rows" not in text
    assert "token" not in response.context
    assert stored(var_dir) == []

    # Whatever token a hand-made request sends, nothing is written.
    for token in ("", "../../secret_key", "x" * 32):
        response = commit(orga_client, event, token)
        assert response.status_code == 302
        assert refused(response)
    assert db_state() == before
    assert not Person.objects.exists()


def test_a_bad_header_is_explained(orga_client, event):
    response = preview(orga_client, event, csv_file("first_name,surname,email", INGRID))

    text = page_text(response)
    assert "line 1: missing column(s): last_name, organisation" in text
    assert "line 1: unexpected column(s): surname" in text


def test_a_damaged_xlsx_is_explained(orga_client, event):
    response = preview(orga_client, event, SimpleUploadedFile("people.xlsx", b"not a zip"))

    text = page_text(response)
    assert "people.xlsx: not a readable XLSX file" in text
    assert not re.search(r"[A-Za-z0-9_-]{32}\.xlsx", text)  # not the stored copy's name
    assert not Registration.objects.exists()


def test_a_file_refused_at_commit_writes_nothing(orga_client, event, monkeypatch):
    # The event changed between preview and commit (it filled up, a question was added):
    # the import refuses at commit time and nothing of the file is kept.
    from clusterhub.matchmaking.participant_import import ImportRefused

    response = preview(orga_client, event, csv_file(HEADER_LINE, INGRID, OLEH))
    before = db_state()

    def refuse(**kwargs):
        raise ImportRefused(["line 3: not registered: the event is full"])

    refusing = dataclasses.replace(orga_import.PARTICIPANT_IMPORT, run=refuse)
    monkeypatch.setattr(orga_import, "PARTICIPANT_IMPORT", refusing)
    response = commit(orga_client, event, token_of(response))

    assert response.status_code == 400
    assert "line 3: not registered: the event is full" in page_text(response)
    assert db_state() == before


def test_an_oversized_file_is_refused_with_a_clear_message(orga_client, event, var_dir, settings):
    big = csv_file(HEADER_LINE, INGRID + "," * (upload_import.MAX_BYTES))

    response = preview(orga_client, event, big)

    assert response.status_code == 400
    assert "people.csv is 5.0 MB; files up to 5 MB can be imported." in page_text(response)
    assert stored(var_dir) == []
    assert not Registration.objects.exists()


def test_an_unknown_file_type_is_refused_with_a_clear_message(orga_client, event, var_dir):
    response = preview(orga_client, event, csv_file(HEADER_LINE, INGRID, name="people.txt"))

    assert response.status_code == 400
    assert "people.txt is neither a .csv nor a .xlsx file." in page_text(response)
    assert stored(var_dir) == []
    assert not Registration.objects.exists()


def test_a_missing_file_is_refused(orga_client, event):
    response = orga_client.post(orga_url("participant_import", event), {"preview": "1"})

    assert response.status_code == 400
    assert not Registration.objects.exists()


# --- who may import what ----------------------------------------------------------------------


@pytest.mark.parametrize("role", [ClusterRole.OWNER, ClusterRole.ORGANISER])
def test_owners_and_organisers_may_import(client, event, role):
    client.force_login(MembershipFactory(cluster=event.cluster, role=role).user)

    response = preview(client, event, csv_file(HEADER_LINE, INGRID))
    response = commit(client, event, token_of(response))

    assert response.status_code == 302
    assert registered(event) == [("Ingrid", "Hansen", "ingrid.hansen@example.org")]


@pytest.mark.parametrize(
    ("who", "status"),
    [("checkin", 403), ("outsider", 404), ("anonymous", 302)],
)
def test_others_can_neither_preview_nor_commit(client, orga_client, event, var_dir, who, status):
    token = token_of(preview(orga_client, event, csv_file(HEADER_LINE, INGRID)))
    client.logout()
    if who == "checkin":
        client.force_login(MembershipFactory(cluster=event.cluster, role=ClusterRole.CHECKIN).user)
    elif who == "outsider":
        client.force_login(MembershipFactory(role=ClusterRole.OWNER).user)
    before = (db_state(), stored(var_dir))

    assert client.get(orga_url("participant_import", event)).status_code == status
    assert preview(client, event, csv_file(HEADER_LINE, OLEH)).status_code == status
    assert commit(client, event, token).status_code == status

    assert (db_state(), stored(var_dir)) == before
    assert not Registration.objects.exists()


def test_a_token_belongs_to_its_user_and_event(client, orga_client, event):
    token = token_of(preview(orga_client, event, csv_file(HEADER_LINE, INGRID)))
    colleague = MembershipFactory(cluster=event.cluster).user
    other_event = EventFactory(cluster=event.cluster)

    # The same organiser cannot commit it into another event of the cluster...
    response = commit(orga_client, other_event, token)
    assert refused(response)
    # ...and a colleague (another session) cannot commit it at all.
    client.logout()
    client.force_login(colleague)
    response = commit(client, event, token)
    assert refused(response)

    assert not Registration.objects.exists()
