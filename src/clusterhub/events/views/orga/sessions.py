"""The programme in the back office: the session list, adding, changing, deleting sessions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterhub.events import services
from clusterhub.events.forms import PersonCreateForm, SessionForm, SessionRoleForm
from clusterhub.events.models import Event, Session
from clusterhub.events.selectors import session_detail, sessions_for_orga
from clusterhub.events.views.orga.access import event_view, form_data


@dataclass
class ProgrammeRow:
    session: Session
    parts: list[Session] = field(default_factory=list)


def _rows_by_day(event: Event, sessions: Iterable[Session]) -> list[tuple[date, list]]:
    """Top-level sessions with their parts under them, grouped by day in the event's time
    zone. Grouped here rather than by ordering, as databases sort the parents' NULL part
    numbers differently."""
    parts: dict[int, list[Session]] = defaultdict(list)
    tops: list[Session] = []
    for session in sessions:
        (parts[session.parent_id] if session.parent_id else tops).append(session)
    days: dict[date, list[ProgrammeRow]] = {}
    for session in tops:
        row_parts = sorted(parts[session.pk], key=lambda p: (p.part_order or 0, p.start, p.pk))
        day = session.start.astimezone(event.tzinfo).date()
        days.setdefault(day, []).append(ProgrammeRow(session, row_parts))
    return sorted(days.items())


def session_or_404(event: Event, pk: object, *, top_level: bool = False) -> Session:
    """A session of `event` only: the id of another event's session answers 404."""
    try:
        session = session_detail(event=event, pk=int(str(pk)))
    except (ValueError, Session.DoesNotExist) as exc:
        raise Http404 from exc
    if top_level and session.parent_id is not None:
        raise Http404
    return session


def render_session_edit(
    request: HttpRequest,
    event: Event,
    session: Session,
    *,
    form: SessionForm | None = None,
    role_form: SessionRoleForm | None = None,
    person_form: PersonCreateForm | None = None,
) -> HttpResponse:
    """The session page: its details, its people (add, remove, create) and its parts."""
    return render(
        request,
        "events/orga/session_edit.html",
        {
            "event": event,
            "session": session,
            "tab": "sessions",
            "form": form or SessionForm(event=event, instance=session),
            "role_form": role_form or SessionRoleForm(cluster=event.cluster),
            "person_form": person_form or PersonCreateForm(prefix="new"),
        },
    )


@event_view()
def sessions(request: HttpRequest, event: Event) -> HttpResponse:
    """Every session and part by day; four queries whatever the size of the programme."""
    session_list = list(sessions_for_orga(event=event))
    return render(
        request,
        "events/orga/sessions.html",
        {
            "event": event,
            "days": _rows_by_day(event, session_list),
            "session_count": len(session_list),
            "tab": "sessions",
        },
    )


@event_view()
def session_create(request: HttpRequest, event: Event) -> HttpResponse:
    """A new session; with `?parent=<id>` (a top-level session of this event) a new part. An
    empty `?parent=` means no parent, like the form's "none" choice."""
    parent = None
    if request.GET.get("parent"):
        parent = session_or_404(event, request.GET["parent"], top_level=True)
    form = SessionForm(form_data(request), event=event, parent=parent)
    if request.method == "POST" and form.is_valid():
        session = form.save(actor=request.user)
        if session is not None:
            messages.success(request, _("Session saved. Now add its speakers."))
            return redirect(reverse("orga:session_edit", args=[event.slug, session.pk]) + "#people")
    return render(
        request,
        "events/orga/session_form.html",
        {
            "event": event,
            "form": form,
            "parent": parent,
            "tab": "sessions",
        },
    )


@event_view()
def session_edit(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    session = session_or_404(event, pk)
    form = SessionForm(form_data(request), event=event, instance=session)
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Session saved."))
        return redirect(reverse("orga:sessions", args=[event.slug]) + f"#session-{session.pk}")
    return render_session_edit(request, event, session, form=form)


@event_view()
def session_delete(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    """GET asks for confirmation, POST deletes the session and its parts."""
    session = session_or_404(event, pk)
    if request.method == "POST":
        services.session_delete(session=session, actor=request.user)
        messages.success(request, _("Session “%(title)s” deleted.") % {"title": session.title})
        return redirect("orga:sessions", event.slug)
    parts = len(session.parts.all())
    consequence = ""
    if parts:
        consequence = ngettext(
            "Its %(count)d part goes too.", "Its %(count)d parts go too.", parts
        ) % {"count": parts}
    return render(
        request,
        "events/orga/confirm_delete.html",
        {
            "event": event,
            "object": session,
            "tab": "sessions",
            "cancel_url": reverse("orga:session_edit", args=[event.slug, session.pk]),
            "consequence": consequence,
        },
    )
