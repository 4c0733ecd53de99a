"""How registration follows programme changes made in the events app (see events/signals.py)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from clusterhub.events.models import Session
from clusterhub.events.signals import session_capacity_changed
from clusterhub.registration.services.signups import seats_follow_capacity


@receiver(session_capacity_changed, sender=Session, dispatch_uid="registration.seats")
def _seats_follow_capacity(sender: Any, *, session: Session, actor: Any, **kwargs: Any) -> None:
    seats_follow_capacity(session=session, actor=actor)
