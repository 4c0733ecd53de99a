import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterhub.events.models import SessionType
from tests.api.conftest import API, bearer, make_token
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    at,
)

pytestmark = pytest.mark.django_db

EVENT_PATHS = ["", "sessions/", "rooms/", "speakers/", "organisations/"]


def get(client, path, status=200, **headers):
    response = client.get(f"{API}{path}", **headers)
    assert response.status_code == status, response.content[:500]
    return response.json()


def test_event_list_shows_published_events_only_with_count(client, world):
    body = get(client, "/events/")

    assert body["count"] == 2
    # Same first day: by name.
    assert [e["slug"] for e in body["items"]] == ["bergen", "oslo"]
    assert "draft" not in str(body)
    assert body["items"][1]["host"]["slug"] == world["event"].cluster.slug


def test_event_list_filters_q_and_from_date(client, world):
    later = EventFactory(slug="later", name="Late Oslo", start_date="2026-05-01",
                         end_date="2026-05-02")  # fmt: skip

    assert [e["slug"] for e in get(client, "/events/?q=bergen")["items"]] == ["bergen"]
    body = get(client, "/events/?from_date=2026-01-01")
    assert (body["count"], [e["slug"] for e in body["items"]]) == (1, [later.slug])


def test_event_list_paginates(client, world):
    EventFactory.create_batch(3)

    first = get(client, "/events/?limit=2")
    second = get(client, "/events/?limit=2&offset=2")

    assert first["count"] == second["count"] == 5
    assert (first["limit"], first["offset"], len(first["items"])) == (2, 0, 2)
    assert len(second["items"]) == 2
    assert not {e["slug"] for e in first["items"]} & {e["slug"] for e in second["items"]}


def test_event_detail(client, world):
    body = get(client, "/events/oslo/")

    assert body["name"] == "Oslo Deep Dive Days"
    assert body["status"] == "published"
    assert body["timezone"] == "Europe/Oslo"
    assert body["start_date"] == "2025-12-03"


@pytest.mark.parametrize("path", EVENT_PATHS)
@pytest.mark.parametrize("who", [None, "participant", "other_organiser"])
def test_draft_event_is_404_to_everyone_outside_its_team(client, world, path, who):
    if who:
        client.force_login(world[who])

    body = get(client, f"/events/draft/{path}", status=404)

    assert body == {"code": "not_found", "message": "No such event.", "details": None}


@pytest.mark.parametrize("path", EVENT_PATHS)
@pytest.mark.parametrize("who", ["organiser", "checkin"])
def test_draft_event_is_visible_to_its_team(client, world, path, who):
    client.force_login(world[who])

    get(client, f"/events/draft/{path}")


def test_draft_event_is_visible_with_a_team_members_token(client, world):
    secret = make_token(world["checkin"])

    body = get(client, "/events/draft/sessions/", **bearer(secret))

    assert [s["title"] for s in body["items"]] == ["Secret draft session"]


def test_sessions_are_top_level_with_parts_and_no_other_event(client, world):
    body = get(client, "/events/oslo/sessions/")

    assert body["count"] == 3
    titles = [s["title"] for s in body["items"]]
    assert titles == ["Welcome", "Joint Health Initiatives", "Site visit"]
    joint = body["items"][1]
    assert [(p["title"], p["parent_id"], p["part_order"]) for p in joint["parts"]] == [
        ("Panel", world["joint"].pk, 2)
    ]
    assert joint["parts"][0]["themes"] == ["oncology"]
    assert joint["parts"][0]["people"][0]["role"] == "panelist"
    welcome = body["items"][0]
    assert welcome["people"][0]["name"] == "Ketil Widerberg"
    assert welcome["room"]["name"] == "Auditorium"
    assert "ketil@example.org" not in str(body)
    assert "Bergen" not in str(body)
    assert "Secret" not in str(body)


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("type=panel", ["Joint Health Initiatives"]),
        ("type=site_visit", ["Site visit"]),
        ("theme=oncology", ["Joint Health Initiatives"]),
        ("day=2025-12-04", ["Site visit"]),
        ("day=2025-12-03&type=plenary", ["Welcome"]),
    ],
)
def test_sessions_filters(client, world, query, titles):
    body = get(client, f"/events/oslo/sessions/?{query}")

    assert [s["title"] for s in body["items"]] == titles
    assert body["count"] == len(titles)


@pytest.mark.parametrize("query", ["type=keynote", "day=2030-01-01", "day=tomorrow"])
def test_sessions_bad_filters_are_422(client, world, query):
    body = get(client, f"/events/oslo/sessions/?{query}", status=422)

    assert body["code"] in {"validation_error", "day_not_in_event"}
    assert body["details"][0]["loc"][:2] == ["query", query.split("=")[0]]


def test_rooms_speakers_organisations(client, world):
    rooms = get(client, "/events/oslo/rooms/")
    speakers = get(client, "/events/oslo/speakers/")
    orgs = get(client, "/events/oslo/organisations/")

    assert [r["name"] for r in rooms["items"]] == ["Auditorium"]
    assert rooms["count"] == 1
    assert speakers["count"] == 2
    ketil = next(s for s in speakers["items"] if s["last_name"] == "Widerberg")
    assert ketil["roles"] == [
        {"session_id": ketil["roles"][0]["session_id"], "session_title": "Welcome",
         "parent_id": None, "role": "speaker"}
    ]  # fmt: skip
    assert "email" not in ketil
    host = world["event"].cluster.organisation.name
    assert host in [o["name"] for o in orgs["items"]]
    assert orgs["count"] == 3  # the host and the two speakers' organisations


def _grow(event, n):
    room = RoomFactory(event=event)
    for i in range(n):
        parent = SessionFactory(event=event, room=room, start=at(event, 8 + i % 8),
                                end=at(event, 9 + i % 8), type=SessionType.SESSION)  # fmt: skip
        part = SessionFactory(event=event, parent=parent, part_order=1, start=parent.start,
                              end=parent.end)  # fmt: skip
        person = PersonFactory(organisation=OrganisationFactory())
        SessionRoleFactory(session=parent, person=person)
        SessionRoleFactory(session=part, person=person, role="panelist")


@pytest.mark.parametrize("path", ["/events/", *[f"/events/oslo/{p}" for p in EVENT_PATHS]])
def test_query_count_does_not_grow_with_the_data(client, world, path):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            get(client, path)
        return len(ctx.captured_queries)

    small = count()
    _grow(world["event"], 6)
    EventFactory.create_batch(3)

    assert count() == small
    assert small <= 8
