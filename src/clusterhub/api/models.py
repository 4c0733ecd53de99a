"""Personal API tokens. Only the SHA-256 of a token's secret is stored; the secret itself is
shown once, when the token is created, and cannot be recovered."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusterhub.directory.models import Cluster

SECRET_PREFIX = "chub_"  # noqa: S105 (a marker on every secret, not a secret)


def hash_secret(secret: str) -> str:
    """The stored form of a token's secret (SHA-256, hex)."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenScope(models.TextChoices):
    READ = "read", _("Read")
    READ_WRITE = "read write", _("Read and write")


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, db_index=True)  # shown in lists
    hashed_key = models.CharField(max_length=64, unique=True)  # sha256 hex of the secret
    scopes = models.CharField(
        _("scopes"), max_length=20, choices=ApiTokenScope.choices, default=ApiTokenScope.READ
    )
    cluster = models.ForeignKey(
        Cluster,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("limited to cluster"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(
                condition=Q(scopes__in=ApiTokenScope.values), name="api_token_scopes_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return "write" in self.scopes.split()


class ApiIdempotencyKey(models.Model):
    """The stored answer to a creating request sent with an `Idempotency-Key` header, so that a
    retry gets the same answer instead of creating again. Scoped to the token (or, for the
    browser session, to the user); kept 24 hours (`clusterhub.api.idempotency`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.ForeignKey(
        ApiToken, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    scope = models.CharField(max_length=300)  # "POST /api/v1/events/oslo/signups/"
    request_hash = models.CharField(max_length=64)  # sha256 hex of the (canonical) body
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("API idempotency key")
        verbose_name_plural = _("API idempotency keys")
        constraints = [
            models.UniqueConstraint(
                fields=["token", "key"],
                condition=Q(token__isnull=False),
                name="api_idempotency_key_per_token",
            ),
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=Q(token__isnull=True),
                name="api_idempotency_key_per_session_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.scope})"
