"""Forms that put people in sessions: somebody from the directory, or somebody new."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from clusterhub.directory import services as directory_services
from clusterhub.directory.models import Person, User
from clusterhub.events import services
from clusterhub.events.forms.base import ServiceForm, model_field
from clusterhub.events.models import Session, SessionRole, SessionRoleType


class SessionRoleForm(ServiceForm):
    """Give somebody already in the directory a role. `person` is filled by the search results
    (a radio button each); without JavaScript, `find` takes the person's email address."""

    service_fields = {"person": "find"}

    role = forms.ChoiceField(choices=SessionRoleType.choices, label=_("Role"))
    person = forms.ModelChoiceField(
        queryset=Person.objects.all(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("That person is no longer in the directory.")},
    )
    find = forms.CharField(
        required=False,
        max_length=254,
        label=_("Person"),
        help_text=_("Type a name to search, or the email address of someone in the directory."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("person") is not None or "person" in self.errors:
            return data
        find = (data.get("find") or "").strip()
        if "@" in find:
            data["person"] = Person.objects.filter(email__iexact=find).first()
            if data["person"] is None:
                self.add_error(
                    "find",
                    ValidationError(
                        _(
                            "Nobody in the directory has the email address “%(email)s”. "
                            "Add them as a new person below."
                        ),
                        code="unknown_email",
                        params={"email": find},
                    ),
                )
        else:
            self.add_error(
                "find",
                ValidationError(
                    _("Choose a person from the search results, or type their email address."),
                    code="no_person",
                ),
            )
        return data

    def save(self, *, session: Session, actor: User) -> SessionRole | None:
        try:
            return services.session_role_add(
                session=session,
                person=self.cleaned_data["person"],
                role=self.cleaned_data["role"],
                actor=actor,
            )
        except ValidationError as exc:
            self.add_service_error(exc)
            return None


class PersonCreateForm(ServiceForm):
    """Add a new person to the directory and give them a role in one go."""

    service_fields = {"name": "organisation"}  # organisation_create refuses an empty name

    first_name = model_field(Person, "first_name")
    last_name = model_field(Person, "last_name")
    email = model_field(Person, "email")
    organisation = forms.CharField(
        required=False,
        max_length=200,
        label=_("Organisation"),
        help_text=_("An organisation of that name is reused; otherwise it is added."),
    )
    job_title = model_field(Person, "job_title")
    role = forms.ChoiceField(choices=SessionRoleType.choices, label=_("Role"))

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email and Person.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                _("Somebody in the directory already has this email address: search for them."),
                code="email_taken",
            )
        return email

    def save(self, *, session: Session, actor: User) -> SessionRole | None:
        data = self.cleaned_data
        try:
            with transaction.atomic():  # no half-added person when the role is refused
                organisation = None
                if data["organisation"].strip():
                    organisation = directory_services.organisation_get_or_create(
                        name=data["organisation"], actor=actor
                    )
                person = directory_services.person_create(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    job_title=data["job_title"],
                    organisation=organisation,
                    actor=actor,
                )
                return services.session_role_add(
                    session=session, person=person, role=data["role"], actor=actor
                )
        except ValidationError as exc:
            self.add_service_error(exc)
            return None
