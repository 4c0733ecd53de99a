"""Matchmaking reasons in the reader's language (`matchmaking.reasons_i18n`): every reason the
real matching algorithm writes is recognised and translated to Norwegian Bokmål and Ukrainian,
keeping the participants' own phrases as they wrote them; other text passes through."""

from __future__ import annotations

import itertools
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from clusterhub.algorithms.matching import OBJECTIVES, MatchConfig, Profile, recommend
from clusterhub.algorithms.matching.lexicon import LABELS
from clusterhub.algorithms.matching.objectives import PAIRS, roles
from clusterhub.algorithms.matching.reasons import (
    COUNTRIES,
    KINDS,
    SECTORS,
    profile_text,
    reasons_for,
)
from clusterhub.matchmaking import reasons_i18n
from clusterhub.matchmaking.reasons_i18n import reason_translate
from tests.matchmaking.view_support import finished_run, mm_url, page_text, participant, shared

ORG_TYPES = (
    "cluster", "company", "industry", "hospital", "research", "university", "school",
    "public_authority", "diplomatic", "investor", "patient_org", "other",
)  # fmt: skip

# Words of the English reason templates (not of the participants’ phrases; not "type", a
# Norwegian word too).
TEMPLATE_WORDS = re.compile(
    r"\b(your|their|need|offer|they|are|organisation|want|meet|based|country|asked|shared"
    r"|interest|crosses|borders|different|sector|both|seek|invest|supply|procure|shape|policy"
    r"|dialogue|with|you|what|may|discuss|do)\b",
    re.IGNORECASE,
)
SHAPES = {
    "need": "your need “",
    "offer": "your offer “",
    "wanted_type": ", a type of organisation you want to meet",
    "wanted_country": ", a country you asked for",
    "interest": "shared interest: ",
    "borders": "crosses borders: ",
    "sector": "different sector: ",
}


def _population() -> list[Profile]:
    """Varied people: every organisation type, many countries (some outside the algorithm's
    country table), every objective, needs and offers that answer each other, concepts of the
    lexicon, free tags, and wishes for types and countries."""
    countries = [*COUNTRIES, "JP", "BR"]
    objectives = list(OBJECTIVES)
    labels = sorted(LABELS.values())
    texts = [
        ("AI for digital pathology", "machine learning for pathology images"),
        ("clinical trial site in oncology", "biobank access"),
        ("venture capital for medtech", "telemedicine platform"),
        ("hospital test bed", "health data interoperability"),
        ("partners for an EU proposal", "rehabilitation robotics"),
        ('Sjeldne «ord» med "sitater"', "kvalitetsregistre og skyløsninger"),
        ("ключові партнери з кібербезпеки", "грантове фінансування"),
    ]
    people = []
    for n, (org_type, country) in enumerate(zip(itertools.cycle(ORG_TYPES), countries * 3)):
        need, offer = texts[n % len(texts)]
        other_need, other_offer = texts[(n + 1) % len(texts)]
        people.append(
            Profile(
                n + 1, f"Organisation {n}", org_type, country,
                needs=(need, other_offer if n % 3 == 0 else "something unusual"),
                offers=(offer, other_need if n % 4 == 0 else "a rare offer"),
                interests=(labels[n % len(labels)], labels[(n * 7) % len(labels)]),
                tags=("nordic-ukrainian week", f"track {n % 3}"),
                objectives=tuple(objectives[n % 7 : n % 7 + 1 + n % 3]),
                preferred_types=(ORG_TYPES[(n * 5) % 12], ORG_TYPES[(n * 5 + 1) % 12]),
                preferred_countries=(countries[(n * 3) % len(countries)].lower(),),
            )
        )  # fmt: skip
    return people


def _every_reason() -> set[str]:
    """Reasons from `recommend` over the population, plus those of `reasons_for` (the readable
    definition the fast path equals) for every ordered pair, with and without preferences and
    with room for every kind of reason."""
    people = _population()
    found = {
        reason
        for recs in recommend(people, k=15, config=MatchConfig(diversity=0.0)).values()
        for rec in recs
        for reason in rec.reasons
    }
    texts = {p.id: profile_text(p) for p in people}
    all_roles = {p.id: roles(p) for p in people}
    for a, b in itertools.permutations(people, 2):
        for preferences in (False, True):
            found.update(
                reasons_for(
                    texts[a.id],
                    texts[b.id],
                    all_roles[a.id],
                    all_roles[b.id],
                    preferences=preferences,
                    limit=10,
                )
            )
    return found


EVERY_REASON = sorted(_every_reason())


def _user_phrases(reason: str) -> list[str]:
    """What the participants wrote, as the reason quotes it: needs and offers, and a shared
    tag (an interest that is not a label of the lexicon)."""
    quoted = re.fullmatch(r"your (?:need|offer) “(.*)” ↔ their (?:offer|need) “(.*)”", reason)
    if quoted:
        return [quoted[1], quoted[2]]
    interest = reason.removeprefix("shared interest: ")
    if interest != reason and interest not in LABELS.values():
        return [interest]
    return []


