"""Importing a programme from CSV or XLSX: the `import_programme` command and the organiser
page (/orga/events/<slug>/sessions/import/) share one reader and one writer; every bad cell
and every refusal of the services is reported by line, and nothing is written unless all is."""

import re
from datetime import datetime, time
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from clusterhub.directory.models import ClusterRole
from clusterhub.events.models import Session, SessionRoleType
from clusterhub.events.programme_import import (
    HEADER,
    ImportRefused,
    programme_file_read,
    programme_import,
)
from clusterhub.events.views.orga import programme_import as view_module
from tests.events.orga_support import db_state, orga_url, page_text
from tests.factories import MembershipFactory, PersonFactory, RoomFactory, SessionFactory, at

pytestmark = pytest.mark.django_db

HEADER_LINE = ",".join(HEADER)
GOOD = [
    "Welcome,plenary,1,09:00,09:30,Auditorium,ingrid@example.org,,,Opening words",
    "Joint Health Initiatives,session,2025-12-03,13:00,15:00,Auditorium,,,,",
    "Talks,talk,1,13:00,14:00,auditorium,Oleh Shevchenko; INGRID@example.org,,"
    "Joint Health Initiatives,",
    "Panel,panel,1,14:00,15:00,Auditorium,,,Joint Health Initiatives,",
    'Cluster leadership,training,2,10:00,12:00,Seminar room,,20,,"Module 1, with a break"',
]


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR / view_module.STORE


@pytest.fixture
def rooms(event):
    return {
        "Auditorium": RoomFactory(event=event, name="Auditorium", capacity=200),
        "Seminar room": RoomFactory(event=event, name="Seminar room", capacity=30),
    }


@pytest.fixture
def people(event):
    return {
        "ingrid": PersonFactory(first_name="Ingrid", last_name="Dahl", email="ingrid@example.org"),
        "oleh": PersonFactory(
            first_name="Oleh", last_name="Shevchenko", contact_of=[event.cluster]
        ),
    }


def write(tmp_path, *lines: str, name: str = "programme.csv", bom: bool = True):
    path = tmp_path / name
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(event, path, dry_run=False):
    rows = programme_file_read(path, event=event)
    return programme_import(event=event, rows=rows, actor=None, dry_run=dry_run)


def refusal(event, path) -> list[str]:
    with pytest.raises(ImportRefused) as info:
        run(event, path)
    return info.value.errors


def test_csv_import_creates_sessions_parts_rooms_and_speakers(event, rooms, people, tmp_path):
    summary = run(event, write(tmp_path, HEADER_LINE, *GOOD))

    assert (summary.rows, summary.sessions_created, summary.parts_created) == (5, 3, 2)
    assert summary.speakers_added == 3
    welcome = Session.objects.get(title="Welcome")
    assert (welcome.type, welcome.room, welcome.description) == (
        "plenary", rooms["Auditorium"], "Opening words"
    )  # fmt: skip
    assert (welcome.start, welcome.end) == (at(event, 9), at(event, 9, 30))
    assert list(welcome.people.all()) == [people["ingrid"]]
    joint = Session.objects.get(title="Joint Health Initiatives")
    parts = list(joint.parts.order_by("part_order"))
    assert [(p.title, p.part_order) for p in parts] == [("Talks", 1), ("Panel", 2)]
    talks = parts[0]
    assert [r.person for r in talks.roles.order_by("position")] == [
        people["oleh"], people["ingrid"]
    ]  # fmt: skip
    assert {r.role for r in talks.roles.all()} == {SessionRoleType.SPEAKER}
    training = Session.objects.get(title="Cluster leadership")
    assert (training.start, training.room) == (at(event, 10, day=1), rooms["Seminar room"])
    assert (training.capacity, training.signup_required) == (20, True)
    assert training.description == "Module 1, with a break"


def test_capacity_on_other_types_sets_seats_without_signup(event, rooms, tmp_path):
    run(event, write(tmp_path, HEADER_LINE, "Keynote,talk,1,10:00,11:00,Auditorium,,150,,"))

    keynote = Session.objects.get(title="Keynote")
    assert (keynote.capacity, keynote.signup_required) == (150, False)


