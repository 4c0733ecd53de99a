"""Every template is read as text: each POST form carries `{% csrf_token %}`, and nothing runs
script inline (no `<script>` without `src`, no `on…=` handler, no `hx-on`, no `javascript:`
address), so the Content Security Policy (`script-src 'self'`) breaks nothing. A failure names
the file and line."""

import re
from pathlib import Path

import clusterhub

SOURCE = Path(clusterhub.__file__).resolve().parent
TEMPLATES = sorted(p for p in SOURCE.rglob("*.html") if "templates" in p.parts)
STATIC_JS = sorted(SOURCE.rglob("static/clusterhub/*.js"))

FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)
POST = re.compile(r"""\bmethod\s*=\s*["']?post\b""", re.IGNORECASE)
SCRIPT = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"<[a-z][^<>]*?\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE | re.DOTALL)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def where(path: Path, text: str, offset: int) -> str:
    return f"{path.relative_to(SOURCE)}:{text.count(chr(10), 0, offset) + 1}"


def test_the_scan_sees_the_templates():
    names = {p.relative_to(SOURCE).as_posix() for p in TEMPLATES}
    assert "templates/base.html" in names
    assert "events/templates/events/orga/import_parts.html" in names
    assert len(TEMPLATES) > 50


def test_every_post_form_has_a_csrf_token():
    missing = []
    for path in TEMPLATES:
        text = path.read_text()
        for form in FORM.finditer(text):
            if not POST.search(form.group()):
                continue
            end = text.lower().find("</form>", form.end())
            body = text[form.end() : end if end != -1 else len(text)]
            if "{% csrf_token %}" not in body:
                missing.append(where(path, text, form.start()))
    assert missing == []


def test_no_template_has_an_inline_script():
    inline = []
    for path in TEMPLATES:
        text = path.read_text()
        for tag in SCRIPT.finditer(text):
            if not re.search(r"\ssrc\s*=", tag.group(), re.IGNORECASE):
                inline.append(where(path, text, tag.start()))
    assert inline == []


def test_no_template_has_an_inline_event_handler_or_javascript_address():
    found = []
    for path in TEMPLATES:
        text = path.read_text()
        for match in HANDLER.finditer(text):
            found.append(f"{where(path, text, match.start(1))} {match.group(1)}=")
        for match in JS_URL.finditer(text):
            found.append(f"{where(path, text, match.start())} javascript:")
    assert found == []


def test_the_scan_would_catch_what_it_looks_for():
    # The patterns themselves, on the markup they must refuse and the markup they must allow.
    assert HANDLER.search('<select name="x"\n  onchange="this.form.submit()">')
    assert HANDLER.search('<div hx-on:click="alert(1)">')
    assert HANDLER.search("<BUTTON ONCLICK='x()'>")
    assert not HANDLER.search('<form data-confirm="Cancel?" class="inline-form">')
    assert not HANDLER.search("<p>Based on= the numbers</p>")
    assert JS_URL.search('<a href="javascript:void(0)">')
    assert POST.search('<form action="/x" METHOD="POST">')
    assert not POST.search('<form method="get">')


def test_the_site_script_replaces_the_old_handlers():
    script = (SOURCE / "static/clusterhub/site.js").read_text()
    for hook in ("select[data-autosubmit]", "form[data-confirm]", "input[data-select-on-focus]"):
        assert hook in script
    base = (SOURCE / "templates/base.html").read_text()
    assert "{% static 'clusterhub/site.js' %}" in base
    assert "data-autosubmit" in base
    for path in STATIC_JS:
        assert "eval(" not in path.read_text(), path
