"""Writes of matchmaking: `from clusterhub.matchmaking import services`.

- `profiles`: profiles (with taxonomy tags and networking slots) and marks;
- `settings`: the organiser's settings and the matcher's configuration;
- `runs`: runs of the matcher and their stored recommendations;
- `requests`: meeting requests, their answers and their emails;
- `meetings`: the networking set-up and the organiser's moves, locks, cancellations, publishing;
- `scheduling`: runs of the meeting scheduler and their quality figures.
"""

from clusterhub.matchmaking.services.common import (
    MESSAGE_MAX,
    PHRASE_MAX,
    PROFILE_FIELDS,
    TAG_MAX,
    TAGS_MAX,
    MatchingUnavailable,
    consenting_registrations,
)
from clusterhub.matchmaking.services.meetings import (
    SETUP_FIELDS,
    meeting_cancel,
    meeting_lock,
    meeting_move,
    meeting_place_check,
    meeting_seats_set,
    meetings_publish,
    networking_setup_update,
)
from clusterhub.matchmaking.services.profiles import (
    mark_set,
    networking_sessions,
    phrases_clean,
    profile_prefill,
    profile_update,
    profiles_bulk_create,
)
from clusterhub.matchmaking.services.requests import (
    meeting_request_answer,
    meeting_request_cancel,
    meeting_request_send,
)
from clusterhub.matchmaking.services.runs import (
    match_profiles_build,
    match_run_create,
    match_run_execute,
    recommend_profiles,
    run_figures,
)
from clusterhub.matchmaking.services.scheduling import (
    schedule_figures,
    schedule_input_build,
    schedule_run_create,
    schedule_run_execute,
)
from clusterhub.matchmaking.services.settings import (
    SETTINGS_FIELDS,
    match_config_for,
    matchmaking_settings_update,
    type_weights_clean,
)

__all__ = [
    "MESSAGE_MAX",
    "PHRASE_MAX",
    "PROFILE_FIELDS",
    "SETTINGS_FIELDS",
    "SETUP_FIELDS",
    "TAGS_MAX",
    "TAG_MAX",
    "MatchingUnavailable",
    "consenting_registrations",
    "mark_set",
    "match_config_for",
    "match_profiles_build",
    "match_run_create",
    "match_run_execute",
    "matchmaking_settings_update",
    "meeting_cancel",
    "meeting_lock",
    "meeting_move",
    "meeting_place_check",
    "meeting_request_answer",
    "meeting_request_cancel",
    "meeting_request_send",
    "meeting_seats_set",
    "meetings_publish",
    "networking_sessions",
    "networking_setup_update",
    "phrases_clean",
    "profile_prefill",
    "profile_update",
    "profiles_bulk_create",
    "recommend_profiles",
    "run_figures",
    "schedule_figures",
    "schedule_input_build",
    "schedule_run_create",
    "schedule_run_execute",
    "type_weights_clean",
]