def test_xlsx_import_reads_the_first_sheet_with_date_and_time_cells(event, rooms, people, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADER))
    sheet.append(["Site visit", "site_visit", datetime(2025, 12, 4), time(14, 0), time(16, 30),
                  None, "Oleh Shevchenko", 25, None, None])  # fmt: skip
    sheet.append(["Break", "break", 1, "10:30", "10:45", "Auditorium", None, None, None, None])
    path = tmp_path / "programme.xlsx"
    workbook.save(path)

    summary = run(event, path)

    assert summary.sessions_created == 2
    visit = Session.objects.get(title="Site visit")
    assert (visit.start, visit.end) == (at(event, 14, day=1), at(event, 16, 30, day=1))
    assert (visit.capacity, visit.signup_required, visit.room) == (25, True, None)
    assert list(visit.people.all()) == [people["oleh"]]
    assert Session.objects.get(title="Break").room == rooms["Auditorium"]


def test_every_bad_cell_is_reported_with_line_and_column_and_nothing_written(
    event, rooms, people, tmp_path
):
    PersonFactory(first_name="Oleh", last_name="Shevchenko", email="", contact_of=[event.cluster])
    path = write(
        tmp_path,
        HEADER_LINE,
        GOOD[0],
        ",keynote,0,9am,,Cellar,nobody@example.org,many,,",
        "Late,talk,2025-12-24,11:00,10:00,,Oleh Shevchenko,-3,Missing parent,",
        "Extra,talk,3,10:00,11:00,,Unknown Person,,,,surplus",
    )
    before = db_state()

    errors = refusal(event, path)

    assert errors == [
        "line 3, column title: required",
        "line 3, column type: unknown type 'keynote'; use one of plenary, talk, session, "
        "panel, training, site_visit, networking, break",
        "line 3, column day: the event has days 1 to 2, not 0",
        "line 3, column start: a time HH:MM is required, not '9am'",
        "line 3, column end: required",
        "line 3, column room: the event has no room 'Cellar' (its rooms: Auditorium, Seminar room)",
        "line 3, column speakers: nobody in the directory is 'nobody@example.org'",
        "line 3, column capacity: a whole number of seats or empty, not 'many'",
        "line 4, column day: 2025-12-24 is not a day of the event (2025-12-03 to 2025-12-04)",
        "line 4, column end: the session must end after it starts (11:00)",
        "line 4, column speakers: several people are called 'Oleh Shevchenko'; give their "
        "email instead",
        "line 4, column capacity: a whole number of seats or empty, not '-3'",
        "line 4, column parent: no earlier row or session on the programme is called "
        "'Missing parent' (a part of a session this file adds must come after it)",
        "line 5, column 11: a value beyond the last column ('surplus')",
        "line 5, column day: the event has days 1 to 2, not 3",
        "line 5, column speakers: nobody in the directory is 'Unknown Person'",
    ]
    assert db_state() == before


def test_a_header_that_is_not_the_contract_is_refused(event, tmp_path):
    errors = refusal(event, write(tmp_path, "title,type,day,begin,end,room,speakers,capacity"))

    assert errors == [
        "line 1: missing column(s): start, parent, description",
        "line 1: unexpected column(s): begin",
    ]
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert refusal(event, empty) == [
        "line 1: the file is empty; it needs the header " + HEADER_LINE
    ]


def test_a_part_must_follow_its_parent_and_may_join_a_session_on_the_programme(
    event, rooms, tmp_path
):
    part = "Q&A,talk,1,14:00,14:30,,,,Joint Health Initiatives,"
    parent = "Joint Health Initiatives,session,1,13:00,15:00,,,,,"
    errors = refusal(event, write(tmp_path, HEADER_LINE, part, parent))
    assert errors[0].startswith("line 2, column parent: no earlier row")

    run(event, write(tmp_path, HEADER_LINE, parent, name="first.csv"))
    run(event, write(tmp_path, HEADER_LINE, part, name="second.csv"))

    assert Session.objects.get(title="Q&A").parent.title == "Joint Health Initiatives"


