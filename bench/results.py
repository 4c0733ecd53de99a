"""Writing a benchmark's section of RESULTS.md: the text between `begin` and `end` (both kept,
as `section` starts and ends with them) is replaced, or the section is appended."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def write_section(section: str, begin: str, end: str) -> None:
    """Put `section` (which starts with `begin` and ends with `end`) into RESULTS.md."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        text = head + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.write_text(text)
