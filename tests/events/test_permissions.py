"""Who may open which back-office address. Every event-scoped URL name of the `orga`
namespace is listed here, and a test fails if one is added without being listed."""

import pytest
from django.urls import URLPattern, reverse

from clusterhub.directory.models import ClusterRole
from clusterhub.events.models import (
    Availability,
    EventStatus,
    TimetableRule,
    TimetableRuleKind,
)
from clusterhub.events.urls import orga as orga_urls
from tests.events.orga_support import (
    db_state,
    page_text,
)
from tests.factories import (
    EventFactory,
    MembershipFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    UserFactory,
    at,
)

SECRET_NAME = "Confidential Summit"


@pytest.fixture
def target(db):
    """An event of cluster A with a room, a session with a part and a speaker."""
    event = EventFactory(name=SECRET_NAME, status=EventStatus.DRAFT)
    room = RoomFactory(event=event, name="Secret Room")
    session = SessionFactory(
        event=event, room=room, title="Secret Session", start=at(event, 13), end=at(event, 15)
    )
    part = SessionFactory(
        event=event,
        parent=session,
        part_order=1,
        title="Secret Part",
        start=at(event, 13),
        end=at(event, 14),
    )
    role = SessionRoleFactory(session=session, person=PersonFactory(first_name="Hidden"))
    rule = TimetableRule.objects.create(
        event=event, kind=TimetableRuleKind.WINDOW, session=session,
        window_start=at(event, 9), window_end=at(event, 17),
    )  # fmt: skip
    availability = Availability.objects.create(
        event=event, room=room, start=at(event, 9), end=at(event, 17)
    )
    return {
        "event": event, "room": room, "session": session, "part": part, "role": role,
        "rule": rule, "availability": availability,
    }  # fmt: skip


def event_url_args(name: str, t: dict) -> list:
    slug, room, session, role = t["event"].slug, t["room"].pk, t["session"].pk, t["role"].pk
    return {
        "event": [slug],
        "event_edit": [slug],
        "event_publish": [slug],
        "event_unpublish": [slug],
        "rooms": [slug],
        "room_create": [slug],
        "room_edit": [slug, room],
        "room_delete": [slug, room],
        "sessions": [slug],
        "session_create": [slug],
        "programme_import": [slug],
        "session_edit": [slug, session],
        "session_delete": [slug, session],
        "session_role_add": [slug, session],
        "session_person_create": [slug, session],
        "session_role_remove": [slug, session, role],
        "person_search": [slug],
        "timetable": [slug],
        "timetable_progress": [slug],
        "timetable_propose": [slug],
        "timetable_accept": [slug],
        "timetable_pin": [slug, session],
        "timetable_rule_add": [slug],
        "timetable_rule_delete": [slug, t["rule"].pk],
        "timetable_availability_add": [slug],
        "timetable_availability_delete": [slug, t["availability"].pk],
    }[name]


EVENT_URL_NAMES = [
    "event",
    "event_edit",
    "event_publish",
    "event_unpublish",
    "rooms",
    "room_create",
    "room_edit",
    "room_delete",
    "sessions",
    "session_create",
    "programme_import",
    "session_edit",
    "session_delete",
    "session_role_add",
    "session_person_create",
    "session_role_remove",
    "person_search",
    "timetable",
    "timetable_progress",
    "timetable_propose",
    "timetable_accept",
    "timetable_pin",
    "timetable_rule_add",
    "timetable_rule_delete",
    "timetable_availability_add",
    "timetable_availability_delete",
]
ALL_URL_NAMES = ["dashboard", "event_create", *EVENT_URL_NAMES]


def payload(t: dict) -> dict:
    """A post that every back-office form would accept: if a guard failed, something would
    be written."""
    return {
        "name": "Taken over",
        "slug": "taken-over",
        "start_date": "2025-12-03",
        "end_date": "2025-12-04",
        "timezone": "Europe/Oslo",
        "cluster": t["event"].cluster_id,
        "title": "Injected",
        "type": "talk",
        "day": "2025-12-03",
        "start_time": "18:00",
        "end_time": "19:00",
        "position": "0",
        "role": "speaker",
        "person": PersonFactory().pk,
        "new-first_name": "Eve",
        "new-last_name": "Intruder",
        "new-role": "speaker",
        "rule-session": t["session"].pk,
        "rule-kind": "not_parallel",
        "rule-other": t["part"].pk,
        "available-who": f"room:{t['room'].pk}",
        "available-day": t["event"].start_date.isoformat(),
        "available-start_time": "09:00",
        "available-end_time": "10:00",
    }


