"""Who is calling: a personal token (`Authorization: Bearer <secret>`) or the browser session.

A request that presents a token is judged by the token alone: an unknown, malformed or
revoked one is refused with 401 rather than read as anonymous, so a mistyped secret never
silently shows less. Without a token the session user is taken, with Django's CSRF check on
unsafe methods (a token needs none: a browser never sends it by itself).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from clusterhub.api import selectors, services
from clusterhub.api.errors import ApiError
from clusterhub.api.models import ApiToken

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenOrSession(HttpBearer):
    """Ninja authentication. With `required=False` an anonymous caller passes as
    `AnonymousUser` (public endpoints that show more to the event's team)."""

    def __init__(self, *, required: bool = True) -> None:
        super().__init__()
        self.required = required

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if header:
            scheme, _sep, secret = header.strip().partition(" ")
            if scheme.lower() != "bearer":
                raise AuthenticationError(message="Use “Authorization: Bearer <token>”.")
            return self.authenticate(request, secret.strip())
        request.api_token = None  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise ApiError(403, "csrf_failed", _("CSRF verification failed."))
            return user
        return None if self.required else AnonymousUser()

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = selectors.api_token_for_secret(secret=token)
        if found is None:
            raise AuthenticationError(message="The token is unknown or revoked.")
        if request.method not in SAFE_METHODS and not found.can_write:
            raise ApiError(403, "read_only_token", _("This token may only read."))
        services.api_token_mark_used(token=found)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


def request_token(request: HttpRequest) -> ApiToken | None:
    """The token the request was authenticated with, if any."""
    return getattr(request, "api_token", None)


def token_allows_cluster(request: HttpRequest, cluster_id: int) -> bool:
    """False when the request's token is limited to another cluster than `cluster_id`."""
    token = request_token(request)
    return token is None or token.cluster_id is None or token.cluster_id == cluster_id


public_auth = TokenOrSession(required=False)
required_auth = TokenOrSession(required=True)
