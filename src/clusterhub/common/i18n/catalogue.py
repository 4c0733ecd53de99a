"""The `.po` catalogues under `clusterhub/locale/<lang>/LC_MESSAGES/django.po`: read, bring up
to date with the code, check and compile, with Babel (see the package docstring)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from clusterhub.common.i18n.extract import PACKAGE
from clusterhub.common.i18n.extract import Message as Found
from clusterhub.common.i18n.extract import messages as found_messages

LOCALE_DIR = PACKAGE / "locale"
LANGUAGES = ("nb", "uk")
# What must survive translation unchanged: Python %-placeholders, str.format fields, HTML.
PLACEHOLDER = re.compile(r"%\([a-zA-Z_0-9]+\)[sdfir]|%[sdfir]|\{[a-zA-Z_0-9]*\}|</?[a-zA-Z][^>]*>")


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def load(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain="django", project="clusterhub")
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain="django")


def save(catalog: Catalog, language: str) -> None:
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.project = "clusterhub"
    catalog.language_team = f"clusterhub {language}"
    catalog.fuzzy = False  # the header: the catalogue is in use
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=False, omit_header=False)


def update(language: str, found: list[Found] | None = None) -> tuple[int, int]:
    """Add the code's new strings to the catalogue (untranslated) and drop those the code no
    longer has. Returns (added, removed)."""
    found = found if found is not None else found_messages()
    old = load(language)
    new = Catalog(locale=language, domain="django", project="clusterhub")
    added = 0
    for message in found:
        previous = old.get(message.id if isinstance(message.id, str) else message.id[0],
                           context=message.context)  # fmt: skip
        string: str | tuple[str, ...] = previous.string if previous is not None else ""
        if previous is None:
            added += 1
            if isinstance(message.id, tuple):
                string = ("",) * (3 if language == "uk" else 2)
        new.add(message.id, string, locations=[_location(message.where)],
                context=message.context, flags=_flags(message.id))  # fmt: skip
    removed = sum(1 for m in old if m.id and new.get(m.id, context=m.context) is None)
    save(new, language)
    return added, removed


def _location(where: str) -> tuple[str, int]:
    path, line = where.rsplit(":", 1)
    return path, int(line)


def _flags(msgid: str | tuple[str, str]) -> list[str]:
    text = msgid if isinstance(msgid, str) else msgid[0]
    return ["python-format"] if re.search(r"%\(|%[sd]", text) else []


@dataclass(frozen=True)
class Problem:
    language: str
    msgid: str
    what: str

    def __str__(self) -> str:
        return f"{self.language}: {self.msgid!r}: {self.what}"


def check(language: str, found: list[Found] | None = None) -> list[Problem]:
    """Every string of the code translated in `language`, placeholders and tags kept."""
    found = found if found is not None else found_messages()
    catalog = load(language)
    problems: list[Problem] = []
    for message in found:
        key = message.id if isinstance(message.id, str) else message.id[0]
        entry = catalog.get(key, context=message.context)
        if entry is None:
            problems.append(Problem(language, key, f"missing from the catalogue ({message.where})"))
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(s and s.strip() for s in strings) or entry.fuzzy:
            problems.append(Problem(language, key, f"not translated ({message.where})"))
            continue
        originals = message.id if isinstance(message.id, tuple) else (message.id,)
        allowed = {p for o in originals for p in PLACEHOLDER.findall(o)}
        for string in strings:
            kept = PLACEHOLDER.findall(string)
            if not set(kept) <= allowed:
                problems.append(Problem(language, key, f"unknown placeholder or tag in {string!r}"))
            if isinstance(message.id, str) and sorted(kept) != sorted(PLACEHOLDER.findall(key)):
                problems.append(
                    Problem(language, key, f"placeholders or tags differ in {string!r}")
                )
    return problems


def compile_all() -> list[Path]:
    """Write every catalogue's `.mo` next to its `.po` (what Django reads)."""
    written = []
    for language in LANGUAGES:
        catalog = load(language)
        mo = po_path(language).with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo)
    return written
