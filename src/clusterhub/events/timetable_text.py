"""Why a proposed timetable is impossible, in the reader's language.

The solver (`clusterhub.algorithms.timetabling`) is pure and words its explanations in
English; it also gives each sentence as a code with parameters (`Conflict`). A run stores
both (`TimetableRun.result["conflicts"]` and `["conflict_items"]`). The organiser's page shows
them through `conflict_text`, which words each code with a translated template: session
titles, rooms and speakers' names stay as they were written, times (minutes from midnight of
the event's first day, local time) are shown as dates and clock times of the event in the
reader's language. A code this module does not know falls back to the English sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from clusterhub.common.templatetags.local_dates import pattern
from clusterhub.events.models import Event
from clusterhub.events.services.timetabling import solver_moment

TEMPLATES: dict[str, Promise] = {
    "too_long": _(
        "“%(session)s” lasts %(minutes)s minutes, longer than any programme day (the longest "
        "is %(longest)s minutes)."
    ),
    "no_room": _("“%(session)s” may use no room."),
    "too_small": _(
        "No room holds %(need)s people for “%(session)s”: the largest room, %(room)s, holds "
        "%(capacity)s."
    ),
    "too_small_allowed": _(
        "No room holds %(need)s people for “%(session)s”: the largest allowed room, %(room)s, "
        "holds %(capacity)s."
    ),
    "never_open": _(
        "No room that can take “%(session)s” (%(rooms)s) is open for %(minutes)s minutes in a row."
    ),
    "pinned_same_room": _(
        "“%(a)s” and “%(b)s” are both pinned in %(room)s at overlapping times (%(at)s and "
        "%(at_b)s)."
    ),
    "pinned_speaker": _(
        "Speaker %(speaker)s speaks in “%(a)s” and “%(b)s”, which are pinned at overlapping "
        "times (%(at)s and %(at_b)s)."
    ),
    "pinned_speaker_travel": _(
        "Speaker %(speaker)s speaks in “%(a)s” and “%(b)s”, which are pinned at overlapping "
        "times (%(at)s and %(at_b)s), travel included."
    ),
    "not_proven": _(
        "No timetable was found in the time given, but no rule was proven to conflict: give "
        "the solver more time or fewer sessions."
    ),
    "time_limit": _(
        "No timetable was found within the time limit; none was proven impossible either."
    ),
    "lead_minimal": _("These rules cannot all hold together; relaxing any one of them would help:"),
    "lead": _("These rules cannot all hold together:"),
    "after": _("“%(then)s” must start after “%(first)s” ends."),
    "after_gap": _(
        "“%(then)s” must start after “%(first)s” ends, with at least %(gap)s minutes between."
    ),
    "same_day": _("“%(a)s” and “%(b)s” must be on the same day."),
    "not_parallel": _("“%(a)s” and “%(b)s” must not run at the same time."),
    "window": _("“%(session)s” must be held between %(start)s and %(end)s."),
    "pinned_at": _("“%(session)s” is pinned in %(room)s at %(at)s."),
    "speaker_available": _("Speaker %(speaker)s is available only %(windows)s (for %(sessions)s)."),
    "speaker_available_travel": _(
        "Speaker %(speaker)s is available only %(windows)s (for %(sessions)s, with travel "
        "time before and after %(travel)s)."
    ),
    "speaker_busy": _(
        "Speaker %(speaker)s cannot be in two places at once: %(sessions)s must not overlap."
    ),
    "speaker_busy_travel": _(
        "Speaker %(speaker)s cannot be in two places at once: %(sessions)s must not overlap, "
        "with travel time before and after %(travel)s."
    ),
}
TIMES = ("at", "at_b", "start", "end")
TITLE_LISTS = ("sessions", "travel")


def joined(items: Sequence[str]) -> str:
    """“a”, “b” and “c” in the active language."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return gettext("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def clock(event: Event, minute: int) -> str:
    """A solver minute as the event's local day and time, in the active language."""
    return formats.date_format(solver_moment(event, int(minute)), pattern("dow_short_time"))


def _window(event: Event, window: Sequence[int]) -> str:
    start, end = int(window[0]), int(window[1])
    if start // 1440 == (end - 1) // 1440:
        return f"{clock(event, start)}–{end % 1440 // 60:02d}:{end % 60:02d}"
    return f"{clock(event, start)} – {clock(event, end)}"


def conflict_text(event: Event, item: Mapping[str, Any], english: str = "") -> str:
    """The sentence of one stored conflict (`{"code", "params"}`) in the active language;
    `english` (the solver's own sentence) when the code is unknown."""
    code, params = item.get("code"), dict(item.get("params") or {})
    template = TEMPLATES.get(str(code))
    if template is None and code != "must_place":
        return english
    values: dict[str, Any] = dict(params)
    for name in TIMES:
        if name in params:
            values[name] = clock(event, params[name])
    for name in TITLE_LISTS:
        if name in params:
            values[name] = joined([f"“{t}”" for t in params[name]])
    if "rooms" in params:
        values["rooms"] = joined(list(params["rooms"]))
    if "windows" in params:
        values["windows"] = joined([_window(event, w) for w in params["windows"]])
    if code == "must_place":
        titles = list(params.get("sessions") or ())
        return ngettext(
            "%(sessions)s must be placed, in the rooms big enough for them and open at the "
            "times allowed.",
            "%(sessions)s must all be placed, in the rooms big enough for them and open at "
            "the times allowed.",
            len(titles),
        ) % {"sessions": values.get("sessions", "")}
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return english
