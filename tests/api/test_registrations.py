import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import API, bearer, make_token
from tests.factories import PersonFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

URL = f"{API}/events/oslo/registrations/"


def test_anonymous_gets_401(client, world):
    response = client.get(URL)

    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated", "message": "Authentication required.", "details": None,
    }  # fmt: skip


@pytest.mark.parametrize("who", ["participant", "other_organiser"])
def test_outsiders_get_404(client, world, who):
    client.force_login(world[who])

    response = client.get(URL)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert "Ana" not in response.content.decode()


def test_checkin_staff_get_403(client, world):
    client.force_login(world["checkin"])

    response = client.get(URL)

    assert response.status_code == 403
    assert response.json() == {
        "code": "permission_denied",
        "message": "Only the event's organisers may do this.",
        "details": None,
    }


def test_organiser_lists_only_this_events_registrations(client, world):
    client.force_login(world["organiser"])

    body = client.get(URL).json()

    assert body["count"] == 2
    assert [(r["first_name"], r["status"]) for r in body["items"]] == [
        ("Ana", "confirmed"), ("Bo", "cancelled"),
    ]  # fmt: skip
    assert "Outsider" not in str(body)
    assert "DraftPerson" not in str(body)


def test_organiser_token_filters_status_and_q(client, world):
    secret = make_token(world["organiser"])

    confirmed = client.get(f"{URL}?status=confirmed", **bearer(secret)).json()
    by_name = client.get(f"{URL}?q=bo", **bearer(secret)).json()
    bad = client.get(f"{URL}?status=maybe", **bearer(secret))

    assert [r["first_name"] for r in confirmed["items"]] == ["Ana"]
    assert [r["first_name"] for r in by_name["items"]] == ["Bo"]
    assert by_name["count"] == 1
    assert bad.status_code == 422
    assert bad.json()["details"][0]["loc"] == ["query", "status"]


def test_organiser_sees_draft_event_registrations_others_do_not(client, world):
    url = f"{API}/events/draft/registrations/"
    client.force_login(world["other_organiser"])
    assert client.get(url).status_code == 404

    client.force_login(world["organiser"])
    body = client.get(url).json()
    assert [r["last_name"] for r in body["items"]] == ["DraftPerson"]


def test_registrations_paginate_with_constant_queries(client, world):
    secret = make_token(world["organiser"])

    def fetch():
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(f"{URL}?limit=2&offset=1", **bearer(secret)).json()
        return body, len(ctx.captured_queries)

    fetch()  # records the token's use (one UPDATE a minute), which is not the list's cost
    _body, small = fetch()
    for _ in range(5):
        RegistrationFactory(event=world["event"], person=PersonFactory())
    body, large = fetch()

    assert large == small
    assert body["count"] == 7
    assert (body["limit"], body["offset"], len(body["items"])) == (2, 1, 2)
