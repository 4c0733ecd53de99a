"""Back-office forms of registration: the list's filters, the registration settings, ticket
types, questions, sign-up administration and the check-in desk.

As in events' forms, `save(actor=...)` hands the cleaned data to a service and puts the
service's refusals on the form; it returns None when refused."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from clusterhub.directory.models import OrganisationType, User
from clusterhub.events.forms.base import ServiceForm, model_field
from clusterhub.events.models import Event, Session
from clusterhub.registration import selectors, services
from clusterhub.registration.models import (
    CheckIn,
    Question,
    QuestionKind,
    Registration,
    RegistrationConfig,
    RegistrationStatus,
    SignUp,
    TicketType,
)

# --- the registrations list ------------------------------------------------------------------


class RegistrationFilterForm(forms.Form):
    """The list's search and filters (GET). Values that do not validate are ignored."""

    q = forms.CharField(
        required=False,
        max_length=200,
        label=_("Search"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, email or organisation")}
        ),
    )
    ticket_type = forms.TypedChoiceField(coerce=int, required=False, label=_("Ticket type"))
    status = forms.ChoiceField(required=False, label=_("Status"))
    country = forms.ChoiceField(required=False, label=_("Country"))
    organisation_type = forms.ChoiceField(required=False, label=_("Organisation type"))

    def __init__(self, *args: Any, event: Event, **kwargs: Any):
        super().__init__(*args, **kwargs)
        anything = [("", _("All"))]
        self.fields["ticket_type"].choices = anything + [
            (str(t.pk), t.name) for t in TicketType.objects.filter(event=event)
        ]
        self.fields["status"].choices = anything + list(RegistrationStatus.choices)
        self.fields["country"].choices = anything + [
            (code, countries.name(code)) for code in selectors.registration_countries(event=event)
        ]
        self.fields["organisation_type"].choices = anything + list(OrganisationType.choices)

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `selectors.registrations_for_event`: the valid filters."""
        if not self.is_bound:
            return {}
        self.is_valid()  # cleaned_data keeps the fields that validate
        names = {"q": "query"}
        return {
            names.get(name, name): value
            for name, value in self.cleaned_data.items()
            if value not in (None, "")
        }


# --- registration settings -------------------------------------------------------------------


def local_datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RegistrationConfigForm(ServiceForm):
    """The window is typed in the event's local time, whatever the server's time zone."""

    opens_at = forms.DateTimeField(
        required=False, label=_("Registration opens"), widget=local_datetime_input()
    )
    closes_at = forms.DateTimeField(
        required=False, label=_("Registration closes"), widget=local_datetime_input()
    )
    capacity = model_field(RegistrationConfig, "capacity")
    privacy_notice = model_field(
        RegistrationConfig, "privacy_notice", widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, event: Event, instance: RegistrationConfig, **kwargs: Any):
        self.event, self.instance = event, instance
        tz = event.tzinfo
        kwargs["initial"] = {
            # Naive wall-clock times of the event: the widget shows them as they are.
            "opens_at": instance.opens_at and timezone.localtime(instance.opens_at, tz)
            .replace(tzinfo=None),
            "closes_at": instance.closes_at and timezone.localtime(instance.closes_at, tz)
            .replace(tzinfo=None),
            "capacity": instance.capacity,
            "privacy_notice": instance.privacy_notice,
        }  # fmt: skip
        super().__init__(*args, **kwargs)
        help_text = _("In the event's time zone, %(tz)s. Empty: no limit.") % {"tz": event.timezone}
        self.fields["opens_at"].help_text = self.fields["closes_at"].help_text = help_text

    def full_clean(self) -> None:
        # Naive input becomes aware in the event's time zone (a time that does not exist on
        # a daylight-saving change is refused by the field).
        with timezone.override(self.event.tzinfo):
            super().full_clean()

    def save(self, *, actor: User) -> RegistrationConfig | None:
        try:
            return services.registration_config_update(
                event=self.event, actor=actor, **self.cleaned_data
            )
        except ValidationError as exc:
            self.add_service_error(exc)
            return None


class TicketTypeForm(ServiceForm):
    name = model_field(TicketType, "name")
    description = model_field(TicketType, "description")
    requires_approval = model_field(TicketType, "requires_approval")
    is_public = model_field(TicketType, "is_public")
    position = model_field(
        TicketType, "position", required=False,
        help_text=_("Ticket types are offered in this order."),
    )  # fmt: skip

    def __init__(self, *args: Any, event: Event, instance: TicketType | None = None, **kw: Any):
        self.event, self.instance = event, instance
        if instance is not None:
            kw["initial"] = {name: getattr(instance, name) for name in self.base_fields}
        super().__init__(*args, **kw)

    def clean_position(self) -> int:
        return self.cleaned_data["position"] or 0

    def save(self, *, actor: User) -> TicketType | None:
        try:
            if self.instance is None:
                return services.ticket_type_create(
                    event=self.event, actor=actor, **self.cleaned_data
                )
            return services.ticket_type_update(
                ticket_type=self.instance, actor=actor, **self.cleaned_data
            )
        except ValidationError as exc:
            self.add_service_error(exc)
            if self.instance is not None:
                self.instance.refresh_from_db()
            return None


class QuestionForm(ServiceForm):
    label = model_field(Question, "label")
    kind = forms.ChoiceField(choices=QuestionKind.choices, label=_("Kind"))
    required = model_field(Question, "required")
    choices = forms.CharField(
        required=False,
        label=_("Choices"),
        help_text=_("For single and multiple choice: one choice per line."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    position = model_field(
        Question, "position", required=False, help_text=_("Questions are asked in this order.")
    )

    def __init__(self, *args: Any, event: Event, instance: Question | None = None, **kw: Any):
        self.event, self.instance = event, instance
        if instance is not None:
            kw["initial"] = {name: getattr(instance, name) for name in self.base_fields}
            kw["initial"]["choices"] = "\n".join(instance.choices)
        super().__init__(*args, **kw)

    def clean_position(self) -> int:
        return self.cleaned_data["position"] or 0

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]

    def save(self, *, actor: User) -> Question | None:
        try:
            if self.instance is None:
                return services.question_create(event=self.event, actor=actor, **self.cleaned_data)
            return services.question_update(
                question=self.instance, actor=actor, **self.cleaned_data
            )
        except ValidationError as exc:
            self.add_service_error(exc)
            if self.instance is not None:
                self.instance.refresh_from_db()
            return None


# --- sign-ups --------------------------------------------------------------------------------


class SessionCapacityForm(ServiceForm):
    capacity = forms.IntegerField(min_value=0, label=_("Seats"))

    def save(self, *, session: Session, actor: User) -> list[SignUp] | None:
        try:
            return services.session_capacity_set(
                session=session, capacity=self.cleaned_data["capacity"], actor=actor
            )
        except ValidationError as exc:
            self.add_service_error(exc)
            return None


def session_label(session: Session, event: Event) -> str:
    """A session's title with its day and start in the event's time zone."""
    start = session.start.astimezone(event.tzinfo)
    return f"{session.title} ({date_format(start, 'D j M')} {time_format(start.time(), 'H:i')})"


class SignUpMoveForm(ServiceForm):
    """Validates the move; the page renders the choice of sessions itself, once per row."""

    to_session = forms.ModelChoiceField(
        queryset=Session.objects.none(),
        label=_("Move to"),
        error_messages={
            "required": _("Choose the session to move to."),
            "invalid_choice": _("Choose another session of this event that needs sign-up."),
        },
    )

    def __init__(self, *args: Any, session: Session, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["to_session"].queryset = Session.objects.filter(
            event_id=session.event_id, signup_required=True
        ).exclude(pk=session.pk)

    def save(self, *, signup: SignUp, actor: User) -> SignUp | None:
        try:
            return services.signup_move(
                signup=signup, to_session=self.cleaned_data["to_session"], actor=actor
            )
        except ValidationError as exc:
            self.add_service_error(exc)
            return None


class SignUpAddForm(ServiceForm):
    registration = forms.ModelChoiceField(
        queryset=Registration.objects.none(),
        label=_("Person"),
        error_messages={
            "required": _("Search for a registered person and pick them."),
            "invalid_choice": _("Pick a person registered for this event."),
        },
    )

    def __init__(self, *args: Any, event: Event, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["registration"].queryset = Registration.objects.filter(event=event)

    def save(self, *, session: Session, actor: User) -> SignUp | None:
        try:
            return services.signup_create(
                registration=self.cleaned_data["registration"], session=session, actor=actor
            )
        except ValidationError as exc:
            self.add_service_error(exc)
            return None


# --- the check-in desk -----------------------------------------------------------------------

DOOR = "door"


@dataclass(frozen=True)
class CheckInOutcome:
    """What the desk shows after a scan: `checked_in`, `already` or `refused`."""

    status: str
    message: str
    code: str = ""
    checkin: CheckIn | None = None

    def as_json(self) -> dict[str, str]:
        return {"status": self.status, "message": str(self.message), "code": self.code}


class CheckInForm(forms.Form):
    """A badge code (scanned or typed) or a registration picked by name, and the place."""

    code = forms.CharField(required=False, max_length=500, label=_("Badge code"))
    registration = forms.IntegerField(required=False, widget=forms.HiddenInput)
    place = forms.ChoiceField(label=_("Place"))
    method = forms.ChoiceField(
        required=False, choices=[("scan", "scan"), ("typed", "typed"), ("search", "search")]
    )

    def __init__(self, *args: Any, event: Event, places: list[Session], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.event = event
        self.places = {str(s.pk): s for s in places}
        self.fields["place"].choices = [(DOOR, _("The door"))] + [
            (pk, s.title) for pk, s in self.places.items()
        ]

    def place_session(self) -> Session | None:
        return self.places.get(self.cleaned_data.get("place", DOOR))

    def outcome(self, *, actor: User) -> CheckInOutcome:
        """Check the person in (services.checkin_create), or say why not."""
        if not self.is_valid():
            if "place" in self.errors:
                return CheckInOutcome(
                    "refused", _("Choose where you check people in."), "bad_place"
                )
            if "registration" in self.errors:
                return CheckInOutcome("refused", _("Nobody found."), "not_found")
            return CheckInOutcome("refused", _("Scan or type a badge code."), "empty_code")
        data = self.cleaned_data
        method = data["method"] or "scan"
        try:
            if data["registration"]:
                registration = selectors.registration_for_desk(
                    event=self.event, pk=data["registration"]
                )
                if registration is None:
                    raise ValidationError(_("Nobody found."), code="not_found")
                method = "search"
            elif data["code"].strip():
                registration = services.registration_for_badge(event=self.event, token=data["code"])
            else:
                return CheckInOutcome("refused", _("Scan or type a badge code."), "empty_code")
            result = services.checkin_create(
                registration=registration, session=self.place_session(), actor=actor, method=method
            )
        except ValidationError as exc:
            return CheckInOutcome("refused", " ".join(exc.messages), exc.code or "refused")
        status = "checked_in" if result.created else "already"
        return CheckInOutcome(status, result.message, "", result.checkin)
