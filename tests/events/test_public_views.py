from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusterhub.directory.models import ClusterRole, OrganisationType
from clusterhub.events import services
from clusterhub.events.models import EventStatus, Room, SessionType, Theme
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    at,
)

pytestmark = pytest.mark.django_db

PAGES = ["event", "programme", "speakers", "organisations", "programme_ical"]


def url(name: str, event, **kwargs) -> str:
    return reverse(f"public:{name}", kwargs={"slug": event.slug, **kwargs})


def page(client, name: str, event, query: str = "", status: int = 200, **kwargs):
    response = client.get(url(name, event, **kwargs) + query)
    assert response.status_code == status, response.content[:500]
    return response


def programme_titles(response) -> list[tuple[date, list[str]]]:
    return [(day, [i.session.title for i in items]) for day, items in response.context["days"]]


def add(event, title, start, end, type=SessionType.SESSION, **fields):
    return SessionFactory(event=event, title=title, start=start, end=end, type=type, **fields)


@pytest.fixture
def programme(event):
    """A small programme: a talk, a two-part session, a training module and a site visit on
    the second day, and another event whose content must never show."""
    event.tagline, event.city, event.venue_name = "Meet the ecosystem", "Oslo", "Innovation Park"
    event.description = "Two days of partnership building."
    event.save()
    event.partners.add(OrganisationFactory(name="Clusters4Health", type=OrganisationType.OTHER))
    oncology = Theme.objects.create(event=event, name="Oncology", slug="oncology")
    aud = RoomFactory(event=event, name="Auditorium")
    visit = Room.objects.create(
        event=event, name="Radium Hospital", is_offsite=True, address="Ullernchausseen 70, Oslo"
    )
    welcome = add(event, "Welcome", at(event, 9), at(event, 9, 30), SessionType.PLENARY, room=aud)
    joint = add(event, "Joint Health Initiatives", at(event, 13), at(event, 16), room=aud)
    add(event, "Where clusters meet", at(event, 13), at(event, 14, 30), parent=joint, part_order=1)
    panel = add(
        event,
        "From pilot to partnership",
        at(event, 14, 30),
        at(event, 16),
        SessionType.PANEL,
        parent=joint,
        part_order=2,
    )
    panel.themes.add(oncology)
    add(
        event,
        "Training module 1",
        at(event, 9, day=1),
        at(event, 10, day=1),
        SessionType.TRAINING,
        capacity=25,
        signup_required=True,
    )
    add(
        event,
        "Site visit",
        at(event, 14, day=1),
        at(event, 16, day=1),
        SessionType.SITE_VISIT,
        room=visit,
    )
    marine = PersonFactory(
        first_name="Marine",
        last_name="Jeanmougin",
        job_title="Manager",
        organisation=event.cluster.organisation,
    )
    olena = PersonFactory(
        first_name="Olena",
        last_name="Kovalenko",
        country="UA",
        organisation=OrganisationFactory(
            name="Kyiv Medical University", type=OrganisationType.UNIVERSITY, country="UA"
        ),
    )
    SessionRoleFactory(session=welcome, person=marine, role="host")
    SessionRoleFactory(session=panel, person=marine, role="moderator")
    SessionRoleFactory(session=panel, person=olena, role="panelist")
    other = EventFactory(name="Other Summit")
    secret = PersonFactory(
        first_name="Secret",
        last_name="Speaker",
        organisation=OrganisationFactory(name="Hidden Org"),
    )
    SessionRoleFactory(
        session=SessionFactory(event=other, title="Hidden session", type=SessionType.PANEL),
        person=secret,
    )
    Theme.objects.create(event=other, name="Hidden theme", slug="hidden-theme")
    return event


def assert_no_leak(response) -> None:
    text = response.content.decode()
    for hidden in ("Other Summit", "Hidden session", "Secret Speaker", "Hidden Org", "Hidden"):
        assert hidden not in text


# --- pages -----------------------------------------------------------------------------------


