"""Fixtures of the back-office tests: a logged-in organiser, a room, a session with a part."""

import pytest

from clusterhub.events.models import SessionType
from tests.factories import RoomFactory, SessionFactory, at


@pytest.fixture
def orga(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def room(event):
    return RoomFactory(event=event, name="Auditorium", capacity=200)


@pytest.fixture
def joint(event, room):
    """A top-level session from 13:00 to 15:00 with one part from 13:00 to 14:00."""
    parent = SessionFactory(
        event=event,
        room=room,
        title="Joint Health Initiatives",
        type=SessionType.SESSION,
        start=at(event, 13),
        end=at(event, 15),
    )
    SessionFactory(
        event=event,
        parent=parent,
        part_order=1,
        room=room,
        title="Talks",
        start=at(event, 13),
        end=at(event, 14),
    )
    return parent
