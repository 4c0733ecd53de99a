"""CSV and XLSX exports of the registrations list, read back; formula escaping; badges."""

import csv
import io
import re
import zlib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from clusterhub.registration.exports import escape_cell
from clusterhub.registration.models import (
    Answer,
    CheckIn,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    SignUp,
    SignUpStatus,
)
from tests.factories import EventFactory, SessionFactory, at
from tests.registration.orga_support import queries, registered

OSLO = ZoneInfo("Europe/Oslo")
UTC = ZoneInfo("UTC")

HEADER = [
    "Person", "Email", "Organisation", "Organisation type", "Country", "Job title",
    "Ticket type", "Status", "Registered at", "Checked in at", "Privacy notice accepted at",
    "Matchmaking consent at", "Photo consent at",
    "Your role?", "Topics", "Vegetarian?", "'=cmd|' /C calc'!A0", "Sign-ups",
]  # fmt: skip


@pytest.fixture
def orga(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def data(event):
    """Two registrations with answers, consents, sign-ups and a check-in; a third with a
    formula for a name; and look-alikes in another event."""
    q_text = Question.objects.create(event=event, label="Your role?", kind=QuestionKind.TEXT,
                                     position=1)  # fmt: skip
    q_multi = Question.objects.create(event=event, label="Topics", kind=QuestionKind.MULTIPLE,
                                      choices=["AI", "Oncology"], position=2)  # fmt: skip
    q_yes = Question.objects.create(event=event, label="Vegetarian?", kind=QuestionKind.YES_NO,
                                    position=3)  # fmt: skip
    Question.objects.create(event=event, label="=cmd|' /C calc'!A0", kind=QuestionKind.TEXT,
                            position=4)  # fmt: skip
    registered_at = datetime(2025, 11, 1, 8, 30, tzinfo=UTC)  # 09:30 in Oslo
    ada = registered(event, first="Ada", last="Lovelace", org="Oslo Cancer Cluster",
                     email="ada@example.org", consent_privacy_at=registered_at,
                     consent_matchmaking_at=registered_at)  # fmt: skip
    olga = registered(event, first="Olga", last="Kovalenko", org="Kyiv Biotech",
                      org_type="company", country="UA", email="olga@example.org",
                      consent_privacy_at=registered_at, consent_photos_at=registered_at,
                      status=RegistrationStatus.PENDING)  # fmt: skip
    evil = registered(event, first="=HYPERLINK(\"http://x.example\",\"Click\")", last="",
                      org="@SUM(A1:A9)", email="+47@example.org",
                      consent_privacy_at=registered_at)  # fmt: skip
    evil.person.job_title = "-2+3"
    evil.person.save()
    Registration.objects.filter(pk__in=[ada.pk, olga.pk, evil.pk]).update(created_at=registered_at)
    Answer.objects.create(registration=ada, question=q_text, value="@head of =research")
    Answer.objects.create(registration=ada, question=q_multi, value=["AI", "Oncology"])
    Answer.objects.create(registration=ada, question=q_yes, value=False)
    Answer.objects.create(registration=olga, question=q_yes, value=True)
    visit = SessionFactory(event=event, title="SINTEF visit", capacity=1, signup_required=True,
                           start=at(event, 14), end=at(event, 16))  # fmt: skip
    module = SessionFactory(event=event, title="Module 1", capacity=5, signup_required=True,
                            start=at(event, 9), end=at(event, 10))  # fmt: skip
    SignUp.objects.create(registration=ada, session=visit, status=SignUpStatus.CONFIRMED)
    SignUp.objects.create(registration=ada, session=module, status=SignUpStatus.CONFIRMED)
    SignUp.objects.create(registration=evil, session=visit, status=SignUpStatus.WAITLISTED)
    checkin = CheckIn.objects.create(registration=ada)
    arrived = datetime(2025, 12, 3, 8, 3, tzinfo=UTC)  # 09:03 in Oslo
    CheckIn.objects.filter(pk=checkin.pk).update(created_at=arrived)
    Registration.objects.filter(pk=ada.pk).update(checked_in_at=arrived)
    other = EventFactory(name="Other Summit")
    registered(other, first="Ada", last="Lovelace", org="Oslo Cancer Cluster")
    registered(other, first="Zed", last="Outsider", org="Hidden Corp")
    return {"ada": ada, "olga": olga, "evil": evil}


EVIL_ROW = [
    "'=HYPERLINK(\"http://x.example\",\"Click\")", "'+47@example.org", "'@SUM(A1:A9)",
    "Cluster", "Norway", "'-2+3", None, "Confirmed", "2025-11-01 09:30", "",
    "2025-11-01 09:30", "", "", "", "", "", "", "SINTEF visit (On the waitlist)",
]  # fmt: skip
ADA_ROW = [
    "Ada Lovelace", "ada@example.org", "Oslo Cancer Cluster", "Cluster", "Norway", "",
    None, "Confirmed", "2025-11-01 09:30", "2025-12-03 09:03", "2025-11-01 09:30",
    "2025-11-01 09:30", "", "'@head of =research", "AI; Oncology", "no", "",
    "Module 1 (Confirmed); SINTEF visit (Confirmed)",
]  # fmt: skip
OLGA_ROW = [
    "Olga Kovalenko", "olga@example.org", "Kyiv Biotech", "Company (SME, start-up)", "Ukraine",
    "", None, "Awaiting approval", "2025-11-01 09:30", "", "2025-11-01 09:30", "",
    "2025-11-01 09:30", "", "", "yes", "", "",
]  # fmt: skip


def expected_rows(data) -> list[list[str]]:
    rows = []
    for key, row in (("evil", EVIL_ROW), ("olga", OLGA_ROW), ("ada", ADA_ROW)):
        row = list(row)
        row[6] = data[key].ticket_type.name
        rows.append(row)
    return rows  # ordered by last name: "" (the formula person), Kovalenko, Lovelace


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[list[str]]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    assert sheet.title == "Registrations"
    return [[cell.value if cell.value is not None else "" for cell in row] for row in sheet.rows]


def pdf_page_count(content: bytes) -> int:
    """Pages of a PDF: the page tree's /Count, found in the file or its compressed streams."""
    texts = [content]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            texts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue  # an image or a font, not an object stream
    counts = [int(n) for text in texts for n in re.findall(rb"/Count (\d+)", text)]
    return max(counts)


def export(orga, event, fmt: str, **params):
    url = reverse(f"orga_registration:registrations_{fmt}", args=[event.slug])
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return orga.get(f"{url}?{query}" if query else url)


def test_csv_export_has_exact_rows_with_formulas_escaped(orga, event, data):
    response = export(orga, event, "csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{event.slug}-registrations-'
    )
    rows = csv_rows(response)
    assert rows[0] == HEADER
    assert rows[1:] == expected_rows(data)


def test_xlsx_export_has_the_same_rows_as_text_never_formulas(orga, event, data):
    response = export(orga, event, "xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    rows = xlsx_rows(response)
    assert rows[0] == HEADER
    assert rows[1:] == expected_rows(data)
    workbook = load_workbook(io.BytesIO(b"".join(export(orga, event, "xlsx").streaming_content)))
    types = {cell.data_type for row in workbook.active.iter_rows() for cell in row}
    assert "f" not in types  # no cell is a formula


def test_exports_follow_the_lists_filter_and_never_show_another_event(orga, event, data):
    csv_body = csv_rows(export(orga, event, "csv", status="pending"))
    xlsx_body = xlsx_rows(export(orga, event, "xlsx", q="lovelace"))

    assert [row[0] for row in csv_body[1:]] == ["Olga Kovalenko"]
    assert [row[0] for row in xlsx_body[1:]] == ["Ada Lovelace"]
    everything = b"".join(export(orga, event, "csv").streaming_content).decode()
    assert "Zed Outsider" not in everything
    assert "Hidden Corp" not in everything
    assert everything.count("Ada Lovelace") == 1


def test_xlsx_export_drops_control_characters_before_escaping(orga, event):
    registered(event, first="\x01=1+1", last="Bell\x07")

    rows = xlsx_rows(export(orga, event, "xlsx"))

    assert rows[1][0] == "'=1+1 Bell"


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=1+1", "'=1+1"),
        ("+47 555", "'+47 555"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ada = Lovelace", "Ada = Lovelace"),
        ("", ""),
    ],
)
def test_escape_cell_prefixes_formula_triggers(value, escaped):
    assert escape_cell(value) == escaped


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_query_count_does_not_grow(orga, event, fmt):
    Question.objects.create(event=event, label="Role", kind=QuestionKind.TEXT)
    session = SessionFactory(event=event, capacity=50, signup_required=True)

    def add(n):
        for _ in range(n):
            r = registered(event)
            SignUp.objects.create(registration=r, session=session, status=SignUpStatus.CONFIRMED)

    add(5)
    url = reverse(f"orga_registration:registrations_{fmt}", args=[event.slug])
    few = queries(orga, url)
    add(25)

    assert queries(orga, url) == few


def test_bulk_badges_pdf_has_a_page_per_confirmed_registration_of_the_filter(orga, event, data):
    url = reverse("orga_registration:badges_pdf", args=[event.slug])

    response = orga.get(url)
    filtered = orga.get(url + "?q=lovelace")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert pdf_page_count(response.content) == 2  # Olga is pending: no badge; one A6 page each
    assert filtered.status_code == 200
    assert pdf_page_count(filtered.content) == 1


def test_bulk_badges_with_nothing_confirmed_returns_to_the_list_with_a_message(orga, event, data):
    response = orga.get(
        reverse("orga_registration:badges_pdf", args=[event.slug]) + "?status=pending",
        follow=True,
    )

    assert response.redirect_chain[-1][0].endswith("?status=pending")
    assert "No confirmed registration matches" in response.content.decode()
