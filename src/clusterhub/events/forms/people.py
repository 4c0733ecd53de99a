"""Forms that put people in sessions: somebody from the directory, or somebody new."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusterhub.directory.models import Cluster, Person, User
from clusterhub.directory.selectors import contact_by_email, contacts_of
from clusterhub.events import services
from clusterhub.events.forms.base import ServiceForm, model_field
from clusterhub.events.models import Session, SessionRole, SessionRoleType


class SessionRoleForm(ServiceForm):
    """Give one of the cluster's contacts a role. `person` is filled by the search results
    (a radio button each); without JavaScript, `find` takes the person's email address. Only
    the cluster's own contacts can be chosen (the directory is shared by every cluster)."""

    service_fields = {"person": "find"}

    role = forms.ChoiceField(choices=SessionRoleType.choices, label=_("Role"))
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),  # set per cluster in __init__
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("That person is no longer in the directory.")},
    )
    find = forms.CharField(
        required=False,
        max_length=254,
        label=_("Person"),
        help_text=_("Type a name to search, or the email address of one of your contacts."),
    )

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cluster = cluster
        self.fields["person"].queryset = contacts_of(cluster=cluster)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("person") is not None or "person" in self.errors:
            return data
        find = (data.get("find") or "").strip()
        if "@" in find:
            data["person"] = contact_by_email(cluster=self.cluster, email=find)
            if data["person"] is None:
                self.add_error(
                    "find",
                    ValidationError(
                        _(
                            "None of your contacts has the email address “%(email)s”. "
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
    """Add somebody new to the cluster's contacts and give them a role in one go
    (events.services.session_person_add)."""

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
        return self.cleaned_data["email"].strip().lower()

    def save(self, *, session: Session, actor: User) -> SessionRole | None:
        data = self.cleaned_data
        try:
            return services.session_person_add(
                session=session,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                organisation_name=data["organisation"],
                job_title=data["job_title"],
                actor=actor,
            )
        except ValidationError as exc:
            self.add_service_error(exc)
            return None
