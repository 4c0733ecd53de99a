"""Reading the import files (participants, programme): a UTF-8 CSV (a byte-order mark is fine)
or the first sheet of an XLSX workbook, as rows of stripped strings, and the check of the
exact header. One reader for every importer, so they refuse bad files in the same words."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any


class ImportRefused(Exception):
    """The file cannot be imported; `errors` are lines like `line 3, column email: ...`."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def cell_text(value: Any) -> str:
    """A cell as text: spreadsheet dates and times in ISO form (HH:MM for a time), whole
    numbers without ".0", everything stripped."""
    if value is None:
        return ""
    if isinstance(value, datetime):  # a spreadsheet date (or date and time) cell
        return value.date().isoformat() if value.time() == time.min else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def tabular_records(path: Path) -> Iterator[list[str]]:
    """The rows of a .csv or .xlsx file; raises ImportRefused for another kind of file, text
    that is not UTF-8 or a damaged workbook."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for record in csv.reader(handle):
                    yield [cell_text(v) for v in record]
        except UnicodeDecodeError as exc:
            raise ImportRefused([f"{path.name}: not UTF-8 text ({exc.reason})"]) from exc
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several kinds on a damaged file
            raise ImportRefused([f"{path.name}: not a readable XLSX file ({exc})"]) from exc
        try:
            for record in workbook.active.iter_rows(values_only=True):
                yield [cell_text(v) for v in record]
        finally:
            workbook.close()
    else:
        raise ImportRefused([f"{path.name}: the file must end in .csv or .xlsx"])


def header_errors(header: list[str], expected: Sequence[str]) -> list[str]:
    """What is wrong with a file's first line against the `expected` columns (none: [])."""
    while header and header[-1] == "":
        header = header[:-1]
    if tuple(header) == tuple(expected):
        return []
    missing = [c for c in expected if c not in header]
    extra = [c or "(empty)" for c in header if c not in expected]
    errors = []
    if missing:
        errors.append(f"line 1: missing column(s): {', '.join(missing)}")
    if extra:
        errors.append(f"line 1: unexpected column(s): {', '.join(extra)}")
    if not errors:
        errors.append(
            "line 1: the columns are out of order or repeated; the header must be exactly: "
            + ",".join(expected)
        )
    return errors


def record_values(
    line: int, record: list[str], header: Sequence[str]
) -> tuple[dict[str, str], list[str]]:
    """A data row as {column: cell} over `header` (missing cells empty), and an error for each
    non-empty cell beyond the last column ("line N, column M: ...")."""
    errors = [
        f"line {line}, column {index}: a value beyond the last column ({value!r})"
        for index, value in enumerate(record[len(header) :], start=len(header) + 1)
        if value
    ]
    values = dict(zip(header, record + [""] * (len(header) - len(record)), strict=False))
    return values, errors
