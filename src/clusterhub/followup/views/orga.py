"""The organiser's follow-up pages, under /orga/events/<slug>/followup/ (namespace
`orga_followup`): partnerships of the event (and of all the user's clusters), surveys with
their results and who has not answered, and the meeting-feedback reminders. Owners and
organisers of the host cluster only: check-in staff 403, anybody else 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from clusterhub.directory.models import Cluster, ClusterRole, Organisation, OrganisationType
from clusterhub.events.models import Event
from clusterhub.events.views.orga.access import CHANGE, event_view, form_data
from clusterhub.followup import exports, kpis, selectors, services
from clusterhub.followup.forms import (
    PartnershipFilterForm,
    PartnershipForm,
    QuestionForm,
    SurveyForm,
)
from clusterhub.followup.models import Partnership, PartnershipStage, PartnershipType, Survey
from clusterhub.matchmaking.models import Meeting, MeetingStatus

TAB = "followup"


def _render(request: HttpRequest, event: Event | None, template: str, context: dict, status=200):
    return render(request, template, {"event": event, "tab": TAB, **context}, status=status)


def _partnership_form(request: HttpRequest, event: Event, partnership=None) -> PartnershipForm:
    return PartnershipForm(
        form_data(request), cluster=event.cluster, partnership=partnership,
        events=Event.objects.filter(cluster=event.cluster),
        organisations=Organisation.objects.order_by("name"),
        meetings=Meeting.objects.filter(
            event__cluster=event.cluster, status=MeetingStatus.PUBLISHED
        ).select_related(
            "a__person", "b__person"
        ),
        initial={"event": event},
    )  # fmt: skip


@event_view(CHANGE)
def partnerships(request: HttpRequest, event: Event) -> HttpResponse:
    form = PartnershipFilterForm(request.GET or None)
    rows = selectors.partnerships_for_cluster(cluster=event.cluster, event=event, **form.filters())
    return _render(
        request, event, "followup/orga/partnerships.html",
        {"filter_form": form, "partnerships": rows},
    )  # fmt: skip


@event_view(CHANGE)
def partnership_new(request: HttpRequest, event: Event) -> HttpResponse:
    form = _partnership_form(request, event)
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Partnership recorded."))
        return redirect("orga_followup:partnerships", event.slug)
    status = 400 if form.is_bound else 200
    return _render(request, event, "followup/orga/partnership_form.html", {"form": form}, status)


@event_view(CHANGE)
def partnership_edit(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    partnership = get_object_or_404(Partnership, cluster=event.cluster, pk=pk)
    form = _partnership_form(request, event, partnership)
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Partnership saved."))
        return redirect("orga_followup:partnerships", event.slug)
    status = 400 if form.is_bound else 200
    context = {
        "form": form, "partnership": partnership,
        "history": selectors.partnership_history(partnership=partnership),
    }  # fmt: skip
    return _render(request, event, "followup/orga/partnership_form.html", context, status)


@login_required
def cluster_partnerships(request: HttpRequest) -> HttpResponse:
    """Partnerships across every cluster the user organises, filtered by stage and type."""
    clusters = Cluster.objects.filter(
        memberships__user=request.user,
        memberships__role__in=[ClusterRole.OWNER, ClusterRole.ORGANISER],
    )
    if not clusters.exists():
        raise PermissionDenied  # check-in staff, participants: not for them
    form = PartnershipFilterForm(request.GET or None)
    rows = selectors.partnerships_for_cluster(clusters=clusters, **form.filters())
    return _render(
        request, None, "followup/orga/cluster_partnerships.html",
        {"filter_form": form, "partnerships": rows},
    )  # fmt: skip


@event_view(CHANGE)
def surveys(request: HttpRequest, event: Event) -> HttpResponse:
    form = SurveyForm(form_data(request), event=event)
    if request.method == "POST" and form.is_valid():
        survey = form.save(actor=request.user)
        if survey is not None:
            return redirect("orga_followup:survey", event.slug, survey.pk)
    context = {"form": form, "surveys": selectors.surveys_for_event(event=event)}
    return _render(
        request, event, "followup/orga/surveys.html", context, 400 if form.is_bound else 200
    )


@event_view(CHANGE)
def survey(request: HttpRequest, event: Event, pk: int) -> HttpResponse:
    found = get_object_or_404(Survey.objects.select_related("session"), event=event, pk=pk)
    form = QuestionForm(form_data(request), survey=found)
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("Question added."))
        return redirect("orga_followup:survey", event.slug, found.pk)
    context = {
        "survey": found, "form": form,
        "results": selectors.survey_results(survey=found),
        "non_respondents": selectors.survey_non_respondents(survey=found),
    }  # fmt: skip
    return _render(
        request, event, "followup/orga/survey.html", context, 400 if form.is_bound else 200
    )


@event_view(CHANGE)
@require_POST
def reminders(request: HttpRequest, event: Event) -> HttpResponse:
    try:
        sent = services.feedback_reminders_send(event=event, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            ngettext(
                "%(n)d person reminded to give meeting feedback.",
                "%(n)d people reminded to give meeting feedback.",
                sent,
            )
            % {"n": sent},
        )
    return redirect("orga_followup:partnerships", event.slug)


# --- KPI dashboard ------------------------------------------------------------------------------


@event_view(CHANGE)
def dashboard(request: HttpRequest, event: Event) -> HttpResponse:
    """The event's KPIs (definitions: docs/algorithms/kpi.md)."""
    figures = kpis.event_kpis_for(event)
    context = {"kpis": figures, "scope": event.name, **_labelled(figures)}
    return _render(request, event, "followup/orga/dashboard.html", context)


