"""The demo's 1:1 meetings: the two networking sessions set up for meetings ("Networking: meet
the ecosystem" on day 1, "Partnering meetings" on day 2), one scheduling run of the accepted
meeting requests plus pairs proposed from the top recommendations, published.

Idempotent: set-ups are added only where missing, and scheduling runs only when the event has
no meetings yet. Through the services, with their log lines; emails muted."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from clusterhub.common.outbox import outbox_muted
from clusterhub.directory.models import User
from clusterhub.events.models import Event
from clusterhub.matchmaking import selectors, services
from clusterhub.matchmaking.models import Meeting

# Session title -> (meeting minutes, break minutes, tables).
SETUPS = {
    "Networking: meet the ecosystem": (15, 5, 12),
    "Partnering meetings": (20, 5, 20),
}
PROPOSE = 3  # pairs proposed from each person's top 3 recommendations


@dataclass
class MeetingsLoaded:
    created: Counter[str] = field(default_factory=Counter)
    figures: dict = field(default_factory=dict)


def meetings_demo_load(*, event: Event, organiser: User | None) -> MeetingsLoaded:
    """Add what is missing of the demo's meetings (see the module docstring). Call it inside a
    transaction, after the matchmaking demo."""
    result = MeetingsLoaded()
    with outbox_muted():
        for session, setup in selectors.networking_setups_for_event(event=event):
            if setup is None and session.title in SETUPS:
                minutes, pause, tables = SETUPS[session.title]
                services.networking_setup_update(
                    session=session, actor=organiser, meeting_minutes=minutes,
                    break_minutes=pause, tables=tables,
                )  # fmt: skip
                result.created["networking set-ups"] += 1
        if not Meeting.objects.filter(event=event).exists():
            run = services.schedule_run_create(event=event, actor=organiser, propose=PROPOSE)
            services.schedule_run_execute(run=run)
            result.created["meetings"] = services.meetings_publish(event=event, actor=organiser)
            result.figures = run.figures
    return result
