"""The participant's pages of an event, under /events/<slug>/ (namespace `portal`): the
registration form; "my registration" with sign-ups, personal agenda, calendar address and
badge; and the sign-up box that the public session page loads with htmx.

Every page answers 404 where the public event pages do (a draft, to anyone outside the host
cluster's team). Pages that act for a person need a login. A participant only ever reaches
their own registration (`registration.change_own_registration`): a sign-up id in an address
is looked up among that registration's sign-ups and a session id among the event's sessions
that need sign-up, so somebody else's id, or another event's, answers 404 and changes
nothing. Writes are POST with CSRF; a refusal comes back as a message, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.events.models import Event, Session
from clusterhub.registration import selectors, services
from clusterhub.registration.agenda import agenda_items_for
from clusterhub.registration.badges import BadgeRenderingUnavailable, badge_pdf
from clusterhub.registration.forms.portal import RegistrationForm
from clusterhub.registration.models import (
    Answer,
    Registration,
    RegistrationStatus,
    SignUp,
    SignUpStatus,
)

OWN = "registration.change_own_registration"
PortalView = Callable[..., HttpResponse]


def portal_view(*, login: bool = True) -> Callable[[PortalView], PortalView]:
    """Load the event named by `slug`, 404 where the public pages would, send anonymous
    visitors to the login page (when `login`), and run the view in the event's time zone
    as `view(request, event, **kwargs)`. Put it above `require_POST`."""

    def decorator(view: PortalView) -> PortalView:
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, **kwargs: object) -> HttpResponse:
            event = get_object_or_404(
                Event.objects.select_related("cluster__organisation"), slug=slug
            )
            if not request.user.has_perm("events.view_event", event):
                raise Http404  # the same answer as an unknown slug: a draft stays secret
            if login and not request.user.is_authenticated:
                back = request.get_full_path() if request.method == "GET" else None
                return redirect_to_login(back or reverse("portal:me", args=[event.slug]))
            with timezone.override(event.tzinfo):
                return view(request, event, **kwargs)

        return wrapper

    return decorator


def own_registration(request: HttpRequest, event: Event) -> Registration | None:
    """The user's active registration for `event` (None without one)."""
    registration = selectors.registration_for_user(event=event, user=request.user)
    if registration is not None and not request.user.has_perm(OWN, registration):
        return None
    if registration is not None:
        registration.event = event  # the same row, already loaded
    return registration


def own_registration_or_404(request: HttpRequest, event: Event) -> Registration:
    registration = own_registration(request, event)
    if registration is None:
        raise Http404
    return registration


def _render(request: HttpRequest, event: Event, template: str, context: dict, status: int = 200):
    return render(
        request, template, {"event": event, "section": "registration", **context}, status=status
    )


