"""How registration follows programme changes made in the events app (see events/signals.py)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from clusterhub.events.models import Event, Session
from clusterhub.events.signals import session_capacity_changed, timetable_interest
from clusterhub.registration.models import ACTIVE_STATUSES, SignUp
from clusterhub.registration.services.signups import seats_follow_capacity


@receiver(session_capacity_changed, sender=Session, dispatch_uid="registration.seats")
def _seats_follow_capacity(sender: Any, *, session: Session, actor: Any, **kwargs: Any) -> None:
    seats_follow_capacity(session=session, actor=actor)


@receiver(timetable_interest, sender=Event, dispatch_uid="registration.timetable_interest")
def _signups_as_interest(sender: Any, *, event: Event, **kwargs: Any) -> list[set[int]]:
    """Per active registration, the sessions it signed up for (seat or waitlist)."""
    wanted: dict[int, set[int]] = {}
    rows = SignUp.objects.filter(
        session__event=event, registration__status__in=ACTIVE_STATUSES
    ).values_list("registration_id", "session_id")
    for registration_id, session_id in rows:
        wanted.setdefault(registration_id, set()).add(session_id)
    return list(wanted.values())
