"""`python -m clusterhub report EVENT [--html FILE] [--pdf FILE] [--language CODE]`: write the
event's highlights report (published or not: this is the server's operator) as one
self-contained HTML file and/or an A4 PDF. Without a file it prints the key figures."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from clusterhub.events.models import Event
from clusterhub.reports import rendering, selectors
from clusterhub.reports.content import report_content
from clusterhub.reports.templatetags.report_figures import figure


class Command(BaseCommand):
    help = (
        "Write the highlights report of EVENT (its short name) as HTML and/or PDF. With "
        "neither --html nor --pdf, print the report's figures for project reporting."
    )

    def add_arguments(self, parser):
        parser.add_argument("event", metavar="EVENT", help="the event's short name (slug)")
        parser.add_argument("--html", metavar="FILE", type=Path, help="write the HTML here")
        parser.add_argument("--pdf", metavar="FILE", type=Path, help="write the PDF here")
        parser.add_argument(
            "--language", metavar="CODE", default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the report (default %(default)s)",
        )  # fmt: skip

    def handle(self, *args, event: str, html: Path | None, pdf: Path | None, language: str,
               **options):  # fmt: skip
        found = Event.objects.select_related("cluster__organisation").filter(slug=event).first()
        if found is None:
            raise CommandError(f"No event with the short name “{event}”.")
        for target in (html, pdf):
            if target is not None and not target.parent.resolve().is_dir():
                raise CommandError(
                    f"Cannot write {target}: the folder {target.parent} does not exist."
                )
        report = selectors.report_for_event(event=found)
        state = "published" if report.is_published and found.is_published else "not published"
        with translation.override(language):
            if html is None and pdf is None:
                self._figures(found, report)
                return
            if html is not None:
                self._write(html, rendering.report_html(found, report=report).encode())
            if pdf is not None:
                try:
                    data = rendering.report_pdf(found, report=report)
                except rendering.ReportPdfUnavailable as exc:
                    raise CommandError(
                        f"Cannot make the PDF: WeasyPrint or the Pango library is missing ({exc})."
                    ) from exc
                self._write(pdf, data)
        self.stdout.write(f"Report of “{found.name}” ({state}).")

    def _write(self, target: Path, data: bytes) -> None:
        try:
            target.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {target}: {exc.strerror or exc}.") from exc
        self.stdout.write(f"  Wrote {target} ({len(data) / 1024:,.0f} KiB).")

    def _figures(self, event: Event, report) -> None:
        content = report_content(event=event, report=report)
        self.stdout.write(f"{content.title}")
        width = max(len(row.label) for row in content.indicators)
        for row in content.indicators:
            self.stdout.write(f"  {row.label:<{width}}  {figure(row)}")
