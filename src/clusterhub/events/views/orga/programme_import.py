"""Importing a programme from the organiser pages (/orga/events/<slug>/sessions/import/):
upload a CSV or XLSX file, see a dry run (the counts, every bad row and column in plain words,
the first rows), then commit it all or nothing. The file is read and written by exactly the
functions the `import_programme` command uses (`events.programme_import`).

Between the preview and the commit the uploaded bytes wait in a file under
`VAR_DIR/programme-imports/`, named by a random token kept in the user's session together
with the event; the browser only echoes the token, never a path. Owners and organisers only
(`event_view(CHANGE)`)."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings as django_settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterhub.events.models import Event
from clusterhub.events.programme_import import (
    HEADER,
    ImportRefused,
    ProgrammeRow,
    programme_file_read,
    programme_import,
)
from clusterhub.events.views.orga.access import CHANGE, event_view

TAB = "sessions"
MAX_BYTES = 5 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx")
ROWS_SHOWN = 10
SESSION_KEY = "events_programme_import"
STORE = "programme-imports"
STALE_SECONDS = 24 * 3600
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{32}")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Programme file (CSV or XLSX)"),
        help_text=gettext_lazy("At most 5 MB; the first line is the header shown below."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise forms.ValidationError(
                _("%(name)s is neither a .csv nor a .xlsx file.") % {"name": upload.name}
            )
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("%(name)s is %(size).1f MB; files up to 5 MB can be imported.")
                % {"name": upload.name, "size": upload.size / (1024 * 1024)}
            )
        return upload


# --- the stored upload ------------------------------------------------------------------------


def _store_dir() -> Path:
    return Path(django_settings.VAR_DIR) / STORE


def _sweep() -> None:
    """Forget uploads nobody committed within a day."""
    folder = _store_dir()
    if not folder.is_dir():
        return
    limit = time.time() - STALE_SECONDS
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def _save(request: HttpRequest, event: Event, upload) -> Path:
    _discard(request)
    _sweep()
    token = secrets.token_urlsafe(24)  # 32 characters of [A-Za-z0-9_-]
    suffix = Path(upload.name).suffix.lower()
    folder = _store_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{token}{suffix}"
    with path.open("xb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    request.session[SESSION_KEY] = {
        "token": token, "suffix": suffix, "name": Path(upload.name).name,
        "event": event.pk, "user": request.user.pk, "ready": False,
    }  # fmt: skip
    return path


def _stored(request: HttpRequest, event: Event, token: str) -> tuple[dict, Path] | None:
    """The upload this user previewed for this event, if `token` names it and it still exists."""
    kept = request.session.get(SESSION_KEY)
    if (
        not isinstance(kept, dict)
        or kept.get("event") != event.pk
        or kept.get("user") != request.user.pk
        or kept.get("suffix") not in SUFFIXES
        or not TOKEN_RE.fullmatch(str(kept.get("token", "")))
        or not secrets.compare_digest(str(kept["token"]), token)
    ):
        return None
    path = _store_dir() / f"{kept['token']}{kept['suffix']}"
    return (kept, path) if path.is_file() else None


def _discard(request: HttpRequest) -> None:
    kept = request.session.pop(SESSION_KEY, None)
    if isinstance(kept, dict) and kept.get("suffix") in SUFFIXES:
        token = str(kept.get("token", ""))
        if TOKEN_RE.fullmatch(token):
            (_store_dir() / f"{token}{kept['suffix']}").unlink(missing_ok=True)


# --- the page ---------------------------------------------------------------------------------


def _render(request: HttpRequest, event: Event, context: dict, status: int = 200):
    context = {"event": event, "tab": TAB, "header": ",".join(HEADER), **context}
    return render(request, "events/orga/programme_import.html", context, status=status)


def _errors(exc: ImportRefused, path: Path, name: str) -> list[str]:
    """The refusal in the organiser's words: a whole-file problem is named after their file,
    not after the stored copy."""
    return [name + e[len(path.name) :] if e.startswith(path.name + ":") else e for e in exc.errors]


def _row_preview(rows: list[ProgrammeRow]) -> list[dict]:
    return [
        {
            "line": r.line, "title": r.title, "parent": r.parent_title, "day": r.day,
            "start": r.start, "end": r.end, "room": r.room.name if r.room else "",
            "speakers": ", ".join(p.full_name for p in r.speakers),
        }
        for r in rows[:ROWS_SHOWN]
    ]  # fmt: skip


def _preview(request: HttpRequest, event: Event) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        _discard(request)
        return _render(request, event, {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    path = _save(request, event, upload)
    context: dict = {"form": UploadForm(), "file_name": Path(upload.name).name}
    try:
        rows = programme_file_read(path, event=event)
        summary = programme_import(event=event, rows=rows, actor=request.user, dry_run=True)
    except ImportRefused as exc:
        _discard(request)
        context["errors"] = _errors(exc, path, context["file_name"])
        return _render(request, event, context)
    kept = request.session[SESSION_KEY]
    kept["ready"] = True
    request.session.modified = True
    context |= {
        "summary": summary,
        "rows": _row_preview(rows),
        "more_rows": max(0, len(rows) - ROWS_SHOWN),
        "token": kept["token"],
    }
    return _render(request, event, context)


def _commit(request: HttpRequest, event: Event) -> HttpResponse:
    found = _stored(request, event, request.POST.get("token", ""))
    if found is None or not found[0].get("ready"):
        messages.error(
            request, _("There is no checked file to import any more; please upload it again.")
        )
        return redirect("orga:programme_import", event.slug)
    kept, path = found
    try:
        rows = programme_file_read(path, event=event)
        summary = programme_import(event=event, rows=rows, actor=request.user)
    except ImportRefused as exc:
        # Something changed since the preview (a room was taken, a speaker booked).
        _discard(request)
        context = {
            "form": UploadForm(),
            "file_name": kept["name"],
            "errors": _errors(exc, path, kept["name"]),
        }
        return _render(request, event, context, status=400)
    _discard(request)
    messages.success(
        request,
        _("%(file)s imported: %(sessions)d sessions and %(parts)d parts added.")
        % {
            "file": kept["name"],
            "sessions": summary.sessions_created,
            "parts": summary.parts_created,
        },
    )
    return redirect("orga:sessions", event.slug)


@event_view(CHANGE)
def programme_import_view(request: HttpRequest, event: Event) -> HttpResponse:
    """GET: the upload form. POST `preview`: a dry run of the uploaded file. POST `commit`:
    import the previewed file, all rows or none. POST `cancel`: forget it."""
    if request.method == "POST":
        if "commit" in request.POST:
            return _commit(request, event)
        if "cancel" in request.POST:
            _discard(request)
            return redirect("orga:programme_import", event.slug)
        return _preview(request, event)
    return _render(request, event, {"form": UploadForm()})
