"""The access matrix's expectations: for every route of `clusterhub.urls`, the status each role
gets on GET at A's event with A's (and Ana's) objects, and which roles may change data through
it. Any other role's POST must be refused and leave the database as it was.

A NEW ROUTE GOES HERE: add its name to `ROUTES` with a profile (or a literal dict of the eight
roles), its URL arguments to `KWARGS` in matrix_urls.py when it has any, and the roles that may
write through it. The admin, allauth and the API are covered by the narrow rules at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.api.test_role_matrix import EXPECTED_READS
from tests.security.matrix_world import ROLES

LOGIN = "login"  # 302 to the login page


def _row(*statuses: int | str) -> dict[str, int | str]:
    assert len(statuses) == len(ROLES)
    return dict(zip(ROLES, statuses, strict=True))


# Order: anonymous, participant, another, speaker, checkin, other_organiser, organiser, admin.
# The platform admin is a superuser outside every cluster's team: the back office looks an
# event up among the user's own events, so it answers 404 (the admin uses the Django admin);
# the API asks `has_perm` only, which a superuser passes.
PUBLIC = _row(200, 200, 200, 200, 200, 200, 200, 200)
ALL_405 = _row(405, 405, 405, 405, 405, 405, 405, 405)
LOGGED_IN = _row(LOGIN, 200, 200, 200, 200, 200, 200, 200)
ORGA = _row(LOGIN, 404, 404, 404, 403, 404, 200, 404)  # events.change_event
ORGA_POST = _row(LOGIN, 404, 404, 404, 403, 404, 405, 404)  # the same, require_POST
TEAM = _row(LOGIN, 404, 404, 404, 200, 404, 200, 404)  # check-in staff too
TEAM_POST = _row(LOGIN, 404, 404, 404, 405, 404, 405, 404)
OWN = _row(LOGIN, 200, 200, 404, 404, 404, 404, 404)  # a participant's own page
ANAS = _row(LOGIN, 200, 404, 404, 404, 404, 404, 404)  # Ana's object in the address
OWN_POST = _row(LOGIN, 405, 405, 405, 405, 405, 405, 405)  # require_POST after the login
NO_REGISTRATION = _row(LOGIN, 200, 200, 302, 302, 302, 302, 302)  # others are sent to register
CLUSTER_ORGA = _row(LOGIN, 404, 404, 404, 404, 404, 200, 404)
ANY_ORGANISER = _row(LOGIN, 403, 403, 403, 403, 200, 200, 403)

NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(ROLES) - {"anonymous"}
ORGANISER = frozenset({"organiser"})
TEAM_WRITERS = frozenset({"checkin", "organiser"})
PARTICIPANTS = frozenset({"participant", "another"})
ANA = frozenset({"participant"})


@dataclass(frozen=True)
class Route:
    get: dict[str, int | str]
    # Roles that may change data through the route; every other role POSTs (an empty body)
    # and must be refused. None: not POSTed (public forms of allauth, the language switch).
    writers: frozenset[str] | None = NOBODY


def _orga(names: str, profile=ORGA) -> dict[str, Route]:
    return {name: Route(profile, ORGANISER) for name in names.split()}


ROUTES: dict[str, Route] = {
    "healthz": Route(PUBLIC),
    "set_language": Route(_row(*[302] * 8), None),  # no `next`: back to "/"
    "public:home": Route(PUBLIC),
    "public:event": Route(PUBLIC),
    "public:programme": Route(PUBLIC),
    "public:programme_ical": Route(PUBLIC),
    "public:session": Route(PUBLIC),
    "public:speakers": Route(PUBLIC),
    "public:organisations": Route(PUBLIC),
    "report:page": Route(PUBLIC),
    "report:pdf": Route(PUBLIC),
    "portal:signup_box": Route(PUBLIC),
    # The calendar address is the secret: whoever holds Ana's token reads her agenda.
    "calendar:agenda": Route(PUBLIC),
    "api_tokens:list": Route(LOGGED_IN, EVERYONE),  # one's own tokens
    "api_tokens:revoke": Route(_row(LOGIN, *[405] * 7), ANA),  # Ana's token
    "orga:dashboard": Route(LOGGED_IN),
    # a person's own data: each user reads and downloads only their own, and may erase it
    "privacy:my_data": Route(LOGGED_IN),
    "privacy:download": Route(LOGGED_IN),
    # a team member or the platform admin is sent away from erasure (their account runs
    # events); the others may erase themselves
    "privacy:erase": Route(
        _row(LOGIN, 200, 200, 200, 302, 302, 302, 302),
        frozenset({"participant", "another", "speaker"}),
    ),
    "orga:event_create": Route(ANY_ORGANISER, frozenset({"organiser", "other_organiser"})),
    "cluster_partnerships": Route(ANY_ORGANISER, NOBODY),
    "cluster_dashboard": Route(CLUSTER_ORGA),
    "cluster_dashboard_export": Route(CLUSTER_ORGA),
    # participant pages
    "portal:register": Route(_row(LOGIN, 302, 302, 200, 200, 200, 200, 200), EVERYONE),
    "portal:me": Route(NO_REGISTRATION, PARTICIPANTS),
    "portal:cancel": Route(OWN_POST, PARTICIPANTS),
    "portal:calendar_reset": Route(OWN_POST, PARTICIPANTS),
    "portal:badge": Route(OWN, PARTICIPANTS),
    "portal:signup": Route(OWN_POST, PARTICIPANTS),
    "portal:signup_cancel": Route(OWN_POST, ANA),
    "matchmaking:home": Route(LOGGED_IN, PARTICIPANTS),
    "matchmaking:profile": Route(NO_REGISTRATION, PARTICIPANTS),
    "matchmaking:consent": Route(OWN_POST, PARTICIPANTS),
    "matchmaking:people": Route(OWN, PARTICIPANTS),
    "matchmaking:person": Route(OWN, PARTICIPANTS),
    "matchmaking:mark": Route(OWN_POST, PARTICIPANTS),
    "matchmaking:request_send": Route(OWN_POST, PARTICIPANTS),
    "matchmaking:requests": Route(OWN, PARTICIPANTS),
    "matchmaking:request_answer": Route(OWN_POST, ANA),  # Finn asked Ana
    "matchmaking:request_cancel": Route(OWN_POST, ANA),  # Ana asked Cara
    "matchmaking:meetings": Route(OWN, PARTICIPANTS),
    "matchmaking:meetings_pdf": Route(OWN, PARTICIPANTS),
    "followup:feedback": Route(ANAS, ANA),  # Ana's meeting
    "followup:partnership_new": Route(OWN, PARTICIPANTS),
    "followup:surveys": Route(OWN, PARTICIPANTS),
    "followup:survey": Route(OWN, PARTICIPANTS),
    # the back office: the team sees the overview and check-in, organisers the rest
    "orga:event": Route(TEAM, ORGANISER),
    "orga_registration:checkin": Route(TEAM, TEAM_WRITERS),
    "orga_registration:checkin_search": Route(TEAM, TEAM_WRITERS),
    "orga_registration:checkin_counters": Route(TEAM, TEAM_WRITERS),
    "orga_registration:checkin_scan": Route(TEAM_POST, TEAM_WRITERS),
    **_orga(
        "orga:event_edit orga:rooms orga:room_create orga:room_edit orga:room_delete "
        "orga:sessions orga:session_create orga:programme_import orga:session_edit "
        "orga:session_delete orga:person_search orga:timetable orga:timetable_progress"
    ),
    **_orga(
        "orga:event_publish orga:event_unpublish orga:session_role_add "
        "orga:session_person_create orga:session_role_remove orga:timetable_propose "
        "orga:timetable_accept orga:timetable_pin orga:timetable_rule_add "
        "orga:timetable_rule_delete orga:timetable_availability_add "
        "orga:timetable_availability_delete",
        ORGA_POST,
    ),
    **_orga(
        "orga_registration:registrations orga_registration:registration_detail "
        "orga_registration:registrations_csv orga_registration:registrations_xlsx "
        "orga_registration:badges_pdf orga_registration:settings "
        "orga_registration:ticket_type_create orga_registration:ticket_type_edit "
        "orga_registration:ticket_type_delete orga_registration:question_create "
        "orga_registration:question_edit orga_registration:question_delete "
        "orga_registration:signups orga_registration:signup_session "
        "orga_registration:signup_search"
    ),
    **_orga(
        "orga_registration:registration_approve orga_registration:registration_reject "
        "orga_registration:registration_cancel orga_registration:signup_capacity "
        "orga_registration:signup_add orga_registration:signup_move "
        "orga_registration:signup_remove",
        ORGA_POST,
    ),
    **_orga(
        "orga_matchmaking:overview orga_matchmaking:settings orga_matchmaking:run_progress "
        "orga_matchmaking:participant_import orga_matchmaking:meetings "
        "orga_matchmaking:networking_setup orga_matchmaking:schedule_progress "
        "orga_matchmaking:table_plan_pdf orga_matchmaking:schedules_pdf orga_matchmaking:meeting"
    ),
    **_orga(
        "orga_matchmaking:run_start orga_matchmaking:schedule_start "
        "orga_matchmaking:meetings_publish orga_matchmaking:meeting_lock "
        "orga_matchmaking:meeting_cancel",
        ORGA_POST,
    ),
    **_orga(
        "orga_followup:partnerships orga_followup:partnership_new orga_followup:partnership "
        "orga_followup:surveys orga_followup:survey orga_followup:dashboard "
        "orga_followup:dashboard_export orga_followup:exports orga_followup:export_signups "
        "orga_followup:export_profiles orga_followup:export_meetings "
        "orga_followup:export_outcomes orga_followup:export_partnerships"
    ),
    **_orga("orga_followup:reminders", ORGA_POST),
    **_orga("orga_report:edit orga_report:preview orga_report:pdf"),
    **_orga("orga_report:publish", ORGA_POST),
    # the API's own pages
    "api:openapi-json": Route(PUBLIC),
    "api:openapi-view": Route(PUBLIC),
    "api:api-root": Route(_row(*[404] * 8)),
    "api:[^(?P<rest>(?:.*/)?)$]": Route(_row(*[404] * 8)),
}

# --- narrow rules: a namespace or a name prefix, each with its reason ----------------------

# The Django admin: anonymous visitors and users who are not staff are sent to the login
# page on every admin address (see `admin_expected`); the platform admin reads every page.
ADMIN_NAMESPACE = "admin:"
# allauth's account pages are public forms (login, sign-up, password reset), or the
# logged-in user's own account; they are GET-checked for a 500 and for leaks, not POSTed.
ALLAUTH_PREFIX = "account_"

# The API's operations: the six roles' statuses come from tests/api/test_role_matrix.py
# (one table for both suites); the speaker is a logged-in user with neither a registration
# nor a team role, the platform admin passes every `has_perm`. Writes are POSTed with a body.
API_WRITES: dict[str, tuple[str, frozenset[str], dict[str, str]]] = {
    "api:checkin_create": (
        "post",
        frozenset({"checkin", "organiser", "admin"}),
        {"registration_id": "ana.pk"},
    ),
    "api:signup_create": ("post", PARTICIPANTS, {"session_id": "signup.session.pk"}),
    "api:signup_delete": ("delete", ANA, {}),
    "api:meeting_request_create": (
        "post",
        PARTICIPANTS,
        {"recipient_id": "cara.pk", "message": "Hi"},
    ),
}


def api_expected(pattern: str, name: str) -> dict[str, int | str] | None:
    """The GET statuses of an API operation route, None when it is not one."""
    path = "/" + pattern.removeprefix("api/v1/").replace("<", "{").replace(">", "}")
    reads = EXPECTED_READS.get(("get", path))
    if reads is None:
        return ALL_405 if name in API_WRITES else None
    return {
        **reads,
        "speaker": 200 if reads["anonymous"] == 200 else 404,
        "admin": reads["organiser"],
    }


def admin_expected(name: str) -> dict[str, int | str]:
    """Everyone but the platform admin is sent to the login page; the admin reads the pages
    (logout is POST only, the login page sends a logged-in admin on, autocomplete needs its
    query and view_on_site a model with an address)."""
    if name == "admin:login":  # allauth's login form for all, refused to non-staff users
        return {**dict.fromkeys(ROLES, 403), "anonymous": LOGIN, "admin": 302}
    if name == "admin:logout":  # POST only; others are sent to the admin's index first
        return {**dict.fromkeys(ROLES, 302), "admin": 405}
    mine = 403 if name in ADMIN_NOT_PERMITTED else ADMIN_OWN.get(name, 200)
    return {**dict.fromkeys(ROLES, "admin-login"), "admin": mine}


ADMIN_OWN: dict[str, int | str] = {
    "admin:autocomplete": 403, "admin:view_on_site": 404,
}  # fmt: skip
# Rows the admin shows but does not let anyone add or delete (tokens are made by their
# owners, task results by the worker).
ADMIN_NOT_PERMITTED = {
    "admin:api_apitoken_add", "admin:django_tasks_database_dbtaskresult_add",
    "admin:django_tasks_database_dbtaskresult_delete",
}  # fmt: skip


def expected_for(name: str, pattern: str) -> Route | None:
    """The expectation of route `name`, from the table or a narrow rule; None if none."""
    if name in ROUTES:
        return ROUTES[name]
    if name.startswith(ADMIN_NAMESPACE):
        return Route(admin_expected(name), frozenset({"admin"}))
    if name.startswith(ALLAUTH_PREFIX):
        return Route({}, None)
    api = api_expected(pattern, name) if name.startswith("api:") else None
    if api is not None:
        writers = API_WRITES[name][1] if name in API_WRITES else None
        return Route(api, writers)
    return None
