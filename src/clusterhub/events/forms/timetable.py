"""The organiser's rules for proposed timetables, and when speakers and rooms are available."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clusterhub.directory.models import Person, User
from clusterhub.events import selectors
from clusterhub.events.forms.sessions import LocalTimesForm, SessionChoiceField
from clusterhub.events.models import Availability, Event, TimetableRule, TimetableRuleKind
from clusterhub.events.services import timetabling


class TimetableRuleForm(LocalTimesForm):
    """One rule: the session, what it must keep to, and the other session or the window (a
    day with a start and end time)."""

    service_fields = {"window_start": "start_time", "window_end": "end_time"}
    field_order = ["session", "kind", "other", "gap_minutes", "day", "start_time", "end_time"]

    session = SessionChoiceField(
        queryset=None,
        label=_("Session"),
        error_messages={"invalid_choice": _("Choose a session of this event.")},
    )
    kind = forms.ChoiceField(choices=TimetableRuleKind.choices, label=_("Rule"))
    other = SessionChoiceField(
        queryset=None,
        required=False,
        label=_("Other session"),
        empty_label=_("— for a time window: none —"),
        error_messages={"invalid_choice": _("Choose a session of this event.")},
    )
    gap_minutes = forms.IntegerField(
        min_value=0,
        max_value=720,
        initial=0,
        required=False,
        label=_("Minutes between"),
        help_text=_("For “starts after”: the least time between the two."),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any):
        kwargs.setdefault("prefix", "rule")
        super().__init__(*args, **kwargs)
        self.set_days(event)
        for name in ("session", "other"):
            field = self.fields[name]
            field.queryset = selectors.sessions_for_event(event=event)
            field.event = event
        for name in ("day", "start_time", "end_time"):
            self.fields[name].required = False
        self.fields["day"].help_text = _("For a time window.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == TimetableRuleKind.WINDOW:
            for name in ("day", "start_time", "end_time"):
                if data.get(name) in (None, ""):
                    self.add_error(name, _("A time window needs a day, a start and an end."))
        elif data.get("kind") and data.get("other") is None and "other" not in self.errors:
            self.add_error("other", _("Choose the other session."))
        return data

    def save(self, *, actor: User) -> TimetableRule | None:
        data = self.cleaned_data
        start = end = None
        if data["kind"] == TimetableRuleKind.WINDOW:
            start, end = self.times()
        try:
            return timetabling.timetable_rule_add(
                event=self.event, actor=actor, kind=data["kind"], session=data["session"],
                other=data.get("other"), gap_minutes=data.get("gap_minutes") or 0,
                window_start=start, window_end=end,
            )  # fmt: skip
        except ValidationError as exc:
            self.add_service_error(exc)
            return None


class AvailabilityForm(LocalTimesForm):
    """When a speaker (anyone with a role in the programme) or a room is available."""

    service_fields = {"start": "start_time", "end": "end_time"}
    field_order = ["who", "day", "start_time", "end_time"]

    who = forms.ChoiceField(label=_("Speaker or room"))

    def __init__(self, *args: Any, event: Event, **kwargs: Any):
        kwargs.setdefault("prefix", "available")
        super().__init__(*args, **kwargs)
        self.set_days(event)
        people = [
            (f"person:{p.pk}", p.full_name) for p in timetabling.availability_people(event=event)
        ]
        self._rooms = {r.pk: r for r in selectors.rooms_for_event(event=event)}
        rooms = [(f"room:{pk}", r.name) for pk, r in self._rooms.items()]
        self.fields["who"].choices = [
            ("", _("— choose —")), (_("Speakers"), people), (_("Rooms"), rooms)
        ]  # fmt: skip

    def save(self, *, actor: User) -> Availability | None:
        kind, _sep, pk = self.cleaned_data["who"].partition(":")
        start, end = self.times()
        person = room = None
        if kind == "person":
            person = Person.objects.get(pk=int(pk))
        else:
            room = self._rooms[int(pk)]
        try:
            return timetabling.availability_add(
                event=self.event, actor=actor, start=start, end=end, person=person, room=room
            )
        except ValidationError as exc:
            self.add_service_error(exc)
            return None
