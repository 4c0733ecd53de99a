import re
from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.urls import reverse

from clusterhub.events import services
from clusterhub.events.models import Event, Room, Session, SessionType
from tests.factories import EventFactory, PersonFactory, RoomFactory, SessionFactory, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(event, organiser):
    event.venue_name = "Innovation Park"
    event.save()
    aud = RoomFactory(event=event, name="Auditorium")
    away = Room.objects.create(
        event=event, name="Radium Hospital", is_offsite=True, address="Ullernchausseen 70, Oslo"
    )
    welcome = services.session_create(
        event=event,
        actor=organiser,
        title="Welcome, everyone",
        type=SessionType.PLENARY,
        room=aud,
        start=at(event, 9),
        end=at(event, 9, 30),
        description="Opening words.",
        themes=["Oncology"],
    )
    joint = services.session_create(
        event=event,
        actor=organiser,
        title="Joint Health Initiatives",
        room=aud,
        type=SessionType.SESSION,
        start=at(event, 13),
        end=at(event, 16),
    )
    part = services.session_create(
        event=event,
        actor=organiser,
        title="Panel",
        parent=joint,
        type=SessionType.PANEL,
        start=at(event, 14),
        end=at(event, 16),
    )
    visit = services.session_create(
        event=event,
        actor=organiser,
        title="Site visit",
        type=SessionType.SITE_VISIT,
        room=away,
        capacity=20,
        signup_required=True,
        start=at(event, 0, 30, day=1),
        end=at(event, 2, day=1),
    )
    services.session_role_add(
        session=welcome,
        actor=organiser,
        role="host",
        person=PersonFactory(
            first_name="Marine", last_name="Jeanmougin", organisation=event.cluster.organisation
        ),
    )
    SessionFactory(title="Other event's session")  # must not appear
    return {"welcome": welcome, "joint": joint, "part": part, "visit": visit}


