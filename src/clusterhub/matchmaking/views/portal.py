"""The participant's matchmaking pages, under /events/<slug>/matchmaking/ (namespace
`matchmaking`): recommendations with reasons, my profile and consent, browsing people,
marks, meeting requests and answers.

Answers like the registration portal (`portal_view`): 404 where the public event pages are
404, the login page for anonymous visitors. A participant acts only as their own
registration. Other people's profiles are shown only to a participant who shares their own
(confirmed, with the matchmaking consent) while the organiser keeps matchmaking open, and only
the profiles of people who share theirs: anybody else's id answers 404. A request is answered
by its recipient and withdrawn by its sender only; another's id answers 404. Writes are POST
with CSRF; a refusal comes back as a message, never a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clusterhub.events.models import Event
from clusterhub.matchmaking import printing, selectors, services
from clusterhub.matchmaking.forms import (
    AnswerForm,
    BrowseForm,
    MeetingRequestForm,
    ProfileForm,
)
from clusterhub.matchmaking.models import (
    MarkKind,
    MatchProfile,
    MeetingRequest,
    MeetingRequestStatus,
    Objective,
)
from clusterhub.registration import services as registration_services
from clusterhub.registration.models import Registration, RegistrationStatus
from clusterhub.registration.views.portal import own_registration, portal_view

PAGE_SIZE = 24


def _render(request: HttpRequest, event: Event, template: str, context: dict, status: int = 200):
    return render(
        request, template, {"event": event, "section": "matchmaking", **context}, status=status
    )


def _matchable(registration: Registration | None) -> bool:
    return (
        registration is not None
        and registration.status == RegistrationStatus.CONFIRMED
        and registration.consent_matchmaking_at is not None
    )


def _participant_or_404(request: HttpRequest, event: Event) -> Registration:
    """The user's own registration, sharing a profile, with matchmaking open; else 404."""
    registration = own_registration(request, event)
    if not _matchable(registration) or not selectors.matchmaking_settings_for(event=event).is_open:
        raise Http404
    assert registration is not None
    return registration


def _cards(registration: Registration, pairs: list) -> list[dict]:
    """Cards for `pairs` of (other registration, recommendation or None), with my mark and
    our open request on each (two queries)."""
    marks = selectors.marks_given(registration=registration)
    open_requests = selectors.request_states_with(registration=registration)
    return [
        {
            "other": other,
            "recommendation": recommendation,
            "mark": marks.get(other.pk),
            "open_request": open_requests.get(other.pk),
        }
        for other, recommendation in pairs
    ]


def _back(request: HttpRequest, event: Event, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@portal_view()
def home(request: HttpRequest, event: Event) -> HttpResponse:
    """My recommendations with their reasons, or what stands between me and them."""
    registration = own_registration(request, event)
    settings = selectors.matchmaking_settings_for(event=event)
    context: dict = {"registration": registration, "settings": settings}
    if _matchable(registration) and settings.is_open:
        assert registration is not None
        recommendations = selectors.recommendations_for_registration(registration=registration)
        context |= {
            "cards": _cards(registration, [(r.other, r) for r in recommendations]),
            "has_profile": MatchProfile.objects.filter(registration=registration).exists(),
            "waiting": selectors.meeting_requests_of(registration=registration)
            .filter(recipient=registration, status=MeetingRequestStatus.PENDING)
            .count(),
        }
    return _render(request, event, "matchmaking/portal/home.html", context)


@portal_view()
def profile(request: HttpRequest, event: Event) -> HttpResponse:
    """Edit my profile (prefilled from the directory the first time)."""
    registration = own_registration(request, event)
    if registration is None:
        return redirect("portal:register", event.slug)
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        registration=registration,
        profile=selectors.profile_of(registration=registration),
    )
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Your matchmaking profile is saved."))
        return redirect("matchmaking:home", event.slug)
    status = 400 if form.is_bound else 200
    return _render(
        request, event, "matchmaking/portal/profile.html",
        {"form": form, "registration": registration}, status=status,
    )  # fmt: skip


@portal_view()
@require_POST
def consent(request: HttpRequest, event: Event) -> HttpResponse:
    """Share my profile for matchmaking (`give=1`) or stop sharing it."""
    registration = own_registration(request, event)
    if registration is None:
        raise Http404
    give = request.POST.get("give") == "1"
    registration_services.registration_matchmaking_consent_set(
        registration=registration, consent=give, actor=request.user
    )
    if give:
        messages.success(request, _("Your profile is shared with the other participants."))
    else:
        messages.success(
            request,
            _("Your profile is hidden: nobody sees it or gets you recommended any more."),
        )
    return redirect("matchmaking:home", event.slug)


@portal_view()
def people(request: HttpRequest, event: Event) -> HttpResponse:
    """Browse and filter the profiles shared at this event."""
    registration = _participant_or_404(request, event)
    form = BrowseForm(request.GET or None, event=event)
    ids = selectors.profiles_browse(event=event, viewer=registration, **form.filters())
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "cards": _cards(
            registration,
            [
                (p.registration, None)
                for p in selectors.profiles_by_registration(event=event, ids=list(page.object_list))
            ],
        ),
        "total": len(ids),
        "query": query.urlencode(),
    }
    return _render(request, event, "matchmaking/portal/people.html", context)


