"""Every route of the project × eight roles, generated from the URL configuration (issue 8).

Roles: anonymous, a participant (Ana), another participant (Finn), a speaker with a login,
cluster A's check-in staff, cluster B's organiser, cluster A's organiser, the platform admin.
Each route is called at A's event with A's objects and Ana's own ids: the status is compared
with matrix_routes.py, no answer carries a sentinel its role may not read, and a POST by a
role that may not write is refused and changes no row. A route missing from the table fails
`test_every_route_is_in_the_matrix`.
"""

from __future__ import annotations

import html
import io
import json
import zipfile
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.http import HttpResponseBase
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from tests.security.matrix_routes import (
    ADMIN_NAMESPACE,
    API_WRITES,
    ROUTES,
    expected_for,
)
from tests.security.matrix_urls import KWARGS, LITERAL_URLS, all_routes, lookup, url_of
from tests.security.matrix_world import ROLES, SENTINELS, build_world, forbidden_for

pytestmark = pytest.mark.django_db

ROUTE_PATTERNS = all_routes()
ADMIN_ROUTES = sorted(name for name in ROUTE_PATTERNS if name.startswith(ADMIN_NAMESPACE))
SITE_ROUTES = sorted(name for name in ROUTE_PATTERNS if name not in ADMIN_ROUTES)
REFUSED = {"login", "admin-login", 401, 403, 404, 405}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end; each
    test runs in a savepoint of its own (pytest-django's `db`), so a write that slipped
    through does not reach the next test. Each role logs in once: its session cookie."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        world["cookies"] = {}
        for role, user in world["users"].items():
            if user is not None:
                client = Client()
                client.force_login(user)
                world["cookies"][role] = client.cookies
        yield world
        transaction.set_rollback(True)


def _clients(world) -> dict[str, Client]:
    """A fresh client per role, logged in with the role's session."""
    clients = {}
    for role in ROLES:
        clients[role] = Client(raise_request_exception=False)
        if role in world["cookies"]:
            clients[role].cookies = world["cookies"][role].__class__(world["cookies"][role])
    return clients


def outcome(response: HttpResponseBase) -> int | str:
    """The status, with a redirect to a login page named as such."""
    if response.status_code == 302:
        target = response["Location"].split("?")[0]
        if target == resolve_url(settings.LOGIN_URL):
            return "login"
        if target == "/admin/login/":
            return "admin-login"
    return response.status_code


def body_text(response: HttpResponseBase) -> str:
    """Everything a reader could see: HTML unescaped, the XML inside an XLSX file too (a PDF's
    compressed text is not searched)."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    if raw.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = b"".join(archive.read(name) for name in archive.namelist())
    return html.unescape(raw.decode(errors="replace"))


def assert_no_leak(response: HttpResponseBase, role: str, where: str) -> None:
    text = body_text(response)
    leaked = [key for key, sentinel in forbidden_for(role) if sentinel in text]
    assert not leaked, f"{role} read {leaked} at {where} ({response.status_code})"


def snapshot() -> dict[str, list]:
    """Every row of every table but the sessions (a login writes one) and `last_login`."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label == "sessions":
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        rows[model._meta.label] = list(model._default_manager.order_by("pk").values_list(*fields))
    return rows


def _changed(before: dict[str, list], after: dict[str, list]) -> list[str]:
    return [label for label in before if before[label] != after[label]]


# --- the table covers every route -------------------------------------------------------------


def test_every_route_is_in_the_matrix():
    missing = [n for n, p in ROUTE_PATTERNS.items() if expected_for(n, p) is None]
    assert not missing, (
        f"Routes without an access expectation: {missing}. Add each one to ROUTES in "
        "tests/security/matrix_routes.py (with the roles that may write through it) and its "
        "URL arguments to KWARGS in tests/security/matrix_urls.py."
    )


def test_the_table_names_no_route_that_is_gone():
    gone = sorted(
        (set(ROUTES) | set(KWARGS) | set(LITERAL_URLS) | set(API_WRITES)) - set(ROUTE_PATTERNS)
    )
    assert not gone, f"tests/security/matrix_*.py name routes that no longer exist: {gone}"


# --- reads and writes of every route ---------------------------------------------------------


@pytest.mark.parametrize("name", SITE_ROUTES)
def test_route_for_every_role(world, name):
    pattern = ROUTE_PATTERNS[name]
    route = expected_for(name, pattern)
    assert route is not None
    url = url_of(name, pattern, world)
    clients = _clients(world)

    seen: dict[str, int | str] = {}
    for role in ROLES:
        response = clients[role].get(url)
        seen[role] = outcome(response)
        assert response.status_code < 500, f"{role} GET {url}: {response.status_code}"
        assert_no_leak(response, role, f"GET {url}")
    if route.get:  # allauth's pages are only checked for errors and leaks
        assert seen == route.get, f"GET {url}"

    if route.writers is None:
        return
    before = snapshot()
    posted = {}
    for role in ROLES:
        if role in route.writers:
            continue
        response = _write(clients[role], name, url, world)
        posted[role] = got = outcome(response)
        # Refused, or the same answer as the read (a page that ignores the method, a redirect)
        assert got in REFUSED or got == seen[role], f"{role} POST {url}: {got} is not a refusal"
        assert_no_leak(response, role, f"POST {url}")
    changed = _changed(before, snapshot())
    assert not changed, f"POST {url} by {posted} changed {changed}"


def _write(client: Client, name: str, url: str, world) -> HttpResponseBase:
    if name not in API_WRITES:
        return client.post(url, {})
    method, _writers, fields = API_WRITES[name]
    if method == "delete":
        return client.delete(url)
    data = {key: int(lookup(world, spec)) if spec.endswith(".pk") else spec
            for key, spec in fields.items()}  # fmt: skip
    return client.post(url, json.dumps(data), content_type="application/json")


# --- another cluster's organiser with A's ids at B's event -----------------------------------

OBJECT_ROUTES = sorted(
    name
    for name in SITE_ROUTES
    if name.startswith("orga") and set(KWARGS.get(name, {})) - {"slug", "fmt"}
)


@pytest.mark.parametrize("name", OBJECT_ROUTES)
def test_other_clusters_organiser_cannot_reach_our_objects_through_their_event(world, name):
    """At /orga/events/bergen/..., where B's organiser passes the event check, an object id of
    A's event is looked up among bergen's objects only: 404, and nothing changes."""
    url = url_of(name, ROUTE_PATTERNS[name], world, slug="bergen")
    client = _clients(world)["other_organiser"]
    before = snapshot()

    read = client.get(url)
    written = client.post(url, {})

    # A read-only page answers the POST 405 and a POST-only one the GET: one of them looks
    # the object up, and finds nothing.
    statuses = {outcome(read), outcome(written)}
    assert statuses <= {404, 405}, f"{url}: {statuses}"
    assert 404 in statuses, f"{url}: {statuses}"
    assert not _changed(before, snapshot())
    for response in (read, written):
        assert_no_leak(response, "other_organiser", url)


# --- the Django admin ------------------------------------------------------------------------


def _admin_url(name: str, world, object_id: int | None = None) -> str | None:
    """The address of admin route `name` at a row of its model; None if there is none."""
    if name == "admin:[<path:object_id>/]":
        return f"/admin/directory/person/{world['ana'].person_id}/"
    if name == "admin:[(?P<url>.*)$]":
        return "/admin/no-such-page/"
    if name == "admin:app_list":
        return reverse(name, kwargs={"app_label": "directory"})
    if name == "admin:view_on_site":
        return f"/admin/r/0/{world['ana'].pk}/"
    if name == "admin:auth_user_password_change":
        return reverse(name, kwargs={"id": world["participant"].pk})
    if "<path:object_id>" not in ROUTE_PATTERNS[name]:
        return reverse(name)
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            first = model._default_manager.order_by("pk").first()
            if object_id is None and first is None:
                return None
            pk = first.pk if object_id is None else object_id
            return reverse(name, kwargs={"object_id": pk})
    raise AssertionError(f"no model for {name}")


@pytest.mark.parametrize("name", ADMIN_ROUTES)
def test_admin_route_for_every_role(world, name):
    route = expected_for(name, ROUTE_PATTERNS[name])
    assert route is not None
    url = _admin_url(name, world)
    expected = dict(route.get)
    if url is None:  # the world has no row of this model: the admin is sent to the index
        url = _admin_url(name, world, object_id=0)
        expected["admin"] = 302 if expected["admin"] == 200 else expected["admin"]
    if name == "admin:[<path:object_id>/]":
        expected["admin"] = 302  # on to the object's change page
    elif name == "admin:[(?P<url>.*)$]":
        expected["admin"] = 404
    clients = _clients(world)
    before = snapshot()

    seen = {role: outcome(clients[role].get(url)) for role in ROLES}
    others = [role for role in ROLES if role != "admin" and name != "admin:logout"]
    posted = {role: outcome(clients[role].post(url, {})) for role in others}

    assert seen == expected, f"GET {url}"
    assert posted == {role: seen[role] for role in others}, f"POST {url}"
    assert not _changed(before, snapshot())


# --- the sentinels are there to leak ---------------------------------------------------------


def test_the_sentinels_are_there_to_leak(world):
    """The leak checks above mean something only if the pages that may show each sentinel
    do show it."""
    clients = _clients(world)

    def text(role: str, name: str, slug: str = "oslo", **kwargs: Any) -> str:
        pattern = ROUTE_PATTERNS[name]
        return body_text(clients[role].get(url_of(name, pattern, world, slug=slug)))

    organiser_detail = text("organiser", "orga_registration:registration_detail")
    seen = {
        "ana_email": organiser_detail,
        "a_name": text("another", "matchmaking:requests"),
        "answer": organiser_detail,
        "finn_email": text("organiser", "orga_registration:registrations"),
        "b_name": text("other_organiser", "orga_registration:registrations", slug="bergen"),
        "msg": text("participant", "matchmaking:requests"),
        "reply": text("participant", "matchmaking:requests"),
        "feedback": text("participant", "followup:feedback"),
        "survey": text("organiser", "orga_followup:survey"),
        "draft": text("organiser", "orga:sessions", slug="draft"),
    }

    missing = [key for key, page in seen.items() if SENTINELS[key][0] not in page]
    assert not missing
