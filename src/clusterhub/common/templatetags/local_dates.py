"""`{{ value|when:"day_time" }}`: a date or time in the reader's language, by name.

Django's `date` filter takes one pattern for every language, but day-and-month are written
differently: "Wednesday 3 December" (en), "onsdag 3. desember" (nb), "середа, 3 грудня" (uk:
the month in the genitive, Django's `E`). Templates name what they show; the patterns per
language are here. Times are shown in the active time zone (the event's, where the view
activates it). A builtin: no `{% load %}` needed."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import formats
from django.utils.translation import get_language

register = template.Library()

PATTERNS: dict[str, dict[str, str]] = {
    "en": {
        "date": "j F Y", "date_time": "j F Y, H:i", "day": "l j F", "day_year": "l j F Y",
        "day_time": "l j F, H:i", "day_year_time": "l j F Y, H:i", "month_day": "j F",
        "short_date": "j M Y", "short_date_time": "j M Y, H:i", "short": "j M",
        "short_time": "j M, H:i", "dow_short": "D j M", "dow_short_time": "D j M, H:i",
        "dow_time": "D H:i",
    },
    "nb": {
        "date": "j. F Y", "date_time": "j. F Y \\k\\l. H:i", "day": "l j. F",
        "day_year": "l j. F Y", "day_time": "l j. F \\k\\l. H:i",
        "day_year_time": "l j. F Y \\k\\l. H:i", "month_day": "j. F",
        "short_date": "j. b Y", "short_date_time": "j. b Y, H:i", "short": "j. b",
        "short_time": "j. b, H:i", "dow_short": "D j. b", "dow_short_time": "D j. b, H:i",
        "dow_time": "D H:i",
    },
    "uk": {
        "date": "j E Y", "date_time": "j E Y, H:i", "day": "l, j E", "day_year": "l, j E Y",
        "day_time": "l, j E, H:i", "day_year_time": "l, j E Y, H:i", "month_day": "j E",
        "short_date": "d.m.Y", "short_date_time": "d.m.Y, H:i", "short": "d.m",
        "short_time": "d.m, H:i", "dow_short": "D, d.m", "dow_short_time": "D, d.m, H:i",
        "dow_time": "D, H:i",
    },
}  # fmt: skip


def pattern(name: str, language: str | None = None) -> str:
    """The `date` pattern called `name` in `language` (default: the active one)."""
    patterns = PATTERNS.get((language or get_language() or "en").split("-")[0], PATTERNS["en"])
    return patterns.get(name, PATTERNS["en"].get(name, name))


@register.filter(expects_localtime=True, is_safe=False)
def when(value: date | datetime | None, name: str = "date") -> str:
    if value in (None, ""):
        return ""
    return formats.date_format(value, pattern(name))