def test_home_lists_published_events_upcoming_first(client, db):
    EventFactory(name="Past Days", start_date=date(2020, 5, 1), end_date=date(2020, 5, 2))
    EventFactory(name="Future Days", start_date=date(2099, 5, 1), end_date=date(2099, 5, 2))
    EventFactory(name="Draft Days", status=EventStatus.DRAFT)

    text = client.get(reverse("public:home")).content.decode()

    assert text.index("Future Days") < text.index("Past Days")
    assert "Draft Days" not in text


def test_home_splits_upcoming_and_past_by_the_date_at_each_event(client, db):
    """UTC-12 and UTC+14 are a day apart: whatever the hour, the server's own date is wrong
    for one of these two events."""
    now = timezone.now()
    west = now.astimezone(ZoneInfo("Etc/GMT+12")).date()  # its last day, still running
    east = now.astimezone(ZoneInfo("Pacific/Kiritimati")).date() - timedelta(days=1)  # over
    EventFactory(name="West", timezone="Etc/GMT+12", start_date=west, end_date=west)
    EventFactory(name="East", timezone="Pacific/Kiritimati", start_date=east, end_date=east)

    response = client.get(reverse("public:home"))

    assert [e.name for e in response.context["upcoming"]] == ["West"]
    assert [e.name for e in response.context["past"]] == ["East"]


def test_home_query_count_does_not_grow_with_events(client, db):
    counts = []
    for n in (2, 12):
        EventFactory.create_batch(n // 2, start_date=date(2020, 5, 1), end_date=date(2020, 5, 2))
        EventFactory.create_batch(n // 2, start_date=date(2099, 5, 1), end_date=date(2099, 5, 2))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("public:home"))
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts == [4, 4]


def test_event_page_shows_details_glance_and_links(client, programme):
    response = page(client, "event", programme)
    text = response.content.decode()

    for expected in (
        "Meet the ecosystem",
        "Innovation Park",
        "2025 · Oslo",
        "Clusters4Health",
        programme.cluster.organisation.name,
        "Two days of partnership building.",
        url("programme", programme),
        url("speakers", programme),
        url("organisations", programme),
        url("programme_ical", programme),
    ):
        assert expected in text
    glance = response.context["glance"]
    assert (glance.sessions, glance.parts, len(glance.days)) == (4, 2, 2)
    assert "Draft — not public" not in text
    assert_no_leak(response)


def test_programme_groups_sessions_by_local_day_with_parts(client, programme):
    response = page(client, "programme", programme)
    text = response.content.decode()

    assert programme_titles(response) == [
        (date(2025, 12, 3), ["Welcome", "Joint Health Initiatives"]),
        (date(2025, 12, 4), ["Training module 1", "Site visit"]),
    ]
    joint = response.context["days"][0][1][1]
    assert [p.session.title for p in joint.parts] == [
        "Where clusters meet",
        "From pilot to partnership",
    ]
    assert text.index("Part 1") < text.index("Where clusters meet") < text.index("Part 2")
    assert "Off-site: Radium Hospital, Ullernchausseen 70, Oslo" in text
    assert "Sign-up required · 25 seats" in text
    assert ">13:00</time>–<time" in text
    assert "<strong>Moderator:</strong>" in text
    assert "Kyiv Medical University" in text
    assert "Oncology" in text
    assert_no_leak(response)


def test_programme_puts_session_after_midnight_under_its_local_day(client, event):
    SessionFactory(
        event=event, title="Night owls", start=at(event, 0, 30, day=1), end=at(event, 1, 30, day=1)
    )

    response = page(client, "programme", event)

    assert programme_titles(response) == [(date(2025, 12, 4), ["Night owls"])]
    assert ">00:30</time>" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?day=2025-12-04", ["Training module 1", "Site visit"]),
        ("?type=panel", ["Joint Health Initiatives"]),  # through its part
        ("?theme=oncology", ["Joint Health Initiatives"]),  # through its part
        ("?type=training&day=2025-12-04&theme=", ["Training module 1"]),
        ("?type=plenary&day=2025-12-04", []),
    ],
)
def test_programme_filters_by_day_type_and_theme(client, programme, query, expected):
    response = page(client, "programme", programme, query)

    assert [t for _day, ts in programme_titles(response) for t in ts] == expected
    if not expected:
        assert "No sessions match these filters." in response.content.decode()
    assert_no_leak(response)


