"""Forms of the API app: creating a personal API token on the account page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusterhub.api.models import ApiToken, ApiTokenScope
from clusterhub.api.services import api_token_create
from clusterhub.directory.models import Cluster, ClusterRole, User
from clusterhub.events.forms.base import ServiceForm

# A service refusal's code -> the field it is about (the others go to the whole form).
CODE_FIELDS = {"blank_name": "name", "not_cluster_member": "cluster"}


class ApiTokenCreateForm(ServiceForm):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. a script.")
    )
    write = forms.BooleanField(
        label=_("Allow writes (check-ins, sign-ups, meeting requests)"),
        required=False,
        help_text=_("Without it the token can only read."),
    )
    cluster = forms.ModelChoiceField(
        label=_("Limit to cluster"),
        queryset=Cluster.objects.none(),
        required=False,
        empty_label=_("— no limit —"),
        help_text=_("With a limit, the token acts as an outsider to every other cluster."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["cluster"].queryset = (  # type: ignore[attr-defined]
            Cluster.objects.filter(
                memberships__user=user,
                memberships__role__in=(ClusterRole.OWNER, ClusterRole.ORGANISER),
            )
            .select_related("organisation")
            .distinct()
            .order_by("organisation__name")
        )

    def save(self, *, actor: User) -> tuple[ApiToken, str] | None:
        """Create the token and return it with its secret (shown once), or None with the
        service's refusal on the form."""
        data = self.cleaned_data
        scopes = ApiTokenScope.READ_WRITE if data["write"] else ApiTokenScope.READ
        try:
            return api_token_create(
                user=self.user,
                name=data["name"],
                scopes=scopes,
                cluster=data["cluster"],
                actor=actor,
            )
        except ValidationError as exc:
            field = CODE_FIELDS.get(getattr(exc, "code", None) or "")
            if field is not None and not hasattr(exc, "error_dict"):
                self.add_error(field, exc)
            else:
                self.add_service_error(exc)
            return None