@portal_view()
def person(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    """One shared profile: what they offer and need, why they were recommended to me, my
    mark, and the request form or the state of our request."""
    registration = _participant_or_404(request, event)
    found = selectors.profile_visible(event=event, registration_id=pk, viewer=registration)
    if found is None or pk == registration.pk:
        raise Http404
    recommendation = (
        selectors.recommendations_for_registration(registration=registration)
        .filter(other_id=pk)
        .first()
    )
    context = {
        "profile": found,
        "other": found.registration,
        "recommendation": recommendation,
        "mark": selectors.marks_given(registration=registration).get(pk),
        "open_request": selectors.request_states_with(registration=registration).get(pk),
        "form": MeetingRequestForm(),
        "objectives": [Objective(o).label for o in found.objectives if o in Objective.values],
        "taxonomy": {t.casefold() for t in selectors.matchmaking_settings_for(event=event).tags},
    }
    return _render(request, event, "matchmaking/portal/person.html", context)


def _other_or_404(event: Event, pk: int, viewer: Registration) -> Registration:
    found = selectors.profile_visible(event=event, registration_id=pk, viewer=viewer)
    if found is None:
        raise Http404
    return found.registration


@portal_view()
@require_POST
def mark(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    """Mark a person must-meet or no-thanks (`kind`), or clear the mark (`kind` empty)."""
    registration = _participant_or_404(request, event)
    other = _other_or_404(event, pk, registration)
    kind = request.POST.get("kind") or None
    try:
        services.mark_set(
            from_registration=registration, to_registration=other, kind=kind, actor=request.user
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        name = other.person.full_name
        if kind == MarkKind.MUST_MEET:
            messages.success(request, _("%(name)s is on your must-meet list.") % {"name": name})
        elif kind == MarkKind.NO_THANKS:
            messages.success(
                request, _("You will not be recommended to meet %(name)s.") % {"name": name}
            )
        else:
            messages.success(request, _("Mark removed."))
    return _back(request, event, reverse("matchmaking:person", args=[event.slug, pk]))


@portal_view()
@require_POST
def request_send(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    registration = _participant_or_404(request, event)
    other = _other_or_404(event, pk, registration)
    form = MeetingRequestForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_request_send(
                sender=registration, recipient=other, message=form.cleaned_data["message"],
                actor=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("Your request is sent to %(name)s. We will email you their answer.")
                % {"name": other.person.full_name},
            )
            return redirect("matchmaking:requests", event.slug)
    else:
        messages.error(request, form.errors["message"][0])
    return redirect("matchmaking:person", event.slug, pk)


@portal_view()
def requests(request: HttpRequest, event: Event) -> HttpResponse:
    """The meeting requests I received and sent."""
    registration = own_registration(request, event)
    if registration is None:
        raise Http404
    mine = list(selectors.meeting_requests_of(registration=registration))
    context = {
        "registration": registration,
        "received": [r for r in mine if r.recipient_id == registration.pk],
        "sent": [r for r in mine if r.sender_id == registration.pk],
        "answer_form": AnswerForm(),
    }
    return _render(request, event, "matchmaking/portal/requests.html", context)


def _own_request_or_404(registration: Registration, pk: int, *, as_sender: bool):
    mine = Q(sender=registration) if as_sender else Q(recipient=registration)
    return get_object_or_404(MeetingRequest.objects.filter(mine), pk=pk)


@portal_view()
@require_POST
def request_answer(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    registration = own_registration(request, event)
    if registration is None:
        raise Http404
    meeting_request = _own_request_or_404(registration, pk, as_sender=False)
    form = AnswerForm(request.POST)
    accept = request.POST.get("decision") == "accept"
    if request.POST.get("decision") not in ("accept", "decline"):
        messages.error(request, _("Choose to accept or decline."))
    elif not form.is_valid():
        messages.error(request, form.errors["response"][0])
    else:
        try:
            services.meeting_request_answer(
                request=meeting_request, accept=accept, response=form.cleaned_data["response"],
                actor=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                _("Accepted: the meeting goes on your list.")
                if accept
                else _("Declined. We let them know politely."),
            )
    return redirect("matchmaking:requests", event.slug)


@portal_view()
@require_POST
def request_cancel(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    registration = own_registration(request, event)
    if registration is None:
        raise Http404
    meeting_request = _own_request_or_404(registration, pk, as_sender=True)
    try:
        services.meeting_request_cancel(request=meeting_request, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Your request is withdrawn."))
    return redirect("matchmaking:requests", event.slug)


@portal_view()
def meetings(request: HttpRequest, event: Event) -> HttpResponse:
    """My published 1:1 meetings: when, where (table), with whom and why."""
    registration = own_registration(request, event)
    if registration is None:
        raise Http404
    rows, now = [], timezone.now()
    for meeting in selectors.meetings_for_registration(registration=registration):
        other = meeting.b if meeting.a_id == registration.pk else meeting.a
        rows.append({"meeting": meeting, "other": other, "started": meeting.start <= now})
    return _render(
        request, event, "matchmaking/portal/meetings.html",
        {"registration": registration, "rows": rows},
    )  # fmt: skip


@portal_view()
def meetings_pdf(request: HttpRequest, event: Event) -> HttpResponse:
    """My published meetings on one printable page."""
    registration = own_registration(request, event)
    if registration is None:
        raise Http404
    return printing.pdf_response(
        printing.participant_schedule_html(registration), f"{event.slug}-my-meetings.pdf",
        request=request,
    )  # fmt: skip
