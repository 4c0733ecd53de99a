"""People in sessions: the person search, giving somebody a role, adding a new person."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clusterhub.directory.selectors import person_search as people_matching
from clusterhub.events import services
from clusterhub.events.forms import PersonCreateForm, SessionRoleForm
from clusterhub.events.models import Event, SessionRole
from clusterhub.events.views.orga.access import event_view
from clusterhub.events.views.orga.sessions import render_session_edit, session_or_404

SEARCH_MIN_LENGTH = 2
SEARCH_LIMIT = 10


def _people_url(event: Event, session_pk: int) -> str:
    return reverse("orga:session_edit", args=[event.slug, session_pk]) + "#people"


def _added(request: HttpRequest, role: SessionRole) -> None:
    messages.success(
        request,
        _("%(person)s added (%(role)s).")
        % {"person": role.person, "role": role.get_role_display()},
    )


@event_view()
@require_GET
def person_search(request: HttpRequest, event: Event) -> HttpResponse:
    """The cluster's contacts matching `?find=`, as radio buttons for the add-person form (an
    htmx partial). Nothing under two characters, and at most ten people: a picker, not a
    listing of the directory. Shows names, job titles and organisations, never email
    addresses; an email address matches only whole."""
    query = request.GET.get("find", "").strip()
    people, more = [], False
    if len(query) >= SEARCH_MIN_LENGTH:
        people = list(people_matching(cluster=event.cluster, query=query, limit=SEARCH_LIMIT + 1))
        people, more = people[:SEARCH_LIMIT], len(people) > SEARCH_LIMIT
    return render(
        request,
        "events/orga/session_edit.html#person-results",
        {
            "event": event,
            "people": people,
            "more": more,
            "query": query,
            "too_short": len(query) < SEARCH_MIN_LENGTH,
        },
    )


@event_view()
@require_POST
def session_role_add(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    session = session_or_404(event, pk)
    form = SessionRoleForm(request.POST, cluster=event.cluster)
    if form.is_valid():
        role = form.save(session=session, actor=request.user)
        if role is not None:
            _added(request, role)
            return redirect(_people_url(event, session.pk))
    return render_session_edit(request, event, session, role_form=form)


@event_view()
@require_POST
def session_person_create(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    session = session_or_404(event, pk)
    form = PersonCreateForm(request.POST, prefix="new")
    if form.is_valid():
        role = form.save(session=session, actor=request.user)
        if role is not None:
            _added(request, role)
            return redirect(_people_url(event, session.pk))
    return render_session_edit(request, event, session, person_form=form)


@event_view()
@require_POST
def session_role_remove(request: HttpRequest, event: Event, pk: int, role_pk: int) -> HttpResponse:
    role = get_object_or_404(
        SessionRole.objects.select_related("person", "session__event"),
        pk=role_pk,
        session_id=pk,
        session__event=event,
    )
    services.session_role_remove(session_role=role, actor=request.user)
    messages.success(request, _("%(person)s removed from this session.") % {"person": role.person})
    return redirect(_people_url(event, pk))
