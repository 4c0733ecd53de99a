"""Forms for an event and its rooms."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusterhub.directory.models import Organisation, User
from clusterhub.directory.selectors import clusters_for_user
from clusterhub.events import services
from clusterhub.events.forms.base import (
    ORGANISER_ROLES,
    RESERVED_SLUGS,
    ServiceForm,
    date_input,
    model_field,
)
from clusterhub.events.models import Event, Room, validate_timezone


class EventForm(ServiceForm):
    """Create an event in one of the user's organiser clusters, or change an event."""

    cluster = forms.ModelChoiceField(queryset=None, label=_("Host cluster"))
    name = model_field(Event, "name")
    slug = model_field(Event, "slug")
    tagline = model_field(Event, "tagline")
    description = model_field(Event, "description", widget=forms.Textarea(attrs={"rows": 4}))
    start_date = model_field(Event, "start_date", widget=date_input())
    end_date = model_field(Event, "end_date", widget=date_input())
    timezone = model_field(
        Event,
        "timezone",
        validators=[validate_timezone],
        widget=forms.TextInput(attrs={"list": "timezones", "autocomplete": "off"}),
    )
    venue_name = model_field(Event, "venue_name")
    venue_address = model_field(Event, "venue_address")
    city = model_field(Event, "city")
    partners = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        label=_("Partners"),
        help_text=_("Organisations that host the event with you. Hold Ctrl (⌘) to pick several."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, user: User, instance: Event | None = None, **kwargs: Any):
        self.instance = instance
        if instance is not None:
            initial = {name: getattr(instance, name) for name in services.EVENT_FIELDS}
            initial["partners"] = [org.pk for org in instance.partners.all()]
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        if instance is None:
            self.fields["cluster"].queryset = clusters_for_user(user=user, roles=ORGANISER_ROLES)
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "Used in addresses, e.g. oslo-deep-dive-days-2025. Leave empty to make one "
                "from the name."
            )
        else:
            del self.fields["cluster"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # Only a slug the organiser typed can be refused: left empty, the service derives a
        # free one from the name (`name-2` when taken, `event-<year>` for a Cyrillic name).
        slug = data.get("slug")
        if slug in RESERVED_SLUGS:
            self.add_error(
                "slug",
                ValidationError(
                    _("“%(slug)s” is reserved; choose another short name."),
                    code="reserved_slug",
                    params={"slug": slug},
                ),
            )
        return data

    def save(self, *, actor: User) -> Event | None:
        data = self.cleaned_data
        try:
            if self.instance is None:
                fields = {name: data[name] for name in services.EVENT_FIELDS}
                return services.event_create(
                    cluster=data["cluster"], actor=actor, partners=data["partners"], **fields
                )
            # Only what changed, so the activity log names what the organiser touched.
            changed = {name: data[name] for name in self.changed_data}
            return services.event_update(event=self.instance, actor=actor, **changed)
        except ValidationError as exc:
            self.add_service_error(exc)
            if self.instance is not None:
                self.instance.refresh_from_db()  # the service set the refused values on it
            return None


# --- rooms ---------------------------------------------------------------------------------


class RoomForm(ServiceForm):
    name = model_field(Room, "name")
    capacity = model_field(Room, "capacity", help_text=_("Leave empty if it does not matter."))
    is_offsite = model_field(Room, "is_offsite")
    address = model_field(Room, "address", help_text=_("Needed for an off-site location."))
    travel_minutes = model_field(Room, "travel_minutes", required=False)
    position = model_field(Room, "position", help_text=_("Rooms are listed by this number."))

    def __init__(self, *args: Any, event: Event, instance: Room | None = None, **kwargs: Any):
        self.event, self.instance = event, instance
        if instance is not None:
            initial = {name: getattr(instance, name) for name in services.ROOM_FIELDS}
            kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)

    def clean_travel_minutes(self) -> int:
        return self.cleaned_data.get("travel_minutes") or 0

    def save(self, *, actor: User) -> Room | None:
        fields = {name: self.cleaned_data[name] for name in services.ROOM_FIELDS}
        try:
            if self.instance is None:
                return services.room_create(event=self.event, actor=actor, **fields)
            return services.room_update(room=self.instance, actor=actor, **fields)
        except ValidationError as exc:
            self.add_service_error(exc)
            if self.instance is not None:
                self.instance.refresh_from_db()
            return None
