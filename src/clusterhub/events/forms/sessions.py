"""The session form: a day of the event and local start and end times."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _

from clusterhub.directory.models import User
from clusterhub.events import selectors, services
from clusterhub.events.forms.base import ServiceForm, model_field, time_input
from clusterhub.events.models import Event, Session, SessionType, local_time_exists


class SessionChoiceField(forms.ModelChoiceField):
    """Sessions labelled with their time in the event's time zone."""

    event: Event

    def label_from_instance(self, obj: Session) -> str:
        start = obj.start.astimezone(self.event.tzinfo)
        return f"{obj.title} ({date_format(start, 'D j M')} {time_format(start.time(), 'H:i')})"


class LocalTimesForm(ServiceForm):
    """A day of the event with a local start and end time (`times()` gives the two aware
    moments; an end at 00:00 is midnight, the end of the day). Refuses a time the clocks skip
    when daylight saving time starts."""

    day = forms.TypedChoiceField(coerce=date.fromisoformat, label=_("Day"))
    start_time = forms.TimeField(label=_("Starts"), widget=time_input())
    end_time = forms.TimeField(
        label=_("Ends"), widget=time_input(), help_text=_("00:00 means midnight.")
    )
    event: Event

    def set_days(self, event: Event) -> None:
        self.event = event
        days = event.days
        self.fields["day"].choices = [(d.isoformat(), date_format(d, "l j F Y")) for d in days]
        if days:
            self.fields["day"].error_messages["invalid_choice"] = _(
                "Choose one of the event's days (%(first)s to %(last)s)."
            ) % {"first": date_format(days[0], "j F Y"), "last": date_format(days[-1], "j F Y")}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if any(data.get(name) is None for name in ("day", "start_time", "end_time")):
            return data
        # The clocks skip an hour when daylight saving time starts: refuse a time in that gap
        # rather than let Python read it an hour later. A time that happens twice when they go
        # back is its first occurrence (see docs/architecture.md, "Time").
        for name, value in zip(("start_time", "end_time"), self.times(), strict=True):
            if not local_time_exists(value):
                self.add_error(
                    name,
                    ValidationError(
                        _(
                            "%(time)s does not exist on %(day)s in %(zone)s: the clocks skip "
                            "it when daylight saving time starts. Choose another time."
                        ),
                        code="nonexistent_time",
                        params={
                            "time": time_format(value.time(), "H:i"),
                            "day": date_format(value.date(), "j F Y"),
                            "zone": self.event.timezone,
                        },
                    ),
                )
        return data

    def times(self) -> tuple[datetime, datetime]:
        day, start_time, end_time = (
            self.cleaned_data[k] for k in ("day", "start_time", "end_time")
        )
        end_day = day
        if end_time == time(0) and start_time != time(0):
            end_day = day + timedelta(days=1)  # ends at midnight
        return (
            self.event.local_datetime(day, start_time),
            self.event.local_datetime(end_day, end_time),
        )


class SessionForm(LocalTimesForm):
    """A session in the event's local time: a day of the event, a start and an end time."""

    service_fields = {"start": "start_time", "end": "end_time"}
    field_order = [
        "title", "type", "parent", "day", "start_time", "end_time", "room", "capacity",
        "signup_required", "themes", "description",
    ]  # fmt: skip

    title = model_field(Session, "title")
    type = forms.ChoiceField(choices=SessionType.choices, label=_("Type"))
    parent = SessionChoiceField(
        queryset=None,
        required=False,
        label=_("Part of"),
        empty_label=_("— none: a session of its own —"),
        error_messages={
            "invalid_choice": _(
                "Choose a session of this event that is not itself a part: parts cannot have parts."
            )
        },
    )
    room = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Room"),
        empty_label=_("— no room —"),
        error_messages={"invalid_choice": _("Choose one of this event's rooms.")},
    )
    capacity = model_field(
        Session, "capacity", help_text=_("Needed when people must sign up; at most the room holds.")
    )
    signup_required = model_field(Session, "signup_required")
    themes = forms.CharField(
        required=False,
        label=_("Themes"),
        max_length=1000,
        help_text=_("Separated by commas, e.g. Oncology, Crisis preparedness."),
    )
    description = model_field(Session, "description", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(
        self,
        *args: Any,
        event: Event,
        instance: Session | None = None,
        parent: Session | None = None,
        **kwargs: Any,
    ):
        self.event, self.instance = event, instance
        initial = self._initial_from(instance)
        if instance is None and parent is not None:  # a new part starts where its parent does
            inherited = self._initial_from(parent)
            initial = {k: inherited[k] for k in ("type", "day", "start_time", "end_time", "room")}
            initial["parent"] = parent.pk
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.set_days(event)
        self.fields["room"].queryset = selectors.rooms_for_event(event=event)
        self.fields["parent"].queryset = selectors.parent_sessions_for_event(
            event=event, exclude=instance
        )
        self.fields["parent"].event = event

    def _initial_from(self, session: Session | None) -> dict[str, Any]:
        if session is None:
            return {}
        tz = self.event.tzinfo
        start, end = session.start.astimezone(tz), session.end.astimezone(tz)
        return {
            "title": session.title,
            "type": session.type,
            "parent": session.parent_id,
            "day": start.date().isoformat(),
            "start_time": start.time(),
            "end_time": end.time(),
            "room": session.room_id,
            "capacity": session.capacity,
            "signup_required": session.signup_required,
            "description": session.description,
            "themes": ", ".join(t.name for t in session.themes.all()),
        }

    def save(self, *, actor: User) -> Session | None:
        data = self.cleaned_data
        start, end = self.times()
        fields: dict[str, Any] = {
            "title": data["title"],
            "type": data["type"],
            "parent": data["parent"],
            "room": data["room"],
            "start": start,
            "end": end,
            "capacity": data["capacity"],
            "signup_required": data["signup_required"],
            "description": data["description"],
        }
        themes = data["themes"].split(",")
        try:
            if self.instance is None:
                return services.session_create(
                    event=self.event, actor=actor, themes=themes, **fields
                )
            return services.session_update(
                session=self.instance, actor=actor, themes=themes, **fields
            )
        except ValidationError as exc:
            self.add_service_error(exc)
            if self.instance is not None:
                self.instance.refresh_from_db()
            return None
