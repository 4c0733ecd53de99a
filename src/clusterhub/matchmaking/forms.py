"""Forms of matchmaking: the participant's profile, browsing filters, meeting requests and
answers, and the organiser's settings. As elsewhere, `save(...)` hands the cleaned data to a
service and puts its refusals on the form; it returns None when refused."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from clusterhub.directory.models import OrganisationType, User
from clusterhub.events.forms.base import ServiceForm
from clusterhub.events.models import Event, Session
from clusterhub.matchmaking import selectors, services
from clusterhub.matchmaking.models import (
    MatchmakingSettings,
    MatchProfile,
    Meeting,
    NetworkingSetup,
    Objective,
)
from clusterhub.matchmaking.selectors.meetings import slot_key
from clusterhub.matchmaking.services import MESSAGE_MAX
from clusterhub.registration.models import Registration


def _lines(value: str) -> list[str]:
    return [line for line in (value or "").splitlines() if line.strip()]


class LinesField(forms.CharField):
    """A textarea holding one phrase per line, cleaned to a list of phrases."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        return services.phrases_clean(_lines(super().to_python(value)))


def _slot_label(session: Session) -> str:
    start = formats.date_format(session.start, "D j M, H:i")
    return f"{start}–{formats.time_format(session.end, 'H:i')} · {session.title}"


