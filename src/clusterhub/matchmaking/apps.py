from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakingConfig(AppConfig):
    name = "clusterhub.matchmaking"
    label = "matchmaking"
    verbose_name = _("Matchmaking")

    def ready(self) -> None:
        from clusterhub.matchmaking.agenda import meeting_agenda_items
        from clusterhub.registration.agenda import agenda_provider_register

        agenda_provider_register(meeting_agenda_items)  # meetings in the personal agenda
