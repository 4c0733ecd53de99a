"""Registration settings: the window, capacity and privacy notice; ticket types; questions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterhub.events.models import Event
from clusterhub.registration import selectors, services
from clusterhub.registration.forms.orga import (
    QuestionForm,
    RegistrationConfigForm,
    TicketTypeForm,
)
from clusterhub.registration.models import Question, TicketType
from clusterhub.registration.views.orga.access import MANAGE, event_view, form_data

TAB = "registration_settings"


def _settings_url(event: Event, anchor: str = "") -> str:
    return reverse("orga_registration:settings", args=[event.slug]) + anchor


@event_view(MANAGE)
def registration_settings(request: HttpRequest, event: Event) -> HttpResponse:
    """The settings form, with the ticket types and questions listed below it."""
    config = selectors.registration_config_for(event=event)
    form = RegistrationConfigForm(form_data(request), event=event, instance=config)
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Registration settings saved."))
        return redirect(_settings_url(event))
    return render(
        request,
        "registration/orga/settings.html",
        {
            "event": event,
            "form": form,
            "window": services.registration_window_state(event=event),
            "ticket_types": TicketType.objects.filter(event=event).annotate(
                registration_count=Count("registrations")
            ),
            "questions": Question.objects.filter(event=event).annotate(
                answer_count=Count("answers")
            ),
            "tab": TAB,
        },
    )


def _form_page(request, event, form, template: str, obj=None) -> HttpResponse:
    return render(request, template, {"event": event, "form": form, "object": obj, "tab": TAB})


@event_view(MANAGE)
def ticket_type_create(request: HttpRequest, event: Event) -> HttpResponse:
    form = TicketTypeForm(
        form_data(request),
        event=event,
        initial={"is_public": True, "position": TicketType.objects.filter(event=event).count()},
    )
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Ticket type saved."))
        return redirect(_settings_url(event, "#tickets"))
    return _form_page(request, event, form, "registration/orga/ticket_type_form.html")


@event_view(MANAGE)
def ticket_type_edit(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    ticket_type = get_object_or_404(TicketType, event=event, pk=pk)
    form = TicketTypeForm(form_data(request), event=event, instance=ticket_type)
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Ticket type saved."))
        return redirect(_settings_url(event, "#tickets"))
    return _form_page(request, event, form, "registration/orga/ticket_type_form.html", ticket_type)


@event_view(MANAGE)
def ticket_type_delete(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    """GET asks for confirmation, POST deletes; a ticket type somebody holds is refused."""
    ticket_type = get_object_or_404(
        TicketType.objects.annotate(registration_count=Count("registrations")), event=event, pk=pk
    )
    if request.method == "POST":
        try:
            services.ticket_type_delete(ticket_type=ticket_type, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Ticket type “%(name)s” deleted.") % {"name": ticket_type.name}
            )
        return redirect(_settings_url(event, "#tickets"))
    return render(
        request,
        "events/orga/confirm_delete.html",
        {
            "event": event,
            "object": ticket_type,
            "tab": TAB,
            "cancel_url": _settings_url(event, "#tickets"),
            "consequence": ngettext(
                "%(count)d registration holds it: it cannot be deleted. Untick “public” instead.",
                "%(count)d registrations hold it: it cannot be deleted. Untick “public” instead.",
                ticket_type.registration_count,
            )
            % {"count": ticket_type.registration_count}
            if ticket_type.registration_count
            else "",
        },
    )


@event_view(MANAGE)
def question_create(request: HttpRequest, event: Event) -> HttpResponse:
    form = QuestionForm(
        form_data(request),
        event=event,
        initial={"position": Question.objects.filter(event=event).count()},
    )
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Question saved."))
        return redirect(_settings_url(event, "#questions"))
    return _form_page(request, event, form, "registration/orga/question_form.html")


@event_view(MANAGE)
def question_edit(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    question = get_object_or_404(Question, event=event, pk=pk)
    form = QuestionForm(form_data(request), event=event, instance=question)
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Question saved."))
        return redirect(_settings_url(event, "#questions"))
    return _form_page(request, event, form, "registration/orga/question_form.html", question)


@event_view(MANAGE)
def question_delete(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    """GET asks for confirmation (saying how many answers go too), POST deletes."""
    question = get_object_or_404(
        Question.objects.annotate(answer_count=Count("answers")), event=event, pk=pk
    )
    if request.method == "POST":
        services.question_delete(question=question, actor=request.user)
        messages.success(request, _("Question “%(label)s” deleted.") % {"label": question.label})
        return redirect(_settings_url(event, "#questions"))
    consequence = ""
    if question.answer_count:
        consequence = ngettext(
            "%(count)d answer to it is deleted too.",
            "%(count)d answers to it are deleted too.",
            question.answer_count,
        ) % {"count": question.answer_count}
    return render(
        request,
        "events/orga/confirm_delete.html",
        {
            "event": event,
            "object": question,
            "tab": TAB,
            "cancel_url": _settings_url(event, "#questions"),
            "consequence": consequence,
        },
    )
