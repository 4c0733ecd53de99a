from datetime import UTC, date, datetime

import pytest

from clusterhub.events import selectors
from clusterhub.events.models import EventStatus, SessionType, Theme
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PersonFactory,
    SessionFactory,
    SessionRoleFactory,
    at,
)

pytestmark = pytest.mark.django_db


def titles(sessions) -> list[str]:
    return [s.title for s in sessions]


def test_sessions_for_programme_day_uses_event_time_zone(event):
    # 00:30 in Oslo on the second day is 23:30 UTC on the first day.
    late = SessionFactory(
        event=event,
        title="After midnight",
        start=at(event, 0, 30, day=1),
        end=at(event, 1, 30, day=1),
    )
    SessionFactory(event=event, title="Evening", start=at(event, 20), end=at(event, 21))

    first = selectors.sessions_for_programme(event=event, day=date(2025, 12, 3))
    second = selectors.sessions_for_programme(event=event, day=date(2025, 12, 4))

    assert late.start.utctimetuple()[:3] == (2025, 12, 3)
    assert titles(first) == ["Evening"]
    assert titles(second) == ["After midnight"]


def test_sessions_for_programme_container_matches_type_and_theme_through_part(event):
    oncology = Theme.objects.create(event=event, name="Oncology", slug="oncology")
    container = SessionFactory(
        event=event,
        title="Joint Health Initiatives",
        type=SessionType.SESSION,
        start=at(event, 13),
        end=at(event, 16),
    )
    panel = SessionFactory(
        event=event,
        parent=container,
        part_order=2,
        title="Panel",
        type=SessionType.PANEL,
        start=at(event, 14),
        end=at(event, 16),
    )
    SessionFactory(
        event=event,
        parent=container,
        part_order=1,
        title="Talk",
        start=at(event, 13),
        end=at(event, 14),
    )
    panel.themes.add(oncology)
    SessionFactory(event=event, title="Plain talk", start=at(event, 9), end=at(event, 10))

    by_type = list(selectors.sessions_for_programme(event=event, session_type=SessionType.PANEL))
    by_theme = list(selectors.sessions_for_programme(event=event, theme="oncology"))

    assert titles(by_type) == ["Joint Health Initiatives"]
    assert titles(by_theme) == ["Joint Health Initiatives"]
    # The container comes with all its parts, in part order.
    assert titles(by_type[0].parts.all()) == ["Talk", "Panel"]


def test_sessions_for_programme_lists_only_top_level_sessions_of_event(event):
    container = SessionFactory(
        event=event, title="Container", start=at(event, 13), end=at(event, 15)
    )
    SessionFactory(
        event=event,
        parent=container,
        part_order=1,
        title="Part",
        start=at(event, 13),
        end=at(event, 14),
    )
    SessionFactory(event=event, title="Morning", start=at(event, 9), end=at(event, 10))
    SessionFactory(title="Other event's session")

    assert titles(selectors.sessions_for_programme(event=event)) == ["Morning", "Container"]


def test_events_upcoming_and_past_split_published_events_by_today(db):
    today = date(2025, 12, 4)
    now = datetime(2025, 12, 4, 12, 0, tzinfo=UTC)
    running = EventFactory(name="Running", start_date=date(2025, 12, 3), end_date=today)
    later = EventFactory(name="Later", start_date=date(2026, 3, 1), end_date=date(2026, 3, 2))
    over = EventFactory(name="Over", start_date=date(2025, 6, 1), end_date=date(2025, 6, 2))
    older = EventFactory(name="Older", start_date=date(2024, 6, 1), end_date=date(2024, 6, 2))
    EventFactory(
        name="Draft",
        status=EventStatus.DRAFT,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 1, 1),
    )

    assert list(selectors.events_upcoming(now=now)) == [running, later]
    assert list(selectors.events_past(now=now)) == [over, older]


@pytest.mark.parametrize(
    ("now", "upcoming", "past"),
    [
        # 23:30 UTC: already 5 December in Auckland and Oslo, still 4 December in Los Angeles.
        (datetime(2025, 12, 4, 23, 30, tzinfo=UTC), ["Los Angeles"], ["Auckland", "Oslo"]),
        # 10:30 UTC: 23:30 on 4 December in Auckland, the other two are on 4 December too.
        (datetime(2025, 12, 4, 10, 30, tzinfo=UTC), ["Auckland", "Los Angeles", "Oslo"], []),
        # 11:30 UTC: 5 December has begun in Auckland only.
        (datetime(2025, 12, 4, 11, 30, tzinfo=UTC), ["Los Angeles", "Oslo"], ["Auckland"]),
    ],
)
def test_events_upcoming_and_past_use_the_date_in_each_events_time_zone(db, now, upcoming, past):
    for city, tz in (
        ("Auckland", "Pacific/Auckland"),
        ("Los Angeles", "America/Los_Angeles"),
        ("Oslo", "Europe/Oslo"),
    ):
        EventFactory(
            name=city, timezone=tz, start_date=date(2025, 12, 3), end_date=date(2025, 12, 4)
        )

    assert sorted(e.name for e in selectors.events_upcoming(now=now)) == upcoming
    assert sorted(e.name for e in selectors.events_past(now=now)) == past


