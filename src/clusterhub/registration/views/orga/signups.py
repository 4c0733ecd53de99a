"""Sign-up administration: the sessions that need sign-up with their seats and queues; per
session, the confirmed list and the waitlist, capacity, moving, removing and adding people."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from clusterhub.events.models import Event, Session
from clusterhub.registration import selectors, services
from clusterhub.registration.forms.orga import (
    SessionCapacityForm,
    SignUpAddForm,
    SignUpMoveForm,
    session_label,
)
from clusterhub.registration.models import SignUp, SignUpStatus
from clusterhub.registration.views.orga.access import MANAGE, event_view

TAB = "signups"
SEARCH_MIN_LENGTH = 2


def _session_or_404(event: Event, pk: int) -> Session:
    return get_object_or_404(selectors.signup_sessions_for_event(event=event), pk=pk)


@event_view(MANAGE)
@require_GET
def signups(request: HttpRequest, event: Event) -> HttpResponse:
    """One query for the sessions with their counts, whatever their number."""
    sessions = list(selectors.signup_sessions_for_event(event=event))
    for session in sessions:
        session.free = max((session.capacity or 0) - session.confirmed, 0)
    return render(
        request,
        "registration/orga/signups.html",
        {"event": event, "sessions": sessions, "tab": TAB},
    )


def render_session(
    request: HttpRequest,
    event: Event,
    session: Session,
    *,
    capacity_form: SessionCapacityForm | None = None,
    add_form: SignUpAddForm | None = None,
    move_form: SignUpMoveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The session's page; a refused form comes back with its errors (status 400)."""
    rows = list(selectors.signups_for_session(session=session))
    confirmed = [s for s in rows if s.status == SignUpStatus.CONFIRMED]
    waitlist = [s for s in rows if s.status == SignUpStatus.WAITLISTED]
    targets = [
        (s.pk, session_label(s, event))
        for s in selectors.signup_sessions_for_event(event=event)
        if s.pk != session.pk
    ]
    return render(
        request,
        "registration/orga/signup_session.html",
        {
            "event": event,
            "session": session,
            "confirmed": confirmed,
            "waitlist": waitlist,
            "free": max((session.capacity or 0) - len(confirmed), 0),
            "targets": targets,
            "capacity_form": capacity_form
            or SessionCapacityForm(initial={"capacity": session.capacity}),
            "add_form": add_form or SignUpAddForm(event=event),
            "move_form": move_form,
            "tab": TAB,
        },
        status=status,
    )


@event_view(MANAGE)
@require_GET
def signup_session(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    return render_session(request, event, _session_or_404(event, pk))


def _promoted_message(request: HttpRequest, promoted: list[SignUp]) -> None:
    if promoted:
        names = ", ".join(s.registration.person.full_name for s in promoted)
        messages.info(
            request,
            ngettext(
                "%(count)d person promoted from the waitlist and told by email: %(names)s.",
                "%(count)d people promoted from the waitlist and told by email: %(names)s.",
                len(promoted),
            )
            % {"count": len(promoted), "names": names},
        )


@event_view(MANAGE)
@require_POST
def signup_capacity(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    """Raising the seats promotes from the waitlist; lowering below the seats taken is refused."""
    session = _session_or_404(event, pk)
    form = SessionCapacityForm(request.POST)
    promoted = form.save(session=session, actor=request.user) if form.is_valid() else None
    if promoted is None:
        return render_session(request, event, session, capacity_form=form, status=400)
    messages.success(
        request, _("“%(title)s” now has %(seats)d seats.") % {
            "title": session.title, "seats": form.cleaned_data["capacity"]
        },
    )  # fmt: skip
    _promoted_message(request, promoted)
    return redirect("orga_registration:signup_session", event.slug, session.pk)


@event_view(MANAGE)
@require_POST
def signup_add(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    session = _session_or_404(event, pk)
    form = SignUpAddForm(request.POST, event=event)
    signup = form.save(session=session, actor=request.user) if form.is_valid() else None
    if signup is None:
        return render_session(request, event, session, add_form=form, status=400)
    person = signup.registration.person.full_name
    if signup.status == SignUpStatus.CONFIRMED:
        messages.success(request, _("%(person)s has a seat.") % {"person": person})
    else:
        messages.success(
            request, _("The session is full: %(person)s is on the waitlist.") % {"person": person}
        )
    return redirect("orga_registration:signup_session", event.slug, session.pk)


@event_view(MANAGE)
@require_GET
def signup_search(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    """Registered people matching `?find=` who are not signed up here yet (htmx partial)."""
    session = _session_or_404(event, pk)
    query = request.GET.get("find", "").strip()
    return render(
        request,
        "registration/orga/signup_session.html#person-results",
        {
            "event": event,
            "session": session,
            "results": selectors.registrations_to_sign_up(session=session, query=query),
            "too_short": len(query) < SEARCH_MIN_LENGTH,
        },
    )


def _signup_or_404(session: Session, signup_pk: int) -> SignUp:
    return get_object_or_404(
        SignUp.objects.select_related("registration__person", "session"),
        session=session,
        pk=signup_pk,
    )


@event_view(MANAGE)
@require_POST
def signup_move(request: HttpRequest, event: Event, pk: int, signup_pk: int) -> HttpResponse:
    """Moves a person to another session: a seat there or its waitlist, by the usual rules.
    Refused as a whole (e.g. an overlap there) the person keeps the place they had."""
    session = _session_or_404(event, pk)
    signup = _signup_or_404(session, signup_pk)
    form = SignUpMoveForm(request.POST, session=session)
    moved = form.save(signup=signup, actor=request.user) if form.is_valid() else None
    if moved is None:
        return render_session(request, event, session, move_form=form, status=400)
    place = _("a seat") if moved.status == SignUpStatus.CONFIRMED else _("a waitlist place")
    messages.success(
        request,
        _("%(person)s moved to “%(title)s”, with %(place)s.")
        % {"person": signup.registration.person.full_name, "title": moved.session.title,
           "place": place},
    )  # fmt: skip
    return redirect("orga_registration:signup_session", event.slug, session.pk)


@event_view(MANAGE)
@require_POST
def signup_remove(request: HttpRequest, event: Event, pk: int, signup_pk: int) -> HttpResponse:
    """Removes a person; a freed seat goes to the first person on the waitlist at once."""
    session = _session_or_404(event, pk)
    signup = _signup_or_404(session, signup_pk)
    promoted = services.signup_cancel(signup=signup, actor=request.user)
    messages.success(
        request,
        _("%(person)s removed from “%(title)s”.")
        % {"person": signup.registration.person.full_name, "title": session.title},
    )
    _promoted_message(request, promoted)
    return redirect("orga_registration:signup_session", event.slug, session.pk)
