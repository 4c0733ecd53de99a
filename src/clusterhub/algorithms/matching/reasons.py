"""Reasons a person understands, built from what actually matched between two profiles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .lexicon import LABELS, STEM
from .objectives import objective_reason
from .text import analyse
from .types import Profile

COUNTRIES = {
    "NO": "Norway", "UA": "Ukraine", "SE": "Sweden", "DK": "Denmark", "FI": "Finland",
    "DE": "Germany", "FR": "France", "NL": "Netherlands", "BE": "Belgium", "PL": "Poland",
    "ES": "Spain", "IT": "Italy", "EE": "Estonia", "LT": "Lithuania", "LV": "Latvia",
    "GB": "United Kingdom", "IE": "Ireland", "AT": "Austria", "CZ": "Czechia",
    "US": "United States",
}  # fmt: skip

SECTORS = {
    "public_authority": "public authority", "patient_org": "patient organisation",
    "diplomatic": "diplomatic mission", "research": "research institute",
}  # fmt: skip


@dataclass
class PhraseIndex:
    """Per side of a profile: concept → first phrase, word stem → first phrase."""

    concepts: dict[str, str]
    stems: dict[str, str]


def index_phrases(phrases: Sequence[str]) -> PhraseIndex:
    concepts: dict[str, str] = {}
    stems: dict[str, str] = {}
    for phrase in phrases:
        _ws, cw, found = analyse(phrase)
        for c in found:
            concepts.setdefault(c, phrase)
        for w in cw:
            if len(w) >= 4:
                stems.setdefault(w[:STEM], phrase)
    return PhraseIndex(concepts, stems)


# How a reason names someone's organisation type: "they are an investor".
KINDS = {
    "cluster": "a cluster", "company": "a company", "industry": "an industrial company",
    "hospital": "a hospital", "research": "a research institute", "university": "a university",
    "school": "a school", "public_authority": "a public authority",
    "diplomatic": "a diplomatic mission", "investor": "an investor",
    "patient_org": "a patient organisation", "other": "an organisation of another type",
}  # fmt: skip


@dataclass
class ProfileText:
    needs: PhraseIndex
    offers: PhraseIndex
    interests: PhraseIndex
    tags: frozenset[str]
    interest_concepts: frozenset[str] = frozenset()
    any_concepts: frozenset[str] = frozenset()
    country: str = ""
    sector: str = ""
    country_code: str = ""
    org_type: str = ""
    kind: str = ""
    wanted_types: frozenset[str] = frozenset()
    wanted_countries: frozenset[str] = frozenset()


def kind_of(org_type: str) -> str:
    """'an investor', 'a hospital': how a reason names an organisation type."""
    sector = SECTORS.get(org_type, org_type.replace("_", " "))
    return KINDS.get(org_type, f"{'an' if sector[:1] in set('aeiou') else 'a'} {sector}")


def profile_text(p: Profile) -> ProfileText:
    needs, offers, interests = (index_phrases(x) for x in (p.needs, p.offers, p.interests))
    code = p.country.upper()
    return ProfileText(
        needs,
        offers,
        interests,
        frozenset(t.strip().lower() for t in p.tags),
        frozenset(interests.concepts),
        frozenset(needs.concepts.keys() | offers.concepts.keys() | interests.concepts.keys()),
        COUNTRIES.get(code, code),
        SECTORS.get(p.org_type, p.org_type),
        code,
        p.org_type,
        kind_of(p.org_type),
        frozenset(p.preferred_types),
        frozenset(c.upper() for c in p.preferred_countries),
    )


def _pair(a: PhraseIndex, b: PhraseIndex) -> tuple[str, str] | None:
    if a.concepts and b.concepts:
        common = a.concepts.keys() & b.concepts.keys()
        if common:
            c = min(common)
            return a.concepts[c], b.concepts[c]
    if a.stems and b.stems:
        common = a.stems.keys() & b.stems.keys()
        if common:
            s = min(common)
            return a.stems[s], b.stems[s]
    return None


def _interest(a: ProfileText, b: ProfileText) -> str | None:
    common = (a.interest_concepts & b.any_concepts) | (a.any_concepts & b.interest_concepts)
    if common:
        return LABELS[min(common)]
    tags = a.tags & b.tags
    if tags:
        return min(tags)
    return None


def reasons_for(
    mine: ProfileText,
    theirs: ProfileText,
    my_roles: frozenset[str],
    their_roles: frozenset[str],
    *,
    preferences: bool = False,
    limit: int = 3,
) -> tuple[str, ...]:
    """At most `limit` reasons, strongest kind first: complementarity, objectives, the wishes
    I stated (with `preferences`), interests, borders, sectors. A stated wish replaces the
    plain border or sector reason it already says."""
    out: list[str] = []
    need = _pair(mine.needs, theirs.offers)
    if need:
        out.append(f"your need “{need[0]}” ↔ their offer “{need[1]}”")
    offer = _pair(mine.offers, theirs.needs)
    if offer:
        out.append(f"your offer “{offer[0]}” ↔ their need “{offer[1]}”")
    objective = objective_reason(my_roles, their_roles) if len(out) < limit else None
    if objective:
        out.append(objective)
    wanted_type = preferences and theirs.org_type in mine.wanted_types
    if wanted_type and len(out) < limit:
        out.append(f"they are {theirs.kind}, a type of organisation you want to meet")
    wanted_country = preferences and theirs.country_code in mine.wanted_countries
    if wanted_country and len(out) < limit:
        out.append(f"they are based in {theirs.country}, a country you asked for")
    interest = _interest(mine, theirs) if len(out) < limit else None
    if interest:
        out.append(f"shared interest: {interest}")
    if (
        len(out) < limit
        and not wanted_country
        and mine.country
        and theirs.country
        and mine.country != theirs.country
    ):
        out.append(f"crosses borders: {mine.country} ↔ {theirs.country}")
    if len(out) < limit and not wanted_type and mine.org_type != theirs.org_type:
        out.append(f"different sector: {mine.sector} ↔ {theirs.sector}")
    return tuple(out[:limit])