def _back(request: HttpRequest, event: Event) -> HttpResponse:
    """Where a plain (non-htmx) form post returns: its safe `next`, else my registration."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("portal:me", event.slug)


# --- registering -----------------------------------------------------------------------------


@portal_view()
def register(request: HttpRequest, event: Event) -> HttpResponse:
    if own_registration(request, event) is not None:
        if request.method == "POST":  # a second click on "Register": nothing more to do
            messages.info(request, _("You are already registered for this event."))
        return redirect("portal:me", event.slug)
    person = selectors.person_for_user(user=request.user)
    form = RegistrationForm(
        request.POST if request.method == "POST" else None, event=event, person=person
    )
    if request.method == "POST" and form.is_valid():
        registration = form.save(user=request.user)
        if registration is not None:
            if registration.status == RegistrationStatus.PENDING:
                messages.success(
                    request,
                    _(
                        "Thank you: your registration is received and awaits the organisers' "
                        "approval. We will email you."
                    ),
                )
            else:
                messages.success(request, _("You are registered. Welcome!"))
            return redirect("portal:me", event.slug)
        if form.has_error(NON_FIELD_ERRORS, "already_registered"):  # a parallel double submit
            messages.info(request, _("You are already registered for this event."))
            return redirect("portal:me", event.slug)
    context = {
        "form": form,
        "state": services.registration_window_state(event=event),
        "places_left": selectors.registration_places_left(event=event),
        "config": selectors.registration_config_for(event=event),
        "ticket_count": form.ticket_count,
    }
    status = 400 if form.is_bound else 200  # a bound form shown again was refused
    return _render(request, event, "registration/portal/register.html", context, status=status)


# --- my registration -------------------------------------------------------------------------


def _answer_text(answer: Answer) -> str:
    value = answer.value
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@portal_view()
def me(request: HttpRequest, event: Event) -> HttpResponse:
    registration = own_registration(request, event)
    if registration is None:
        return redirect("portal:register", event.slug)
    signups = list(selectors.signups_for_registration(registration=registration))
    by_session = {signup.session_id: signup for signup in signups}
    offers = [
        SessionOffer.of(session, by_session.get(session.pk))
        for session in selectors.signup_sessions_for_event(event=event)
    ]
    tz = event.tzinfo
    agenda = [
        (session, by_session.get(session.pk))
        for session, _signup in selectors.agenda_for_registration(registration=registration)
    ]
    agenda_days = [
        (day, list(items))
        for day, items in groupby(agenda, key=lambda item: item[0].start.astimezone(tz).date())
    ]
    calendar_url = request.build_absolute_uri(
        reverse("calendar:agenda", args=[registration.calendar_token])
    )
    context = {
        "registration": registration,
        "answers": [
            (a.question.label, _answer_text(a))
            for a in selectors.answers_for_registration(registration=registration)
        ],
        "signups": signups,
        "offers": offers,
        "agenda_days": agenda_days,
        "calendar_url": calendar_url,
        "webcal_url": "webcal://" + calendar_url.split("://", 1)[1],
        "can_sign_up": registration.status == RegistrationStatus.CONFIRMED,
        "agenda_extras": agenda_items_for(registration),
    }
    return _render(request, event, "registration/portal/me.html", context)


@portal_view()
@require_POST
def cancel(request: HttpRequest, event: Event) -> HttpResponse:
    registration = own_registration_or_404(request, event)
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("portal:me", event.slug)
    messages.success(
        request,
        _("Your registration is cancelled. Any seats you had now go to the people waiting."),
    )
    return redirect("public:event", event.slug)


@portal_view()
@require_POST
def calendar_reset(request: HttpRequest, event: Event) -> HttpResponse:
    registration = own_registration_or_404(request, event)
    services.registration_calendar_token_reset(registration=registration, actor=request.user)
    messages.success(
        request,
        _("Your old calendar address no longer works. Subscribe again with the new one below."),
    )
    return redirect(reverse("portal:me", args=[event.slug]) + "#calendar")


@portal_view()
def badge(request: HttpRequest, event: Event) -> HttpResponse:
    registration = own_registration_or_404(request, event)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise Http404  # a badge only for a confirmed registration
    try:
        pdf = badge_pdf([registration])
    except BadgeRenderingUnavailable:
        return _render(request, event, "registration/portal/badge_unavailable.html", {}, 503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="badge-{event.slug}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- sign-ups --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionOffer:
    """A session that needs sign-up, as the participant sees it: seats left and their place."""

    session: Session  # from `signup_sessions_for_event`: annotated `confirmed`, `waitlisted`
    signup: SignUp | None

    @classmethod
    def of(cls, session: Session, signup: SignUp | None) -> SessionOffer:
        return cls(session=session, signup=signup)

    @property
    def seats_left(self) -> int:
        return max((self.session.capacity or 0) - self.session.confirmed, 0)

    @property
    def full(self) -> bool:
        return self.seats_left == 0


def signup_message(signup: SignUp) -> str:
    if signup.status == SignUpStatus.CONFIRMED:
        return _("You have a seat in “%(title)s”.") % {"title": signup.session.title}
    return _("“%(title)s” is full: you are number %(position)d on the waitlist.") % {
        "title": signup.session.title,
        "position": selectors.waitlist_position(signup=signup),
    }


def render_signup_box(
    request: HttpRequest,
    event: Event,
    session: Session,
    registration: Registration | None,
    *,
    message: str = "",
    ok: bool = True,
) -> HttpResponse:
    signup = None
    if registration is not None:
        signup = (
            selectors.signups_for_registration(registration=registration)
            .filter(session=session)
            .first()
        )
    context = {
        "event": event,
        "offer": SessionOffer.of(session, signup),
        "registration": registration,
        "message": message,
        "ok": ok,
        "session_url": reverse("public:session", args=[event.slug, session.pk]),
    }
    return render(request, "registration/portal/signup_box.html", context)


def _signup_session_or_404(event: Event, pk: int) -> Session:
    """A session of `event` that needs sign-up, with its seat counts."""
    try:
        return selectors.signup_sessions_for_event(event=event).get(pk=pk)
    except Session.DoesNotExist:
        raise Http404 from None


def _after_change(
    request: HttpRequest, event: Event, session_pk: int, message: str, ok: bool
) -> HttpResponse:
    if request.htmx:  # the box on the session page swaps itself for the new state
        session = _signup_session_or_404(event, session_pk)
        registration = own_registration(request, event)
        return render_signup_box(request, event, session, registration, message=message, ok=ok)
    (messages.success if ok else messages.error)(request, message)
    return _back(request, event)


@portal_view()
@require_POST
def signup(request: HttpRequest, event: Event, session_pk: int) -> HttpResponse:
    registration = own_registration_or_404(request, event)
    session = _signup_session_or_404(event, session_pk)
    try:
        created = services.signup_create(
            registration=registration, session=session, actor=request.user
        )
    except ValidationError as exc:
        return _after_change(request, event, session.pk, exc.messages[0], ok=False)
    return _after_change(request, event, session.pk, signup_message(created), ok=True)


@portal_view()
@require_POST
def signup_cancel(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    registration = own_registration_or_404(request, event)
    mine = get_object_or_404(
        SignUp.objects.select_related("session"), pk=pk, registration=registration
    )
    services.signup_cancel(signup=mine, actor=request.user)
    if mine.status == SignUpStatus.CONFIRMED:
        message = _("You gave up your seat in “%(title)s”.") % {"title": mine.session.title}
    else:
        message = _("You left the waitlist of “%(title)s”.") % {"title": mine.session.title}
    return _after_change(request, event, mine.session_id, message, ok=True)


@portal_view(login=False)
def signup_box(request: HttpRequest, event: Event, session_pk: int) -> HttpResponse:
    """The seats of a session, the visitor's place in it and the button to change it."""
    session = _signup_session_or_404(event, session_pk)
    registration = own_registration(request, event) if request.user.is_authenticated else None
    return render_signup_box(request, event, session, registration)
