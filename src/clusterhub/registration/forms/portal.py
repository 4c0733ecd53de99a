"""The participant's registration form: ticket, who they are, the organiser's questions and
three separate consents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clusterhub.directory.models import OrganisationType, Person, User
from clusterhub.events.forms.base import ServiceForm, model_field
from clusterhub.events.models import Event
from clusterhub.registration import selectors, services
from clusterhub.registration.models import Question, QuestionKind, Registration, TicketType

ANSWER_ERRORS = {
    "required": _("Please answer this question."),
    "invalid_choice": _("Choose one of the options."),
}
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def question_field_name(question: Question) -> str:
    # The service keys its refusals the same way, so they land on the question.
    return f"question_{question.pk}"


def question_field(question: Question) -> forms.Field:
    """The form field that asks `question`."""
    common: dict[str, Any] = {
        "label": question.label,
        "required": question.required,
        "error_messages": ANSWER_ERRORS,
    }
    choices = [(c, c) for c in question.choices]
    if question.kind == QuestionKind.CHOICE:
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == QuestionKind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    if question.kind == QuestionKind.YES_NO:
        # Radio buttons, not a checkbox: a required yes/no question accepts "no" as an answer.
        return forms.TypedChoiceField(
            choices=YES_NO,
            coerce=lambda value: value == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    return forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 2}), strip=True, **common
    )


def ticket_label(ticket: TicketType) -> str:
    label = f"{ticket.name} — {ticket.description}" if ticket.description else ticket.name
    if ticket.requires_approval:
        label += " " + str(_("(the organisers confirm each registration)"))
    return label


class RegistrationForm(ServiceForm):
    """Register the logged-in user for an event. `save` finds or makes their directory entry
    and registers it in one transaction: a refusal writes nothing."""

    service_fields = {"organisation": "organisation_name", "name": "organisation_name"}

    ticket_type = forms.ModelChoiceField(
        queryset=None,
        label=_("Ticket"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose a ticket type."),
            "invalid_choice": _("Choose one of the ticket types offered."),
        },
    )
    first_name = model_field(Person, "first_name")
    last_name = model_field(Person, "last_name")
    job_title = model_field(Person, "job_title")
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200)
    organisation_type = forms.ChoiceField(
        label=_("Type of organisation"), choices=[("", "—"), *OrganisationType.choices]
    )
    country = model_field(Person, "country", required=True, empty_label="—")
    consent_privacy = forms.BooleanField(
        label=_("I have read and accept the privacy notice."),
        error_messages={"required": _("You need to accept the privacy notice to register.")},
    )
    consent_matchmaking = forms.BooleanField(
        required=False,
        label=_("Show my profile to other participants for matchmaking."),
        help_text=_(
            "Others can then find you and ask you for a meeting. You can register without it."
        ),
    )
    consent_photos = forms.BooleanField(
        required=False,
        label=_("I agree that photos of me taken at the event may be published."),
    )

    def __init__(self, data=None, *, event: Event, person: Person | None = None) -> None:
        super().__init__(data, initial=self._initial(person))
        self.event = event
        tickets = selectors.ticket_types_public(event=event)
        self.fields["ticket_type"].queryset = tickets
        self.fields["ticket_type"].label_from_instance = ticket_label
        self.ticket_count = len(tickets)
        if self.ticket_count == 1:
            self.fields["ticket_type"].initial = tickets[0].pk
        self.questions = list(selectors.questions_for_event(event=event))
        for question in self.questions:
            self.fields[question_field_name(question)] = question_field(question)

    @staticmethod
    def _initial(person: Person | None) -> dict[str, Any]:
        if person is None:
            return {}
        organisation = person.organisation
        return {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "job_title": person.job_title,
            "country": person.country.code if person.country else "",
            "organisation_name": organisation.name if organisation else "",
            "organisation_type": organisation.type if organisation else "",
        }

    @property
    def person_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("first_name", "last_name", "job_title")]

    @property
    def organisation_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("organisation_name", "organisation_type", "country")]

    @property
    def question_fields(self) -> list[forms.BoundField]:
        return [self[question_field_name(q)] for q in self.questions]

    def save(self, *, user: User) -> Registration | None:
        """Register, or attach the service's refusals to the form and return None."""
        data = self.cleaned_data
        answers = {q.pk: data.get(question_field_name(q)) for q in self.questions}
        try:
            with transaction.atomic():  # no person or organisation left behind by a refusal
                person = services.registration_person_for_user(
                    event=self.event,
                    user=user,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    job_title=data["job_title"],
                    organisation_name=data["organisation_name"],
                    organisation_type=data["organisation_type"],
                    country=data["country"],
                    actor=user,
                )
                return services.registration_create(
                    event=self.event,
                    person=person,
                    ticket_type=data["ticket_type"],
                    consent_privacy=data["consent_privacy"],
                    consent_matchmaking=data["consent_matchmaking"],
                    consent_photos=data["consent_photos"],
                    answers=answers,
                    actor=user,
                )
        except ValidationError as exc:
            self.add_service_error(exc)
            return None