def test_themes_for_event_lists_only_its_themes_by_name(event):
    Theme.objects.create(event=event, name="Oncology", slug="oncology")
    Theme.objects.create(event=event, name="AI", slug="ai")
    Theme.objects.create(event=EventFactory(), name="Elsewhere", slug="elsewhere")

    assert [t.slug for t in selectors.themes_for_event(event=event)] == ["ai", "oncology"]


def test_sessions_for_calendar_includes_parts_and_no_other_event(event):
    container = SessionFactory(
        event=event, title="Container", start=at(event, 13), end=at(event, 15)
    )
    SessionFactory(
        event=event,
        parent=container,
        part_order=1,
        title="Part 1",
        start=at(event, 13),
        end=at(event, 14),
    )
    SessionFactory(event=event, title="Morning", start=at(event, 9), end=at(event, 10))
    SessionFactory(title="Other event's session")

    sessions = list(selectors.sessions_for_calendar(event=event))

    assert titles(sessions) == ["Morning", "Container", "Part 1"]
    assert sessions[2].parent == container


def test_programme_at_a_glance_counts_top_level_sessions_by_type_and_local_day(event):
    SessionFactory(event=event, type=SessionType.PLENARY, start=at(event, 9), end=at(event, 10))
    container = SessionFactory(
        event=event, type=SessionType.SESSION, start=at(event, 13), end=at(event, 16)
    )
    SessionFactory(
        event=event,
        parent=container,
        part_order=1,
        type=SessionType.PANEL,
        start=at(event, 13),
        end=at(event, 14),
    )
    for hour in (9, 11):
        SessionFactory(
            event=event,
            type=SessionType.TRAINING,
            start=at(event, hour, day=1),
            end=at(event, hour + 1, day=1),
        )
    SessionFactory(
        event=event,
        type=SessionType.NETWORKING,
        start=at(event, 0, 30, day=1),
        end=at(event, 1, 30, day=1),
    )
    SessionFactory(type=SessionType.BREAK)  # another event

    glance = selectors.programme_at_a_glance(event=event)

    assert (glance.sessions, glance.parts) == (5, 1)
    assert [(str(label), n) for label, n in glance.types] == [
        ("Plenary", 1),
        ("Session", 1),
        ("Training module", 2),
        ("Networking", 1),
    ]
    assert [(d.day, d.sessions, d.first_start, d.last_end) for d in glance.days] == [
        (date(2025, 12, 3), 2, at(event, 9), at(event, 16)),
        (date(2025, 12, 4), 3, at(event, 0, 30, day=1), at(event, 12, day=1)),
    ]


def test_speakers_for_event_lists_people_with_roles_here_and_only_these_roles(event):
    ada = PersonFactory(first_name="Ada", last_name="Berg")
    session = SessionFactory(event=event, title="Here")
    SessionRoleFactory(session=session, person=ada, role="moderator")
    SessionRoleFactory(session=SessionFactory(title="Elsewhere"), person=ada, role="speaker")
    SessionRoleFactory(session=SessionFactory(title="Elsewhere too"))
    PersonFactory(first_name="No", last_name="Role")

    people = list(selectors.speakers_for_event(event=event))

    assert people == [ada]
    assert [(r.session.title, r.role) for r in people[0].event_roles] == [("Here", "moderator")]


def test_organisations_for_event_host_partners_and_speakers_organisations_only(event):
    partner = OrganisationFactory(name="Partner Org")
    event.partners.add(partner)
    speaker = PersonFactory(organisation=OrganisationFactory(name="Speaker Org"))
    SessionRoleFactory(session=SessionFactory(event=event), person=speaker)
    # Two roles of one organisation's people still list it once.
    SessionRoleFactory(
        session=SessionFactory(event=event, start=at(event, 12), end=at(event, 13)),
        person=PersonFactory(organisation=speaker.organisation),
    )
    SessionRoleFactory(person=PersonFactory(organisation=OrganisationFactory(name="Elsewhere")))
    OrganisationFactory(name="Bystander")

    names = [o.name for o in selectors.organisations_for_event(event=event)]

    assert names == sorted([event.cluster.organisation.name, "Partner Org", "Speaker Org"])
