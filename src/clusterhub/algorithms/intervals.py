"""Half-open interval overlap, the one rule behind every "two things at once" check."""

from __future__ import annotations

from datetime import datetime


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """True when [a_start, a_end) and [b_start, b_end) share any instant.

    Touching intervals (one ends when the next starts) do not overlap, so back-to-back
    sessions in one room are allowed.
    """
    return a_start < b_end and b_start < a_end