@pytest.mark.parametrize(
    ("query", "message", "shown"),
    [
        ("?type=keynote", "Unknown session type “keynote”.", 4),
        ("?theme=hidden-theme", "Unknown theme “hidden-theme”.", 4),  # another event's theme
        ("?day=4.12.2025", "Give the day as YYYY-MM-DD, e.g. 2025-12-03.", 4),
        ("?day=2025-12-09", "2025-12-09 is not a day of this event.", 4),
        ("?day=2025-12-04&type=keynote", "Unknown session type “keynote”.", 2),  # day still applies
    ],
)
def test_programme_answers_400_with_message_for_invalid_filter(
    client, programme, query, message, shown
):
    response = page(client, "programme", programme, query, status=400)
    text = response.content.decode()

    assert message in text
    assert "The programme below is shown without that filter." in text
    assert sum(len(ts) for _day, ts in programme_titles(response)) == shown


def test_session_page_shows_people_by_role_parent_and_parts(client, programme):
    joint = programme.sessions.get(title="Joint Health Initiatives")
    panel = programme.sessions.get(title="From pilot to partnership")

    container = page(client, "session", programme, pk=joint.pk).content.decode()
    part = page(client, "session", programme, pk=panel.pk).content.decode()

    assert "Where clusters meet" in container
    assert "From pilot to partnership" in container
    assert "Part 2 of “Joint Health Initiatives”" in part
    assert url("session", programme, pk=joint.pk) in part
    assert "<h3>Moderator</h3>" in part
    assert "<h3>Panelist</h3>" in part
    assert "Manager, " + programme.cluster.organisation.name in part
    assert "Wednesday 3 December 2025, 14:30" in part


def test_session_page_of_another_event_is_404(client, programme):
    hidden = SessionFactory(title="Hidden elsewhere")
    page(client, "session", programme, pk=hidden.pk, status=404)


def test_speakers_page_lists_people_with_their_sessions_here(client, programme):
    response = page(client, "speakers", programme)
    text = response.content.decode()

    assert [p.full_name for p in response.context["people"]] == [
        "Marine Jeanmougin",
        "Olena Kovalenko",
    ]
    marine = response.context["people"][0]
    assert [(r.role, r.session.title) for r in marine.event_roles] == [
        ("host", "Welcome"),
        ("moderator", "From pilot to partnership"),
    ]
    assert "Joint Health Initiatives — From pilot to partnership" in text
    assert "Ukraine" in text
    assert_no_leak(response)


def test_organisations_page_groups_by_type_with_host_and_partner(client, programme):
    response = page(client, "organisations", programme)
    text = response.content.decode()

    assert [(str(label), [o.name for o in orgs]) for label, orgs in response.context["groups"]] == [
        ("Cluster", [programme.cluster.organisation.name]),
        ("University", ["Kyiv Medical University"]),
        ("Other", ["Clusters4Health"]),
    ]
    assert text.index(">Host<") < text.index("Kyiv Medical University") < text.index(">Partner<")
    assert "Ukraine" in text
    assert_no_leak(response)


# --- drafts ----------------------------------------------------------------------------------


@pytest.fixture
def draft(programme):
    programme.status = EventStatus.DRAFT
    programme.save()
    return programme


@pytest.mark.parametrize("name", [*PAGES, "session"])
def test_draft_event_pages_are_404_for_anonymous_and_other_clusters(client, draft, name):
    kwargs = {"pk": draft.sessions.first().pk} if name == "session" else {}
    page(client, name, draft, status=404, **kwargs)
    client.force_login(MembershipFactory(role=ClusterRole.OWNER).user)  # another cluster's owner
    page(client, name, draft, status=404, **kwargs)