def fetch(client, event) -> tuple[bytes, icalendar.Calendar]:
    response = client.get(reverse("public:programme_ical", kwargs={"slug": event.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content, icalendar.Calendar.from_ical(response.content)


def by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_ical_has_one_event_per_session_with_stable_uids(client, event, sessions):
    _raw, calendar = fetch(client, event)

    uids = [str(e["UID"]) for e in calendar.walk("VEVENT")]
    assert sorted(uids) == sorted(f"{s.uid}@clusterhub" for s in sessions.values())
    assert len(uids) == len(set(uids)) == 4


def test_ical_uids_survive_refetch_and_title_change(client, event, organiser, sessions):
    raw_before, before = fetch(client, event)
    raw_again, _ = fetch(client, event)
    services.session_update(session=sessions["welcome"], actor=organiser, title="Hello")
    _raw, after = fetch(client, event)

    assert raw_again == raw_before  # nothing changed, nothing differs (DTSTAMP included)
    assert by_uid(after).keys() == by_uid(before).keys()
    assert str(by_uid(after)[f"{sessions['welcome'].uid}@clusterhub"]["SUMMARY"]) == "Hello"


def test_ical_times_are_local_with_tzid_and_matching_vtimezone(client, event, sessions):
    _raw, calendar = fetch(client, event)
    events = by_uid(calendar)

    visit = events[f"{sessions['visit'].uid}@clusterhub"]
    assert visit["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert visit["DTSTART"].dt == at(event, 0, 30, day=1)
    assert visit["DTSTART"].dt.replace(tzinfo=None).isoformat() == "2025-12-04T00:30:00"
    assert visit["DTEND"].dt == at(event, 2, day=1)
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Oslo"]
    assert calendar.get_missing_tzids() == set()


def test_ical_describes_each_session(client, event, sessions):
    _raw, calendar = fetch(client, event)
    events = by_uid(calendar)
    welcome = events[f"{sessions['welcome'].uid}@clusterhub"]
    part = events[f"{sessions['part'].uid}@clusterhub"]
    visit = events[f"{sessions['visit'].uid}@clusterhub"]

    assert str(welcome["SUMMARY"]) == "Welcome, everyone"
    assert str(welcome["LOCATION"]) == "Auditorium, Innovation Park"
    assert str(welcome["DESCRIPTION"]) == (
        f"Opening words.\n\nHost: Marine Jeanmougin ({event.cluster.organisation.name})"
    )
    assert welcome.categories == ["Plenary", "Oncology"]
    assert str(welcome["URL"]) == (
        f"http://testserver/events/{event.slug}/sessions/{sessions['welcome'].pk}/"
    )
    stored = Session.objects.get(pk=sessions["welcome"].pk)  # adding the host bumped it
    assert welcome["DTSTAMP"].dt == stored.updated_at.replace(microsecond=0)
    assert str(part["SUMMARY"]) == "Joint Health Initiatives — Panel"
    assert str(part["LOCATION"]) == "Auditorium, Innovation Park"  # the whole session's room
    assert str(part["RELATED-TO"]) == f"{sessions['joint'].uid}@clusterhub"
    assert str(part["DESCRIPTION"]) == "Part 1 of “Joint Health Initiatives”."
    assert str(visit["LOCATION"]) == "Radium Hospital, Ullernchausseen 70, Oslo"
    assert str(visit["DESCRIPTION"]) == "Sign-up required: 20 seats."
    assert visit.categories == ["Site visit"]


def test_ical_is_valid_rfc5545_text(client, event, sessions):
    services.session_update(session=sessions["joint"], actor=None, description="Long " * 40)
    raw, calendar = fetch(client, event)

    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75  # folded (octets)
    assert any(line.startswith(b" ") for line in lines)
    assert str(calendar["PRODID"]) == "-//clusterhub//Event programme//EN"
    assert str(calendar["X-WR-CALNAME"]) == event.name
    assert all(e.get("DTSTAMP") and e.get("UID") for e in calendar.walk("VEVENT"))
    assert re.search(rb"\r\nDTSTART;TZID=Europe/Oslo:20251203T090000\r\n", raw)


def test_ical_leaves_out_other_events(client, event, sessions):
    other = EventFactory()
    SessionFactory(event=other, title="Elsewhere", start=at(other, 9), end=at(other, 10))

    raw, _calendar = fetch(client, event)

    assert b"Elsewhere" not in raw
    assert b"Other event's session" not in raw


def test_ical_of_empty_programme_is_still_a_calendar(client, event):
    _raw, calendar = fetch(client, event)

    assert calendar.walk("VEVENT") == []
    assert calendar.timezones == []  # no times used, no time zone needed
    assert calendar.get("REFRESH-INTERVAL").dt == timedelta(hours=6)


def test_ical_counts_a_single_seat_in_the_singular(client, event, organiser, sessions):
    services.session_update(session=sessions["visit"], actor=organiser, capacity=1)

    _raw, calendar = fetch(client, event)

    visit = by_uid(calendar)[f"{sessions['visit'].uid}@clusterhub"]
    assert str(visit["DESCRIPTION"]) == "Sign-up required: 1 seat."


LONG_AGO = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


def stamps(client, event, sessions) -> dict[str, tuple[datetime, datetime]]:
    """(DTSTAMP, LAST-MODIFIED) by session name, after setting every row's change to LONG_AGO
    before the request: a later stamp can only come from what the test changed."""
    _raw, calendar = fetch(client, event)
    entries = by_uid(calendar)
    return {
        name: (
            entries[f"{s.uid}@clusterhub"]["DTSTAMP"].dt,
            entries[f"{s.uid}@clusterhub"]["LAST-MODIFIED"].dt,
        )
        for name, s in sessions.items()
    }


def age_everything() -> None:
    for model in (Event, Room, Session):
        model.objects.update(updated_at=LONG_AGO)


@pytest.mark.parametrize(
    ("change", "changed"),
    [
        ("room", {"welcome", "joint", "part"}),  # the part takes place in its parent's room
        ("venue", {"welcome", "joint", "part", "visit"}),
        ("parent title", {"joint", "part"}),
    ],
)
def test_ical_stamps_follow_the_room_venue_and_parent_title(
    client, event, organiser, sessions, change, changed
):
    age_everything()
    assert set(stamps(client, event, sessions).values()) == {(LONG_AGO, LONG_AGO)}
    auditorium = Room.objects.get(event=event, name="Auditorium")

    if change == "room":
        services.room_update(room=auditorium, actor=organiser, name="Main hall")
    elif change == "venue":
        services.event_update(event=event, actor=organiser, venue_name="Science Park")
    else:
        services.session_update(session=sessions["joint"], actor=organiser, title="Joint")
    after = stamps(client, event, sessions)

    assert {name for name, stamp in after.items() if stamp != (LONG_AGO, LONG_AGO)} == changed
    assert all(stamp > LONG_AGO for name in changed for stamp in after[name])
