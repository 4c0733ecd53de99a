"""Badge tokens: what the QR code on a badge carries.

A token is `<registration id>.<badge nonce>:<signature>`, signed with the project's secret key
and a salt that names the event, so a token altered by one character or issued for another
event fails the signature check. It carries no personal data. Bumping the registration's
`badge_nonce` revokes every badge printed before.
"""

from __future__ import annotations

from django.core import signing

from clusterhub.events.models import Event


def _signer(event_id: int) -> signing.Signer:
    return signing.Signer(salt=f"clusterhub.badge.event-{event_id}")


def badge_token(*, event_id: int, registration_id: int, nonce: int) -> str:
    return _signer(event_id).sign(f"{registration_id}.{nonce}")


def badge_token_read(*, event: Event, token: str) -> tuple[int, int] | None:
    """(registration id, nonce) for a valid token of `event`, else None."""
    try:
        value = _signer(event.pk).unsign(token.strip())
        registration_id, nonce = value.split(".")
        return int(registration_id), int(nonce)
    except (signing.BadSignature, ValueError):
        return None
