import pytest

from tests.followup.support import past_event
from tests.privacy.support import acquainted, event_setup, participant


@pytest.fixture
def event(db):
    """An event that is over (its follow-up data exists)."""
    return past_event()


@pytest.fixture
def crowd(event):
    """Four participants who met pairwise, tagged alpha, beta, gamma, delta."""
    setup = event_setup(event)
    tags = ["zqalpha", "zqbeta", "zqgamma", "zqdelta"]
    people = {
        tag: participant(event, setup, tag, country=c)
        for tag, c in zip(tags, ["UA", "NO", "SE", "DE"], strict=True)
    }
    acquainted(people["zqalpha"], people["zqbeta"], "zqalpha", "zqbeta")
    acquainted(people["zqgamma"], people["zqalpha"], "zqgamma", "zqalpha")
    acquainted(people["zqdelta"], people["zqbeta"], "zqdelta", "zqbeta")
    return people
