"""Writes on API tokens: create (the secret is returned once, only its hash is kept),
revoke, and record use."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterhub.api.models import SECRET_PREFIX, ApiToken, ApiTokenScope, hash_secret
from clusterhub.common.activity import activity_log
from clusterhub.directory.models import Cluster, ClusterRole, User

# Writing `last_used_at` on every request would turn each read into a write; a minute's
# precision is enough to tell a live token from a forgotten one.
LAST_USED_PRECISION = timedelta(minutes=1)


def api_token_create(
    *,
    user: User,
    name: str,
    scopes: str = ApiTokenScope.READ,
    cluster: Cluster | None = None,
    actor: Any,
) -> tuple[ApiToken, str]:
    """Create a token for `user` and return it with its secret, which is not stored and cannot
    be shown again. Side effect: an activity log entry. Raises ValidationError (code
    `invalid_scopes`, `blank_name` or `not_cluster_member`)."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name."), code="blank_name")
    if scopes not in ApiTokenScope.values:
        raise ValidationError(_("Scopes are “read” or “read write”."), code="invalid_scopes")
    if (
        cluster is not None
        and not cluster.memberships.filter(user=user, role__in=ClusterRole.values).exists()
    ):
        raise ValidationError(
            _("A token can only be limited to a cluster whose team you are on."),
            code="not_cluster_member",
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name[:100],
            prefix=secret[len(SECRET_PREFIX) : len(SECRET_PREFIX) + 8],
            hashed_key=hash_secret(secret),
            scopes=scopes,
            cluster=cluster,
        )
        activity_log(
            actor=actor,
            action="api_token.create",
            obj=token,
            cluster_id=cluster.pk if cluster else None,
            data={"scopes": scopes},
        )
    return token, secret


def api_token_revoke(*, token: ApiToken, actor: Any) -> ApiToken:
    """Revoke `token` for good (revoking twice changes nothing). Side effect: an activity log
    entry. Raises ValidationError (code `not_own_token`) unless `actor` owns the token or is a
    platform admin (superuser)."""
    if getattr(actor, "pk", None) != token.user_id and not getattr(actor, "is_superuser", False):
        raise ValidationError(_("You can only revoke your own tokens."), code="not_own_token")
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        activity_log(actor=actor, action="api_token.revoke", obj=token)
    return token


def api_token_mark_used(*, token: ApiToken) -> None:
    """Record that `token` was used now, at most once a minute (one UPDATE when due)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