def _labelled(figures) -> dict:
    """The dashboard's lists with their labels in the reader's language."""
    s = figures.satisfaction

    def labels(counts, choices):
        names = dict(choices)
        return [(names.get(key, key), n) for key, n in counts]

    return {
        "satisfaction_rows": [
            (_("The event"), s.event), (_("Sessions"), s.session), (_("Meetings"), s.meeting)
        ],
        "by_type": labels(figures.attended.by_type, OrganisationType.choices),
        "by_stage": labels(figures.partnerships.by_stage, PartnershipStage.choices),
        "by_partnership_type": labels(figures.partnerships.by_type, PartnershipType.choices),
    }  # fmt: skip


@event_view(CHANGE)
def dashboard_export(request: HttpRequest, event: Event, fmt: str) -> HttpResponse:
    figures = kpis.event_kpis_for(event)
    name = f"{event.slug}-kpis.{fmt}"
    return exports.kpis_csv(figures, name) if fmt == "csv" else exports.kpis_xlsx(figures, name)


def _cluster_or_404(request: HttpRequest, slug: str) -> Cluster:
    return get_object_or_404(
        Cluster.objects.select_related("organisation"),
        slug=slug, memberships__user=request.user,
        memberships__role__in=[ClusterRole.OWNER, ClusterRole.ORGANISER],
    )  # fmt: skip


@login_required
def cluster_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """The KPIs of all the cluster's events together, and per event (organisers only; another
    cluster's address answers 404)."""
    cluster = _cluster_or_404(request, slug)
    events = list(
        Event.objects.filter(cluster=cluster)
        .select_related("cluster__organisation")
        .order_by("start_date")
    )
    figures_of = kpis.events_kpis_for(events)
    per_event = [(e, figures_of[e.pk]) for e in events]
    figures = kpis.cluster_kpis([k for _e, k in per_event])
    context = {
        "cluster": cluster, "kpis": figures, "per_event": per_event,
        "scope": cluster.organisation.name, **_labelled(figures),
    }  # fmt: skip
    return _render(request, None, "followup/orga/cluster_dashboard.html", context)


@login_required
def cluster_dashboard_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    cluster = _cluster_or_404(request, slug)
    figures = kpis.cluster_kpis_for(
        Event.objects.filter(cluster=cluster).select_related("cluster__organisation")
    )
    name = f"{cluster.slug}-kpis.{fmt}"
    return exports.kpis_csv(figures, name) if fmt == "csv" else exports.kpis_xlsx(figures, name)
