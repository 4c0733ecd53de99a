import pytest

from clusterhub.directory.models import ClusterRole
from tests.factories import MembershipFactory
from tests.followup.support import past_event
from tests.reports.support import world as build_world


@pytest.fixture
def event(db):
    """An event that is over (overrides the suite's `event`; `organiser` follows it)."""
    return past_event(name="Oslo Deep Dive Days 2025")


@pytest.fixture
def world(event):
    return build_world(event)


@pytest.fixture
def checkin_staff(event):
    return MembershipFactory(cluster=event.cluster, role=ClusterRole.CHECKIN).user


@pytest.fixture
def outsider(db):
    """An organiser of another cluster."""
    return MembershipFactory().user
