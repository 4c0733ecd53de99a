from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationConfig(AppConfig):
    name = "clusterhub.registration"
    label = "registration"
    verbose_name = _("Registration")

    def ready(self) -> None:
        from clusterhub.registration import receivers  # noqa: F401 — connects the receivers