def test_the_population_gives_every_shape_and_the_whole_vocabulary():
    reasons = "\n".join(EVERY_REASON)

    assert all(marker in reasons for marker in SHAPES.values())
    assert {r for *_, r in PAIRS} <= set(EVERY_REASON)
    assert all(f"they are {kind}, a type" in reasons for kind in KINDS.values())
    assert all(f"based in {name}, a country" in reasons for name in COUNTRIES.values())
    assert "they are based in JP, a country" in reasons  # a code its table lacks
    sectors = {SECTORS.get(t, t) for t in ORG_TYPES}
    assert all(re.search(rf"different sector: .*\b{s}\b", reasons) for s in sectors)
    assert "shared interest: nordic-ukrainian week" in reasons


def test_the_tables_cover_the_algorithms_vocabulary():
    assert set(reasons_i18n.OBJECTIVE_REASONS) == {r for *_, r in PAIRS}
    assert set(reasons_i18n.KINDS) == set(KINDS.values())
    assert set(reasons_i18n.SECTORS) == {SECTORS.get(t, t) for t in ORG_TYPES}
    assert set(reasons_i18n.INTERESTS) == set(LABELS.values())


@pytest.mark.parametrize("language", ["nb", "uk"])
def test_every_reason_the_algorithm_writes_is_translated(language):
    assert len(EVERY_REASON) > 300
    with translation.override(language):
        for english in EVERY_REASON:
            translated = reason_translate(english)
            phrases = _user_phrases(english)
            rest = translated
            for phrase in phrases:
                assert phrase in translated, (english, translated)
                rest = rest.replace(phrase, " ")

            assert translated != english, english
            assert not TEMPLATE_WORDS.search(rest), (english, translated)
            if language == "uk":  # Cyrillic but for what the participants wrote
                assert not re.search(r"[A-Za-z]", rest), (english, translated)


def test_the_vocabulary_words_are_translated_by_language():
    need = "your need “AI for pathology” ↔ their offer “машинне навчання”"
    with translation.override("nb"):
        assert (
            reason_translate(need)
            == "ditt behov «AI for pathology» ↔ deres tilbud «машинне навчання»"
        )
        assert reason_translate("crosses borders: Norway ↔ Ukraine") == (
            "på tvers av grenser: Norge ↔ Ukraina"
        )
        assert reason_translate("they are a hospital, a type of organisation you want to meet") == (
            "de er et sykehus, en organisasjonstype du vil møte"
        )
        assert reason_translate("different sector: public authority ↔ investor") == (
            "ulike sektorer: offentlig myndighet ↔ investor"
        )
        assert (
            reason_translate("shared interest: digital health") == "felles interesse: digital helse"
        )
        assert reason_translate("you both want partnering") == "dere ønsker begge partnersøk"
    with translation.override("uk"):
        assert reason_translate("they are based in Norway, a country you asked for") == (
            "вони працюють у країні Норвегія, яку ви обрали"
        )
        assert reason_translate("they are a hospital, a type of organisation you want to meet") == (
            "це лікарня, тип організації, з яким ви хочете зустрітися"
        )
        assert reason_translate("crosses borders: Ukraine ↔ JP") == (
            "співпраця через кордони: Україна ↔ Японія"
        )
        assert reason_translate("shared interest: AI") == "спільний інтерес: ШІ"


@pytest.mark.parametrize(
    "text",
    [
        "Ola invests in digital pathology",
        "Across borders",
        "",
        "shared interest: ",
        "crosses borders: Atlantis",
        "your need “unclosed",
    ],
)
def test_other_text_passes_through_unchanged(text):
    with translation.override("nb"):
        assert reason_translate(text) == text


def test_unknown_words_inside_a_known_shape_stay_as_written():
    with translation.override("nb"):
        assert reason_translate(
            "they are a spaceport, a type of organisation you want to meet"
        ) == ("de er a spaceport, en organisasjonstype du vil møte")
        assert reason_translate("crosses borders: Atlantis ↔ Norway") == (
            "på tvers av grenser: Atlantis ↔ Norge"
        )


def test_the_filter_translates_and_escapes():
    template = Template("{% load matchmaking_reasons %}{{ reason|reason_text }}")
    reason = "your need “<b>AI</b>” ↔ their offer “x & y”"
    with translation.override("nb"):
        html = template.render(Context({"reason": reason}))

    assert html == "ditt behov «&lt;b&gt;AI&lt;/b&gt;» ↔ deres tilbud «x &amp; y»"


@pytest.mark.django_db
def test_the_portal_shows_reasons_in_the_readers_language(client, event):
    me = participant(client, event)
    ola = shared(event, registration__person__first_name="Ola")
    finished_run(event, [(me, ola, [
        "your need “AI for pathology” ↔ their offer “maskinlæring”",
        "crosses borders: Ukraine ↔ Norway",
        "an organiser's own note",
    ])])  # fmt: skip

    norwegian = page_text(client.get(mm_url("home", event), HTTP_ACCEPT_LANGUAGE="nb"))
    english = page_text(client.get(mm_url("home", event), HTTP_ACCEPT_LANGUAGE="en"))

    assert "<li>ditt behov «AI for pathology» ↔ deres tilbud «maskinlæring»</li>" in norwegian
    assert "<li>på tvers av grenser: Ukraina ↔ Norge</li>" in norwegian
    assert "<li>an organiser's own note</li>" in norwegian
    assert "<li>your need “AI for pathology” ↔ their offer “maskinlæring”</li>" in english
    assert "<li>crosses borders: Ukraine ↔ Norway</li>" in english
