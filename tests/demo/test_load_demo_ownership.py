"""load_demo and events it does not own. Its own module: the shared demo load of
test_load_demo.py would already hold the demo's slug."""

import pytest
from django.core.management.base import CommandError

from clusterhub.events import services
from clusterhub.events.models import Event, EventStatus
from tests.demo.conftest import run_load_demo
from tests.factories import EventFactory


def test_load_demo_leaves_another_clusters_event_with_the_demo_slug_alone(db):
    other = EventFactory(slug="oslo-deep-dive-days-2025", name="Our private draft",
                         status=EventStatus.DRAFT)  # fmt: skip
    with pytest.raises(CommandError, match="another cluster"):
        run_load_demo(participants=5)
    other.refresh_from_db()
    assert (other.name, other.status, other.sessions.count()) == (
        "Our private draft", EventStatus.DRAFT, 0,
    )  # fmt: skip
    assert Event.objects.count() == 1


def test_load_demo_keeps_an_unpublished_demo_unpublished(db):
    run_load_demo(participants=5)
    event = Event.objects.get(slug="oslo-deep-dive-days-2025")
    services.event_unpublish(event=event, actor=None)
    run_load_demo(participants=5)
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT
