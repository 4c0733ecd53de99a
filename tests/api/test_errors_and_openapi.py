import json

import pytest

from tests.api.conftest import API

pytestmark = pytest.mark.django_db

KEYS = {"code", "message", "details"}


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/events/nope/", 404, "not_found"),
        ("get", "/no-such-thing/", 404, "not_found"),
        ("get", "/", 404, "not_found"),
        ("get", "/events/?limit=0", 422, "validation_error"),
        ("get", "/events/?offset=-1", 422, "validation_error"),
        ("get", "/events/?from_date=someday", 422, "validation_error"),
        ("get", "/events/oslo/registrations/", 401, "not_authenticated"),
        ("post", "/events/", 405, "method_not_allowed"),
        ("delete", "/events/oslo/", 405, "method_not_allowed"),
    ],
)
def test_every_error_has_the_same_body(client, world, method, path, status, code):
    response = getattr(client, method)(f"{API}{path}")

    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == KEYS
    assert body["code"] == code
    assert body["message"]


def test_403_has_the_error_body(client, world):
    client.force_login(world["checkin"])

    body = client.get(f"{API}/events/oslo/registrations/").json()

    assert set(body) == KEYS
    assert body["code"] == "permission_denied"


def test_service_validation_error_maps_its_code():
    from django.core.exceptions import ValidationError
    from django.test import RequestFactory

    from clusterhub.api.api import api

    request = RequestFactory().get("/api/v1/")
    response = api.on_exception(
        request, ValidationError({"name": ValidationError("Too long.", code="name_too_long")})
    )

    assert response.status_code == 400
    assert json.loads(response.content) == {
        "code": "name_too_long",
        "message": "Too long.",
        "details": {"name": [{"code": "name_too_long", "message": "Too long."}]},
    }


def test_openapi_lists_the_paths(client):
    response = client.get(f"{API}/openapi.json")

    schema = json.loads(response.content)
    assert response.status_code == 200
    assert schema["info"]["version"] == "1"
    assert set(schema["paths"]) == {
        "/api/v1/events/",
        "/api/v1/events/{slug}/",
        "/api/v1/events/{slug}/sessions/",
        "/api/v1/events/{slug}/rooms/",
        "/api/v1/events/{slug}/speakers/",
        "/api/v1/events/{slug}/organisations/",
        "/api/v1/events/{slug}/registrations/",
        "/api/v1/events/{slug}/signups/",
        "/api/v1/events/{slug}/signups/{signup_id}/",
        "/api/v1/events/{slug}/checkins/",
        "/api/v1/events/{slug}/meeting-requests/",
        "/api/v1/events/{slug}/meetings/",
        "/api/v1/events/{slug}/meeting-outcomes/",
        "/api/v1/events/{slug}/partnerships/",
        "/api/v1/events/{slug}/kpis/",
        "/api/v1/events/{slug}/me/recommendations/",
        "/api/v1/events/{slug}/me/meetings/",
        "/api/v1/events/{slug}/profiles/",
    }
    assert schema["components"]["securitySchemes"] == {
        "TokenOrSession": {"type": "http", "scheme": "bearer"}
    }
    operations = {op["operationId"] for path in schema["paths"].values() for op in path.values()}
    assert operations == {
        "event_list", "event_detail", "session_list", "room_list", "speaker_list",
        "organisation_list", "registration_list", "signup_list", "signup_create",
        "signup_delete", "checkin_create", "meeting_request_list", "meeting_request_create",
        "meeting_list", "meeting_outcome_list", "partnership_list", "kpi_list",
        "my_recommendation_list", "my_meeting_list", "profile_list",
    }  # fmt: skip


def test_docs_page_is_served(client):
    response = client.get(f"{API}/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content
