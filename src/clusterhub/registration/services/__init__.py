"""Writes of the registration app: `from clusterhub.registration import services`."""

from clusterhub.registration.services.checkin import (
    CheckInResult,
    checkin_create,
    registration_for_badge,
)
from clusterhub.registration.services.registrations import (
    registration_calendar_token_reset,
    registration_cancel,
    registration_config,
    registration_create,
    registration_decide,
    registration_matchmaking_consent_set,
    registration_person_for_user,
    registration_window_state,
    registrations_bulk_create,
)
from clusterhub.registration.services.setup import (
    question_create,
    question_delete,
    question_update,
    registration_config_update,
    ticket_type_create,
    ticket_type_delete,
    ticket_type_update,
)
from clusterhub.registration.services.signups import (
    session_capacity_set,
    signup_cancel,
    signup_create,
    signup_move,
)

__all__ = [
    "CheckInResult",
    "checkin_create",
    "question_create",
    "question_delete",
    "question_update",
    "registration_calendar_token_reset",
    "registration_cancel",
    "registration_config",
    "registration_config_update",
    "registration_create",
    "registration_decide",
    "registration_for_badge",
    "registration_matchmaking_consent_set",
    "registration_person_for_user",
    "registration_window_state",
    "registrations_bulk_create",
    "session_capacity_set",
    "signup_cancel",
    "signup_create",
    "signup_move",
    "ticket_type_create",
    "ticket_type_delete",
    "ticket_type_update",
]
