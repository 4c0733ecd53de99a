"""The participant's follow-up pages, under /events/<slug>/followup/ (namespace `followup`):
feedback on my meetings, recording a partnership that came out of one, and the event's
surveys. As the registration portal: 404 where the event is not public, login required, and a
participant reaches only their own meetings and answers (another's id answers 404)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from clusterhub.directory.models import Organisation
from clusterhub.events.models import Event
from clusterhub.followup import selectors
from clusterhub.followup.forms import FeedbackForm, PartnershipForm, SurveyAnswerForm
from clusterhub.followup.models import Survey
from clusterhub.matchmaking.models import Meeting, MeetingStatus
from clusterhub.registration.models import Registration, RegistrationStatus
from clusterhub.registration.views.portal import own_registration, portal_view


def _render(request: HttpRequest, event: Event, template: str, context: dict, status: int = 200):
    return render(
        request, template, {"event": event, "section": "matchmaking", **context}, status=status
    )


def _participant(request: HttpRequest, event: Event) -> Registration:
    registration = own_registration(request, event)
    if registration is None or registration.status != RegistrationStatus.CONFIRMED:
        raise Http404
    return registration


def _my_meetings(registration: Registration):
    return Meeting.objects.filter(
        Q(a=registration) | Q(b=registration), status=MeetingStatus.PUBLISHED
    ).select_related("event", "session", "a__person__organisation", "b__person__organisation")


@portal_view()
def feedback(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    registration = _participant(request, event)
    meeting = get_object_or_404(_my_meetings(registration), pk=pk)
    form = FeedbackForm(
        request.POST if request.method == "POST" else None, meeting=meeting,
        registration=registration,
        feedback=selectors.feedback_by_meeting(registration=registration).get(meeting.pk),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Thank you: your feedback is saved."))
        return redirect("matchmaking:meetings", event.slug)
    other = meeting.b if meeting.a_id == registration.pk else meeting.a
    status = 400 if form.is_bound else 200
    return _render(
        request, event, "followup/portal/feedback.html",
        {"form": form, "meeting": meeting, "other": other}, status,
    )  # fmt: skip


@portal_view()
def partnership_new(request: HttpRequest, event: Event) -> HttpResponse:
    """Record a partnership that came out of the event, between my organisation and the
    organisations of people I met."""
    registration = _participant(request, event)
    meetings = _my_meetings(registration)
    org_ids = {registration.person.organisation_id} | {
        org for m in meetings for org in (m.a.person.organisation_id, m.b.person.organisation_id)
    }
    organisations = Organisation.objects.filter(pk__in=[o for o in org_ids if o])
    initial = {"event": event, "organisations": [registration.person.organisation_id]}
    chosen = meetings.filter(pk=request.GET.get("meeting") or 0).first()
    if chosen is not None:
        initial |= {
            "meeting": chosen,
            "organisations": [chosen.a.person.organisation_id, chosen.b.person.organisation_id],
        }
    form = PartnershipForm(
        request.POST if request.method == "POST" else None, cluster=event.cluster,
        events=Event.objects.filter(pk=event.pk), organisations=organisations,
        meetings=meetings, initial=initial,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Thank you: the partnership is recorded."))
        return redirect("matchmaking:meetings", event.slug)
    status = 400 if form.is_bound else 200
    return _render(request, event, "followup/portal/partnership.html", {"form": form}, status)


@portal_view()
def survey(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    registration = _participant(request, event)
    found = get_object_or_404(Survey.objects.select_related("session"), event=event, pk=pk)
    form = SurveyAnswerForm(
        request.POST if request.method == "POST" else None, survey=found,
        registration=registration,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Thank you for your answers."))
        return redirect("followup:surveys", event.slug)
    status = 400 if form.is_bound else 200
    return _render(
        request, event, "followup/portal/survey.html", {"form": form, "survey": found}, status
    )


@portal_view()
def surveys(request: HttpRequest, event: Event) -> HttpResponse:
    registration = _participant(request, event)
    answered = set(registration.survey_responses.values_list("survey_id", flat=True))
    rows = [
        {"survey": s, "answered": s.pk in answered}
        for s in selectors.surveys_for_event(event=event).filter(is_open=True)
    ]
    return _render(request, event, "followup/portal/surveys.html", {"rows": rows})