def test_service_refusals_are_reported_against_their_lines(event, rooms, people, tmp_path):
    path = write(
        tmp_path,
        HEADER_LINE,
        "Keynote,talk,1,10:00,11:00,Auditorium,ingrid@example.org,,,",
        "Clash,talk,1,10:30,11:30,Auditorium,,,,",
        "Busy speaker,talk,1,10:00,10:30,Seminar room,Ingrid Dahl <x>,,,",
        "Parent,session,1,13:00,14:00,,,,,",
        "Too long part,talk,1,13:30,14:30,,,,Parent,",
        "Big,training,2,09:00,10:00,Seminar room,,80,,",
    )
    errors = refusal(event, path)
    # "Ingrid Dahl <x>" is no name of a contact: the reader refuses before any service runs.
    assert errors == ["line 4, column speakers: nobody in the directory is 'Ingrid Dahl <x>'"]

    path = write(
        tmp_path,
        HEADER_LINE,
        "Keynote,talk,1,10:00,11:00,Auditorium,ingrid@example.org,,,",
        "Clash,talk,1,10:30,11:30,Auditorium,,,,",
        "Busy speaker,talk,1,10:00,10:30,Seminar room,ingrid@example.org,,,",
        "Parent,session,1,13:00,14:00,,,,,",
        "Too long part,talk,1,13:30,14:30,,,,Parent,",
        "Big,training,2,09:00,10:00,Seminar room,,80,,",
        name="services.csv",
    )
    before = db_state()

    errors = refusal(event, path)

    assert len(errors) == 4
    assert errors[0].startswith("line 3, column room: Auditorium is already taken by “Keynote”")
    assert errors[1].startswith("line 4, column speakers: Ingrid Dahl is already in “Keynote”")
    assert errors[2].startswith("line 6, column start: A part must take place within “Parent”")
    assert errors[3] == (
        "line 7, column capacity: Seminar room holds 30 people; the session cannot offer 80 seats."
    )
    assert db_state() == before


def test_a_refused_parent_takes_its_parts_with_it(event, rooms, tmp_path):
    path = write(
        tmp_path,
        HEADER_LINE,
        "Keynote,talk,1,13:00,14:00,Auditorium,,,,",
        "Joint,session,1,13:00,15:00,Auditorium,,,,",
        "Part,talk,1,13:00,14:00,,,,Joint,",
    )
    errors = refusal(event, path)

    assert errors[0].startswith("line 3, column room: Auditorium is already taken")
    assert errors[1] == (
        "line 4, column parent: not imported, as its session on line 3 was refused"
    )


def test_dry_run_counts_and_writes_nothing(event, rooms, people, tmp_path):
    before = db_state()

    summary = run(event, write(tmp_path, HEADER_LINE, *GOOD), dry_run=True)

    assert (summary.sessions_created, summary.parts_created, summary.speakers_added) == (3, 2, 3)
    assert db_state() == before


def test_command_imports_and_dry_run_writes_nothing(event, rooms, people, tmp_path, capsys):
    path = write(tmp_path, HEADER_LINE, *GOOD)

    call_command("import_programme", event.slug, str(path), "--dry-run")
    assert "Would create: 3 session(s), 2 part(s), 3 speaker role(s)" in capsys.readouterr().out
    assert not Session.objects.exists()

    call_command("import_programme", event.slug, str(path))
    assert "Created: 3 session(s), 2 part(s)" in capsys.readouterr().out
    assert Session.objects.count() == 5


def test_command_reports_every_problem(event, rooms, tmp_path):
    path = write(tmp_path, HEADER_LINE, "Keynote,talk,9,10:00,11:00,Nowhere,,,,")

    with pytest.raises(CommandError) as info:
        call_command("import_programme", event.slug, str(path))

    text = str(info.value)
    assert "2 problem(s), nothing was imported" in text
    assert "line 2, column day: the event has days 1 to 2, not 9" in text
    assert "line 2, column room: the event has no room 'Nowhere'" in text
    with pytest.raises(CommandError, match="No event with the slug"):
        call_command("import_programme", "nope", str(path))


