"""`python -m clusterhub import_participants EVENT FILE [--dry-run]`: all rows or none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterhub.events.models import Event
from clusterhub.matchmaking.participant_import import (
    HEADER,
    ImportRefused,
    participant_file_read,
    participants_import,
)


class Command(BaseCommand):
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

    def add_arguments(self, parser):
        parser.add_argument("event", metavar="EVENT", help="the event's slug")
        parser.add_argument("file", metavar="FILE", type=Path, help="a .csv or .xlsx file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and count what would be created, writing nothing",
        )

    def handle(self, *args, event: str, file: Path, dry_run: bool, **options):
        found = Event.objects.select_related("cluster").filter(slug=event).first()
        if found is None:
            raise CommandError(f"No event with the slug {event!r}.")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            rows = participant_file_read(file)
            summary = participants_import(event=found, rows=rows, actor=None, dry_run=dry_run)
        except ImportRefused as exc:
            raise CommandError(
                f"{file.name}: {len(exc.errors)} problem(s), nothing was imported:\n"
                + "\n".join(exc.errors)
            ) from exc
        verb = "Would create" if dry_run else "Created"
        lines = [
            f"{file.name}: {summary.rows} participant row(s) for {found.name}"
            + (" (dry run: nothing was written)" if dry_run else ""),
            f"{verb}: {summary.registrations_created} registration(s), "
            f"{summary.people_created} person(s), {summary.organisations_created} "
            f"organisation(s); {summary.people_updated} known person(s) completed",
            f"Skipped (already registered): {len(summary.already_registered)}",
        ]
        if summary.ticket_type_created:
            lines.append(f"{verb} the ticket type 'Participant' (the event offered none).")
        self.stdout.write("\n".join(lines))
