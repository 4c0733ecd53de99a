"""The data the matching library takes and gives: plain dataclasses, no Django."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Profile:
    """One consenting participant, as the matcher sees them.

    `offers`, `needs` and `interests` are short free-text phrases (any of English, Norwegian,
    Ukrainian); `tags` are taxonomy tags of the event; `objectives` are words from OBJECTIVES;
    `org_type` is an organisation type of the directory (cluster, company, industry, hospital,
    research, university, school, public_authority, diplomatic, investor, patient_org, other);
    `country` is ISO 3166 alpha-2. `preferred_types` (organisation types) and
    `preferred_countries` (alpha-2, any case) are wishes the full method rewards with
    `MatchConfig.preference_bonus`. `excluded` are ids this person never wants to meet
    ("no thanks"); `must_meet` are ids they asked for.
    """

    id: int
    organisation: str
    org_type: str
    country: str
    offers: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()
    preferred_types: tuple[str, ...] = ()
    preferred_countries: tuple[str, ...] = ()
    excluded: frozenset[int] = frozenset()
    must_meet: frozenset[int] = frozenset()
    met_before: frozenset[int] = frozenset()


OBJECTIVES = (
    "partnering",
    "research_collaboration",
    "investment",
    "procurement",
    "policy_dialogue",
    "training_mentoring",
    "recruiting",
)


@dataclass(frozen=True)
class MatchConfig:
    """What an event can tune. `type_weights[(a, b)]` scales pairs of organisation types
    (missing pairs weigh 1.0); `exclude_met_before` also excludes people met at earlier events.
    `method` is "full" (default), "lexical" (TF-IDF text only) or "tags" (tag overlap only); the
    two simpler ones exist as benchmark baselines. `preference_bonus` is added (gated by
    relevance, like `border_bonus`) when the other person is of an organisation type in my
    `preferred_types` and based in a country in my `preferred_countries`; half of it when only
    one of the two kinds of wish I gave is met.

    Scale: populations of up to `exhaustive_up_to` people are scored exactly for every pair;
    larger ones keep, per person, about `candidate_pool` candidates by a low-rank proxy of the
    score and rescore those exactly (see docs/algorithms/matching.md for the measured recall)."""

    type_weights: dict[tuple[str, str], float] = field(default_factory=dict)
    border_bonus: float = 0.1
    diversity: float = 0.3
    exclude_met_before: bool = False
    seed: int = 0
    sector_bonus: float = 0.05
    must_meet_boost: float = 0.25
    method: str = "full"
    preference_bonus: float = 0.1
    exhaustive_up_to: int = 8_000
    candidate_pool: int = 150


@dataclass(frozen=True)
class Recommendation:
    other: int
    score: float
    reasons: tuple[str, ...]
