"""Registrations as CSV and XLSX, for the organiser's current filter.

Both formats carry the same rows. Rows are read in chunks (`iterator(chunk_size=...)`, with
answers and sign-ups prefetched per chunk), so a large event never sits in memory at once: the
CSV streams, the XLSX is written row by row to a temporary file (openpyxl's write-only mode).

A cell a spreadsheet could read as a formula (text beginning with `= + - @`, a tab or a
carriage return) gets a leading apostrophe, so "=HYPERLINK(...)" typed as a name stays text
(CSV/formula injection).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from clusterhub.events.models import Event
from clusterhub.registration.models import Question, Registration

CHUNK_SIZE = 500
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: str) -> str:
    """The text as a spreadsheet must show it: never as a formula."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def export_header(questions: Iterable[Question]) -> list[str]:
    return [
        _("Person"),
        _("Email"),
        _("Organisation"),
        _("Organisation type"),
        _("Country"),
        _("Job title"),
        _("Ticket type"),
        _("Status"),
        _("Registered at"),
        _("Checked in at"),
        _("Privacy notice accepted at"),
        _("Matchmaking consent at"),
        _("Photo consent at"),
        *(question.label for question in questions),
        _("Sign-ups"),
    ]


def _when(value: datetime | None, event: Event) -> str:
    return value.astimezone(event.tzinfo).strftime("%Y-%m-%d %H:%M") if value else ""


def _answer_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def export_rows(
    *, event: Event, registrations: QuerySet[Registration], questions: list[Question]
) -> Iterator[list[str]]:
    """One list of cell texts per registration, not yet escaped. `registrations` comes from
    `selectors.registrations_for_export` (answers and sign-ups prefetched)."""
    for registration in registrations.iterator(chunk_size=CHUNK_SIZE):
        person = registration.person
        organisation = person.organisation
        answers = {answer.question_id: answer.value for answer in registration.answers.all()}
        signups = sorted(registration.signups.all(), key=lambda s: (s.session.start, s.pk))
        row = [
            person.full_name,
            person.email,
            organisation.name if organisation else "",
            organisation.get_type_display() if organisation else "",
            person.country.name if person.country else "",
            person.job_title,
            registration.ticket_type.name,
            registration.get_status_display(),
            _when(registration.created_at, event),
            _when(registration.checked_in_at, event),
            _when(registration.consent_privacy_at, event),
            _when(registration.consent_matchmaking_at, event),
            _when(registration.consent_photos_at, event),
            *(_answer_text(answers.get(question.pk)) for question in questions),
            "; ".join(f"{s.session.title} ({s.get_status_display()})" for s in signups),
        ]
        yield [str(cell) for cell in row]


def _xlsx_cell(value: str) -> str:
    # XLSX text may not hold control characters: drop them first, then escape what is left
    # ("\x01=cmd" must not become a formula once the control character is gone).
    return escape_cell(ILLEGAL_CHARACTERS_RE.sub("", value))


class _Echo:
    """A file that hands back what is written, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_stream(
    *, event: Event, registrations: QuerySet[Registration], questions: list[Question]
) -> Iterator[str]:
    """The CSV text piece by piece: a byte-order mark (so spreadsheets read UTF-8), the header,
    then one line per registration."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([escape_cell(cell) for cell in export_header(questions)])
    for row in export_rows(event=event, registrations=registrations, questions=questions):
        yield writer.writerow([escape_cell(cell) for cell in row])


def xlsx_file(
    *, event: Event, registrations: QuerySet[Registration], questions: list[Question]
) -> IO[bytes]:
    """The workbook in a temporary file, rewound; the caller closes it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Registrations")[:31])
    sheet.append([_xlsx_cell(cell) for cell in export_header(questions)])
    for row in export_rows(event=event, registrations=registrations, questions=questions):
        sheet.append([_xlsx_cell(cell) for cell in row])
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook.save(out)
    out.seek(0)
    return out
