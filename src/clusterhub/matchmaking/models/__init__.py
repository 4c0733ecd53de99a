"""Matchmaking's models: `profiles` (settings, profiles, marks), `runs` (runs of the matcher and
their recommendations), `requests` (meeting requests), `meetings` (networking set-up,
scheduling runs, meetings and their seats)."""

from clusterhub.matchmaking.models.meetings import (
    Meeting,
    MeetingSeat,
    MeetingStatus,
    NetworkingSetup,
    ScheduleRun,
    ScheduleRunStatus,
)
from clusterhub.matchmaking.models.profiles import (
    MarkKind,
    MatchmakingSettings,
    MatchProfile,
    Objective,
    ProfileMark,
)
from clusterhub.matchmaking.models.requests import (
    OPEN_REQUEST_STATUSES,
    MeetingRequest,
    MeetingRequestStatus,
)
from clusterhub.matchmaking.models.runs import MatchRun, MatchRunStatus, Recommendation

__all__ = [
    "OPEN_REQUEST_STATUSES",
    "MarkKind",
    "MatchProfile",
    "MatchRun",
    "MatchRunStatus",
    "MatchmakingSettings",
    "Meeting",
    "MeetingRequest",
    "MeetingRequestStatus",
    "MeetingSeat",
    "MeetingStatus",
    "NetworkingSetup",
    "Objective",
    "ProfileMark",
    "Recommendation",
    "ScheduleRun",
    "ScheduleRunStatus",
]