@pytest.mark.parametrize("name", ["event", "programme", "speakers", "organisations"])
@pytest.mark.parametrize("role", [ClusterRole.ORGANISER, ClusterRole.CHECKIN])
def test_draft_event_is_previewable_by_host_team_with_banner(client, draft, name, role):
    client.force_login(MembershipFactory(cluster=draft.cluster, role=role).user)

    response = page(client, name, draft)

    assert "Draft — not public" in response.content.decode()


def test_draft_event_feed_is_previewable_by_host_organiser(client, draft, organiser):
    client.force_login(organiser)
    assert page(client, "programme_ical", draft).content.startswith(b"BEGIN:VCALENDAR\r\n")


def test_unknown_event_is_404(client, db):
    assert client.get("/events/no-such-event/programme/").status_code == 404


# --- query counts ----------------------------------------------------------------------------


def build_programme(n: int):
    """An event with `n` sessions, each with two parts; every session and part with two
    people in different roles and two themes; rooms on and off site."""
    event = EventFactory()
    event.partners.add(OrganisationFactory(), OrganisationFactory())
    themes = [Theme.objects.create(event=event, name=f"T{i}", slug=f"t{i}") for i in range(3)]
    rooms = [
        RoomFactory(event=event),
        Room.objects.create(event=event, name="Away", is_offsite=True, address="Street 1"),
    ]
    for i in range(n):
        start = at(event, 8 + i % 10, day=i % 2)
        parent = SessionFactory(
            event=event,
            room=rooms[i % 2],
            start=start,
            end=at(event, 9 + i % 10, day=i % 2),
            capacity=10,
        )
        parts = [
            SessionFactory(
                event=event,
                parent=parent,
                part_order=k + 1,
                room=rooms[0],
                start=start,
                end=at(event, 9 + i % 10, day=i % 2),
            )
            for k in range(2)
        ]
        for session in (parent, *parts):
            session.themes.add(themes[i % 3], themes[(i + 1) % 3])
            SessionRoleFactory(session=session, role="speaker")
            SessionRoleFactory(session=session, role="moderator")
    return event


@pytest.mark.parametrize(
    ("name", "query", "expected"),
    [
        ("event", "", 4),
        # 8 + the version query + the database cache's get and set (a miss: rendered)
        ("programme", "", 15),
        ("programme", "?type=talk&theme=t1&day=2025-12-04", 15),
        ("speakers", "", 3),
        ("organisations", "", 3),
        ("programme_ical", "", 4),
    ],
)
def test_public_page_query_count_does_not_grow_with_programme(client, db, name, query, expected):
    counts = []
    for n in (3, 30):
        event = build_programme(n)
        with CaptureQueriesContext(connection) as queries:
            response = page(client, name, event, query)
        counts.append(len(queries))
        if name == "programme":  # the prefetches only run when sessions match
            assert response.context["days"]

    assert counts == [expected, expected]


def test_programme_listing_is_cached_per_version_language_and_filter(client, programme):
    cache.clear()
    url = reverse("public:programme", args=[programme.slug])
    first = client.get(url)
    assert "days" in first.context  # rendered
    again = client.get(url)
    assert "days" not in again.context  # served from the cache
    listing = first.content.decode()
    listing = listing[listing.index('<section class="programme-day"') : listing.index("All times")]
    assert listing in again.content.decode()
    # another language and another filter are rendered on their own
    norsk = client.get(url, HTTP_ACCEPT_LANGUAGE="nb")
    assert "days" in norsk.context
    day = client.get(url, {"day": "2025-12-04"})
    assert "days" in day.context
    assert "Welcome" not in day.content.decode()
    # any change to what the programme shows makes a new version
    welcome = programme.sessions.get(title="Welcome")
    services.session_update(session=welcome, actor=None, title="Velkommen")
    changed = client.get(url)
    assert "days" in changed.context
    assert "Velkommen" in changed.content.decode()
