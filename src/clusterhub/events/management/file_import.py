"""The shared shape of the file import commands (`import_programme`, `import_participants`):
`EVENT FILE [--dry-run]`, all rows or none; every problem is reported with its line and
column and the command fails without writing anything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from clusterhub.common.tabular import ImportRefused
from clusterhub.events.models import Event


class FileImportCommand(BaseCommand):
    """Subclasses give `read(file, event)`, `write(event, rows, dry_run)` and
    `report(file, event, summary, dry_run)` (the lines printed on success)."""

    def add_arguments(self, parser):
        parser.add_argument("event", metavar="EVENT", help="the event's slug")
        parser.add_argument("file", metavar="FILE", type=Path, help="a .csv or .xlsx file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and count what would be created, writing nothing",
        )

    def read(self, file: Path, event: Event) -> list:
        raise NotImplementedError

    def write(self, event: Event, rows: list, dry_run: bool) -> Any:
        raise NotImplementedError

    def report(self, file: Path, event: Event, summary: Any, dry_run: bool) -> list[str]:
        raise NotImplementedError

    def handle(self, *args, event: str, file: Path, dry_run: bool, **options):
        found = Event.objects.select_related("cluster").filter(slug=event).first()
        if found is None:
            raise CommandError(f"No event with the slug {event!r}.")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            rows = self.read(file, found)
            summary = self.write(found, rows, dry_run)
        except ImportRefused as exc:
            raise CommandError(
                f"{file.name}: {len(exc.errors)} problem(s), nothing was imported:\n"
                + "\n".join(exc.errors)
            ) from exc
        self.stdout.write("\n".join(self.report(file, found, summary, dry_run)))
