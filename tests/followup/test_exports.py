"""The organiser's follow-up exports (/orga/events/<slug>/followup/exports/): sign-ups,
matchmaking profiles (consenting people only), meetings, meeting outcomes (never the comment)
and partnerships, each as CSV and XLSX with the same rows, read from the database in a fixed
number of queries. Owners and organisers only: check-in staff 403, anybody else 404."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse
from django.utils import timezone

from clusterhub.directory.models import ClusterRole
from clusterhub.events.models import SessionType
from clusterhub.followup import services
from clusterhub.followup.urls import orga as orga_urls
from clusterhub.matchmaking.models import MeetingStatus
from clusterhub.registration.models import SignUpStatus
from tests.factories import (
    EventFactory,
    MatchProfileFactory,
    MembershipFactory,
    OrganisationFactory,
    RegistrationFactory,
    SessionFactory,
    SignUpFactory,
    at,
)
from tests.followup.support import db_state, lounge, meeting, orga_url, page_text
from tests.followup.test_orga_views import EXPORT_NAMES

pytestmark = pytest.mark.django_db

KINDS = ["signups", "profiles", "meetings", "outcomes", "partnerships"]
DOWNLOADS = [f"export_{kind}" for kind in KINDS]


def url(name: str, event, fmt: str | None = None) -> str:
    return orga_url(name, event) if fmt is None else orga_url(name, event, fmt)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = body(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def xlsx_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(body(response)), read_only=True)
    return [
        ["" if cell is None else str(cell) for cell in row]
        for row in book.worksheets[0].iter_rows(values_only=True)
    ]


def both(client, event, kind: str) -> list[list[str]]:
    """The rows (header first) of the export, the same in CSV and XLSX."""
    from_csv = csv_rows(client.get(url(f"export_{kind}", event, "csv")))
    from_xlsx = xlsx_rows(client.get(url(f"export_{kind}", event, "xlsx")))
    assert from_csv == from_xlsx
    return from_csv


def hm(event, hour: int, minute: int = 0) -> str:
    return at(event, hour, minute).strftime("%Y-%m-%d %H:%M")


def local(event, moment) -> str:
    return moment.astimezone(event.tzinfo).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def world(event):
    """Three people of the event (Carol without the matchmaking consent), sign-ups, meetings
    with feedback and partnerships; and the same kind of rows at another event of the
    cluster, which no export may show."""
    acme = OrganisationFactory(name="Acme Robotics")
    bolt = OrganisationFactory(name="Bolt Health")
    now = timezone.now()

    def person(first, last, org, consent):
        return RegistrationFactory(
            event=event, person__first_name=first, person__last_name=last,
            person__email=f"{first.lower()}@example.org", person__organisation=org,
            consent_matchmaking_at=now if consent else None,
        )  # fmt: skip

    alice = person("Alice", "Archer", acme, True)
    bob = person("Bob", "Baker", bolt, True)
    carol = person("Carol", "Cole", acme, False)
    MatchProfileFactory(
        registration=alice, offers=["robots"], needs=["pilots"], tags=["ai", "health"],
        objectives=["partnering"], about="Builds robots",
    )  # fmt: skip
    MatchProfileFactory(registration=bob, offers=["wards"], needs=[], about="")
    MatchProfileFactory(registration=carol, offers=["Carol's secret offer"], about="Carol private")

    workshop = SessionFactory(
        event=event, title="Workshop", start=at(event, 14), end=at(event, 15), capacity=1,
        signup_required=True,
    )  # fmt: skip
    seat = SignUpFactory(registration=alice, session=workshop)
    first = SignUpFactory(registration=carol, session=workshop, status=SignUpStatus.WAITLISTED)
    second = SignUpFactory(registration=bob, session=workshop, status=SignUpStatus.WAITLISTED)

    networking = lounge(event)
    held = meeting(event, alice, bob, session=networking, start=at(event, 9))
    draft = meeting(
        event, alice, carol, session=networking, start=at(event, 10), status=MeetingStatus.DRAFT
    )
    services.feedback_record(
        meeting=held, registration=alice, attendance="held", rating=4, outcome="follow_up",
        comment="Bob was late, keep this private", actor=None,
    )  # fmt: skip
    services.feedback_record(
        meeting=held, registration=bob, attendance="held", comment="Alice is great", actor=None
    )
    pilot = services.partnership_create(
        cluster=event.cluster, actor=None, title="Hospital pilot", type="pilot",
        stage="in_talks", organisations=[bolt, acme], event=event, meeting=held,
        next_step="Sign the MoU", next_step_on=date(2027, 2, 1),
    )  # fmt: skip
    services.partnership_create(
        cluster=event.cluster, actor=None, title="Acme MoU", type="mou",
        organisations=[acme], event=event,
    )  # fmt: skip

    sibling = EventFactory(cluster=event.cluster)
    stranger = MatchProfileFactory(registration__event=sibling).registration
    SignUpFactory(registration=stranger)
    meeting(sibling, stranger, RegistrationFactory(event=sibling))
    services.partnership_create(
        cluster=event.cluster, actor=None, title="Sibling pilot", type="pilot",
        organisations=[acme], event=sibling,
    )  # fmt: skip
    return {
        "alice": alice, "bob": bob, "carol": carol, "signups": [seat, first, second],
        "held": held, "draft": draft, "pilot": pilot,
    }  # fmt: skip


# --- each export's rows equal the database ------------------------------------------------------


def test_signups_export(client, event, organiser, world):
    seat, first, second = world["signups"]
    client.force_login(organiser)

    rows = both(client, event, "signups")

    assert rows == [
        ["Person", "Email", "Organisation", "Session", "Status", "Waitlist position",
         "Signed up at"],
        ["Alice Archer", "alice@example.org", "Acme Robotics", "Workshop", "Confirmed", "",
         local(event, seat.created_at)],
        ["Carol Cole", "carol@example.org", "Acme Robotics", "Workshop", "On the waitlist", "1",
         local(event, first.created_at)],
        ["Bob Baker", "bob@example.org", "Bolt Health", "Workshop", "On the waitlist", "2",
         local(event, second.created_at)],
    ]  # fmt: skip


def test_profiles_export_holds_only_the_people_who_consented(client, event, organiser, world):
    alice, bob = world["alice"], world["bob"]
    networking = world["held"].session
    alice.match_profile.available_sessions.add(networking)
    client.force_login(organiser)

    rows = both(client, event, "profiles")

    assert rows == [
        ["Person", "Email", "Organisation", "Offers", "Needs", "Interests", "Tags", "Objectives",
         "About", "Available slots", "Updated at"],
        ["Alice Archer", "alice@example.org", "Acme Robotics", "robots", "pilots",
         "digital pathology", "ai; health", "Partnering", "Builds robots", "Partnering",
         local(event, alice.match_profile.updated_at)],
        ["Bob Baker", "bob@example.org", "Bolt Health", "wards", "", "digital pathology", "", "",
         "", "", local(event, bob.match_profile.updated_at)],
    ]  # fmt: skip
    flat = str(rows)
    assert "Carol" not in flat
    assert "secret" not in flat


def test_profiles_export_drops_a_profile_once_the_consent_is_withdrawn(
    client, event, organiser, world
):
    world["bob"].consent_matchmaking_at = None
    world["bob"].save(update_fields=["consent_matchmaking_at"])
    client.force_login(organiser)

    rows = both(client, event, "profiles")

    assert [row[0] for row in rows[1:]] == ["Alice Archer"]


def test_meetings_export(client, event, organiser, world):
    client.force_login(organiser)

    rows = both(client, event, "meetings")

    assert rows == [
        ["Start", "End", "Table", "Session", "Person A", "Organisation A", "Person B",
         "Organisation B", "Status"],
        [hm(event, 9), hm(event, 9, 20), str(world["held"].table), "Partnering",
         "Alice Archer", "Acme Robotics", "Bob Baker", "Bolt Health", "Published"],
        [hm(event, 10), hm(event, 10, 20), str(world["draft"].table), "Partnering",
         "Alice Archer", "Acme Robotics", "Carol Cole", "Acme Robotics", "Draft"],
    ]  # fmt: skip


def test_outcomes_export_leaves_the_comments_out(client, event, organiser, world):
    held = world["held"]
    answers = {f.registration_id: f for f in held.feedback.all()}
    client.force_login(organiser)

    rows = both(client, event, "outcomes")

    alice_answer, bob_answer = answers[world["alice"].pk], answers[world["bob"].pk]
    assert rows == [
        ["Meeting start", "Table", "Meeting", "Answered by", "Organisation", "Attendance",
         "Rating", "Outcome", "Answered at"],
        [hm(event, 9), str(held.table), "Alice Archer – Bob Baker", "Alice Archer",
         "Acme Robotics", "We met", "4", "Follow-up planned",
         local(event, alice_answer.updated_at)],
        [hm(event, 9), str(held.table), "Alice Archer – Bob Baker", "Bob Baker", "Bolt Health",
         "We met", "", "", local(event, bob_answer.updated_at)],
    ]  # fmt: skip
    assert "private" not in str(rows)
    assert "great" not in str(rows)


def test_partnerships_export(client, event, organiser, world):
    pilot = world["pilot"]
    pilot.refresh_from_db()
    client.force_login(organiser)

    rows = both(client, event, "partnerships")

    mou = rows[1]
    assert rows[0] == [
        "Title", "Type", "Stage", "Organisations", "Event", "Next step", "Next step by",
        "Updated at",
    ]  # fmt: skip
    assert mou[:7] == ["Acme MoU", "Memorandum of understanding", "Idea", "Acme Robotics",
                       event.name, "", ""]  # fmt: skip
    assert rows[2] == [
        "Hospital pilot", "Pilot", "In talks", "Acme Robotics; Bolt Health", event.name,
        "Sign the MoU", "2027-02-01", local(event, pilot.updated_at),
    ]  # fmt: skip
    assert len(rows) == 3  # not the sibling event's


def test_an_empty_event_gives_the_header_only(client, event, organiser):
    client.force_login(organiser)

    for kind in KINDS:
        assert len(both(client, event, kind)) == 1


def test_cells_never_read_as_formulas_and_xlsx_drops_control_characters(client, event, organiser):
    evil = OrganisationFactory(name="\x01=HYPERLINK(1)")
    registration = RegistrationFactory(
        event=event, person__first_name="=cmd", person__last_name="x",
        person__email="cmd@example.org", person__organisation=evil,
    )  # fmt: skip
    SignUpFactory(registration=registration)
    client.force_login(organiser)

    from_csv = csv_rows(client.get(url("export_signups", event, "csv")))[1]
    from_xlsx = xlsx_rows(client.get(url("export_signups", event, "xlsx")))[1]

    assert from_csv[:3] == ["'=cmd x", "cmd@example.org", "\x01=HYPERLINK(1)"]
    assert from_xlsx[:3] == ["'=cmd x", "cmd@example.org", "'=HYPERLINK(1)"]


def test_downloads_are_named_after_the_event_and_export(client, event, organiser):
    client.force_login(organiser)
    day = timezone.localdate(timezone=event.tzinfo)

    response = client.get(url("export_meetings", event, "xlsx"))

    assert response["Content-Disposition"] == (
        f'attachment; filename="{event.slug}-meetings-{day:%Y%m%d}.xlsx"'
    )


# --- a fixed number of queries ------------------------------------------------------------------


def grow(event, n: int) -> None:
    """`n` more of every kind of row."""
    networking = SessionFactory(
        event=event, type=SessionType.NETWORKING, start=at(event, 16), end=at(event, 18)
    )
    workshop = SessionFactory(event=event, signup_required=True, capacity=1)
    for i in range(n):
        a = MatchProfileFactory(registration__event=event).registration
        b = MatchProfileFactory(registration__event=event).registration
        a.match_profile.available_sessions.add(networking)
        SignUpFactory(registration=a, session=workshop)
        SignUpFactory(registration=b, session=workshop, status=SignUpStatus.WAITLISTED)
        held = meeting(event, a, b, session=networking, start=at(event, 16, 20 * i % 60))
        services.feedback_record(meeting=held, registration=a, attendance="held", actor=None)
        services.partnership_create(
            cluster=event.cluster, actor=None, title=f"P{i}", type="mou",
            organisations=[a.person.organisation, b.person.organisation], event=event,
        )  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", KINDS)
def test_each_export_reads_the_database_in_a_fixed_number_of_queries(
    client, event, organiser, kind, fmt
):
    client.force_login(organiser)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url(f"export_{kind}", event, fmt))
            body(response)
        return len(captured)

    grow(event, 1)
    few = queries()
    grow(event, 3)
    many = queries()

    assert many == few


# --- who may open what --------------------------------------------------------------------------


def test_the_export_names_are_those_of_the_urls():
    names = {p.name for p in orga_urls.urlpatterns if isinstance(p, URLPattern)}
    assert {"exports", *DOWNLOADS} == EXPORT_NAMES
    assert names >= EXPORT_NAMES


ADDRESSES = [("exports", None)] + [(name, fmt) for name in DOWNLOADS for fmt in ("csv", "xlsx")]


@pytest.mark.parametrize(("name", "fmt"), ADDRESSES)
def test_anonymous_is_sent_to_login(client, event, world, name, fmt):
    response = client.get(url(name, event, fmt))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize(("name", "fmt"), ADDRESSES)
def test_organiser_of_another_cluster_gets_404(client, event, world, name, fmt):
    client.force_login(MembershipFactory(role=ClusterRole.OWNER).user)

    response = client.get(url(name, event, fmt))

    assert response.status_code == 404
    assert "Alice" not in page_text(response)


@pytest.mark.parametrize(("name", "fmt"), ADDRESSES)
def test_checkin_staff_get_403(client, event, world, name, fmt):
    client.force_login(MembershipFactory(cluster=event.cluster, role=ClusterRole.CHECKIN).user)

    response = client.get(url(name, event, fmt))

    assert response.status_code == 403
    assert "Alice" not in page_text(response)


@pytest.mark.parametrize("role", [ClusterRole.ORGANISER, ClusterRole.OWNER])
@pytest.mark.parametrize(("name", "fmt"), ADDRESSES)
def test_organisers_and_owners_get_them(client, event, world, role, name, fmt):
    client.force_login(MembershipFactory(cluster=event.cluster, role=role).user)
    before = db_state()

    response = client.get(url(name, event, fmt))

    assert response.status_code == 200
    if fmt is not None:
        body(response)
    # A download writes its audit line (tests/followup/test_exports_logged.py) and nothing else.
    logged = 0 if fmt is None else 1
    assert db_state() == (before[0] + logged, *before[1:])


def test_the_page_lists_every_export_in_both_formats(client, event, organiser):
    client.force_login(organiser)

    response = client.get(url("exports", event))

    text = page_text(response)
    for name in DOWNLOADS:
        for fmt in ("csv", "xlsx"):
            assert f'href="{url(name, event, fmt)}"' in text
    assert "Profiles (matchmaking consent)" in text
    nav = client.get(orga_url("partnerships", event))
    assert f'href="{url("exports", event)}"' in page_text(nav)


def test_an_unknown_format_is_404_and_downloads_are_get_only(client, event, organiser):
    client.force_login(organiser)
    before = db_state()

    assert client.get(orga_url("export_meetings", event, "pdf")).status_code == 404
    assert client.post(url("export_meetings", event, "csv")).status_code == 405
    assert client.post(url("exports", event)).status_code == 405
    assert db_state() == before


def test_another_events_exports_are_404(client, event, organiser):
    theirs = EventFactory()
    client.force_login(organiser)

    assert client.get(reverse("orga_followup:exports", args=[theirs.slug])).status_code == 404
    assert client.get(url("export_signups", theirs, "csv")).status_code == 404