def test_permission_tests_cover_every_orga_url_name():
    names = {p.name for p in orga_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(ALL_URL_NAMES)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ALL_URL_NAMES)
def test_orga_url_redirects_anonymous_to_login(client, target, name, method):
    url = reverse(
        f"orga:{name}",
        args=[] if name in ("dashboard", "event_create") else event_url_args(name, target),
    )
    before = db_state()

    response = getattr(client, method)(url, payload(target))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert db_state() == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", EVENT_URL_NAMES)
def test_orga_url_answers_404_to_organiser_of_another_cluster(client, target, name, method):
    outsider = MembershipFactory(role=ClusterRole.OWNER).user
    EventFactory(cluster=outsider.cluster_memberships.get().cluster, name="Their Own Event")
    client.force_login(outsider)
    before = db_state()

    # "Hidde" finds the hidden person in a search; the 404 page's links repeat the requested
    # address, so searching for the full secret would put it on the page by itself.
    response = getattr(client, method)(
        reverse(f"orga:{name}", args=event_url_args(name, target)) + "?find=Hidde",
        payload(target),
    )

    assert response.status_code == 404
    text = page_text(response)
    for secret in (SECRET_NAME, "Secret Room", "Secret Session", "Hidden"):
        assert secret not in text
    assert db_state() == before


def test_dashboard_lists_only_events_of_the_users_clusters(client, target):
    outsider = MembershipFactory().user
    EventFactory(cluster=outsider.cluster_memberships.get().cluster, name="Their Own Event")
    client.force_login(outsider)

    text = page_text(client.get(reverse("orga:dashboard")))

    assert "Their Own Event" in text
    assert SECRET_NAME not in text


def test_event_create_refuses_a_cluster_of_somebody_else(client, target):
    outsider = MembershipFactory().user
    client.force_login(outsider)
    before = db_state()

    response = client.post(reverse("orga:event_create"), payload(target))

    assert response.status_code == 200
    assert "Select a valid choice" in page_text(response)
    assert list(response.context["form"].fields["cluster"].queryset) == [
        outsider.cluster_memberships.get().cluster
    ]
    assert db_state() == before


def test_event_create_answers_403_to_a_user_without_organiser_cluster(client, db):
    client.force_login(MembershipFactory(role=ClusterRole.CHECKIN).user)
    assert client.get(reverse("orga:event_create")).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("orga:event_create")).status_code == 403


@pytest.fixture
def checkin_client(client, target):
    staff = MembershipFactory(cluster=target["event"].cluster, role=ClusterRole.CHECKIN).user
    client.force_login(staff)
    return client


def test_checkin_staff_see_the_overview_without_edit_controls(checkin_client, target):
    response = checkin_client.get(reverse("orga:event", args=[target["event"].slug]))

    text = page_text(response)
    assert response.status_code == 200
    assert SECRET_NAME in text
    assert reverse("orga:event_publish", args=[target["event"].slug]) not in text
    assert reverse("orga:event_edit", args=[target["event"].slug]) not in text


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", [n for n in EVENT_URL_NAMES if n != "event"])
def test_checkin_staff_get_403_on_every_page_that_changes_the_event(
    checkin_client, target, name, method
):
    before = db_state()

    response = getattr(checkin_client, method)(
        reverse(f"orga:{name}", args=event_url_args(name, target)), payload(target)
    )

    assert response.status_code == 403
    assert db_state() == before


def test_post_only_url_answers_405_to_organiser_on_get(client, target):
    organiser = MembershipFactory(cluster=target["event"].cluster).user
    client.force_login(organiser)
    post_only = (
        "event_publish",
        "event_unpublish",
        "session_role_add",
        "session_person_create",
        "session_role_remove",
        "timetable_propose",
        "timetable_accept",
        "timetable_pin",
        "timetable_rule_add",
        "timetable_rule_delete",
        "timetable_availability_add",
        "timetable_availability_delete",
    )
    before = db_state()
    for name in post_only:
        url = reverse(f"orga:{name}", args=event_url_args(name, target))
        assert client.get(url).status_code == 405, name
    assert db_state() == before
    target["event"].refresh_from_db()
    assert target["event"].status == EventStatus.DRAFT  # GET neither published nor unpublished