class ProfileForm(ServiceForm):
    offers = LinesField(
        required=False, label=_("What I offer"),
        help_text=_("One per line, e.g. “hospital test bed for digital pathology”."),
    )  # fmt: skip
    needs = LinesField(
        required=False, label=_("What I am looking for"),
        help_text=_("One per line, e.g. “clinical validation site”."),
    )  # fmt: skip
    tags = forms.MultipleChoiceField(
        required=False, label=_("Interest tags"), widget=forms.CheckboxSelectMultiple
    )
    interests = LinesField(
        required=False, label=_("Other interests"), help_text=_("In your own words, one per line.")
    )
    about = forms.CharField(
        required=False, label=_("About me"), widget=forms.Textarea(attrs={"rows": 3})
    )
    objectives = forms.MultipleChoiceField(
        required=False, label=_("What I want from the event"), choices=Objective.choices,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    preferred_types = forms.MultipleChoiceField(
        required=False, label=_("I would like to meet"), choices=OrganisationType.choices,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    preferred_countries = forms.MultipleChoiceField(
        required=False, label=_("Countries I would like to meet people from"),
        choices=list(countries), widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )  # fmt: skip
    available_sessions = forms.ModelMultipleChoiceField(
        queryset=Session.objects.none(), required=False,
        label=_("Networking slots I am available for"), widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(
        self, *args: Any, registration: Registration, profile: MatchProfile | None, **kwargs: Any
    ):
        event = registration.event
        initial = services.profile_prefill(registration)
        if profile is not None:
            initial = {name: getattr(profile, name) for name in services.PROFILE_FIELDS}
            initial["available_sessions"] = list(profile.available_sessions.all())
        super().__init__(*args, initial=initial, **kwargs)
        self.registration = registration
        taxonomy = selectors.matchmaking_settings_for(event=event).tags
        if taxonomy:
            self.fields["tags"].choices = [(t, t) for t in taxonomy]
        else:
            del self.fields["tags"]
        slots = services.networking_sessions(event)
        if slots.exists():
            field = self.fields["available_sessions"]
            field.queryset = slots  # type: ignore[attr-defined]
            field.label_from_instance = _slot_label  # type: ignore[attr-defined]
        else:
            del self.fields["available_sessions"]

    def save(self, *, actor: User) -> MatchProfile | None:
        try:
            return services.profile_update(
                registration=self.registration, actor=actor, **self.cleaned_data
            )
        except ValidationError as exc:
            self.add_service_error(exc)
            return None


class BrowseForm(forms.Form):
    """The filters of the people list (GET). Values that do not validate are ignored."""

    q = forms.CharField(
        required=False, max_length=200, label=_("Search"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, organisation, offer or need")}
        ),
    )  # fmt: skip
    org_type = forms.ChoiceField(required=False, label=_("Organisation type"))
    country = forms.ChoiceField(required=False, label=_("Country"))
    objective = forms.ChoiceField(required=False, label=_("Objective"))
    tag = forms.ChoiceField(required=False, label=_("Interest tag"))

    def __init__(self, *args: Any, event: Event, **kwargs: Any):
        super().__init__(*args, **kwargs)
        anything = [("", _("All"))]
        self.fields["org_type"].choices = anything + list(OrganisationType.choices)
        self.fields["country"].choices = anything + [
            (code, countries.name(code)) for code in selectors.profile_countries(event=event)
        ]
        self.fields["objective"].choices = anything + list(Objective.choices)
        taxonomy = selectors.matchmaking_settings_for(event=event).tags
        self.fields["tag"].choices = anything + [(t, t) for t in taxonomy]

    def filters(self) -> dict[str, str]:
        """Keyword arguments for `selectors.profiles_browse`: the valid filters."""
        if not self.is_bound:
            return {}
        self.is_valid()
        names = {"q": "query"}
        return {names.get(k, k): v for k, v in self.cleaned_data.items() if v}


class MeetingRequestForm(ServiceForm):
    message = forms.CharField(
        required=False, max_length=MESSAGE_MAX, label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say why you would like to meet: it helps them say yes."),
    )  # fmt: skip


class AnswerForm(ServiceForm):
    response = forms.CharField(
        required=False, max_length=MESSAGE_MAX, label=_("Answer (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class TypeWeightsField(forms.CharField):
    """Lines of "type type weight", e.g. "investor company 1.5", cleaned to {"a|b": w}."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return "\n".join(f"{k.replace('|', ' ')} {v:g}" for k, v in sorted(value.items()))
        return value

    def to_python(self, value: Any) -> dict[str, float]:  # type: ignore[override]
        text = super().to_python(value)
        if text.strip().startswith("{"):
            try:
                loaded = json.loads(text)
            except ValueError as exc:
                raise ValidationError(_("This is not valid JSON."), code="bad_json") from exc
            return self._clean(loaded)
        weights: dict[str, Any] = {}
        for number, line in enumerate(_lines(text), start=1):
            parts = line.split()
            if len(parts) != 3:
                raise ValidationError(
                    _("Line %(n)d: write two organisation types and a weight.") % {"n": number},
                    code="bad_type_weights",
                )
            weights[f"{parts[0]}|{parts[1]}"] = parts[2]
        return self._clean(weights)

    @staticmethod
    def _clean(weights: Any) -> dict[str, float]:
        try:
            return services.type_weights_clean(weights)
        except ValidationError as exc:  # keyed by the service's field: the form's own here
            raise ValidationError(exc.error_dict["type_weights"]) from exc


class SettingsForm(ServiceForm):
    is_open = forms.BooleanField(
        required=False, label=MatchmakingSettings._meta.get_field("is_open").verbose_name,
        help_text=MatchmakingSettings._meta.get_field("is_open").help_text,
    )  # fmt: skip
    tags = LinesField(
        required=False, label=_("Interest tags"),
        help_text=_(
            "One per line. Participants pick their interests from these. Removing a tag hides "
            "it on the profiles that have it; adding it back shows it again."
        ),
    )  # fmt: skip
    border_bonus = forms.FloatField(
        min_value=0, max_value=0.5, label=_("Bonus for crossing borders"),
        help_text=_("Added to a relevant pair from different countries; 0 to 0.5 (default 0.1)."),
    )  # fmt: skip
    diversity = forms.FloatField(
        min_value=0, max_value=1, label=_("Diversity of each list"),
        help_text=MatchmakingSettings._meta.get_field("diversity").help_text,
    )  # fmt: skip
    type_weights = TypeWeightsField(
        required=False, label=_("Weights of organisation-type pairs"),
        help_text=_(
            "One pair per line: two organisation types and a weight from 0 to 5, e.g. "
            "“investor company 1.5” or “school industry 1.3”. Pairs not listed weigh 1. "
            "Types: %(types)s."
        ) % {"types": ", ".join(OrganisationType.values)},
    )  # fmt: skip
    exclude_met_before = forms.BooleanField(
        required=False, label=_("Leave out people who agreed to meet at an earlier event of ours")
    )
    request_limit = forms.IntegerField(
        min_value=1, max_value=500, label=_("Meeting requests per participant")
    )
    max_meetings_per_person = forms.IntegerField(
        required=False, min_value=1, max_value=200, label=_("Meetings per person at the event"),
        help_text=_("Empty: no cap beyond the slots."),
    )  # fmt: skip
    max_meetings_per_session = forms.IntegerField(
        required=False, min_value=1, max_value=200,
        label=_("Meetings per person in one networking session"),
        help_text=_("Empty: as many as the session has slots."),
    )  # fmt: skip
    propose_top_k = forms.IntegerField(
        min_value=0, max_value=20, label=_("Propose meetings from each person's top K"),
        help_text=MatchmakingSettings._meta.get_field("propose_top_k").help_text,
    )  # fmt: skip

    def __init__(self, *args: Any, settings: MatchmakingSettings, **kwargs: Any):
        initial = {name: getattr(settings, name) for name in services.SETTINGS_FIELDS}
        super().__init__(*args, initial=initial, **kwargs)
        self.event = settings.event

    def save(self, *, actor: User) -> MatchmakingSettings | None:
        try:
            return services.matchmaking_settings_update(
                event=self.event, actor=actor, **self.cleaned_data
            )
        except ValidationError as exc:
            self.add_service_error(exc)
            return None


class RunForm(forms.Form):
    k = forms.IntegerField(
        min_value=1, max_value=200, initial=20, label=_("Recommendations per person")
    )


# --- meeting scheduling ------------------------------------------------------------------------


class NetworkingSetupForm(ServiceForm):
    meeting_minutes = forms.IntegerField(
        min_value=5, max_value=120, label=_("Meeting length (minutes)")
    )
    break_minutes = forms.IntegerField(
        min_value=0, max_value=60, label=_("Break between meetings (minutes)")
    )
    tables = forms.IntegerField(min_value=1, max_value=5000, label=_("Tables"))

    def __init__(self, *args: Any, session: Session, setup: NetworkingSetup | None, **kwargs: Any):
        initial = {"meeting_minutes": 20, "break_minutes": 5, "tables": 10}
        if setup is not None:
            initial = {name: getattr(setup, name) for name in services.SETUP_FIELDS}
        super().__init__(*args, initial=initial, **kwargs)
        self.session = session

    def save(self, *, actor: User) -> NetworkingSetup | None:
        try:
            return services.networking_setup_update(
                session=self.session, actor=actor, **self.cleaned_data
            )
        except ValidationError as exc:
            self.add_service_error(exc)
            return None


class ScheduleRunForm(forms.Form):
    propose = forms.IntegerField(
        min_value=0, max_value=20, label=_("Also propose pairs from each person's top"),
        help_text=_("0: schedule accepted requests only."),
    )  # fmt: skip
    move_published = forms.BooleanField(
        required=False, label=_("Published meetings may move (people are emailed)")
    )


class MeetingMoveForm(ServiceForm):
    slot = forms.ChoiceField(label=_("Slot"))
    table = forms.IntegerField(min_value=1, label=_("Table"))

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any):
        slots = selectors.meeting_slots_for_event(event=meeting.event)
        self.slots = {slot.key: slot for slot in slots}
        here = slot_key(meeting.session_id, meeting.start)
        super().__init__(*args, initial={"slot": here, "table": meeting.table}, **kwargs)
        self.meeting = meeting
        self.fields["slot"].choices = [
            (slot.key, f"{formats.date_format(slot.start, 'D j M, H:i')}–"
                       f"{formats.time_format(slot.end, 'H:i')} · {slot.session.title}")
            for slot in slots
        ]  # fmt: skip

    def save(self, *, actor: User) -> Meeting | None:
        slot = self.slots[self.cleaned_data["slot"]]
        try:
            return services.meeting_move(
                meeting=self.meeting, session=slot.session, start=slot.start,
                table=self.cleaned_data["table"], actor=actor,
            )  # fmt: skip
        except ValidationError as exc:
            self.add_service_error(exc)
            return None
