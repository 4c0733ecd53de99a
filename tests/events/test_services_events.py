"""The event services on their own: the bounds of an event's dates, the short names they derive,
and what a new time zone does to the programme. Sessions are in test_services.py."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusterhub.common.models import ActivityLogEntry
from clusterhub.events import services
from clusterhub.events.models import Event, Session
from tests.events.orga_support import db_state
from tests.factories import ClusterFactory, EventFactory, RoomFactory, SessionFactory, at


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errs] for field, errs in exc.error_dict.items()}


def create(**fields) -> Event:
    defaults = {
        "name": "Deep Dive Days",
        "start_date": date(2026, 5, 4),
        "end_date": date(2026, 5, 5),
    }
    return services.event_create(cluster=ClusterFactory(), actor=None, **{**defaults, **fields})


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(1, 1, 1), date(9999, 12, 31), {"start_date": ["date_out_of_range"],
                                             "end_date": ["date_out_of_range"]}),
        (date(1999, 12, 31), date(2000, 1, 2), {"start_date": ["date_out_of_range"]}),
        (date(2100, 12, 31), date(2101, 1, 1), {"end_date": ["date_out_of_range"]}),
        (date(2025, 1, 1), date(2124, 12, 31), {"end_date": ["date_out_of_range"]}),
        (date(2025, 1, 1), date(2025, 2, 1), {"end_date": ["event_too_long"]}),  # 32 days
        (date(2025, 12, 4), date(2025, 12, 3), {"end_date": ["end_before_start"]}),
    ],
)  # fmt: skip
def test_event_create_refuses_dates_out_of_bounds_with_a_code(db, start, end, expected):
    with pytest.raises(ValidationError) as exc:
        create(start_date=start, end_date=end)

    assert codes(exc.value) == expected
    assert not Event.objects.exists()


def test_event_create_accepts_31_days_at_the_edges_of_the_range(db):
    first = create(name="First", start_date=date(2000, 1, 1), end_date=date(2000, 1, 31))
    last = create(name="Last", start_date=date(2100, 12, 1), end_date=date(2100, 12, 31))

    assert (len(first.days), len(last.days)) == (31, 31)


def test_event_create_too_long_message_names_the_limit(db):
    with pytest.raises(ValidationError) as exc:
        create(start_date=date(2025, 1, 1), end_date=date(2025, 6, 1))

    assert exc.value.message_dict == {
        "end_date": ["An event lasts at most 31 days; split a longer one into several events."]
    }


def test_event_update_refuses_extreme_dates_instead_of_crashing(event, organiser):
    SessionFactory(event=event, start=at(event, 10), end=at(event, 11))
    before = db_state()

    with pytest.raises(ValidationError) as exc:
        services.event_update(
            event=event, actor=organiser, start_date=date(1, 1, 1), end_date=date(9999, 12, 31)
        )

    assert codes(exc.value) == {
        "start_date": ["date_out_of_range"],
        "end_date": ["date_out_of_range"],
    }
    assert db_state() == before


def test_event_update_counts_stranded_sessions_in_the_plural(event, organiser):
    for hour in (10, 12):
        SessionFactory(event=event, title=f"At {hour}", start=at(event, hour, day=1),
                       end=at(event, hour + 1, day=1))  # fmt: skip

    with pytest.raises(ValidationError) as exc:
        services.event_update(event=event, actor=organiser, end_date=date(2025, 12, 3))

    assert exc.value.messages == [
        "2 sessions would fall outside the event's days, e.g. “At 10”. Move them first."
    ]
    assert exc.value.code == "sessions_outside_event"


# --- short names ------------------------------------------------------------------------------


def test_event_create_derives_the_slug_from_the_name(db):
    assert create(name="Oslo Deep Dive Days 2026").slug == "oslo-deep-dive-days-2026"


def test_event_create_cyrillic_name_gets_event_and_year_made_unique(db):
    first = create(name="Дні інновацій")
    second = create(name="Дні інновацій")
    third = create(name="Форум")

    assert [first.slug, second.slug, third.slug] == ["event-2026", "event-2026-2", "event-2026-3"]
    assert first.name == "Дні інновацій"


def test_event_create_derives_a_free_slug_when_the_names_slug_is_taken(db):
    EventFactory(slug="deep-dive-days")
    EventFactory(slug="deep-dive-days-2")

    assert create().slug == "deep-dive-days-3"


def test_event_create_keeps_a_derived_slug_within_its_length(db):
    EventFactory(slug="x" * 100)

    slug = create(name="X" * 150).slug

    assert (slug, len(slug)) == ("x" * 98 + "-2", 100)


def test_event_create_refuses_an_explicit_slug_in_use(db):
    EventFactory(slug="deep-dive")

    with pytest.raises(ValidationError) as exc:
        create(slug="deep-dive")

    assert codes(exc.value) == {"slug": ["unique"]}
    assert Event.objects.count() == 1


# --- time zone --------------------------------------------------------------------------------


def local(session: Session, tz: str) -> tuple[str, str]:
    session.refresh_from_db()
    return tuple(t.astimezone(ZoneInfo(tz)).strftime("%H:%M") for t in (session.start, session.end))


def test_event_update_new_time_zone_keeps_the_local_times_of_the_programme(
    client, event, organiser
):
    keynote = SessionFactory(event=event, title="Keynote", start=at(event, 10), end=at(event, 11))
    late = SessionFactory(event=event, title="Late", start=at(event, 23), end=at(event, 0, day=1))
    stamp = Session.objects.get(pk=keynote.pk).updated_at

    services.event_update(event=event, actor=organiser, timezone="America/New_York")

    assert local(keynote, "America/New_York") == ("10:00", "11:00")
    assert keynote.start == datetime(2025, 12, 3, 15, 0, tzinfo=UTC)
    assert keynote.updated_at > stamp  # calendars see the change
    assert local(late, "America/New_York") == ("23:00", "00:00")
    entry = ActivityLogEntry.objects.get(action="events.event.update")
    assert entry.data == {"fields": ["timezone"], "sessions_moved": 2}
    page = client.get(reverse("public:programme", args=[event.slug])).content.decode()
    assert "10:00" in page
    assert "04:00" not in page


def test_event_update_same_offsets_moves_nothing(event, organiser):
    session = SessionFactory(event=event, start=at(event, 10), end=at(event, 11))
    stored = Session.objects.get(pk=session.pk)

    services.event_update(event=event, actor=organiser, timezone="Europe/Berlin")

    assert Session.objects.get(pk=session.pk).updated_at == stored.updated_at
    assert ActivityLogEntry.objects.get().data == {"fields": ["timezone"]}


def test_event_update_refuses_a_time_zone_where_a_session_time_does_not_exist(db, organiser):
    event = EventFactory(timezone="UTC", start_date=date(2025, 3, 30), end_date=date(2025, 3, 30))
    SessionFactory(event=event, title="Night shift", start=at(event, 2, 15), end=at(event, 2, 45))
    before = db_state()

    with pytest.raises(ValidationError) as exc:
        services.event_update(event=event, actor=organiser, timezone="Europe/Oslo")

    assert codes(exc.value) == {"timezone": ["nonexistent_time"]}
    assert exc.value.messages == [
        "“Night shift” is at 02:15 on 30 March 2025, a time that does not exist in Europe/Oslo "
        "(the clocks skip it for daylight saving time). Move it first."
    ]
    assert db_state() == before
    event.refresh_from_db()
    assert event.timezone == "UTC"


def test_event_update_refuses_a_time_zone_that_makes_sessions_clash(db, organiser):
    """On 26 October 2025 Oslo's clocks go back from 03:00 to 02:00: these two sessions both
    read 02:15-02:45 there, an hour apart. In UTC they would be at the same time."""
    event = EventFactory(start_date=date(2025, 10, 26), end_date=date(2025, 10, 26))
    room = RoomFactory(event=event, name="Auditorium")
    first = datetime(2025, 10, 26, 0, 15, tzinfo=UTC)
    second = datetime(2025, 10, 26, 1, 15, tzinfo=UTC)
    SessionFactory(event=event, room=room, title="Summer time", start=first,
                   end=first.replace(minute=45))  # fmt: skip
    SessionFactory(event=event, room=room, title="Winter time", start=second,
                   end=second.replace(minute=45))  # fmt: skip
    before = db_state()

    with pytest.raises(ValidationError) as exc:
        services.event_update(event=event, actor=organiser, timezone="UTC")

    assert codes(exc.value) == {"timezone": ["room_busy"]}
    assert "would not fit: Auditorium is already taken by" in exc.value.messages[0]
    assert db_state() == before


def test_event_update_ambiguous_local_time_takes_its_first_occurrence(db, organiser):
    event = EventFactory(timezone="UTC", start_date=date(2025, 10, 26), end_date=date(2025, 10, 26))
    session = SessionFactory(event=event, start=at(event, 2, 30), end=at(event, 3, 30))

    services.event_update(event=event, actor=organiser, timezone="Europe/Oslo")

    session.refresh_from_db()
    assert session.start == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 02:30 summer time
    assert session.end == datetime(2025, 10, 26, 2, 30, tzinfo=UTC)  # 03:30 winter time
