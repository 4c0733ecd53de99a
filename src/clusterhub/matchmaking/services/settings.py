"""The organiser's matchmaking settings (taxonomy, weights, limits) and the matcher's
configuration derived from them."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from clusterhub.algorithms.matching.types import MatchConfig
from clusterhub.directory.models import OrganisationType, User
from clusterhub.events.models import Event
from clusterhub.matchmaking.models import (
    MatchmakingSettings,
)
from clusterhub.matchmaking.selectors import matchmaking_settings_for
from clusterhub.matchmaking.services.common import TAG_MAX, TAGS_MAX, log, refusal
from clusterhub.matchmaking.services.profiles import phrases_clean

SETTINGS_FIELDS = (
    "is_open", "tags", "border_bonus", "diversity", "type_weights", "exclude_met_before",
    "request_limit", "max_meetings_per_person", "max_meetings_per_session", "propose_top_k",
)  # fmt: skip


def type_weights_clean(value: Any) -> dict[str, float]:
    """`{"a|b": weight}` with known organisation types (the pair in alphabetical order, so
    "company|investor" and "investor|company" are one pair) and weights from 0 to 5.
    Refuses anything else (`bad_type_weights`)."""
    if not isinstance(value, dict):
        raise refusal(_("Give the weights as pairs of types."), "bad_type_weights", "type_weights")
    cleaned: dict[str, float] = {}
    for key, weight in value.items():
        parts = [p.strip() for p in str(key).split("|")]
        if len(parts) != 2 or not set(parts) <= set(OrganisationType.values):
            raise refusal(
                _("%(pair)s is not a pair of organisation types.") % {"pair": key},
                "bad_type_weights", "type_weights",
            )  # fmt: skip
        try:
            number = float(weight)
        except (TypeError, ValueError):
            number = -1.0
        if not 0.0 <= number <= 5.0:
            raise refusal(
                _("The weight of %(pair)s must be a number from 0 to 5.") % {"pair": key},
                "bad_type_weights", "type_weights",
            )  # fmt: skip
        cleaned["|".join(sorted(parts))] = number
    return cleaned


@transaction.atomic
def matchmaking_settings_update(
    *, event: Event, actor: User | None, **fields: Any
) -> MatchmakingSettings:
    """Change the event's matchmaking settings (fields: SETTINGS_FIELDS). Tags are cleaned
    like phrases (each once, at most TAG_MAX characters, at most TAGS_MAX of them); a tag
    taken out of the taxonomy stays on the profiles that had it but is no longer shown or
    matched, and comes back if the tag is added again. Refuses values out of range, keyed by
    field. Side effects: the settings row, an activity log line."""
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Unknown settings: {', '.join(sorted(unknown))}")
    settings, _created = MatchmakingSettings.objects.select_for_update().get_or_create(event=event)
    if "tags" in fields:
        tags = phrases_clean(fields["tags"] or [])
        if any(len(t) > TAG_MAX for t in tags):
            raise refusal(
                _("Keep each tag under %(n)d characters.") % {"n": TAG_MAX}, "tag_too_long", "tags"
            )
        if len(tags) > TAGS_MAX:
            raise refusal(
                _("An event can have at most %(n)d tags.") % {"n": TAGS_MAX},
                "too_many_tags", "tags",
            )  # fmt: skip
        fields["tags"] = tags
    if "type_weights" in fields:
        fields["type_weights"] = type_weights_clean(fields["type_weights"])
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.full_clean(exclude=["event"])  # ranges, keyed by field, with their codes
    settings.save()
    log(actor, "matchmaking.settings.update", settings, event, fields=sorted(fields))
    return settings


def match_config_for(event: Event, *, seed: int = 0) -> MatchConfig:
    """The matcher's configuration from the event's settings."""
    settings = matchmaking_settings_for(event=event)
    weights: dict[tuple[str, str], float] = {}
    for key, weight in (settings.type_weights or {}).items():
        a, _sep, b = key.partition("|")
        weights[(a, b)] = float(weight)
    return MatchConfig(
        type_weights=weights,
        border_bonus=settings.border_bonus,
        diversity=settings.diversity,
        exclude_met_before=settings.exclude_met_before,
        seed=seed,
    )
