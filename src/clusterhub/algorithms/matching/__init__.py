"""Explained, diversity-aware matchmaking recommendations (pure: no Django).

    recommend(profiles, k=20, config=MatchConfig()) -> {profile id: [Recommendation, ...]}

See docs/algorithms/matching.md for the method, the formulas and the limits.
"""

from __future__ import annotations

from collections.abc import Sequence

from .engine import rank
from .types import OBJECTIVES, MatchConfig, Profile, Recommendation

__all__ = ["OBJECTIVES", "MatchConfig", "Profile", "Recommendation", "recommend"]

_DEFAULT = MatchConfig()


def recommend(
    profiles: Sequence[Profile], *, k: int = 20, config: MatchConfig = _DEFAULT
) -> dict[int, list[Recommendation]]:
    """Top-`k` people each profile should meet, best first, each with a score in [0, 1] and up to
    three reasons. Never recommends oneself, someone of the same organisation, or a pair where
    either side said "no thanks" (nor people met before, with `config.exclude_met_before`).
    Deterministic for a given `config.seed`. Pure computation, no side effects.
    Raises ValueError for duplicate profile ids or an unknown `config.method`."""
    if len({p.id for p in profiles}) != len(profiles):
        raise ValueError("profile ids must be unique")
    if config.method not in {"full", "lexical", "tags"}:
        raise ValueError(f"unknown method {config.method!r}")
    return rank(profiles, k=k, config=config)
