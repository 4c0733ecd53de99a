"""`{% load timetable_text %}` then `{% conflict_text event item english %}`: why a proposed
timetable is impossible, in the reader's language (`clusterhub.events.timetable_text`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

from clusterhub.events import timetable_text
from clusterhub.events.models import Event

register = template.Library()


@register.simple_tag
def conflict_text(event: Event, item: Mapping[str, Any], english: str = "") -> str:
    return timetable_text.conflict_text(event, item, english)
