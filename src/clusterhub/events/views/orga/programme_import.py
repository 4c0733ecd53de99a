"""Importing a programme from the organiser pages (/orga/events/<slug>/sessions/import/):
the shared upload / dry-run preview / all-or-nothing commit page
(`events.views.orga.upload_import`), reading and writing with exactly the functions the
`import_programme` command uses (`events.programme_import`). Owners and organisers only
(`event_view(CHANGE)`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterhub.events.models import Event
from clusterhub.events.programme_import import (
    HEADER,
    ImportSummary,
    ProgrammeRow,
    programme_file_read,
    programme_import,
)
from clusterhub.events.views.orga.access import CHANGE, event_view
from clusterhub.events.views.orga.upload_import import FileImport

STORE = "programme-imports"


def _row(r: ProgrammeRow) -> dict:
    return {
        "line": r.line, "title": r.title, "parent": r.parent_title, "day": r.day,
        "start": r.start, "end": r.end, "room": r.room.name if r.room else "",
        "speakers": ", ".join(p.full_name for p in r.speakers),
    }  # fmt: skip


def _done(file_name: str, summary: ImportSummary) -> str:
    return _("%(file)s imported: %(sessions)d sessions and %(parts)d parts added.") % {
        "file": file_name,
        "sessions": summary.sessions_created,
        "parts": summary.parts_created,
    }


PROGRAMME_IMPORT = FileImport(
    store=STORE,
    session_key="events_programme_import",
    template="events/orga/programme_import.html",
    tab="sessions",
    header=HEADER,
    form_label=gettext_lazy("Programme file (CSV or XLSX)"),
    url_name="orga:programme_import",
    done_url_name="orga:sessions",
    read=lambda path, event: programme_file_read(path, event=event),
    run=programme_import,
    preview=_row,
    done=_done,
)


@event_view(CHANGE)
def programme_import_view(request: HttpRequest, event: Event) -> HttpResponse:
    """GET: the upload form; POST `preview`, `commit` or `cancel` (see `FileImport.view`)."""
    return PROGRAMME_IMPORT.view(request, event)
