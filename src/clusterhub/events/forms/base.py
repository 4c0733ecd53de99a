"""What every back-office form shares: calling a service and showing its refusals."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from clusterhub.directory.models import ClusterRole
from clusterhub.events.services import RESERVED_EVENT_SLUGS

ORGANISER_ROLES = (ClusterRole.OWNER, ClusterRole.ORGANISER)
RESERVED_SLUGS = RESERVED_EVENT_SLUGS  # the form refuses them before the service would


def model_field(model: type, name: str, **kwargs: Any) -> forms.Field:
    """The form field Django derives from a model field: same label, length and help text."""
    return model._meta.get_field(name).formfield(**kwargs)


def date_input() -> forms.DateInput:
    # ISO format whatever the language: <input type="date"> only understands that.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input() -> forms.TimeInput:
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ServiceForm(forms.Form):
    """A form whose `save` calls a service and shows the service's refusals."""

    service_fields: dict[str, str] = {}  # service field -> form field, where the names differ

    def add_service_error(self, exc: ValidationError) -> None:
        """Attach a service refusal: to its field when the form shows it, else to the form."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for field, errors in exc.error_dict.items():
            name = self.service_fields.get(field, field)
            self.add_error(name if name in self.fields else None, errors)
