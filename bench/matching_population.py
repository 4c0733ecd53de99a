"""Synthetic matchmaking populations with planted complementary pairs.

Each planted pair (a, b) gets two concepts c1, c2: a needs c1 and offers c2, b offers c1 and needs
c2. The two sides are written with *different* surface forms of the concept (a synonym, or the
Norwegian or Ukrainian form from the lexicon) inside different phrase templates, so no string is
copied between partners. Everyone also gets noise needs, offers, interests and tags.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from clusterhub.algorithms.matching import OBJECTIVES, Profile
from clusterhub.algorithms.matching.lexicon import CONCEPT_IDS, LABELS, concept_forms

TEMPLATES = {
    "latin": (
        "{x}", "looking for {x}", "partner for {x}", "expertise in {x}", "{x} services",
        "access to {x}", "samarbeid om {x}", "vi søker {x}", "kompetanse på {x}",
        "{x} for hospitals",
    ),
    "cyrillic": ("{x}", "шукаємо {x}", "співпраця: {x}", "експертиза — {x}", "{x} для лікарень"),
}  # fmt: skip
TYPES = ("company", "hospital", "research", "university", "cluster", "investor", "industry",
         "public_authority", "school", "patient_org", "diplomatic")  # fmt: skip
TYPE_WEIGHTS = (30, 12, 10, 8, 8, 5, 8, 6, 4, 4, 2)
COUNTRIES = ("NO", "UA", "SE", "DK", "DE", "PL", "FI", "NL")
COUNTRY_WEIGHTS = (40, 30, 6, 5, 6, 6, 4, 3)


@dataclass(frozen=True)
class Population:
    profiles: list[Profile]
    partner: dict[int, int]  # planted partner of each planted profile id


def _phrase(rng: random.Random, concept: str, avoid: str | None = None) -> tuple[str, str]:
    forms = [f for f in concept_forms(concept) if f != avoid] or list(concept_forms(concept))
    form = rng.choice(forms)
    script = "cyrillic" if any("\u0400" <= ch <= "\u04ff" for ch in form) else "latin"
    return rng.choice(TEMPLATES[script]).format(x=form), form


def generate(n: int, *, planted_share: float = 0.2, seed: int = 0) -> Population:
    rng = random.Random(seed)
    concepts = list(CONCEPT_IDS)
    taxonomy = [LABELS[c] for c in concepts[:30]]
    fields: list[dict[str, list[str]]] = [
        {"needs": [], "offers": [], "interests": [], "tags": []} for _ in range(n)
    ]
    partner: dict[int, int] = {}
    ids = list(range(n))
    rng.shuffle(ids)
    pairs = int(n * planted_share) // 2
    for p in range(pairs):
        a, b = ids[2 * p], ids[2 * p + 1]
        partner[a], partner[b] = b, a
        c1, c2 = rng.sample(concepts, 2)
        text, form = _phrase(rng, c1)
        fields[a]["needs"].append(text)
        fields[b]["offers"].append(_phrase(rng, c1, avoid=form)[0])
        text, form = _phrase(rng, c2)
        fields[b]["needs"].append(text)
        fields[a]["offers"].append(_phrase(rng, c2, avoid=form)[0])
    for i in range(n):
        f = fields[i]
        for key, count in (("needs", 1), ("offers", 2), ("interests", 2)):
            for _ in range(rng.randint(count - 1, count)):
                f[key].append(_phrase(rng, rng.choice(concepts))[0])
        f["tags"] = rng.sample(taxonomy, rng.randint(1, 3))
    org_count = max(1, n // 3)
    profiles = []
    for i in range(n):
        org_type = rng.choices(TYPES, TYPE_WEIGHTS)[0]
        objectives = rng.sample(OBJECTIVES, rng.randint(0, 2))
        f = fields[i]
        profiles.append(
            Profile(
                id=i,
                organisation=f"Organisation {rng.randrange(org_count)}",
                org_type=org_type,
                country=rng.choices(COUNTRIES, COUNTRY_WEIGHTS)[0],
                needs=tuple(f["needs"]),
                offers=tuple(f["offers"]),
                interests=tuple(f["interests"]),
                tags=tuple(f["tags"]),
                objectives=tuple(objectives),
            )
        )
    # A planted pair must not share an organisation, or the exclusion would hide it.
    for a, b in partner.items():
        if a < b and profiles[a].organisation == profiles[b].organisation:
            old = profiles[b]
            profiles[b] = replace(old, organisation=f"Solo {b}")
    return Population(profiles, partner)
