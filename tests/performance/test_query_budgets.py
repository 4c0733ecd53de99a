"""Query budgets (issue 11, point 3): no page and no API list spends more queries as its data
grows.

Every route of the project comes from the URL resolver and the access matrix's table
(tests/security/matrix_*.py): each GET route that answers 200 is called, at the matrix's
address, by the roles that read it (the public pages anonymously and as Ana, the rest as Ana
or as A's organiser), in the matrix's world with one more row of every kind and again after
`grow` has added GROWTH more (tests/performance/growth.py). The two counts must be equal
(ALLOWANCE may grant a route a bounded constant, with its reason). A route that is not
measured is listed in EXCLUDED (or EXCLUDED_PREFIXES) with its reason; a new route that is
neither fails `test_every_route_is_measured_or_excluded`, and a new model that `grow` does not
add rows of fails the budget test.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.performance.growth import NOT_GROWN, grow
from tests.security.matrix_routes import ADMIN_NAMESPACE, ALLAUTH_PREFIX, expected_for
from tests.security.matrix_urls import all_routes, url_of
from tests.security.matrix_world import ROLES, build_world

pytestmark = pytest.mark.django_db

ROUTE_PATTERNS = all_routes()
# Rows of each kind added between the two measurements: enough that one query per row
# stands out from any fixed difference.
GROWTH = 5  # the world starts with one of each kind: 1 -> 6

POST_ONLY = [
    "api_tokens:revoke", "portal:cancel", "portal:calendar_reset", "portal:signup",
    "portal:signup_cancel", "matchmaking:consent", "matchmaking:mark",
    "matchmaking:request_send", "matchmaking:request_answer", "matchmaking:request_cancel",
    "orga:event_publish", "orga:event_unpublish", "orga:session_role_add",
    "orga:session_person_create", "orga:session_role_remove", "orga:timetable_propose",
    "orga:timetable_accept", "orga:timetable_pin", "orga:timetable_rule_add",
    "orga:timetable_rule_delete", "orga:timetable_availability_add",
    "orga:timetable_availability_delete", "orga_registration:checkin_scan",
    "orga_registration:registration_approve", "orga_registration:registration_reject",
    "orga_registration:registration_cancel", "orga_registration:signup_capacity",
    "orga_registration:signup_add", "orga_registration:signup_move",
    "orga_registration:signup_remove", "orga_matchmaking:run_start",
    "orga_matchmaking:schedule_start", "orga_matchmaking:meetings_publish",
    "orga_matchmaking:meeting_lock", "orga_matchmaking:meeting_cancel",
    "orga_followup:reminders", "orga_report:publish", "api:checkin_create", "api:signup_delete",
]  # fmt: skip
_POST_ONLY = "POST only: a GET is answered 405 (or sent on), there is no page to measure"
EXCLUDED: dict[str, str] = {
    **dict.fromkeys(POST_ONLY, _POST_ONLY),
    # The POST operation shares its address with a list: that list's GET is measured.
    "api:signup_create": "the address of api:signup_list, measured there",
    "api:meeting_request_create": "the address of api:meeting_request_list, measured there",
    "set_language": "a redirect (302) on every method, no page",
    "api:api-root": "no page: 404 for everyone",
    "api:[^(?P<rest>(?:.*/)?)$]": "the API's catch-all: 404 for everyone",
    # allauth's forms that need a valid key or a login flow in progress answer a redirect
    "account_confirm_login_code": "allauth: only inside a login-by-code flow, else a redirect",
    "account_request_reauthentication_code": "allauth: login codes are off, a redirect",
    "account_confirm_reauthentication_code": "allauth: login codes are off, a redirect",
    "account_reset_password_from_key": "allauth: a redirect to the key-less address",
    "account_set_password": "allauth: every user has a password, a redirect to the change form",
}
# Whole namespaces left out, with their reason.
EXCLUDED_PREFIXES = {
    ADMIN_NAMESPACE: "the Django admin: Django's own pages for the platform admin, its change "
    "lists paged by Django (list_per_page); no participant or organiser page",
}
# allauth's pages have no row in the matrix: they are called by these roles, and each role
# that gets a 200 is measured.
ALLAUTH_ROLES = ("anonymous", "participant")
# Searches answer nothing without a query: they are measured with one that finds the grown rows.
QUERIES = {
    "orga:person_search": "find=Grown",
    "orga_registration:checkin_search": "q=Grown",
    "orga_registration:signup_search": "find=Grown",
}
# A route whose count may differ by a bounded constant: route -> (extra queries, why).
ALLOWANCE: dict[str, tuple[int, str]] = {}


def _excluded(name: str) -> str | None:
    """Why route `name` is not measured; None when it is."""
    prefixes = [reason for prefix, reason in EXCLUDED_PREFIXES.items() if name.startswith(prefix)]
    return EXCLUDED.get(name) or next(iter(prefixes), None)


def roles_for(name: str) -> tuple[str, ...]:
    """The roles route `name` is measured as: those of the matrix that read it (a public page
    anonymously and as Ana; otherwise as Ana and A's organiser, or the first role that may)."""
    route = expected_for(name, ROUTE_PATTERNS[name])
    if route is None or _excluded(name):
        return ()
    if not route.get:
        assert name.startswith(ALLAUTH_PREFIX), name
        return ALLAUTH_ROLES
    readers = [role for role in ROLES if route.get[role] == 200]
    if "anonymous" in readers:
        return ("anonymous", "participant")
    chosen = tuple(role for role in ("participant", "organiser") if role in readers)
    return chosen or tuple(readers[:1])


MEASURED = sorted(name for name in ROUTE_PATTERNS if roles_for(name))


# --- every route is measured or excluded ------------------------------------------------------


def test_every_route_is_measured_or_excluded():
    unknown = [name for name in ROUTE_PATTERNS if not _excluded(name) and not roles_for(name)]
    assert not unknown, (
        f"Routes without a query budget: {unknown}. Give each an access expectation in "
        "tests/security/matrix_routes.py (a page that answers 200 is then measured here), or "
        "list it in EXCLUDED in tests/performance/test_query_budgets.py with its reason."
    )


def test_the_exclusions_hide_no_page():
    """An excluded route of the matrix is one no role reads (a page answering 200 is
    measured, not excluded); and every excluded name is still a route."""
    readable = [
        name
        for name in EXCLUDED
        if (route := expected_for(name, ROUTE_PATTERNS.get(name, ""))) is not None
        and 200 in route.get.values()
        and not any(ROUTE_PATTERNS[other] == ROUTE_PATTERNS[name] for other in MEASURED)
    ]
    gone = sorted((set(EXCLUDED) | set(ALLOWANCE) | set(QUERIES)) - set(ROUTE_PATTERNS))

    assert not readable, f"Excluded routes that answer 200: {readable}"
    assert not gone, f"tests/performance names routes that no longer exist: {gone}"


# --- the budgets -----------------------------------------------------------------------------


def _logged_in(world) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        clients[role] = Client(raise_request_exception=True)
        if world["users"][role] is not None:
            clients[role].force_login(world["users"][role])
    return clients


def _url(name: str, world) -> str:
    url = url_of(name, ROUTE_PATTERNS[name], world)
    return f"{url}?{QUERIES[name]}" if name in QUERIES else url


def _measure(client: Client, url: str) -> tuple[int, list[str]]:
    """The status and the queries of a GET of `url`, a download's body read to its end. The
    shared cache is emptied first so that a cached answer (the report's PDF) is built again."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    return response.status_code, [query["sql"] for query in captured.captured_queries]


def _shape(sql: str) -> str:
    return re.sub(r"\b\d+\b", "N", re.sub(r"'[^']*'", "S", sql))


def _repeated(small: list[str], big: list[str]) -> list[str]:
    """The query shapes the grown world ran more often, with how many times more."""
    grown = Counter(map(_shape, big)) - Counter(map(_shape, small))
    return [f"+{times}: {sql[:300]}" for sql, times in grown.most_common(3)]


def _rows() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("clusterhub.")
    }


def test_no_page_or_api_list_spends_more_queries_on_more_data():
    world = build_world()
    # One of each kind first: a prefetch for an empty list runs no query, and the two sizes
    # are compared with the same queries on the way (parts of sessions, highlights...).
    grow(world, 1)
    clients = _logged_in(world)
    plan = [(name, role, _url(name, world)) for name in MEASURED for role in roles_for(name)]
    small: dict[tuple[str, str], tuple[int, list[str]]] = {}
    # No call before the first measurement: a first call's one-off queries (allauth adds
    # the account's e-mail row on its first visit) only make the small count larger.
    for name, role, url in plan:
        small[name, role] = _measure(clients[role], url)
    rows_before = _rows()

    grow(world, GROWTH, first=1)
    big = {(name, role): _measure(clients[role], url) for name, role, url in plan}

    rows_after = _rows()
    problems = [
        f"grow() adds no rows of {label}: add them in tests/performance/growth.py"
        for label in rows_before
        if rows_after[label] <= rows_before[label] and label not in NOT_GROWN
    ]
    answered = {name for (name, _role), (status, _q) in small.items() if status == 200}
    problems += [
        f"{name}: no role in {ALLAUTH_ROLES} reads it; list it in EXCLUDED"
        for name in MEASURED
        if name not in answered
    ]
    for name, role, url in plan:
        (status, before), (status_big, after) = small[name, role], big[name, role]
        if name.startswith(ALLAUTH_PREFIX) and status != 200:
            continue  # this role is sent elsewhere; the other one reads the page
        if (status, status_big) != (200, 200):
            problems.append(f"{url} as {role}: answered {status}, then {status_big}")
        elif len(after) > len(before) + ALLOWANCE.get(name, (0, ""))[0]:
            problems.append(
                f"{url} as {role}: {len(before)} -> {len(after)} queries\n    "
                + "\n    ".join(_repeated(before, after))
            )
    assert not problems, "\n".join(problems)
