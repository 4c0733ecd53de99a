"""`GET /healthz`: is this process able to serve? For load balancers, `make prod` and the
restore check. Answers 200 with `{"status": "ok", "database": "ok", "cache": "ok"}`, or 503
naming the part that failed. Public and cheap (one trivial query, one cache round trip); it
reveals no data and no versions."""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unavailable"
    return "ok"


def _cache() -> str:
    key, value = f"healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    try:
        cache.set(key, value, timeout=10)
        ok = cache.get(key) == value
        cache.delete(key)
    except Exception:  # any backend's connection error (redis, database cache)
        return "unavailable"
    return "ok" if ok else "unavailable"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    parts = {"database": _database(), "cache": _cache()}
    healthy = all(state == "ok" for state in parts.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **parts}, status=200 if healthy else 503
    )
