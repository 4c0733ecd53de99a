import pytest

from tests.followup.support import future_event, past_event


@pytest.fixture
def event(db):
    """An event that is over (overrides the suite's `event`; `organiser` follows it)."""
    return past_event()


@pytest.fixture
def upcoming(db):
    return future_event()
