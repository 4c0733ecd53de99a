"""`python -m clusterhub import_participants EVENT FILE [--dry-run]`: all rows or none."""

from pathlib import Path

from clusterhub.events.management.file_import import FileImportCommand
from clusterhub.events.models import Event
from clusterhub.matchmaking.participant_import import (
    HEADER,
    ImportSummary,
    participant_file_read,
    participants_import,
)


class Command(FileImportCommand):
    help = (
        "Register the participants listed in a CSV (UTF-8) or XLSX file for the event EVENT "
        "(a slug), with their organisations, directory entries and matchmaking profiles. The "
        "header must be exactly: " + ",".join(HEADER) + ". List cells are separated by ';', "
        "country is an ISO 3166 alpha-2 code, consent_matchmaking is yes or no. Every row is "
        "checked first: any bad cell is reported with its line and column and nothing is "
        "written. People already registered are skipped, so a file can be imported again. "
        "The privacy consent of imported registrations is recorded as given: the organiser "
        "imports under their own legal basis for processing these people's details. Each new "
        "registration is sent its confirmation email."
    )

    def read(self, file: Path, event: Event) -> list:
        return participant_file_read(file)

    def write(self, event: Event, rows: list, dry_run: bool) -> ImportSummary:
        return participants_import(event=event, rows=rows, actor=None, dry_run=dry_run)

    def report(self, file: Path, event: Event, summary: ImportSummary, dry_run: bool):
        verb = "Would create" if dry_run else "Created"
        lines = [
            f"{file.name}: {summary.rows} participant row(s) for {event.name}"
            + (" (dry run: nothing was written)" if dry_run else ""),
            f"{verb}: {summary.registrations_created} registration(s), "
            f"{summary.people_created} person(s), {summary.organisations_created} "
            f"organisation(s); {summary.people_updated} known person(s) completed",
            f"Skipped (already registered): {len(summary.already_registered)}",
        ]
        if summary.ticket_type_created:
            lines.append(f"{verb} the ticket type 'Participant' (the event offered none).")
        return lines
