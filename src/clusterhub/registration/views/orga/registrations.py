"""The registrations list (search, filters, counts, pages), one registration, and the
organiser's decisions: approve, reject, cancel."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clusterhub.events.models import Event
from clusterhub.registration import selectors, services
from clusterhub.registration.forms.orga import RegistrationFilterForm
from clusterhub.registration.models import Registration
from clusterhub.registration.views.orga.access import MANAGE, event_view

PAGE_SIZE = 50


def filter_query(request: HttpRequest) -> str:
    """The list's current filters as a query string (no page), for exports and page links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@event_view(MANAGE)
@require_GET
def registrations(request: HttpRequest, event: Event) -> HttpResponse:
    """A fixed number of queries whatever the number of registrations (see the tests)."""
    form = RegistrationFilterForm(request.GET or None, event=event)
    filters = form.filters()
    page = Paginator(selectors.registrations_for_event(event=event, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "registration/orga/registrations.html",
        {
            "event": event,
            "form": form,
            "filtered": bool(filters),
            "page": page,
            "counts": selectors.registration_status_counts(event=event),
            "query": filter_query(request),
            "list_url": request.get_full_path(),
            "tab": "registrations",
        },
    )


def _registration_or_404(event: Event, pk: int) -> Registration:
    try:
        return selectors.registration_detail(event=event, pk=pk)
    except Registration.DoesNotExist as exc:
        raise Http404 from exc


@event_view(MANAGE)
@require_GET
def registration_detail(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    registration = _registration_or_404(event, pk)
    return render(
        request,
        "registration/orga/registration_detail.html",
        {
            "event": event,
            "registration": registration,
            "answers": sorted(
                registration.answers.all(), key=lambda a: (a.question.position, a.question_id)
            ),
            "list_url": reverse("orga_registration:registrations", args=[event.slug]),
            "tab": "registrations",
        },
    )


def _back(request: HttpRequest, event: Event, registration: Registration) -> HttpResponse:
    """Back to where the organiser acted: the filtered list or the registration's page."""
    target = request.POST.get("next", "")
    prefix = reverse("orga_registration:registrations", args=[event.slug])
    if target.startswith(prefix) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}
    ):
        return redirect(target)
    return redirect("orga_registration:registration_detail", event.slug, registration.pk)


def _act(
    request: HttpRequest,
    event: Event,
    pk: int,
    action: Callable[[Registration], object],
    done: str,
) -> HttpResponse:
    registration = _registration_or_404(event, pk)
    try:
        action(registration)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done % {"person": registration.person.full_name})
    return _back(request, event, registration)


@event_view(MANAGE)
@require_POST
def registration_approve(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    return _act(
        request, event, pk,
        lambda r: services.registration_decide(registration=r, approve=True, actor=request.user),
        _("%(person)s is registered: approved, and told by email."),
    )  # fmt: skip


@event_view(MANAGE)
@require_POST
def registration_reject(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    return _act(
        request, event, pk,
        lambda r: services.registration_decide(registration=r, approve=False, actor=request.user),
        _("%(person)s's registration was rejected, and they were told by email."),
    )  # fmt: skip


@event_view(MANAGE)
@require_POST
def registration_cancel(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    """Cancels the registration and releases its seats, which go to the waitlists at once."""
    return _act(
        request, event, pk,
        lambda r: services.registration_cancel(registration=r, actor=request.user),
        _("%(person)s's registration was cancelled; their seats went to the waitlists."),
    )  # fmt: skip
