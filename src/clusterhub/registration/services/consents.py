"""Recording consents: every one given or withdrawn is a `ConsentRecord` with its version."""

from __future__ import annotations

from datetime import datetime

from clusterhub.registration.consents import consent_version_and_text
from clusterhub.registration.models import ConsentRecord, Registration, RegistrationConfig
from clusterhub.registration.selectors import registration_config_for


def consent_record(
    *,
    registration: Registration,
    kind: str,
    given: bool,
    source: str,
    at: datetime,
    config: RegistrationConfig | None = None,
) -> ConsentRecord:
    """Append the record of `kind` given (or withdrawn) at `at`, with the version and text in
    force for the registration's event (`config`: its registration settings, when the caller
    has them already). Call it inside the service's transaction; the service
    writes the activity log. Side effect: one ConsentRecord row."""
    event = registration.event
    version, text = consent_version_and_text(
        kind=kind, config=config or registration_config_for(event=event), host=event.cluster.name
    )
    return ConsentRecord.objects.create(
        registration=registration, kind=kind, given=given, version=version, text=text,
        source=source, at=at,
    )  # fmt: skip
