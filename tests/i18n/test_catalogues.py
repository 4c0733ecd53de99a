"""The UI in English, Norwegian Bokmål and Ukrainian: complete catalogues, a language switcher,
dates and times in the event's time zone and the reader's language."""

from datetime import date

import pytest
from django.utils import translation
from django.utils.translation import gettext

from clusterhub.common.i18n import catalogue
from clusterhub.common.i18n.extract import messages
from tests.factories import EventFactory, SessionFactory, at

LANGUAGES = ["nb", "uk"]


@pytest.fixture(scope="module")
def found():
    return messages()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_ui_string_is_translated(found, language):
    problems = catalogue.check(language, found)

    assert not problems, (
        f"{len(problems)} string(s) not translated in {language}: run `python -m clusterhub "
        "translations_update`, translate them in src/clusterhub/locale/"
        f"{language}/LC_MESSAGES/django.po, then `translations_compile`:\n"
        + "\n".join(map(str, problems[:40]))
    )


def test_the_extractor_finds_python_templates_plurals_and_contexts(tmp_path):
    package = tmp_path / "pkg"
    (package / "templates").mkdir(parents=True)
    (package / "views.py").write_text(
        "from django.utils.translation import gettext_lazy as _, ngettext, pgettext\n"
        "A = _('Save the session')\n"
        "B = ngettext('%(n)d seat', '%(n)d seats', 2)\n"
        "C = pgettext('month', 'May')\n"
    )
    (package / "templates" / "page.html").write_text(
        "{% load i18n %}\n<div>\n    <p>{% translate 'Check in' %}</p>\n"
        "    {% blocktranslate count counter=n %}{{ counter }} person{% plural %}"
        "{{ counter }} people{% endblocktranslate %}\n</div>\n"
    )

    ids = {(m.context, m.id) for m in messages(package)}

    assert ids == {
        (None, "Save the session"),
        (None, ("%(n)d seat", "%(n)d seats")),
        ("month", "May"),
        (None, "Check in"),
        (None, ("%(counter)s person", "%(counter)s people")),
    }


def test_the_check_names_a_missing_string_and_a_lost_placeholder(tmp_path, monkeypatch, found):
    monkeypatch.setattr(catalogue, "LOCALE_DIR", tmp_path)
    catalogue.update("nb", found[:2])
    cat = catalogue.load("nb")
    first, second = found[0], found[1]
    cat[first.key[1]].string = "Oversatt"  # type: ignore[index]
    catalogue.save(cat, "nb")

    problems = catalogue.check("nb", found[:2])

    assert [p.msgid for p in problems] == [second.key[1]]
    assert "not translated" in problems[0].what


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Log in"), ("nb", "Logg inn"), ("uk", "Увійти")],
)
def test_pages_speak_the_readers_language(client, db, language, text):
    client.cookies["django_language"] = language

    response = client.get("/")

    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()
    assert text in response.content.decode()


def test_the_language_switcher_offers_each_language_in_its_own_name(client, db):
    page = client.get("/").content.decode()

    assert 'action="/i18n/setlang/"' in page
    for code, name in [("en", "English"), ("nb", "Norsk (bokmål)"), ("uk", "Українська")]:
        assert f'value="{code}" lang="{code}"' in page
        assert name in page


def test_switching_language_sticks(client, db):
    response = client.post("/i18n/setlang/", {"language": "uk", "next": "/"})

    assert response.status_code == 302
    assert "Увійти" in client.get("/").content.decode()


def test_dates_and_times_in_the_events_time_zone_and_the_readers_language(client, db):
    event = EventFactory(
        slug="oslo", start_date=date(2025, 12, 3), end_date=date(2025, 12, 4),
        timezone="Europe/Oslo",
    )  # fmt: skip
    SessionFactory(event=event, title="Welcome", start=at(event, 9), end=at(event, 9, 30))
    pages = {}
    for language in ["en", "nb", "uk"]:
        client.cookies["django_language"] = language
        pages[language] = client.get("/events/oslo/programme/").content.decode()

    assert "3 December 2025" in pages["en"]
    assert "3. desember 2025" in pages["nb"]
    assert "3 грудня 2025" in pages["uk"]  # the month in the genitive after a day
    for page in pages.values():
        assert "09:00" in page  # 9:00 in Oslo, not 08:00 UTC
        assert "08:00" not in page


def test_compiled_catalogues_are_what_django_reads():
    catalogue.compile_all()
    with translation.override("nb"):
        norwegian = gettext("Log in")
    with translation.override("uk"):
        ukrainian = gettext("Log in")

    assert (norwegian, ukrainian) == ("Logg inn", "Увійти")
