"""The highlights report as HTML (a page of the site, or one self-contained document) and as a
PDF made from that document with WeasyPrint.

WeasyPrint needs the Pango system library. It is imported only when a PDF is made, so the site
runs without it; `report_pdf` then raises `ReportPdfUnavailable` and pages answer 503.
"""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from clusterhub.events.models import Event
from clusterhub.reports import charts
from clusterhub.reports.content import ReportContent, report_content
from clusterhub.reports.models import Report


class ReportPdfUnavailable(RuntimeError):
    """WeasyPrint (or the Pango library under it) is not installed on this machine."""


class _SvgStyleNoise(logging.Filter):
    """WeasyPrint runs the HTML style cascade over inline SVG too and warns about every SVG
    presentation property (`fill`, `stroke`...) it meets there, though it then draws them
    right: hundreds of lines per report that hide real warnings."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Ignored `")


_NOISE = _SvgStyleNoise()


def report_charts(content: ReportContent) -> dict[str, SafeString]:
    """The report's charts by name, leaving out those without data."""
    found: dict[str, SafeString] = {}
    if content.by_type:
        found["by_type"] = charts.people_by_type_chart(
            content.by_type, title=_("Participants by stakeholder type")
        )
    if content.by_country:
        found["by_country"] = charts.people_by_country_chart(
            content.by_country, title=_("Participants by country"), others=_("Other countries")
        )
    m = content.kpis.meetings
    if m.requested or m.scheduled:
        funnel = [
            (_("Requested"), m.requested), (_("Accepted"), m.accepted),
            (_("Scheduled"), m.scheduled), (_("Held"), m.held),
        ]  # fmt: skip
        found["meetings"] = charts.meetings_chart(
            funnel, [(label, n) for _key, label, n in content.outcomes],
            title=_("1:1 meetings"), outcomes_title=_("What came of the meetings held"),
        )  # fmt: skip
    picture = content.who_met_whom
    if picture.pairs:
        found["who_met_whom"] = charts.who_met_whom_chart(
            picture.types, picture.matrix, title=_("Who met whom")
        )
    rated = [
        (label, summary.distribution) for label, summary in content.satisfaction if summary.count
    ]
    if rated:
        found["satisfaction"] = charts.satisfaction_chart(
            rated, title=_("How participants rated it"),
            scale=[_("1 poor"), "2", "3", "4", _("5 excellent")],
        )  # fmt: skip
    return found


def report_context(*, event: Event, report: Report | None = None, preview: bool) -> dict[str, Any]:
    """What the report's templates need: the content (`c`), the charts and whether this is a
    preview of a report the public cannot see yet. Render it in the event's time zone."""
    content = report_content(event=event, report=report)
    return {
        "c": content, "charts": report_charts(content), "preview": preview,
        "made_at": timezone.now(),
    }  # fmt: skip


def report_html(event: Event, *, report: Report | None = None, preview: bool = False) -> str:
    """The report as one self-contained HTML document (styles and charts inline, no link to
    fetch), in the active language and the event's time zone. Reads only."""
    with timezone.override(event.tzinfo):
        context = report_context(event=event, report=report, preview=preview)
        return render_to_string("reports/document.html", {"event": event, **context})


def _no_fetching(url: str, *args: Any, **kwargs: Any) -> dict:
    # Everything the document needs is inline; refusing the rest means no text an organiser
    # typed can make the server fetch an address.
    raise ValueError(f"the report does not load {url!r}")


def report_pdf(event: Event, *, report: Report | None = None, preview: bool = False) -> bytes:
    """The report as an A4 PDF. Raises `ReportPdfUnavailable` when WeasyPrint cannot be
    loaded. Reads only."""
    try:
        import weasyprint  # heavy, and needs Pango: loaded on first use
    except (ImportError, OSError) as exc:  # OSError: the Pango library is missing
        raise ReportPdfUnavailable(str(exc)) from exc
    html = report_html(event, report=report, preview=preview)
    logger = logging.getLogger("weasyprint")
    if _NOISE not in logger.filters:
        logger.addFilter(_NOISE)
    return weasyprint.HTML(string=html, url_fetcher=_no_fetching).write_pdf()


def pdf_filename(event: Event) -> str:
    return f"{event.slug}-highlights.pdf"
