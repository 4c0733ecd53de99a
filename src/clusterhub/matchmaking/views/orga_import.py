"""Importing participants from the organiser pages (/orga/events/<slug>/matchmaking/import/):
the shared upload / dry-run preview / all-or-nothing commit page
(`events.views.orga.upload_import`), reading and writing with exactly the functions the
`import_participants` command uses (`matchmaking.participant_import`). Owners and organisers
only (`event_view(CHANGE)`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterhub.events.models import Event
from clusterhub.events.views.orga.access import CHANGE, event_view
from clusterhub.events.views.orga.upload_import import FileImport
from clusterhub.matchmaking.participant_import import (
    HEADER,
    ImportSummary,
    ParticipantRow,
    participant_file_read,
    participants_import,
)

STORE = "participant-imports"


def _row(r: ParticipantRow) -> dict:
    return {
        "line": r.line, "name": f"{r.first_name} {r.last_name}", "email": r.email,
        "organisation": r.organisation, "country": r.country,
        "consent": r.consent_matchmaking,
    }  # fmt: skip


def _done(file_name: str, summary: ImportSummary) -> str:
    return _("%(file)s imported: %(new)d registered, %(known)d already there.") % {
        "file": file_name,
        "new": summary.registrations_created,
        "known": len(summary.already_registered),
    }


PARTICIPANT_IMPORT = FileImport(
    store=STORE,
    session_key="matchmaking_participant_import",
    template="matchmaking/orga/import.html",
    tab="matchmaking",
    header=HEADER,
    form_label=gettext_lazy("Participant file (CSV or XLSX)"),
    url_name="orga_matchmaking:participant_import",
    done_url_name="orga_matchmaking:overview",
    read=lambda path, _event: participant_file_read(path),
    run=participants_import,
    preview=_row,
    done=_done,
)


@event_view(CHANGE)
def participant_import(request: HttpRequest, event: Event) -> HttpResponse:
    """GET: the upload form; POST `preview`, `commit` or `cancel` (see `FileImport.view`)."""
    return PARTICIPANT_IMPORT.view(request, event)
