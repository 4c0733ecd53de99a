"""Platform admins see tokens and may revoke them; tokens are created with the
`api_token_create` command, which is the only place a secret is ever shown."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from clusterhub.api.models import ApiToken
from clusterhub.api.services import api_token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "scopes", "cluster", "created_at", "last_used_at",
                    "revoked_at"]  # fmt: skip
    list_filter = ["scopes"]
    search_fields = ["name", "prefix", "user__email"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            api_token_revoke(token=token, actor=request.user)
