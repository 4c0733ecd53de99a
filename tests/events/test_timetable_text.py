"""Why a proposed timetable is impossible, worded in the reader's language."""

import pytest
from django.utils import translation

from clusterhub.algorithms.timetabling.explain import CODES
from clusterhub.events.timetable_text import TEMPLATES, conflict_text
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

PARAMS = {
    "session": "Plenary", "a": "Keynote", "b": "Panel", "first": "Keynote", "then": "Panel",
    "room": "Hall", "speaker": "Ada Lovelace", "sessions": ["Keynote", "Panel"],
    "rooms": ["Hall", "Studio"], "travel": ["Site visit"], "minutes": 90, "longest": 60,
    "gap": 15, "need": 300, "capacity": 250, "at": 600, "at_b": 1440 + 630, "start": 540,
    "end": 720, "windows": [[540, 720], [1440 + 540, 1440 + 600]],
}  # fmt: skip


def test_every_code_the_solver_gives_has_a_template():
    assert set(TEMPLATES) | {"must_place"} == CODES


@pytest.mark.parametrize("language", ["en", "nb", "uk"])
@pytest.mark.parametrize("code", sorted(CODES))
def test_every_code_is_worded_with_its_names_and_times(code, language):
    event = EventFactory()  # 3 December 2025, Europe/Oslo
    with translation.override(language):
        text = conflict_text(event, {"code": code, "params": PARAMS}, english="FALLBACK")
    assert text != "FALLBACK"
    assert "%(" not in text
    template = str(TEMPLATES.get(code, "%(sessions)s"))
    for name in ("session", "a", "b", "room", "speaker"):
        if f"%({name})s" in template:
            assert PARAMS[name] in text
    if "%(at)s" in template or "%(start)s" in template:
        assert "10:00" in text or "09:00" in text


def test_times_are_the_events_local_days_and_lists_are_joined():
    event = EventFactory()
    with translation.override("en"):
        text = conflict_text(event, {"code": "speaker_available", "params": PARAMS})
    assert text == (
        "Speaker Ada Lovelace is available only Wed 3 Dec, 09:00–12:00 and Thu 4 Dec, "
        "09:00–10:00 (for “Keynote” and “Panel”)."
    )
    with translation.override("nb"):
        norsk = conflict_text(event, {"code": "speaker_available", "params": PARAMS})
    assert "ons 3. des, 09:00–12:00 og tor 4. des, 09:00–10:00" in norsk


def test_an_unknown_code_falls_back_to_the_english_sentence():
    event = EventFactory()
    assert conflict_text(event, {"code": "new_kind", "params": {}}, "As given.") == "As given."
    assert conflict_text(event, {}, "As given.") == "As given."
