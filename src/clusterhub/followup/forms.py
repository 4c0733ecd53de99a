"""Forms of follow-up; `save(...)` hands the cleaned data to a service and shows its refusals."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusterhub.directory.models import Cluster, Organisation, User
from clusterhub.events.forms.base import ServiceForm, date_input
from clusterhub.events.models import Event, Session
from clusterhub.followup import services
from clusterhub.followup.models import (
    Attendance,
    MeetingFeedback,
    Outcome,
    Partnership,
    PartnershipStage,
    PartnershipType,
    QuestionKind,
    Survey,
)
from clusterhub.matchmaking.models import Meeting
from clusterhub.registration.models import Registration


class FeedbackForm(ServiceForm):
    attendance = forms.ChoiceField(
        label=_("Did you meet?"), choices=Attendance.choices, widget=forms.RadioSelect
    )
    rating = forms.TypedChoiceField(
        label=_("How useful was it?"), required=False, coerce=int, empty_value=None,
        choices=[("", "—"), *[(i, str(i)) for i in range(1, 6)]],
        help_text=_("1: not at all, 5: very."),
    )  # fmt: skip
    outcome = forms.ChoiceField(
        label=_("What comes next?"), required=False, choices=[("", "—"), *Outcome.choices]
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, meeting: Meeting, registration: Registration,
        feedback: MeetingFeedback | None, **kwargs: Any,
    ):  # fmt: skip
        initial = {}
        if feedback is not None:
            initial = {
                "attendance": feedback.attendance, "rating": feedback.rating,
                "outcome": feedback.outcome, "comment": feedback.comment,
            }  # fmt: skip
        super().__init__(*args, initial=initial, **kwargs)
        self.meeting, self.registration = meeting, registration

    def save(self, *, actor: User) -> MeetingFeedback | None:
        try:
            return services.feedback_record(
                meeting=self.meeting, registration=self.registration, actor=actor,
                **self.cleaned_data,
            )  # fmt: skip
        except ValidationError as exc:
            self.add_service_error(exc)
            return None


class PartnershipForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    type = forms.ChoiceField(label=_("Type"), choices=PartnershipType.choices)
    stage = forms.ChoiceField(label=_("Stage"), choices=PartnershipStage.choices)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"), queryset=Organisation.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )  # fmt: skip
    event = forms.ModelChoiceField(label=_("Event"), queryset=Event.objects.none(), required=False)
    meeting = forms.ModelChoiceField(
        label=_("Meeting it came from"), queryset=Meeting.objects.none(), required=False
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)
    next_step_on = forms.DateField(label=_("Next step by"), required=False, widget=date_input())

    def __init__(
        self, *args: Any, cluster: Cluster, events, organisations, meetings,
        partnership: Partnership | None = None, **kwargs: Any,
    ):  # fmt: skip
        initial = kwargs.pop("initial", {})
        if partnership is not None:
            initial = {name: getattr(partnership, name) for name in services.PARTNERSHIP_FIELDS}
            initial["organisations"] = list(partnership.organisations.all())
        super().__init__(*args, initial=initial, **kwargs)
        self.cluster, self.partnership = cluster, partnership
        self.fields["event"].queryset = events  # type: ignore[attr-defined]
        self.fields["organisations"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
        self.fields["meeting"].label_from_instance = lambda m: (  # type: ignore[attr-defined]
            f"{m.start:%d %b %H:%M} · {m.a.person.full_name} & {m.b.person.full_name}"
        )

    def save(self, *, actor: User) -> Partnership | None:
        try:
            if self.partnership is None:
                return services.partnership_create(
                    cluster=self.cluster, actor=actor, **self.cleaned_data
                )
            return services.partnership_update(
                partnership=self.partnership, actor=actor, **self.cleaned_data
            )
        except ValidationError as exc:
            self.add_service_error(exc)
            return None


class PartnershipFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All")), *PartnershipStage.choices]
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All")), *PartnershipType.choices]
    )

    def filters(self) -> dict[str, str]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


class SurveyForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    session = forms.ModelChoiceField(
        label=_("Session"), queryset=Session.objects.none(), required=False,
        help_text=_("Empty: feedback on the whole event."),
    )  # fmt: skip

    def __init__(self, *args: Any, event: Event, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["session"].queryset = Session.objects.filter(event=event)  # type: ignore[attr-defined]

    def save(self, *, actor: User) -> Survey | None:
        try:
            return services.survey_create(event=self.event, actor=actor, **self.cleaned_data)
        except ValidationError as exc:
            self.add_service_error(exc)
            return None


class QuestionForm(ServiceForm):
    label = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    required = forms.BooleanField(label=_("Required"), required=False)

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.survey = survey

    def save(self, *, actor: User):
        try:
            return services.survey_question_add(
                survey=self.survey, actor=actor, **self.cleaned_data
            )
        except ValidationError as exc:
            self.add_service_error(exc)
            return None


class SurveyAnswerForm(ServiceForm):
    """One field per question: `q<id>`, a 1-5 choice or a text."""

    def __init__(self, *args: Any, survey: Survey, registration: Registration, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.survey, self.registration = survey, registration
        response = survey.responses.filter(registration=registration).first()
        previous = {a.question_id: a for a in response.answers.all()} if response else {}
        for question in survey.questions.all():
            name = f"q{question.pk}"
            if question.kind == QuestionKind.RATING:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.label, required=question.required, coerce=int,
                    empty_value=None, widget=forms.RadioSelect,
                    choices=[(i, str(i)) for i in range(1, 6)],
                )  # fmt: skip
            else:
                self.fields[name] = forms.CharField(
                    label=question.label, required=question.required,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )  # fmt: skip
            if question.pk in previous:
                answer = previous[question.pk]
                self.initial[name] = answer.rating if answer.rating is not None else answer.text

    def save(self, *, actor: User):
        answers = {int(name[1:]): value for name, value in self.cleaned_data.items()}
        try:
            return services.survey_answer_submit(
                survey=self.survey, registration=self.registration, answers=answers, actor=actor
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for key, errors in exc.error_dict.items():
                    self.add_error(f"q{key}" if f"q{key}" in self.fields else None, errors)
            else:
                self.add_error(None, exc)
            return None
