"""Find clusterhub's translatable strings (see the package docstring)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.extract import extract
from django.utils.translation.template import templatize

PACKAGE = Path(__file__).resolve().parents[2]  # src/clusterhub
# gettext's keywords as Django uses them; (1, 2) = singular and plural, (1, "c") = context.
KEYWORDS: dict[str, tuple] = {
    "_": (1,), "gettext": (1,), "gettext_lazy": (1,), "gettext_noop": (1,),
    "ngettext": (1, 2), "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2), "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3), "npgettext_lazy": ((1, "c"), 2, 3),
}  # fmt: skip
SKIP_PARTS = {"migrations", "locale", "static", "__pycache__"}


@dataclass(frozen=True)
class Message:
    """One translatable string: `id` is the text, or (singular, plural)."""

    id: str | tuple[str, str]
    context: str | None
    where: str  # "path:line" of its first use

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.id if isinstance(self.id, str) else self.id[0])


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if SKIP_PARTS & set(path.relative_to(root).parts):
            continue
        if path.suffix in {".py", ".html", ".txt"} and path.is_file():
            if path.suffix == ".txt" and "templates" not in path.parts:
                continue
            yield path


def _source(path: Path) -> bytes:
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        # templatize keeps the template's layout; its calls are one line each (strings are
        # repr()-ed), so dropping the indentation keeps Python's tokenizer happy and the lines.
        text = "\n".join(line.lstrip() for line in templatize(text, origin=str(path)).split("\n"))
    return text.encode("utf-8")


def messages(root: Path = PACKAGE) -> list[Message]:
    """Every translatable string under `root` (the package), each once, in order of first
    use."""
    found: dict[tuple[str | None, str], Message] = {}
    for path in _files(root):
        rel = path.relative_to(root.parent)
        for line, text, _comments, context in extract(
            "python", io.BytesIO(_source(path)), keywords=KEYWORDS, comment_tags=()
        ):
            if not text or (isinstance(text, tuple) and not all(text)):
                continue
            message = Message(id=text if isinstance(text, str) else (text[0], text[1]),
                              context=context, where=f"{rel}:{line}")  # fmt: skip
            found.setdefault(message.key, message)
    return list(found.values())
