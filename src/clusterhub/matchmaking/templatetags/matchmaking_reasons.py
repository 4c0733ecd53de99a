"""`{% load matchmaking_reasons %}` then `{{ reason|reason_text }}`: a matchmaking reason the
algorithm wrote in English, in the reader's language (see `matchmaking.reasons_i18n`)."""

from __future__ import annotations

from django import template

from clusterhub.matchmaking.reasons_i18n import reason_translate

register = template.Library()


@register.filter
def reason_text(reason: str) -> str:
    """Not marked safe: the result is escaped like any other text."""
    return reason_translate(reason)
