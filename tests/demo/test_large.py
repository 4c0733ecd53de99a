from collections import Counter

import pytest

from clusterhub.demo.large import build_large_event
from clusterhub.directory.models import Person
from clusterhub.events import services
from clusterhub.events.models import EventStatus, Session, SessionRole
from tests.demo.checks import assert_programme_invariants


@pytest.fixture
def large_event(db):
    return build_large_event(sessions=80, people=150, seed=4)


def test_build_large_event_has_the_requested_sessions_and_people(large_event):
    sessions = Session.objects.filter(event=large_event)

    assert sessions.count() == 80
    assert sessions.filter(parent__isnull=False).exists()
    assert Person.objects.filter(email__endswith="@example.org").count() == 150
    assert large_event.status == EventStatus.PUBLISHED
    assert len(large_event.days) >= 2
    assert large_event.rooms.filter(is_offsite=True).exists()
    assert Session.themes.through.objects.filter(session__event=large_event).exists()


def test_build_large_event_gives_every_session_but_breaks_one_to_four_people(large_event):
    roles = Counter(
        SessionRole.objects.filter(session__event=large_event).values_list("session", flat=True)
    )
    sessions = Session.objects.filter(event=large_event).exclude(type="break")

    assert all(1 <= roles[s.pk] <= 4 for s in sessions)
    assert not SessionRole.objects.filter(session__event=large_event, session__type="break")


def test_build_large_event_respects_the_programme_invariants(large_event):
    assert_programme_invariants(large_event)


def test_build_large_event_sessions_pass_the_services_own_checks(large_event):
    # Saving each session through the service reruns every refusal (room_busy, person_busy,
    # outside_event, part_outside_parent, parts_outside, seats_exceed_room...).
    for session in Session.objects.filter(event=large_event).order_by("parent_id", "pk"):
        services.session_update(session=session, actor=None)


def test_build_large_event_is_deterministic_and_returns_an_existing_event(db):
    a = build_large_event(sessions=30, people=40, seed=9, slug="a")
    b = build_large_event(sessions=30, people=40, seed=9, slug="b")

    def shape(event):
        return [(s.title, s.type, s.start - event.sessions.earliest("start").start, s.room.name)
                for s in event.sessions.select_related("room").order_by("start", "room__position",
                                                                        "part_order")]  # fmt: skip

    assert shape(a) == shape(b)
    assert build_large_event(sessions=30, people=40, seed=9, slug="a") == a
