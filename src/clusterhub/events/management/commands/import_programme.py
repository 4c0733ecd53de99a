"""`python -m clusterhub import_programme EVENT FILE [--dry-run]`: all rows or none."""

from pathlib import Path

from clusterhub.events.management.file_import import FileImportCommand
from clusterhub.events.models import Event
from clusterhub.events.programme_import import (
    HEADER,
    ImportSummary,
    programme_file_read,
    programme_import,
)


class Command(FileImportCommand):
    help = (
        "Put the sessions listed in a CSV (UTF-8) or XLSX file on the programme of the event "
        "EVENT (a slug). The header must be exactly: " + ",".join(HEADER) + ". type is a "
        "session type (talk, panel, training, site_visit, ...), day an ISO date of the event or "
        "its day number (1 is the first), start and end HH:MM in the event's time zone, room the "
        "name of one of the event's rooms, speakers ';'-separated emails or full names of people "
        "in the directory, capacity a number of seats (training modules and site visits with "
        "seats need sign-up), parent the title of an earlier row or of a session on the "
        "programme. Every row is checked first: any bad cell or refusal (a room or speaker "
        "taken, a time outside the event) is reported with its line and nothing is written."
    )

    def read(self, file: Path, event: Event) -> list:
        return programme_file_read(file, event=event)

    def write(self, event: Event, rows: list, dry_run: bool) -> ImportSummary:
        return programme_import(event=event, rows=rows, actor=None, dry_run=dry_run)

    def report(self, file: Path, event: Event, summary: ImportSummary, dry_run: bool):
        verb = "Would create" if dry_run else "Created"
        return [
            f"{file.name}: {summary.rows} programme row(s) for {event.name}"
            + (" (dry run: nothing was written)" if dry_run else ""),
            f"{verb}: {summary.sessions_created} session(s), {summary.parts_created} "
            f"part(s), {summary.speakers_added} speaker role(s)",
        ]
