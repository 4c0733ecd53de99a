"""Reads of API tokens."""

from __future__ import annotations

import hmac

from django.db.models import QuerySet

from clusterhub.api.models import SECRET_PREFIX, ApiToken, hash_secret
from clusterhub.directory.models import User


def api_token_for_secret(*, secret: str) -> ApiToken | None:
    """The active token whose secret is `secret`, with its user, or None (unknown, malformed or
    revoked). The lookup goes by the public prefix; the hashes are compared in constant time.
    Reads only (one query)."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 200:
        return None
    prefix = secret[len(SECRET_PREFIX) : len(SECRET_PREFIX) + 8]
    wanted = hash_secret(secret)
    candidates = ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True).select_related(
        "user"
    )
    found = None
    for token in candidates:
        if hmac.compare_digest(token.hashed_key, wanted):
            found = token
    if found is None or not found.user.is_active:
        return None
    return found


def api_tokens_for_user(*, user: User) -> QuerySet[ApiToken]:
    """The tokens of `user`, newest first, revoked ones included. Reads only."""
    return (
        ApiToken.objects.filter(user=user).select_related("cluster").order_by("-created_at", "-id")
    )
