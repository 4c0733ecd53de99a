"""Figures as the report prints them, in the reader's language: `{{ value|share }}` gives
"45 %", `{{ indicator|figure }}` formats an indicator by its kind; "—" when there is no value
(a share without a denominator is no data, never 0 %)."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()
NONE = "—"


def _number(value: float, decimals: int) -> str:
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def count(value: int | None) -> str:
    return NONE if value is None else _number(value, 0)


@register.filter
def share(value: float | None) -> str:
    """A share in [0, 1] as a whole percentage."""
    return NONE if value is None else f"{_number(round(value * 100), 0)}\u00a0%"


@register.filter
def mean(value: float | None) -> str:
    return NONE if value is None else _number(value, 1)


@register.filter
def index(value: float | None) -> str:
    return NONE if value is None else _number(value, 2)


@register.filter
def figure(indicator) -> str:
    """An `Indicator` shown by its kind: count, share, mean or index."""
    formats = {"count": count, "share": share, "mean": mean, "index": index}
    value = indicator.value
    if isinstance(value, str):
        return value
    return formats.get(indicator.kind, count)(value)
