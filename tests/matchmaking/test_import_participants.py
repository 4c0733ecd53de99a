"""`import_participants EVENT FILE [--dry-run]`: all rows or none, every bad cell reported."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from clusterhub.common.models import OutboxMessage
from clusterhub.directory.models import Organisation, Person
from clusterhub.matchmaking.models import MatchProfile
from clusterhub.matchmaking.participant_import import HEADER
from clusterhub.registration.models import Registration, TicketType
from tests.factories import (
    OrganisationFactory,
    PersonFactory,
    QuestionFactory,
    RegistrationConfigFactory,
)

HEADER_LINE = ",".join(HEADER)
INGRID = (
    "Ingrid,Hansen,Ingrid.Hansen@Example.org,Oslo University Hospital,hospital,no,Researcher,"
    "Pathologist.,hospital test bed;biobank access,AI partner,digital pathology;oncology,"
    "nb;en,yes"
)
OLEH = (
    "Oleh,Shevchenko,oleh@example.ua,Kyiv MedTech,company,UA,CEO,,AI triage,"
    "clinical validation site;investors,,uk;en,no"
)


def write_csv(tmp_path, *lines, bom=False, name="people.csv"):
    path = tmp_path / name
    path.write_text(("\ufeff" if bom else "") + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(event, path, *options):
    out = StringIO()
    call_command("import_participants", event.slug, str(path), *options, stdout=out)
    return out.getvalue()


def test_import_participants_csv_registers_everybody_with_profiles(event, tmp_path):
    OrganisationFactory(name="OSLO UNIVERSITY HOSPITAL", type="hospital")
    path = write_csv(tmp_path, HEADER_LINE, INGRID, OLEH, bom=True)

    output = run(event, path)

    ingrid = Registration.objects.get(event=event, person__email="ingrid.hansen@example.org")
    oleh = Registration.objects.get(event=event, person__email="oleh@example.ua")
    assert ingrid.consent_matchmaking_at is not None
    assert oleh.consent_matchmaking_at is None
    assert ingrid.consent_privacy_at is not None
    assert ingrid.ticket_type.name == "Participant"
    assert ingrid.person.organisation.name == "OSLO UNIVERSITY HOSPITAL"  # reused, any case
    assert oleh.person.organisation.type == "company"
    assert str(oleh.person.country) == "UA"
    assert ingrid.person.languages == ["nb", "en"]
    assert ingrid.person.contact_of.filter(pk=event.cluster_id).exists()
    profile = MatchProfile.objects.get(registration=ingrid)
    assert profile.offers == ["hospital test bed", "biobank access"]
    assert profile.needs == ["AI partner"]
    assert profile.interests == ["digital pathology", "oncology"]
    assert profile.about == "Pathologist."
    assert sorted(OutboxMessage.objects.values_list("to", flat=True)) == [
        "ingrid.hansen@example.org",
        "oleh@example.ua",
    ]
    assert "Created: 2 registration(s), 2 person(s), 1 organisation(s)" in output


def test_import_participants_xlsx_reads_the_first_sheet(event, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(HEADER))
    sheet.append(["Ada", "Berg", "ada@example.org", "Nordic Bio", "investor", "SE", None, None,
                  "seed funding", None, "biotech", "en", "Yes"])  # fmt: skip
    path = tmp_path / "people.xlsx"
    workbook.save(path)

    run(event, path)

    registration = Registration.objects.get(event=event, person__email="ada@example.org")
    assert registration.consent_matchmaking_at is not None
    assert registration.person.organisation.type == "investor"
    assert registration.match_profile.offers == ["seed funding"]


def test_import_participants_dry_run_counts_and_writes_nothing(event, tmp_path):
    path = write_csv(tmp_path, HEADER_LINE, INGRID, OLEH)

    output = run(event, path, "--dry-run")

    assert "Would create: 2 registration(s), 2 person(s), 2 organisation(s)" in output
    assert "nothing was written" in output
    assert not Person.objects.exists()
    assert not Organisation.objects.exclude(pk=event.cluster.organisation_id).exists()
    assert not Registration.objects.exists()
    assert not TicketType.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_import_participants_reports_every_bad_cell_and_writes_nothing(event, tmp_path):
    path = write_csv(
        tmp_path,
        HEADER_LINE,
        INGRID,
        "Bad,Email,not-an-email,,,,,,,,,,yes",
        "Bad,Type,t@example.org,Acme,spaceship,NO,,,,,,,no",
        "Bad,Country,c@example.org,,,XX,,,,,,,no",
        "Bad,Consent,m@example.org,,,,,,,,,,maybe",
        ",,n@example.org,,,,,,,,,,yes",
        "Twice,Hansen,INGRID.HANSEN@example.org,,,,,,,,,,no",
    )

    with pytest.raises(CommandError) as raised:
        run(event, path)

    message = str(raised.value)
    assert "line 3, column email: not an email address: 'not-an-email'" in message
    assert "line 4, column organisation_type: unknown type 'spaceship'" in message
    assert "line 5, column country: not an ISO 3166 alpha-2 country code: 'XX'" in message
    assert "line 6, column consent_matchmaking: answer yes or no, not 'maybe'" in message
    assert "line 7, column first_name: required" in message
    assert "line 7, column last_name: required" in message
    assert "line 8, column email: ingrid.hansen@example.org is already on line 2" in message
    assert "7 problem(s), nothing was imported" in message
    assert not Person.objects.exists()
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (HEADER_LINE.replace(",languages", ""), "line 1: missing column(s): languages"),
        (HEADER_LINE + ",phone", "line 1: unexpected column(s): phone"),
        (
            HEADER_LINE.replace("first_name,last_name", "last_name,first_name"),
            "line 1: the columns are out of order",
        ),
        ("First Name," + HEADER_LINE.split(",", 1)[1], "missing column(s): first_name"),
    ],
)
def test_import_participants_refuses_a_wrong_header(event, tmp_path, header, expected):
    path = write_csv(tmp_path, header, INGRID)

    with pytest.raises(CommandError, match="nothing was imported") as raised:
        run(event, path)

    assert expected in str(raised.value)
    assert not Person.objects.exists()


def test_import_participants_twice_adds_nothing_the_second_time(event, tmp_path):
    path = write_csv(tmp_path, HEADER_LINE, INGRID, OLEH)
    run(event, path)

    output = run(event, path)

    assert "Created: 0 registration(s), 0 person(s), 0 organisation(s)" in output
    assert "Skipped (already registered): 2" in output
    assert Registration.objects.filter(event=event).count() == 2
    assert Person.objects.count() == 2
    assert OutboxMessage.objects.count() == 2


def test_import_participants_fills_only_empty_fields_of_known_people(event, tmp_path):
    known = PersonFactory(
        email="ingrid.hansen@example.org", first_name="Inga", job_title="", bio="Own words."
    )
    path = write_csv(tmp_path, HEADER_LINE, INGRID)

    run(event, path)

    known.refresh_from_db()
    assert known.first_name == "Inga"  # kept
    assert known.bio == "Own words."  # kept
    assert known.job_title == "Researcher"  # was empty
    assert Person.objects.count() == 1


def test_import_participants_refused_registration_rolls_back_every_row(event, tmp_path):
    RegistrationConfigFactory(event=event, capacity=1)
    path = write_csv(tmp_path, HEADER_LINE, INGRID, OLEH)

    with pytest.raises(CommandError, match="line 3: not registered: The event is full"):
        run(event, path)

    assert not Person.objects.exists()
    assert not Registration.objects.exists()


def test_import_participants_leaves_required_questions_to_the_participant(event, tmp_path):
    QuestionFactory(event=event, required=True, label="Dietary needs")
    run(event, write_csv(tmp_path, HEADER_LINE, INGRID))
    assert Registration.objects.get().answers.count() == 0


def test_import_participants_unknown_event_is_a_clear_error(db, tmp_path):
    path = write_csv(tmp_path, HEADER_LINE, INGRID)

    with pytest.raises(CommandError, match="No event with the slug 'nope'"):
        call_command("import_participants", "nope", str(path))
