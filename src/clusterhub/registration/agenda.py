"""Items that later apps add to a participant's agenda ("my registration") and personal
calendar feed, such as scheduled 1:1 meetings.

The one documented way back from later apps into this one: an app registers a provider in
its `AppConfig.ready()` with `agenda_provider_register(provider)`; a provider takes a
registration and returns its `AgendaItem`s (it must not write). Registration imports nothing
from the apps that provide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from clusterhub.registration.models import Registration


@dataclass(frozen=True)
class AgendaItem:
    """One entry of a person's agenda beyond the programme's sessions. `uid` is stable for the
    life of the entry (calendar apps key on it); `url` is a path on this site; `changed` is
    the last change of what the entry shows."""

    uid: str
    title: str
    start: datetime
    end: datetime
    location: str = ""
    description: str = ""
    url: str = ""
    changed: datetime | None = None


AgendaProvider = Callable[[Registration], list[AgendaItem]]
_providers: list[AgendaProvider] = []


def agenda_provider_register(provider: AgendaProvider) -> None:
    """Add `provider` (once) to those asked for every agenda and calendar feed."""
    if provider not in _providers:
        _providers.append(provider)


def agenda_items_for(registration: Registration) -> list[AgendaItem]:
    """Every provider's items for `registration`, in time order."""
    items = [item for provider in _providers for item in provider(registration)]
    return sorted(items, key=lambda item: (item.start, item.uid))
