"""Writes of the privacy app: `from clusterhub.privacy import services`."""

from clusterhub.privacy.services.erasure import (
    PLACEHOLDER,
    erasure_refusal_for,
    person_erase,
    registration_anonymise,
    user_erase,
)
from clusterhub.privacy.services.export import my_data_export
from clusterhub.privacy.services.purge import PurgePlan, personal_data_purge, purge_plan

__all__ = [
    "PLACEHOLDER",
    "PurgePlan",
    "erasure_refusal_for",
    "my_data_export",
    "person_erase",
    "personal_data_purge",
    "purge_plan",
    "registration_anonymise",
    "user_erase",
]
