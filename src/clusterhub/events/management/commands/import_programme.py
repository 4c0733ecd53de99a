"""`python -m clusterhub import_programme EVENT FILE [--dry-run]`: all rows or none."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from clusterhub.events.models import Event
from clusterhub.events.programme_import import (
    HEADER,
    ImportRefused,
    programme_file_read,
    programme_import,
)


class Command(BaseCommand):
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
            rows = programme_file_read(file, event=found)
            summary = programme_import(event=found, rows=rows, actor=None, dry_run=dry_run)
        except ImportRefused as exc:
            raise CommandError(
                f"{file.name}: {len(exc.errors)} problem(s), nothing was imported:\n"
                + "\n".join(exc.errors)
            ) from exc
        verb = "Would create" if dry_run else "Created"
        self.stdout.write(
            f"{file.name}: {summary.rows} programme row(s) for {found.name}"
            + (" (dry run: nothing was written)" if dry_run else "")
            + f"\n{verb}: {summary.sessions_created} session(s), {summary.parts_created} "
            f"part(s), {summary.speakers_added} speaker role(s)"
        )
