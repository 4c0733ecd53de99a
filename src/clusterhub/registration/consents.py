"""The consent texts participants agree to, versioned in code.

A text that changes gets a new version here (the old one stays, so a record can still be read
against the words it was given for). An event's own privacy notice (`RegistrationConfig.
privacy_notice`) replaces the default one; its version is `event-<first 12 hex of its
sha256>`, so an edited notice is a new version without anybody having to number it. Every
`ConsentRecord` also keeps the exact text, in English as written here.

Records made before consents were versioned carry the version `unversioned` (see the
registration migration 0003).
"""

from __future__ import annotations

import hashlib

from clusterhub.registration.models import ConsentKind, RegistrationConfig

UNVERSIONED = "unversioned"

TEXTS: dict[str, dict[str, str]] = {
    ConsentKind.PRIVACY: {
        "2025-1": (
            "{host} stores the details you give here to run the event: your registration, your "
            "sign-ups and your badge. They are not shared with anybody else unless you agree "
            "below. I have read and accept the privacy notice."
        ),
    },
    ConsentKind.MATCHMAKING: {
        "2025-1": (
            "Show my profile to other participants for matchmaking. Others can then find you "
            "and ask you for a meeting. You can register without it."
        ),
    },
    ConsentKind.PHOTOS: {
        "2025-1": "I agree that photos of me taken at the event may be published.",
    },
}

CURRENT: dict[str, str] = {kind: max(versions) for kind, versions in TEXTS.items()}


def consent_version_and_text(
    *, kind: str, config: RegistrationConfig | None, host: str = ""
) -> tuple[str, str]:
    """The version and text of `kind` a participant agrees to now, for an event with the
    registration settings `config` (its own privacy notice wins) hosted by `host`."""
    if kind == ConsentKind.PRIVACY and config is not None and config.privacy_notice.strip():
        notice = config.privacy_notice.strip()
        digest = hashlib.sha256(notice.encode()).hexdigest()[:12]
        return f"event-{digest}", notice
    version = CURRENT[kind]
    return version, TEXTS[kind][version].format(host=host)
