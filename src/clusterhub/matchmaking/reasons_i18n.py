"""Matchmaking reasons in the reader's language.

The matching algorithm is pure (no Django) and writes its reasons in English
(`clusterhub.algorithms.matching.reasons` and `.objectives`); they are stored as English text
(`Recommendation.reasons`, `Meeting.why`) and the API gives them as they are. The web pages
show them through `reason_translate`, which recognises each shape the algorithm writes and
renders it with a translated template: the algorithm's vocabulary (organisation kinds, sectors,
objectives, interest labels) is translated with gettext, countries come from django_countries
in the active language, and the participants' own phrases (needs, offers, tags) stay as they
were written. Text of any other shape is returned unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django_countries import countries

from clusterhub.algorithms.matching.reasons import COUNTRIES

_CODE_OF = {name: code for code, name in COUNTRIES.items()}

# How a reason names the other person's organisation type, after "they are" (reasons.KINDS).
KINDS: dict[str, Promise] = {
    "a cluster": pgettext_lazy("matchmaking reason: they are ...", "a cluster"),
    "a company": pgettext_lazy("matchmaking reason: they are ...", "a company"),
    "an industrial company": pgettext_lazy(
        "matchmaking reason: they are ...", "an industrial company"
    ),
    "a hospital": pgettext_lazy("matchmaking reason: they are ...", "a hospital"),
    "a research institute": pgettext_lazy(
        "matchmaking reason: they are ...", "a research institute"
    ),
    "a university": pgettext_lazy("matchmaking reason: they are ...", "a university"),
    "a school": pgettext_lazy("matchmaking reason: they are ...", "a school"),
    "a public authority": pgettext_lazy("matchmaking reason: they are ...", "a public authority"),
    "a diplomatic mission": pgettext_lazy(
        "matchmaking reason: they are ...", "a diplomatic mission"
    ),
    "an investor": pgettext_lazy("matchmaking reason: they are ...", "an investor"),
    "a patient organisation": pgettext_lazy(
        "matchmaking reason: they are ...", "a patient organisation"
    ),
    "an organisation of another type": pgettext_lazy(
        "matchmaking reason: they are ...", "an organisation of another type"
    ),
}

# A sector as "different sector: X ↔ Y" names it (reasons.SECTORS, else the organisation type).
SECTORS: dict[str, Promise] = {
    "cluster": pgettext_lazy("matchmaking reason: sector", "cluster"),
    "company": pgettext_lazy("matchmaking reason: sector", "company"),
    "industry": pgettext_lazy("matchmaking reason: sector", "industry"),
    "hospital": pgettext_lazy("matchmaking reason: sector", "hospital"),
    "research institute": pgettext_lazy("matchmaking reason: sector", "research institute"),
    "university": pgettext_lazy("matchmaking reason: sector", "university"),
    "school": pgettext_lazy("matchmaking reason: sector", "school"),
    "public authority": pgettext_lazy("matchmaking reason: sector", "public authority"),
    "diplomatic mission": pgettext_lazy("matchmaking reason: sector", "diplomatic mission"),
    "investor": pgettext_lazy("matchmaking reason: sector", "investor"),
    "patient organisation": pgettext_lazy("matchmaking reason: sector", "patient organisation"),
    "other": pgettext_lazy("matchmaking reason: sector", "other"),
}

# The objective reasons, whole (objectives.PAIRS).
OBJECTIVE_REASONS: dict[str, Promise] = {
    "they invest and you seek investment": pgettext_lazy(
        "matchmaking reason", "they invest and you seek investment"
    ),
    "they seek investment and you invest": pgettext_lazy(
        "matchmaking reason", "they seek investment and you invest"
    ),
    "you seek research collaboration and they do research": pgettext_lazy(
        "matchmaking reason", "you seek research collaboration and they do research"
    ),
    "they seek research collaboration and you do research": pgettext_lazy(
        "matchmaking reason", "they seek research collaboration and you do research"
    ),
    "they supply what you may procure": pgettext_lazy(
        "matchmaking reason", "they supply what you may procure"
    ),
    "they procure and you supply": pgettext_lazy(
        "matchmaking reason", "they procure and you supply"
    ),
    "they shape policy you want to discuss": pgettext_lazy(
        "matchmaking reason", "they shape policy you want to discuss"
    ),
    "they want a policy dialogue with you": pgettext_lazy(
        "matchmaking reason", "they want a policy dialogue with you"
    ),
    "you both want partnering": pgettext_lazy("matchmaking reason", "you both want partnering"),
    "you both want research collaboration": pgettext_lazy(
        "matchmaking reason", "you both want research collaboration"
    ),
    "you both want investment": pgettext_lazy("matchmaking reason", "you both want investment"),
    "you both want procurement": pgettext_lazy("matchmaking reason", "you both want procurement"),
    "you both want policy dialogue": pgettext_lazy(
        "matchmaking reason", "you both want policy dialogue"
    ),
    "you both want training mentoring": pgettext_lazy(
        "matchmaking reason", "you both want training and mentoring"
    ),
    "you both want recruiting": pgettext_lazy("matchmaking reason", "you both want recruiting"),
}

# The interest labels of the concept lexicon (lexicon.LABELS), as "shared interest: X" names them.
INTERESTS: dict[str, Promise] = {
    "clinical trials": pgettext_lazy("matchmaking reason: shared interest", "clinical trials"),
    "clinical validation": pgettext_lazy(
        "matchmaking reason: shared interest", "clinical validation"
    ),
    "biobanking": pgettext_lazy("matchmaking reason: shared interest", "biobanking"),
    "digital pathology": pgettext_lazy("matchmaking reason: shared interest", "digital pathology"),
    "pathology": pgettext_lazy("matchmaking reason: shared interest", "pathology"),
    "test beds": pgettext_lazy("matchmaking reason: shared interest", "test beds"),
    "investment": pgettext_lazy("matchmaking reason: shared interest", "investment"),
    "funding": pgettext_lazy("matchmaking reason: shared interest", "funding"),
    "AI": pgettext_lazy("matchmaking reason: shared interest", "AI"),
    "data science": pgettext_lazy("matchmaking reason: shared interest", "data science"),
    "crisis preparedness": pgettext_lazy(
        "matchmaking reason: shared interest", "crisis preparedness"
    ),
    "oncology": pgettext_lazy("matchmaking reason: shared interest", "oncology"),
    "immunotherapy": pgettext_lazy("matchmaking reason: shared interest", "immunotherapy"),
    "precision medicine": pgettext_lazy(
        "matchmaking reason: shared interest", "precision medicine"
    ),
    "genomics": pgettext_lazy("matchmaking reason: shared interest", "genomics"),
    "diagnostics": pgettext_lazy("matchmaking reason: shared interest", "diagnostics"),
    "medical imaging": pgettext_lazy("matchmaking reason: shared interest", "medical imaging"),
    "medical devices": pgettext_lazy("matchmaking reason: shared interest", "medical devices"),
    "digital health": pgettext_lazy("matchmaking reason: shared interest", "digital health"),
    "telemedicine": pgettext_lazy("matchmaking reason: shared interest", "telemedicine"),
    "health data": pgettext_lazy("matchmaking reason: shared interest", "health data"),
    "interoperability": pgettext_lazy("matchmaking reason: shared interest", "interoperability"),
    "cybersecurity": pgettext_lazy("matchmaking reason: shared interest", "cybersecurity"),
    "regulatory affairs": pgettext_lazy(
        "matchmaking reason: shared interest", "regulatory affairs"
    ),
    "market access": pgettext_lazy("matchmaking reason: shared interest", "market access"),
    "procurement": pgettext_lazy("matchmaking reason: shared interest", "procurement"),
    "innovation procurement": pgettext_lazy(
        "matchmaking reason: shared interest", "innovation procurement"
    ),
    "pilot projects": pgettext_lazy("matchmaking reason: shared interest", "pilot projects"),
    "start-ups": pgettext_lazy("matchmaking reason: shared interest", "start-ups"),
    "incubation and acceleration": pgettext_lazy(
        "matchmaking reason: shared interest", "incubation and acceleration"
    ),
    "cluster management": pgettext_lazy(
        "matchmaking reason: shared interest", "cluster management"
    ),
    "clusters": pgettext_lazy("matchmaking reason: shared interest", "clusters"),
    "partnerships": pgettext_lazy("matchmaking reason: shared interest", "partnerships"),
    "research": pgettext_lazy("matchmaking reason: shared interest", "research"),
    "research collaboration": pgettext_lazy(
        "matchmaking reason: shared interest", "research collaboration"
    ),
    "EU programmes": pgettext_lazy("matchmaking reason: shared interest", "EU programmes"),
    "consortia": pgettext_lazy("matchmaking reason: shared interest", "consortia"),
    "education": pgettext_lazy("matchmaking reason: shared interest", "education"),
    "science education": pgettext_lazy("matchmaking reason: shared interest", "science education"),
    "training": pgettext_lazy("matchmaking reason: shared interest", "training"),
    "recruiting and talent": pgettext_lazy(
        "matchmaking reason: shared interest", "recruiting and talent"
    ),
    "hospitals": pgettext_lazy("matchmaking reason: shared interest", "hospitals"),
    "primary care": pgettext_lazy("matchmaking reason: shared interest", "primary care"),
    "elderly care": pgettext_lazy("matchmaking reason: shared interest", "elderly care"),
    "mental health": pgettext_lazy("matchmaking reason: shared interest", "mental health"),
    "rehabilitation": pgettext_lazy("matchmaking reason: shared interest", "rehabilitation"),
    "trauma care": pgettext_lazy("matchmaking reason: shared interest", "trauma care"),
    "prosthetics": pgettext_lazy("matchmaking reason: shared interest", "prosthetics"),
    "pharmaceuticals": pgettext_lazy("matchmaking reason: shared interest", "pharmaceuticals"),
    "biotechnology": pgettext_lazy("matchmaking reason: shared interest", "biotechnology"),
    "vaccines": pgettext_lazy("matchmaking reason: shared interest", "vaccines"),
    "infectious diseases": pgettext_lazy(
        "matchmaking reason: shared interest", "infectious diseases"
    ),
    "screening": pgettext_lazy("matchmaking reason: shared interest", "screening"),
    "patient involvement": pgettext_lazy(
        "matchmaking reason: shared interest", "patient involvement"
    ),
    "health policy": pgettext_lazy("matchmaking reason: shared interest", "health policy"),
    "science diplomacy": pgettext_lazy("matchmaking reason: shared interest", "science diplomacy"),
    "reconstruction of Ukraine": pgettext_lazy(
        "matchmaking reason: shared interest", "reconstruction of Ukraine"
    ),
    "technology transfer": pgettext_lazy(
        "matchmaking reason: shared interest", "technology transfer"
    ),
    "intellectual property": pgettext_lazy(
        "matchmaking reason: shared interest", "intellectual property"
    ),
    "manufacturing": pgettext_lazy("matchmaking reason: shared interest", "manufacturing"),
    "supply chains": pgettext_lazy("matchmaking reason: shared interest", "supply chains"),
    "real-world evidence": pgettext_lazy(
        "matchmaking reason: shared interest", "real-world evidence"
    ),
    "health economics": pgettext_lazy("matchmaking reason: shared interest", "health economics"),
    "sensors and wearables": pgettext_lazy(
        "matchmaking reason: shared interest", "sensors and wearables"
    ),
    "robotics": pgettext_lazy("matchmaking reason: shared interest", "robotics"),
    "cloud and computing": pgettext_lazy(
        "matchmaking reason: shared interest", "cloud and computing"
    ),
    "software development": pgettext_lazy(
        "matchmaking reason: shared interest", "software development"
    ),
    "nutrition": pgettext_lazy("matchmaking reason: shared interest", "nutrition"),
    "sustainability": pgettext_lazy("matchmaking reason: shared interest", "sustainability"),
    "women's health": pgettext_lazy("matchmaking reason: shared interest", "women's health"),
    "cardiology": pgettext_lazy("matchmaking reason: shared interest", "cardiology"),
    "diabetes": pgettext_lazy("matchmaking reason: shared interest", "diabetes"),
    "rare diseases": pgettext_lazy("matchmaking reason: shared interest", "rare diseases"),
    "laboratory services": pgettext_lazy(
        "matchmaking reason: shared interest", "laboratory services"
    ),
    "internationalisation": pgettext_lazy(
        "matchmaking reason: shared interest", "internationalisation"
    ),
}


def _word(table: dict[str, Promise], english: str) -> str:
    """A vocabulary word in the active language; one the table lacks stays as it is."""
    found = table.get(english)
    return str(found) if found is not None else english


def country_name(english: str) -> str:
    """A country as the algorithm names it (its English name, or the ISO code of a country
    its table lacks), in the active language."""
    code = _CODE_OF.get(english, english if re.fullmatch(r"[A-Z]{2}", english) else "")
    return (str(countries.name(code)) if code else "") or english


def _need(m: re.Match[str]) -> str:
    return gettext("your need “%(need)s” ↔ their offer “%(offer)s”") % {
        "need": m["a"], "offer": m["b"],
    }  # fmt: skip


def _offer(m: re.Match[str]) -> str:
    return gettext("your offer “%(offer)s” ↔ their need “%(need)s”") % {
        "offer": m["a"], "need": m["b"],
    }  # fmt: skip


def _wanted_type(m: re.Match[str]) -> str:
    return gettext("they are %(kind)s, a type of organisation you want to meet") % {
        "kind": _word(KINDS, m["a"])
    }


def _wanted_country(m: re.Match[str]) -> str:
    return gettext("they are based in %(country)s, a country you asked for") % {
        "country": country_name(m["a"])
    }


def _interest(m: re.Match[str]) -> str:
    return gettext("shared interest: %(interest)s") % {"interest": _word(INTERESTS, m["a"])}


def _borders(m: re.Match[str]) -> str:
    return gettext("crosses borders: %(mine)s ↔ %(theirs)s") % {
        "mine": country_name(m["a"]), "theirs": country_name(m["b"]),
    }  # fmt: skip


def _sector(m: re.Match[str]) -> str:
    return gettext("different sector: %(mine)s ↔ %(theirs)s") % {
        "mine": _word(SECTORS, m["a"]), "theirs": _word(SECTORS, m["b"]),
    }  # fmt: skip


# Each shape reasons.reasons_for writes, in its order. The quoted phrases are greedy up to
# the last separator, so a phrase that holds quotes of its own is kept whole.
SHAPES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"your need “(?P<a>.*)” ↔ their offer “(?P<b>.*)”", re.S), _need),
    (re.compile(r"your offer “(?P<a>.*)” ↔ their need “(?P<b>.*)”", re.S), _offer),
    (
        re.compile(r"they are (?P<a>.+), a type of organisation you want to meet", re.S),
        _wanted_type,
    ),
    (re.compile(r"they are based in (?P<a>.+), a country you asked for", re.S), _wanted_country),
    (re.compile(r"shared interest: (?P<a>.+)", re.S), _interest),
    (re.compile(r"crosses borders: (?P<a>.+?) ↔ (?P<b>.+)", re.S), _borders),
    (re.compile(r"different sector: (?P<a>.+?) ↔ (?P<b>.+)", re.S), _sector),
)


def reason_translate(text: str) -> str:
    """`text`, a reason the matching algorithm wrote, in the active language; any other text
    (or a non-string) unchanged. Never raises."""
    if not isinstance(text, str):
        return text
    try:
        objective = OBJECTIVE_REASONS.get(text)
        if objective is not None:
            return str(objective)
        for pattern, render in SHAPES:
            match = pattern.fullmatch(text)
            if match:
                return render(match)
    except Exception:
        return text
    return text