# --- the organiser page -----------------------------------------------------------------------


def csv_upload(*lines: str, name: str = "programme.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode(), "text/csv")


def xlsx_upload(*rows: list) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("programme.xlsx", buffer.getvalue())


def preview(client, event, upload):
    return client.post(orga_url("programme_import", event), {"preview": "1", "file": upload})


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match
    return match.group(1)


@pytest.fixture
def orga_client(client, organiser):
    client.force_login(organiser)
    return client


def test_page_previews_then_commits_the_same_file(orga_client, event, rooms, people, var_dir):
    page = orga_client.get(orga_url("sessions", event))
    assert orga_url("programme_import", event) in page.content.decode()
    assert HEADER_LINE in page_text(orga_client.get(orga_url("programme_import", event)))
    before = db_state()

    response = preview(orga_client, event, csv_upload(HEADER_LINE, *GOOD))

    text = page_text(response)
    assert response.status_code == 200
    assert "Check programme.csv before importing" in text
    assert "Joint Health Initiatives ›" in text
    assert db_state() == before
    assert len(list(var_dir.iterdir())) == 1

    response = orga_client.post(
        orga_url("programme_import", event), {"commit": "1", "token": token_of(response)}
    )

    assert response.status_code == 302
    assert response["Location"] == orga_url("sessions", event)
    assert Session.objects.filter(event=event).count() == 5
    assert list(var_dir.iterdir()) == []
    # The token was used up: committing again imports nothing.
    again = orga_client.post(
        orga_url("programme_import", event), {"commit": "1", "token": "x" * 32}
    )
    assert again.status_code == 302
    assert Session.objects.filter(event=event).count() == 5


def test_page_lists_every_problem_and_offers_no_commit(orga_client, event, rooms, var_dir):
    before = db_state()

    response = preview(
        orga_client,
        event,
        xlsx_upload(list(HEADER), ["Keynote", "keynote", 1, "10:00", "11:00", "Nowhere"]),
    )

    text = page_text(response)
    assert "programme.xlsx: 2 problems, nothing can be imported." in text
    assert "line 2, column type: unknown type 'keynote'" in text
    assert "line 2, column room: the event has no room 'Nowhere'" in text
    assert 'name="commit"' not in text
    assert db_state() == before
    assert list(var_dir.iterdir()) == []


def test_page_refuses_other_file_types(orga_client, event):
    response = preview(orga_client, event, csv_upload(HEADER_LINE, name="programme.txt"))

    assert response.status_code == 400
    assert "neither a .csv nor a .xlsx file" in page_text(response)


def test_page_commit_reports_what_changed_since_the_preview(
    orga_client, event, rooms, people, var_dir
):
    response = preview(orga_client, event, csv_upload(HEADER_LINE, GOOD[0]))
    token = token_of(response)
    SessionFactory(event=event, room=rooms["Auditorium"], title="Meanwhile",
                   start=at(event, 9), end=at(event, 10))  # fmt: skip
    before = db_state()

    response = orga_client.post(
        orga_url("programme_import", event), {"commit": "1", "token": token}
    )

    assert response.status_code == 400
    assert "line 2, column room: Auditorium is already taken by “Meanwhile”" in page_text(response)
    assert db_state() == before


def test_page_is_for_organisers_only(client, event, rooms):
    url = orga_url("programme_import", event)
    client.force_login(MembershipFactory(cluster=event.cluster, role=ClusterRole.CHECKIN).user)
    assert client.get(url).status_code == 403
    assert preview(client, event, csv_upload(HEADER_LINE, GOOD[1])).status_code == 403
    client.force_login(MembershipFactory(role=ClusterRole.OWNER).user)
    assert client.get(url).status_code == 404
    assert preview(client, event, csv_upload(HEADER_LINE, GOOD[1])).status_code == 404
    assert not Session.objects.exists()
