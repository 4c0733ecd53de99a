import pytest

from clusterhub.algorithms.matching.types import Recommendation as Suggestion
from clusterhub.matchmaking.services import runs

GHOST_ID = 987_654_321  # an id the matcher was never given


class FakeMatcher:
    """Recommends everybody else it was given, highest id first, plus a ghost it was not
    given (the service must drop it). Records the profiles it saw."""

    def __init__(self):
        self.calls: list[list] = []

    def __call__(self, profiles, *, k, config):
        self.calls.append(list(profiles))
        result = {}
        for profile in profiles:
            others = sorted((p.id for p in profiles if p.id != profile.id), reverse=True)
            ranked = [
                Suggestion(other=other, score=round(1 - 0.1 * i, 2), reasons=(f"reason {other}",))
                for i, other in enumerate(others)
            ]
            result[profile.id] = [*ranked, Suggestion(other=GHOST_ID, score=0.01, reasons=())][:k]
        return result

    @property
    def seen_ids(self) -> set[int]:
        return {p.id for p in self.calls[-1]}


@pytest.fixture
def fake_matcher(monkeypatch):
    fake = FakeMatcher()
    monkeypatch.setattr(runs, "recommend_profiles", fake)
    return fake
