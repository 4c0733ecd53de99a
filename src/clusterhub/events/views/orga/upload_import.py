"""The organiser's file import page, shared by the programme and the participant imports:
upload a CSV or XLSX file, see a dry run (the counts, every bad row and column in plain words,
the first rows), then commit it all or nothing, through exactly the functions the matching
command uses.

Between the preview and the commit the uploaded bytes wait in a file under `VAR_DIR/<store>/`,
named by a random token kept in the user's session together with the event and the user; the
browser only echoes the token, never a path. Uploads nobody committed are swept after a day.

An import is described by a `FileImport` (what to read, how to run it, what to show); its
`view` is the page, to be wrapped in the event's access decorator by the app that owns it."""

from __future__ import annotations

import io
import re
import secrets
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings as django_settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterhub.common.tabular import ImportRefused
from clusterhub.events.models import Event

MAX_BYTES = 5 * 1024 * 1024
MAX_XLSX_UNPACKED = 100 * 1024 * 1024  # a workbook is a zip: refuse zip bombs
XLSX_MAGIC = b"PK\x03\x04"
SUFFIXES = (".csv", ".xlsx")
ROWS_SHOWN = 10
STALE_SECONDS = 24 * 3600
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{32}")


def content_problem(upload, suffix: str) -> str | None:
    """Why the uploaded bytes are not what the name says (None when they are), checked before
    anything is stored: a .csv must be UTF-8 text without NUL bytes, a .xlsx a zip archive
    that unpacks to at most MAX_XLSX_UNPACKED bytes and that openpyxl opens as a workbook.
    The message has a `%(name)s` placeholder for the file name."""
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    upload.seek(0)
    if suffix == ".csv":
        if b"\x00" in data:
            return _("%(name)s: not a CSV text file (it contains binary data).")
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return _("%(name)s: not UTF-8 text; save it as “CSV UTF-8” and upload it again.")
        return None
    if not data.startswith(XLSX_MAGIC) or not zipfile.is_zipfile(io.BytesIO(data)):
        return _(
            "%(name)s: not a readable XLSX file (the content is not a workbook, whatever the "
            "name says)."
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_XLSX_UNPACKED:
            return _("%(name)s: not importable: the workbook unpacks to more than 100 MB.")
        from openpyxl import load_workbook

        load_workbook(io.BytesIO(data), read_only=True, data_only=True).close()
    except Exception:  # zipfile and openpyxl raise many kinds on a damaged file
        return _("%(name)s: not a readable XLSX file (the workbook is damaged).")
    return None


def upload_form_class(label: str | Promise) -> type[forms.Form]:
    """A form with one CSV/XLSX file field of at most 5 MB."""

    class UploadForm(forms.Form):
        file = forms.FileField(
            label=label,
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
            problem = content_problem(upload, Path(upload.name).suffix.lower())
            if problem:
                raise forms.ValidationError(problem % {"name": upload.name})
            return upload

    return UploadForm


@dataclass(frozen=True)
class FileImport:
    """One kind of import. `read(path, event)` turns the file into rows and `run(event, rows,
    actor, dry_run)` checks or writes them, both raising `ImportRefused` with every problem;
    `preview(rows)` gives the first rows' table cells, `done(file_name, summary)` the message
    after the commit. `url_name` is this page, `done_url_name` where the commit leads."""

    store: str
    session_key: str
    template: str
    tab: str
    header: Sequence[str]
    form_label: str | Promise
    url_name: str
    done_url_name: str
    read: Callable[[Path, Event], list]
    run: Callable[..., Any]
    preview: Callable[[Any], dict]
    done: Callable[[str, Any], str]

    @property
    def form_class(self) -> type[forms.Form]:
        return upload_form_class(self.form_label)

    # --- the stored upload -------------------------------------------------------------------

    def store_dir(self) -> Path:
        return Path(django_settings.VAR_DIR) / self.store

    def _sweep(self) -> None:
        """Forget uploads nobody committed within a day."""
        folder = self.store_dir()
        if not folder.is_dir():
            return
        limit = time.time() - STALE_SECONDS
        for path in folder.iterdir():
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)

    def _save(self, request: HttpRequest, event: Event, upload) -> Path:
        self._discard(request)
        self._sweep()
        token = secrets.token_urlsafe(24)  # 32 characters of [A-Za-z0-9_-]
        suffix = Path(upload.name).suffix.lower()
        folder = self.store_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{token}{suffix}"
        with path.open("xb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        request.session[self.session_key] = {
            "token": token, "suffix": suffix, "name": Path(upload.name).name,
            "event": event.pk, "user": request.user.pk, "ready": False,
        }  # fmt: skip
        return path

    def _stored(self, request: HttpRequest, event: Event, token: str) -> tuple[dict, Path] | None:
        """The upload this user previewed for this event, if `token` names it and it exists."""
        kept = request.session.get(self.session_key)
        if (
            not isinstance(kept, dict)
            or kept.get("event") != event.pk
            or kept.get("user") != request.user.pk
            or kept.get("suffix") not in SUFFIXES
            or not TOKEN_RE.fullmatch(str(kept.get("token", "")))
            or not secrets.compare_digest(str(kept["token"]), token)
        ):
            return None
        path = self.store_dir() / f"{kept['token']}{kept['suffix']}"
        return (kept, path) if path.is_file() else None

    def _discard(self, request: HttpRequest) -> None:
        kept = request.session.pop(self.session_key, None)
        if isinstance(kept, dict) and kept.get("suffix") in SUFFIXES:
            token = str(kept.get("token", ""))
            if TOKEN_RE.fullmatch(token):
                (self.store_dir() / f"{token}{kept['suffix']}").unlink(missing_ok=True)

    # --- the page ----------------------------------------------------------------------------

    def _render(self, request: HttpRequest, event: Event, context: dict, status: int = 200):
        context = {"event": event, "tab": self.tab, "header": ",".join(self.header), **context}
        return render(request, self.template, context, status=status)

    @staticmethod
    def _errors(exc: ImportRefused, path: Path, name: str) -> list[str]:
        """The refusal in the organiser's words: a whole-file problem is named after their
        file, not after the stored copy."""
        prefix = path.name + ":"
        return [name + e[len(path.name) :] if e.startswith(prefix) else e for e in exc.errors]

    def _preview(self, request: HttpRequest, event: Event) -> HttpResponse:
        form = self.form_class(request.POST, request.FILES)
        if not form.is_valid():
            self._discard(request)
            return self._render(request, event, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        path = self._save(request, event, upload)
        context: dict = {"form": self.form_class(), "file_name": Path(upload.name).name}
        try:
            rows = self.read(path, event)
            summary = self.run(event=event, rows=rows, actor=request.user, dry_run=True)
        except ImportRefused as exc:
            self._discard(request)
            context["errors"] = self._errors(exc, path, context["file_name"])
            return self._render(request, event, context)
        kept = request.session[self.session_key]
        kept["ready"] = True
        request.session.modified = True
        context |= {
            "summary": summary,
            "rows": [self.preview(row) for row in rows[:ROWS_SHOWN]],
            "more_rows": max(0, len(rows) - ROWS_SHOWN),
            "token": kept["token"],
        }
        return self._render(request, event, context)

    def _commit(self, request: HttpRequest, event: Event) -> HttpResponse:
        found = self._stored(request, event, request.POST.get("token", ""))
        if found is None or not found[0].get("ready"):
            messages.error(
                request, _("There is no checked file to import any more; please upload it again.")
            )
            return redirect(self.url_name, event.slug)
        kept, path = found
        try:
            rows = self.read(path, event)
            summary = self.run(event=event, rows=rows, actor=request.user, dry_run=False)
        except ImportRefused as exc:
            # Something changed since the preview (a room was taken, the event filled up).
            self._discard(request)
            context = {
                "form": self.form_class(),
                "file_name": kept["name"],
                "errors": self._errors(exc, path, kept["name"]),
            }
            return self._render(request, event, context, status=400)
        self._discard(request)
        messages.success(request, self.done(kept["name"], summary))
        return redirect(self.done_url_name, event.slug)

    def view(self, request: HttpRequest, event: Event) -> HttpResponse:
        """GET: the upload form. POST `preview`: a dry run of the uploaded file. POST
        `commit`: import the previewed file, all rows or none. POST `cancel`: forget it."""
        if request.method == "POST":
            if "commit" in request.POST:
                return self._commit(request, event)
            if "cancel" in request.POST:
                self._discard(request)
                return redirect(self.url_name, event.slug)
            return self._preview(request, event)
        return self._render(request, event, {"form": self.form_class()})
