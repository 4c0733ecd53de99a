"""The organisers' reads of matchmaking and its outcomes: meeting requests, meetings,
meeting feedback, partnerships and KPIs."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusterhub.followup.models import MeetingFeedback, Partnership
from clusterhub.matchmaking.models import MeetingRequest
from tests.api.conftest import API, bearer, make_token
from tests.api.test_people_endpoints import build_matchmaking
from tests.factories import MembershipFactory, RegistrationFactory, at
from tests.followup.support import meeting

pytestmark = pytest.mark.django_db

PATHS = ["meeting-requests", "meetings", "meeting-outcomes", "partnerships", "kpis"]


@pytest.fixture
def mm(world):
    return build_matchmaking(world)


def url(path: str, slug: str = "oslo") -> str:
    return f"{API}/events/{slug}/{path}/"


@pytest.mark.parametrize("path", PATHS)
def test_anonymous_gets_401(client, mm, path):
    response = client.get(url(path))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("who", ["participant", "other_organiser"])
def test_participants_and_outsiders_get_404(client, world, mm, path, who):
    client.force_login(world[who])

    response = client.get(url(path))

    assert response.status_code == 404
    assert "Cara" not in response.content.decode()


@pytest.mark.parametrize("path", PATHS)
def test_another_participant_gets_404(client, mm, path):
    client.force_login(mm["finn_user"])

    assert client.get(url(path)).status_code == 404


@pytest.mark.parametrize("path", PATHS)
def test_checkin_staff_get_403(client, world, mm, path):
    client.force_login(world["checkin"])

    response = client.get(url(path))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize("path", PATHS)
def test_token_limited_to_another_cluster_gets_404(client, world, mm, path):
    MembershipFactory(user=world["organiser"], cluster=world["other"].cluster)
    secret = make_token(world["organiser"], cluster=world["other"].cluster)

    assert client.get(url(path), **bearer(secret)).status_code == 404


def test_meeting_requests_without_messages_filtered(client, world, mm):
    client.force_login(world["organiser"])

    body = client.get(url("meeting-requests")).json()
    pending = client.get(f"{url('meeting-requests')}?status=pending").json()
    bad = client.get(f"{url('meeting-requests')}?status=maybe")

    assert body["count"] == 2
    assert sorted((r["sender"]["first_name"], r["status"]) for r in body["items"]) == [
        ("Ana", "accepted"), ("Finn", "pending"),
    ]  # fmt: skip
    assert "secret" not in str(body)
    assert [r["sender"]["first_name"] for r in pending["items"]] == ["Finn"]
    assert bad.status_code == 422


def test_meetings_of_this_event_with_drafts_and_status_filter(client, world, mm):
    client.force_login(world["organiser"])

    body = client.get(url("meetings")).json()
    drafts = client.get(f"{url('meetings')}?status=draft").json()

    assert [m["id"] for m in body["items"]] == [
        mm["published"].pk, mm["drafted"].pk, mm["finns"].pk,
    ]  # fmt: skip
    assert mm["elsewhere"].pk not in [m["id"] for m in body["items"]]
    assert [(m["a"]["first_name"], m["b"]["first_name"]) for m in drafts["items"]] == [
        ("Ana", "Dan")
    ]


def test_meeting_outcomes_without_comments(client, world, mm):
    client.force_login(world["organiser"])

    body = client.get(url("meeting-outcomes")).json()

    assert body["count"] == 1
    item = body["items"][0]
    assert (item["meeting_id"], item["registration_id"]) == (mm["published"].pk, mm["ana"].pk)
    assert (item["attendance"], item["rating"], item["outcome"]) == ("held", 5, "follow_up")
    assert "comment" not in item
    assert "private" not in str(body)


def test_partnerships_of_this_event_filtered(client, world, mm):
    client.force_login(world["organiser"])

    body = client.get(url("partnerships")).json()
    agreed = client.get(f"{url('partnerships')}?stage=agreement").json()
    pilots = client.get(f"{url('partnerships')}?type=pilot").json()

    assert sorted(p["title"] for p in body["items"]) == ["Oslo MoU", "Oslo pilot"]
    assert "Bergen" not in str(body)
    assert "Draft idea" not in str(body)
    assert [p["title"] for p in agreed["items"]] == ["Oslo MoU"]
    assert [(p["title"], p["meeting_id"]) for p in pilots["items"]] == [
        ("Oslo pilot", mm["published"].pk)
    ]
    assert len(pilots["items"][0]["organisations"]) == 1


def test_draft_event_partnerships_for_its_organisers_only(client, world, mm):
    client.force_login(world["organiser"])
    body = client.get(url("partnerships", "draft")).json()
    assert [p["title"] for p in body["items"]] == ["Draft idea"]

    client.force_login(world["other_organiser"])
    assert client.get(url("partnerships", "draft")).status_code == 404


def test_kpis_as_rows(client, world, mm):
    client.force_login(world["organiser"])

    body = client.get(f"{url('kpis')}?limit=200").json()

    rows = {(r["section"], r["figure"]): r["value"] for r in body["items"]}
    assert body["count"] == len(body["items"])
    assert body["items"][0] == {"section": "summary", "figure": "events", "value": 1}
    assert set(body["items"][0]) == {"section", "figure", "value"}
    assert rows[("partnerships.by_stage", "agreement")] == 1
    assert rows[("partnerships", "total")] == 2


@pytest.mark.parametrize("path", PATHS)
def test_query_count_is_constant(client, world, mm, path):
    secret = make_token(world["organiser"])
    event = world["event"]

    def fetch():
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(url(path), **bearer(secret)).json()
        return body, len(ctx.captured_queries)

    fetch()
    small_body, small = fetch()
    for hour in (12, 13, 14):
        a, b = RegistrationFactory(event=event), RegistrationFactory(event=event)
        made = meeting(event, a, b, start=at(event, hour))
        MeetingRequest.objects.create(event=event, sender=a, recipient=b)
        MeetingFeedback.objects.create(meeting=made, registration=a, attendance="held", rating=4)
        partnership = Partnership.objects.create(
            cluster=event.cluster, event=event, title=f"Deal {hour}", type="mou"
        )
        partnership.organisations.add(a.person.organisation or world["speaker"].organisation)
    body, large = fetch()

    assert large == small
    if path != "kpis":
        assert body["count"] == small_body["count"] + 3
