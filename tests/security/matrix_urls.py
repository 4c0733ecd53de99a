"""Every route of `clusterhub.urls`, by namespaced name, and the address each one is called at
in the matrix world: A's event, A's objects, the participant's (Ana's) own objects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse


def route_key(namespaces: tuple[str, ...], pattern: URLPattern) -> str:
    """`orga:sessions`; an unnamed pattern is named by its pattern: `api:[^(?P<rest>...)$]`."""
    return ":".join((*namespaces, pattern.name or f"[{pattern.pattern}]"))


def _walk(
    resolver: URLResolver, namespaces: tuple[str, ...], prefix: str
) -> Iterator[tuple[str, str]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _walk(pattern, inner, prefix + str(pattern.pattern))
        else:
            yield route_key(namespaces, pattern), prefix + str(pattern.pattern)


def all_routes() -> dict[str, str]:
    """Route key -> its full pattern, for every URL pattern of the project."""
    return dict(_walk(get_resolver(), (), ""))


# Route -> its URL arguments, as attribute paths into the world ("signup.session.pk") or
# literals (prefixed "="). `slug` defaults to A's event; routes without arguments need no row.
A_CLUSTER = {"slug": "event.cluster.slug"}
KWARGS: dict[str, dict[str, str]] = {
    "calendar:agenda": {"token": "ana.calendar_token"},
    "api_tokens:revoke": {"pk": "ana_token.pk"},
    "cluster_dashboard": A_CLUSTER,
    "cluster_dashboard_export": {**A_CLUSTER, "fmt": "=csv"},
    "account_confirm_email": {"key": "=not-a-key"},
    "account_reset_password_from_key": {"uidb36": "=1", "key": "=not-a-key"},
    "api:signup_delete": {"signup_id": "signup.pk"},
    # back office of A's event, A's rows
    "orga:room_edit": {"pk": "room.pk"},
    "orga:room_delete": {"pk": "room.pk"},
    "orga:session_edit": {"pk": "welcome.pk"},
    "orga:session_delete": {"pk": "welcome.pk"},
    "orga:session_role_add": {"pk": "welcome.pk"},
    "orga:session_person_create": {"pk": "welcome.pk"},
    "orga:session_role_remove": {"pk": "welcome.pk", "role_pk": "session_role.pk"},
    "orga:timetable_pin": {"pk": "welcome.pk"},
    "orga:timetable_rule_delete": {"pk": "rule.pk"},
    "orga:timetable_availability_delete": {"pk": "availability.pk"},
    "orga_registration:registration_detail": {"pk": "ana.pk"},
    "orga_registration:registration_approve": {"pk": "ana.pk"},
    "orga_registration:registration_reject": {"pk": "ana.pk"},
    "orga_registration:registration_cancel": {"pk": "ana.pk"},
    "orga_registration:ticket_type_edit": {"pk": "ticket_type.pk"},
    "orga_registration:ticket_type_delete": {"pk": "ticket_type.pk"},
    "orga_registration:question_edit": {"pk": "question.pk"},
    "orga_registration:question_delete": {"pk": "question.pk"},
    "orga_registration:signup_session": {"pk": "signup.session.pk"},
    "orga_registration:signup_capacity": {"pk": "signup.session.pk"},
    "orga_registration:signup_add": {"pk": "signup.session.pk"},
    "orga_registration:signup_search": {"pk": "signup.session.pk"},
    "orga_registration:signup_move": {"pk": "signup.session.pk", "signup_pk": "signup.pk"},
    "orga_registration:signup_remove": {"pk": "signup.session.pk", "signup_pk": "signup.pk"},
    "orga_matchmaking:run_progress": {"pk": "match_run.pk"},
    "orga_matchmaking:networking_setup": {"session_pk": "networking.pk"},
    "orga_matchmaking:schedule_progress": {"pk": "schedule_run.pk"},
    "orga_matchmaking:meeting": {"pk": "published.pk"},
    "orga_matchmaking:meeting_lock": {"pk": "published.pk"},
    "orga_matchmaking:meeting_cancel": {"pk": "published.pk"},
    "orga_followup:partnership": {"pk": "pilot.pk"},
    "orga_followup:survey": {"pk": "survey.pk"},
    "orga_followup:dashboard_export": {"fmt": "=csv"},
    "orga_followup:export_signups": {"fmt": "=csv"},
    "orga_followup:export_profiles": {"fmt": "=csv"},
    "orga_followup:export_meetings": {"fmt": "=csv"},
    "orga_followup:export_outcomes": {"fmt": "=csv"},
    "orga_followup:export_partnerships": {"fmt": "=csv"},
    # participant pages: Cara is visible to both participants; the rest is Ana's own
    "matchmaking:person": {"pk": "cara.pk"},
    "matchmaking:mark": {"pk": "cara.pk"},
    "matchmaking:request_send": {"pk": "cara.pk"},
    "matchmaking:request_answer": {"pk": "finns_request.pk"},  # Finn asked Ana
    "matchmaking:request_cancel": {"pk": "request.pk"},  # Ana asked Cara
    "followup:feedback": {"pk": "published.pk"},  # Ana's meeting with Cara
    "followup:survey": {"pk": "survey.pk"},
    "portal:signup": {"session_pk": "signup.session.pk"},
    "portal:signup_cancel": {"pk": "signup.pk"},  # Ana's seat
    "portal:signup_box": {"session_pk": "signup.session.pk"},
    "public:session": {"pk": "welcome.pk"},
}
# Unnamed patterns have no name to reverse: their address is written out.
LITERAL_URLS = {"api:[^(?P<rest>(?:.*/)?)$]": "/api/v1/no-such-thing/"}


def lookup(world: dict[str, Any], spec: str) -> str:
    if spec.startswith("="):
        return spec[1:]
    head, *rest = spec.split(".")
    value: Any = world[head]
    for attribute in rest:
        value = getattr(value, attribute)
    return str(value)


def url_of(key: str, pattern: str, world: dict[str, Any], slug: str = "oslo") -> str:
    """The address of route `key` in `world`, with A's event (or `slug`) for `<slug>`."""
    if key in LITERAL_URLS:
        return LITERAL_URLS[key]
    kwargs = {name: lookup(world, spec) for name, spec in KWARGS.get(key, {}).items()}
    if "slug" in pattern and "slug" not in kwargs:
        kwargs["slug"] = slug
    return reverse(key, kwargs=kwargs)
