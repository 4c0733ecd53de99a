"""Destructive actions ask first. Every template is read as text: a POST form whose address or
submit button says delete, cancel, withdraw, revoke, remove, erase or unpublish carries
`data-confirm` (on the form, or on that very button), which site.js turns into a question; or it is
a confirmation page itself, listed below with the reason. A failure names the file and line."""

import re
from pathlib import Path

import clusterhub

SOURCE = Path(clusterhub.__file__).resolve().parent
TEMPLATES = sorted(p for p in SOURCE.rglob("*.html") if "templates" in p.parts)

FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
POST = re.compile(r"""\bmethod\s*=\s*["']?post\b""", re.IGNORECASE)
ACTION = re.compile(r"""\baction\s*=\s*(["'])(.*?)\1""", re.IGNORECASE)
BUTTON = re.compile(r"<button\b([^>]*)>(.*?)</button>", re.IGNORECASE | re.DOTALL)
DESTRUCTIVE = re.compile(r"delete|cancel|withdraw|revoke|remove|erase|unpublish", re.IGNORECASE)
CONFIRM = re.compile(r"\sdata-confirm\s*=", re.IGNORECASE)

# (template, what the form's address or button says) -> why it needs no extra question.
CONFIRMATION_PAGES = {
    (
        "events/templates/events/orga/confirm_delete.html",
        "delete",
    ): "it is the confirmation page: “Delete …? This cannot be undone.” with a way back",
    (
        "privacy/templates/privacy/erase.html",
        "erase",
    ): "a page of its own: it spells out what is erased, asks for the email address, links back",
    (
        "events/templates/events/orga/import_parts.html",
        "cancel",
    ): "“Cancel” drops an import preview; nothing saved is lost",
    (
        "registration/templates/registration/portal/me.html",
        "cancel",
    ): "the button sits in a closed <details> that states the consequences: opening it asks",
    (
        "matchmaking/templates/matchmaking/portal/_card.html",
        "remove",
    ): "removing a must-meet mark is undone by marking again, with one click",
    (
        "matchmaking/templates/matchmaking/portal/person.html",
        "remove",
    ): "removing a must-meet mark is undone by marking again, with one click",
}


def destructive_forms():
    """Yield (template, line, word, confirmed) for every destructive-looking POST form."""
    for path in TEMPLATES:
        text = path.read_text()
        name = path.relative_to(SOURCE).as_posix()
        for form in FORM.finditer(text):
            if not POST.search(form.group()):
                continue
            end = text.lower().find("</form>", form.end())
            body = text[form.end() : end if end != -1 else len(text)]
            action = ACTION.search(form.group())
            line = text.count("\n", 0, form.start()) + 1
            form_confirms = bool(CONFIRM.search(form.group()))
            hits = []
            if action and (word := DESTRUCTIVE.search(action.group(2))):
                hits.append((word.group().lower(), form_confirms))
            for button in BUTTON.finditer(body):
                if word := DESTRUCTIVE.search(button.group(1) + button.group(2)):
                    hits.append(
                        (
                            word.group().lower(),
                            form_confirms or bool(CONFIRM.search(button.group(1))),
                        )
                    )
            for word, confirmed in hits:
                yield name, line, word, confirmed


def test_the_scan_finds_the_destructive_forms():
    found = {(name, word) for name, _, word, _ in destructive_forms()}
    assert ("api/templates/api/tokens.html", "revoke") in found
    assert ("registration/templates/registration/portal/signup_box.html", "cancel") in found
    assert ("events/templates/events/orga/event.html", "unpublish") in found
    assert len(found) >= 10


def test_every_destructive_form_asks_first():
    unasked = [
        f"{name}:{line} {word}"
        for name, line, word, confirmed in destructive_forms()
        if not confirmed and (name, word) not in CONFIRMATION_PAGES
    ]
    assert unasked == []


def test_every_allow_listed_confirmation_page_still_exists():
    found = {(name, word) for name, _, word, _ in destructive_forms()}
    assert set(CONFIRMATION_PAGES) <= found


def test_the_site_script_asks_for_forms_and_buttons():
    script = (SOURCE / "static/clusterhub/site.js").read_text()
    assert "form[data-confirm]" in script
    assert "button[data-confirm]" in script
    assert "event.submitter" in script
    # htmx listens on the form; the question must stop the event before it gets there.
    assert "stopImmediatePropagation" in script


def test_the_scan_would_catch_what_it_looks_for():
    markup = (
        '<form method="post" action="{% url \'x:signup_cancel\' 1 %}">{% csrf_token %}'
        "<button>Go</button></form>"
    )
    form = FORM.search(markup)
    assert POST.search(form.group())
    assert DESTRUCTIVE.search(ACTION.search(form.group()).group(2))
    assert not CONFIRM.search(form.group())
    assert CONFIRM.search('<form method="post" data-confirm="Sure?">')
    assert DESTRUCTIVE.search(BUTTON.search("<button type=submit>Revoke</button>").group(2))
