"""Files in and out. Uploads (the organiser's CSV/XLSX imports) are judged by their content, not
their name, before anything is stored; every file the site produces is a download
(`Content-Disposition: attachment`) with `X-Content-Type-Options: nosniff`, so a browser never
renders or sniffs it as a page of this site."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse
from openpyxl import Workbook

from clusterhub.events.views.orga import upload_import
from clusterhub.matchmaking.participant_import import HEADER
from clusterhub.registration.models import Registration
from tests.factories import RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER_LINE = ",".join(HEADER)
ROW = "Ingrid,Dahl,ingrid@example.org,Oslo Biotech,company,NO,CEO,,,,,en,yes"


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


@pytest.fixture
def orga(client, organiser):
    client.force_login(organiser)
    return client


def upload(client, event, name: str, data: bytes):
    return client.post(
        reverse("orga_matchmaking:participant_import", args=[event.slug]),
        {"preview": "1", "file": SimpleUploadedFile(name, data)},
    )


def workbook_bytes(*rows: list) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def stored(var_dir) -> list:
    return [p for p in var_dir.rglob("*") if p.is_file()] if var_dir.exists() else []


# --- uploads ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "people.xlsx",
            f"{HEADER_LINE}\n{ROW}\n".encode(),
            "people.xlsx: not a readable XLSX file (the content is not a workbook, whatever "
            "the name says).",
        ),
        (
            "people.xlsx",
            b"MZ\x90\x00\x03\x00\x00\x00 an executable renamed",
            "people.xlsx: not a readable XLSX file (the content is not a workbook, whatever "
            "the name says).",
        ),
        (
            "people.csv",
            f"{HEADER_LINE}\n{ROW}\n".encode() + b"\x00\x01\x02binary",
            "people.csv: not a CSV text file (it contains binary data).",
        ),
        (
            "people.csv",
            f"{HEADER_LINE}\nBjørn,Ås,b@example.org,,,,,,,,,,yes\n".encode("latin-1"),
            "people.csv: not UTF-8 text; save it as “CSV UTF-8” and upload it again.",
        ),
    ],
    ids=["csv-named-xlsx", "exe-named-xlsx", "csv-with-nul", "latin-1-csv"],
)
def test_an_upload_whose_content_is_not_what_its_name_says_is_refused(
    orga, event, var_dir, name, data, message
):
    response = upload(orga, event, name, data)

    assert response.status_code == 400
    assert response.context["form"].errors == {"file": [message]}
    assert stored(var_dir) == []
    assert not Registration.objects.exists()


def test_a_zip_that_is_not_a_workbook_is_refused(orga, event, var_dir):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")

    response = upload(orga, event, "people.xlsx", buffer.getvalue())

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "file": ["people.xlsx: not a readable XLSX file (the workbook is damaged)."]
    }
    assert stored(var_dir) == []


def test_a_workbook_that_unpacks_too_large_is_refused(orga, event, var_dir, monkeypatch):
    # The limit is 100 MB; a small limit stands in for a zip bomb without building one.
    data = workbook_bytes(HEADER, ROW.split(","))
    monkeypatch.setattr(upload_import, "MAX_XLSX_UNPACKED", len(data))

    response = upload(orga, event, "people.xlsx", data)

    assert response.context["form"].errors == {
        "file": ["people.xlsx: not importable: the workbook unpacks to more than 100 MB."]
    }
    assert stored(var_dir) == []


def test_a_file_over_5_mb_is_refused(orga, event, var_dir):
    data = (f"{HEADER_LINE}\n" + (ROW + "\n") * 80_000).encode()
    assert len(data) > 5 * 1024 * 1024

    response = upload(orga, event, "people.csv", data)

    assert response.status_code == 400
    assert "people.csv is 5." in response.context["form"].errors["file"][0]
    assert "files up to 5 MB can be imported" in response.context["form"].errors["file"][0]
    assert stored(var_dir) == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("people.csv", f"{HEADER_LINE}\n{ROW}\n".encode()),
        ("people.csv", "\ufeff".encode() + f"{HEADER_LINE}\n{ROW}\n".encode()),
        ("People.XLSX", workbook_bytes(HEADER, ROW.split(","))),
    ],
    ids=["csv", "csv-with-bom", "xlsx"],
)
def test_real_csv_and_xlsx_files_reach_the_preview(orga, event, var_dir, name, data):
    response = upload(orga, event, name, data)

    assert response.status_code == 200
    assert response.context["summary"] is not None
    assert len(response.context["rows"]) == 1
    assert len(stored(var_dir)) == 1  # kept for the commit, never served back


# --- downloads -------------------------------------------------------------------------------

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "ics": "text/calendar; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
FORMATS = ["csv", "xlsx"]

# Every route that answers with a file: (url name, who asks, the arguments). `fmt` routes are
# asked in both formats.
DOWNLOADS = {
    "orga_registration:registrations_csv": ("orga", "event"),
    "orga_registration:registrations_xlsx": ("orga", "event"),
    "orga_registration:badges_pdf": ("orga", "event"),
    "orga_matchmaking:table_plan_pdf": ("orga", "event"),
    "orga_matchmaking:schedules_pdf": ("orga", "event"),
    "orga_followup:dashboard_export": ("orga", "event", "fmt"),
    "orga_followup:export_signups": ("orga", "event", "fmt"),
    "orga_followup:export_profiles": ("orga", "event", "fmt"),
    "orga_followup:export_meetings": ("orga", "event", "fmt"),
    "orga_followup:export_outcomes": ("orga", "event", "fmt"),
    "orga_followup:export_partnerships": ("orga", "event", "fmt"),
    "orga_report:pdf": ("orga", "event"),
    "cluster_dashboard_export": ("orga", "cluster", "fmt"),
    "report:pdf": ("orga", "event"),
    "calendar:agenda": ("anonymous", "calendar_token"),
    "matchmaking:meetings_pdf": ("participant", "event"),
    "portal:badge": ("participant", "event"),
    "public:programme_ical": ("anonymous", "event"),
    "privacy:download": ("participant",),
}
FILE_ROUTE_ENDINGS = (".csv", ".xlsx", ".pdf", ".ics", ".<str:fmt>")
# Downloads whose address does not end in a file name.
OTHER_FILE_ROUTES = {"privacy:download"}


def test_every_file_route_is_in_the_download_list():
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner)
            elif str(pattern.pattern).endswith(FILE_ROUTE_ENDINGS):
                yield f"{namespace}{pattern.name}"

    assert set(walk(get_resolver().url_patterns)) | OTHER_FILE_ROUTES == set(DOWNLOADS)


def download_cases():
    for name, (who, *args) in DOWNLOADS.items():
        if "fmt" in args:
            for fmt in FORMATS:
                yield pytest.param(name, who, args, fmt, id=f"{name}.{fmt}")
        else:
            yield pytest.param(name, who, args, None, id=name)


@pytest.mark.parametrize(("name", "who", "args", "fmt"), list(download_cases()))
def test_every_download_is_an_attachment_that_is_not_sniffed(
    event, organiser, name, who, args, fmt
):
    participant = UserFactory()
    registration = RegistrationFactory(
        event=event, person__user=participant, person__email=participant.email
    )
    values = {
        "event": event.slug,
        "cluster": event.cluster.slug,
        "calendar_token": registration.calendar_token,
        "fmt": fmt,
    }
    client = Client()
    if who != "anonymous":
        client.force_login(organiser if who == "orga" else participant)

    response = client.get(reverse(name, args=[values[a] for a in args]))

    assert response.status_code == 200
    extension = fmt or name.rsplit("_", 1)[-1]
    if name in {"calendar:agenda", "public:programme_ical"}:
        extension = "ics"
    elif name == "privacy:download":
        extension = "json"
    elif name.endswith((":pdf", "badge", "meetings_pdf")):
        extension = "pdf"
    assert response["Content-Type"] == CONTENT_TYPES[extension]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert disposition.endswith(f'.{extension}"')
    assert response["X-Content-Type-Options"] == "nosniff"
