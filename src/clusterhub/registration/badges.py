"""Printable badges (PDF): name, organisation, ticket type, event, and a QR code that carries
the signed badge token (see `tokens.py`), never a database id.

WeasyPrint needs the Pango system library. It is imported only when a badge is drawn, so the
site runs without it; `badge_pdf` then raises `BadgeRenderingUnavailable` and pages answer 503.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import segno
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from clusterhub.registration.models import Registration
from clusterhub.registration.tokens import badge_token

Layout = Literal["a6", "a4"]
BADGES_PER_PAGE: dict[str, int] = {"a6": 1, "a4": 4}  # an A4 sheet holds four A6 badges


class BadgeRenderingUnavailable(RuntimeError):
    """WeasyPrint (or the Pango library under it) is not installed on this machine."""


@dataclass(frozen=True)
class Badge:
    registration: Registration
    token: str
    qr_svg: SafeString


def badge_token_for(registration: Registration) -> str:
    """The token printed (as a QR code) on the registration's badge."""
    return badge_token(
        event_id=registration.event_id,
        registration_id=registration.pk,
        nonce=registration.badge_nonce,
    )


def badge_qr_svg(token: str) -> SafeString:
    """The QR code of `token` as inline SVG, sized by the stylesheet (no fixed width)."""
    svg = segno.make(token, error="m").svg_inline(omitsize=True, border=2)
    return mark_safe(svg)  # noqa: S308 - segno's own markup; the token is base64 and digits


def badge_html(registrations: Sequence[Registration], *, layout: Layout = "a6") -> str:
    """The HTML WeasyPrint turns into the badges' PDF (one badge per A6 page, or four per A4
    sheet to cut). Give the registrations with `person__organisation`, `ticket_type` and
    `event` loaded."""
    if layout not in BADGES_PER_PAGE:
        raise ValueError(f"unknown badge layout {layout!r}")
    badges = [
        Badge(registration=r, token=(token := badge_token_for(r)), qr_svg=badge_qr_svg(token))
        for r in registrations
    ]
    per_page = BADGES_PER_PAGE[layout]
    pages = [badges[i : i + per_page] for i in range(0, len(badges), per_page)]
    return render_to_string(
        "registration/portal/badge_pdf.html", {"pages": pages, "layout": layout}
    )


def badge_pdf(registrations: Sequence[Registration], *, layout: Layout = "a6") -> bytes:
    """The badges of `registrations` as one PDF: one A6 page each (`layout="a6"`), or four
    per A4 sheet (`layout="a4"`). Raises `BadgeRenderingUnavailable` when WeasyPrint cannot
    be loaded. Reads only."""
    try:
        import weasyprint  # heavy, and needs Pango: loaded on first use
    except (ImportError, OSError) as exc:  # OSError: the Pango library is missing
        raise BadgeRenderingUnavailable(str(exc)) from exc
    return weasyprint.HTML(string=badge_html(registrations, layout=layout)).write_pdf()
