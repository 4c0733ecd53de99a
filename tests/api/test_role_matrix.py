"""Every API operation × every role, generated from the OpenAPI schema.

The six roles of issue 7: anonymous, a participant (Ana), another participant (Finn, with his
own profile, meetings, sign-up and requests), the host cluster's check-in staff, another
cluster's organiser and the host cluster's organiser. Each calls each operation with a
read-write token, with rows present that must not leak (the draft event's and the other
cluster's people and sessions, Ana's private message and feedback, the other participant's
meetings and recommendation reasons). A new operation in the schema that this table does not
list fails `test_every_operation_is_in_the_matrix`.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from clusterhub.api.api import api
from clusterhub.api.models import ApiTokenScope
from clusterhub.matchmaking.models import MeetingRequest
from clusterhub.registration.models import CheckIn, SignUp
from tests.api.conftest import API, bearer, make_token
from tests.api.test_people_endpoints import build_matchmaking, sharing
from tests.factories import SessionFactory, SignUpFactory, at

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "participant", "another", "checkin", "other_organiser", "organiser"]

# Strings from other events and clusters: nobody reads them under /events/oslo/.
ELSEWHERE = ["Outsider", "DraftPerson", "Secret draft session", "Draft idea", "Bergen"]
# Ana's private words: a request's message and answer are the pair's alone (the team sees the
# request, not the words); her recommendation reasons are hers.
ANAS = ["secret message", "secret answer", "Cara offers what you need"]
# Finn's: his recommendation reason and his meeting with Cara are his alone.
FINNS = ["Cara shares your interest"]

PUBLIC = dict.fromkeys(ROLES, 200)
TEAM_ONLY = {
    "anonymous": 401, "participant": 404, "another": 404, "checkin": 403,
    "other_organiser": 404, "organiser": 200,
}  # fmt: skip
OWN_ONLY = {
    "anonymous": 401, "participant": 200, "another": 200, "checkin": 404,
    "other_organiser": 404, "organiser": 404,
}  # fmt: skip

# (method, path) -> the status each role gets.
EXPECTED_READS: dict[tuple[str, str], dict[str, int]] = {
    ("get", "/events/"): PUBLIC,
    ("get", "/events/{slug}/"): PUBLIC,
    ("get", "/events/{slug}/sessions/"): PUBLIC,
    ("get", "/events/{slug}/rooms/"): PUBLIC,
    ("get", "/events/{slug}/speakers/"): PUBLIC,
    ("get", "/events/{slug}/organisations/"): PUBLIC,
    ("get", "/events/{slug}/registrations/"): TEAM_ONLY,
    ("get", "/events/{slug}/signups/"): TEAM_ONLY,
    ("get", "/events/{slug}/meeting-requests/"): TEAM_ONLY,
    ("get", "/events/{slug}/meetings/"): TEAM_ONLY,
    ("get", "/events/{slug}/meeting-outcomes/"): TEAM_ONLY,
    ("get", "/events/{slug}/partnerships/"): TEAM_ONLY,
    ("get", "/events/{slug}/kpis/"): TEAM_ONLY,
    ("get", "/events/{slug}/me/recommendations/"): OWN_ONLY,
    ("get", "/events/{slug}/me/meetings/"): OWN_ONLY,
    ("get", "/events/{slug}/profiles/"): OWN_ONLY,
}
WRITES = [
    ("post", "/events/{slug}/checkins/"),
    ("post", "/events/{slug}/signups/"),
    ("delete", "/events/{slug}/signups/{signup_id}/"),
    ("post", "/events/{slug}/meeting-requests/"),
]


def _operations() -> set[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return {(method, path.removeprefix(API)) for path, ops in paths.items() for method in ops}


def test_every_operation_is_in_the_matrix():
    assert _operations() == set(EXPECTED_READS) | set(WRITES)


@pytest.fixture
def scene(world):
    mm = build_matchmaking(world)
    event = world["event"]
    workshop = SessionFactory(
        event=event, title="Lab tour", signup_required=True, capacity=5,
        start=at(event, 11), end=at(event, 12),
    )  # fmt: skip
    gus = sharing(event, "Gus")
    users = {
        "anonymous": None,
        "participant": world["participant"],
        "another": mm["finn_user"],
        "checkin": world["checkin"],
        "other_organiser": world["other_organiser"],
        "organiser": world["organiser"],
    }
    return {**world, **mm, "users": users, "workshop": workshop, "gus": gus}


def _headers(scene, role: str) -> dict[str, str]:
    user = scene["users"][role]
    return bearer(make_token(user, scopes=ApiTokenScope.READ_WRITE)) if user else {}


def _text(response) -> str:
    """Every string in the answer, decoded (so escaped non-ASCII compares too)."""
    return json.dumps(response.json(), ensure_ascii=False)


def _forbidden_words(role: str, path: str) -> list[str]:
    words = list(ELSEWHERE)
    if role != "participant":
        words += ANAS
    if role != "another":
        words += FINNS
    if path == "/events/":
        words.remove("Bergen")  # the other cluster's published event is public
    return words


@pytest.mark.parametrize("operation", sorted(EXPECTED_READS), ids=lambda op: op[1])
def test_reads_for_every_role(client: Client, scene, operation):
    _method, path = operation
    url = API + path.replace("{slug}", "oslo")
    seen: dict[str, int] = {}
    for role in ROLES:
        response = client.get(url, **_headers(scene, role))
        seen[role] = response.status_code
        body = _text(response)
        if response.status_code != 200:
            assert set(response.json()) == {"code", "message", "details"}, (role, body)
        elif path != "/events/{slug}/":
            assert {"items", "count"} <= set(response.json()), (role, body)
        leaked = [word for word in _forbidden_words(role, path) if word in body]
        assert not leaked, f"{role} read {leaked} at {path}"

    assert seen == EXPECTED_READS[operation]


def test_own_reads_show_each_participant_only_their_own(client, scene):
    recommendations = f"{API}/events/oslo/me/recommendations/"
    meetings = f"{API}/events/oslo/me/meetings/"

    ana = _text(client.get(recommendations, **_headers(scene, "participant")))
    finn = _text(client.get(recommendations, **_headers(scene, "another")))
    ana_meetings = client.get(meetings, **_headers(scene, "participant")).json()["items"]
    finn_meetings = client.get(meetings, **_headers(scene, "another")).json()["items"]

    assert "Cara offers what you need" in ana
    assert "Cara shares your interest" in finn
    assert [m["id"] for m in ana_meetings] == [scene["published"].pk]
    assert [m["id"] for m in finn_meetings] == [scene["finns"].pk]


# --- writes: one fresh database per role ---------------------------------------------------


def _write(client: Client, scene, role: str, operation: tuple[str, str]):
    method, path = operation
    headers = _headers(scene, role)
    if method == "delete":
        signup = scene["anas_seat"]
        url = API + path.replace("{slug}", "oslo").replace("{signup_id}", str(signup.pk))
        return client.delete(url, **headers)
    data: dict[str, Any] = {
        "/events/{slug}/checkins/": {"registration_id": scene["ana"].pk},
        "/events/{slug}/signups/": {"session_id": scene["workshop"].pk},
        "/events/{slug}/meeting-requests/": {"recipient_id": scene["gus"].pk, "message": "Hi"},
    }[path]
    url = API + path.replace("{slug}", "oslo")
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


EXPECTED_WRITES: dict[tuple[str, str], dict[str, int]] = {
    WRITES[0]: {
        "anonymous": 401, "participant": 404, "another": 404, "checkin": 201,
        "other_organiser": 404, "organiser": 201,
    },
    WRITES[1]: {
        "anonymous": 401, "participant": 201, "another": 201, "checkin": 404,
        "other_organiser": 404, "organiser": 404,
    },
    WRITES[2]: {
        "anonymous": 401, "participant": 204, "another": 404, "checkin": 404,
        "other_organiser": 404, "organiser": 404,
    },
    WRITES[3]: {
        "anonymous": 401, "participant": 201, "another": 201, "checkin": 404,
        "other_organiser": 404, "organiser": 404,
    },
}  # fmt: skip


def _records(scene) -> dict[str, Any]:
    return {
        "checkins": list(CheckIn.objects.values_list("registration_id", flat=True)),
        "signups": sorted(
            SignUp.objects.filter(session=scene["workshop"], status="confirmed").values_list(
                "registration_id", flat=True
            )
        ),
        "requests to Gus": list(
            MeetingRequest.objects.filter(recipient=scene["gus"]).values_list(
                "sender_id", flat=True
            )
        ),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", WRITES, ids=lambda op: f"{op[0]} {op[1]}")
def test_writes_for_every_role(client: Client, scene, operation, role):
    if operation[0] == "delete":
        scene["anas_seat"] = SignUpFactory(registration=scene["ana"], session=scene["workshop"])
    before = _records(scene)

    response = _write(client, scene, role, operation)

    assert response.status_code == EXPECTED_WRITES[operation][role]
    after = _records(scene)
    me = {"participant": scene["ana"], "another": scene["finn"]}.get(role)
    if response.status_code == 204:  # Ana cancelled her own seat
        assert after == {**before, "signups": []}
        assert not SignUp.objects.filter(pk=scene["anas_seat"].pk).exists()
    elif response.status_code == 201:
        created = {key: [x for x in after[key] if x not in before[key]] for key in after}
        if operation == WRITES[0]:
            assert created["checkins"] == [scene["ana"].pk]
        elif operation == WRITES[1]:
            assert created["signups"] == [me.pk]
        else:
            assert created["requests to Gus"] == [me.pk]
    else:
        assert after == before, f"{role} changed data with a {response.status_code}"
        assert set(response.json()) == {"code", "message", "details"}
        leaked = [w for w in ["Ana", "Gus", *ANAS, *ELSEWHERE] if w in _text(response)]
        assert not leaked, f"{role} read {leaked} in a refusal"


def test_the_words_that_must_not_leak_are_there_to_leak(client, scene):
    """The leak checks above mean something only if the data holds those words."""
    team = _text(client.get(f"{API}/events/oslo/meeting-requests/", **_headers(scene, "organiser")))
    bergen = _text(
        client.get(f"{API}/events/bergen/registrations/", **_headers(scene, "other_organiser"))
    )
    draft = _text(client.get(f"{API}/events/draft/sessions/", **_headers(scene, "organiser")))
    ana = _text(
        client.get(f"{API}/events/oslo/me/recommendations/", **_headers(scene, "participant"))
    )

    assert "Ana" in team  # the request is listed, its words are not
    assert MeetingRequest.objects.filter(message="secret message", response="secret answer")
    assert "Cara offers what you need" in ana
    assert "Dan" not in ana  # no consent: recommended to nobody
    assert "Outsider" in bergen
    assert "Secret draft session" in draft
