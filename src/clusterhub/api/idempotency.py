"""`Idempotency-Key` on creating requests: a retry gets the first answer back, nothing runs twice.

The first request with a key runs and, when it succeeds (2xx), its status and body are stored
with the key, the method and path, and the SHA-256 of its body, in the same transaction as
the change itself. A later request with the same key (from the same token, or the same user
in the browser session) and the same body answers the stored response without running; the
same key with another body or address is refused (422 `idempotency_key_reused`). A refused
or failed request stores nothing (it changed nothing), so its retry runs again. Keys expire
after `KEY_TTL`; expired ones are deleted as new ones are stored.

Two requests with the same key at the same moment: the second one's insert of the key fails
(unique constraint), its own change is rolled back with it, and it answers the first one's
stored response.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any, cast

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterhub.api.auth import request_token
from clusterhub.api.errors import ApiError
from clusterhub.api.models import ApiIdempotencyKey
from clusterhub.directory.models import User

KEY_TTL = timedelta(hours=24)
KEY_MAX_LENGTH = 255
REPLAY_HEADER = "Idempotent-Replayed"

Outcome = tuple[int, Any]  # (status, JSON-ready body)


class _LostRace(Exception):
    """Another request stored the same key first."""


def request_hash(request: HttpRequest) -> str:
    """SHA-256 of the body; JSON is compared by meaning (key order and spacing ignored)."""
    raw = request.body
    with contextlib.suppress(ValueError):
        raw = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(raw).hexdigest()


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # the endpoints require authentication


def _owned(request: HttpRequest) -> Any:
    token = request_token(request)
    if token is not None:
        return ApiIdempotencyKey.objects.filter(token=token)
    return ApiIdempotencyKey.objects.filter(user=_user(request), token__isnull=True)


def _replay(found: ApiIdempotencyKey, scope: str, digest: str) -> Outcome:
    if found.scope != scope or found.request_hash != digest:
        raise ApiError(
            422,
            "idempotency_key_reused",
            _("This Idempotency-Key was used for another request; use a new key."),
        )
    return found.response_status, found.response_body


def run_idempotent(
    request: HttpRequest, key: str | None, action: Callable[[], Outcome]
) -> tuple[Outcome, bool]:
    """Run `action` (which returns the status and JSON body to answer) at most once per `key`.
    Returns the outcome and whether it is a replay of a stored one. Without a key, just runs."""
    if not key:
        return action(), False
    scope = f"{request.method} {request.path}"[:300]
    digest = request_hash(request)
    now = timezone.now()
    found = _owned(request).filter(key=key, created_at__gte=now - KEY_TTL).first()
    if found is not None:
        return _replay(found, scope, digest), True
    try:
        with transaction.atomic():
            status, body = action()
            if 200 <= status < 300:
                ApiIdempotencyKey.objects.filter(created_at__lt=now - KEY_TTL).delete()
                try:
                    with transaction.atomic():
                        ApiIdempotencyKey.objects.create(
                            user=_user(request),
                            token=request_token(request),
                            key=key,
                            scope=scope,
                            request_hash=digest,
                            response_status=status,
                            response_body=body,
                        )
                except IntegrityError:
                    raise _LostRace from None  # undoes this request's change too
    except _LostRace:
        return _replay(_owned(request).get(key=key), scope, digest), True
    return (status, body), False
