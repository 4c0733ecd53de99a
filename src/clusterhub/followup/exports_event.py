"""Everything an organiser owns of an event, as CSV and XLSX: sign-ups, the matchmaking
profiles of the people who consented to matchmaking, meetings, meeting outcomes and
partnerships.

Like the registrations export (`clusterhub.registration.exports`): rows are read in chunks
(related rows joined or prefetched per chunk, so the query count does not grow with the
rows), the CSV streams, the XLSX is written row by row to a temporary file, control characters
are dropped from XLSX cells and a cell a spreadsheet could read as a formula gets a leading
apostrophe (`escape_cell`).

Private texts stay out, as in the API: no feedback comment, and no profile of a person
without the matchmaking consent.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.db.models import Prefetch
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from clusterhub.directory.models import Organisation
from clusterhub.events.models import Event, Session
from clusterhub.followup.models import MeetingFeedback, Partnership
from clusterhub.matchmaking.models import MatchProfile, Meeting, Objective
from clusterhub.registration.exports import CHUNK_SIZE, escape_cell
from clusterhub.registration.models import Registration, SignUp
from clusterhub.registration.selectors import waitlist_position_expression

Rows = Iterator[list[str]]


def _when(value: datetime | None, event: Event) -> str:
    return value.astimezone(event.tzinfo).strftime("%Y-%m-%d %H:%M") if value else ""


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _person(registration: Registration) -> str:
    return registration.person.full_name


def _organisation(registration: Registration) -> str:
    organisation = registration.person.organisation
    return organisation.name if organisation else ""


def _listed(values: Any) -> str:
    return "; ".join(str(value) for value in values or [])


# --- sign-ups -----------------------------------------------------------------------------------


def _signups(event: Event) -> Rows:
    position = waitlist_position_expression()
    signups = (
        SignUp.objects.filter(session__event=event)
        .select_related("session", "registration__person__organisation")
        .annotate(waitlist_position=position)
        .order_by("session__start", "session_id", "status", "created_at", "id")
    )
    for signup in signups.iterator(chunk_size=CHUNK_SIZE):
        registration = signup.registration
        yield [
            _person(registration),
            registration.person.email,
            _organisation(registration),
            signup.session.title,
            signup.get_status_display(),
            str(signup.waitlist_position or ""),  # type: ignore[attr-defined]
            _when(signup.created_at, event),
        ]


# --- matchmaking profiles (consenting people only) ----------------------------------------------


def _profiles(event: Event) -> Rows:
    objectives = dict(Objective.choices)
    profiles = (
        MatchProfile.objects.filter(
            registration__event=event, registration__consent_matchmaking_at__isnull=False
        )
        .select_related("registration__person__organisation")
        .prefetch_related(
            Prefetch("available_sessions", queryset=Session.objects.order_by("start", "id"))
        )
        .order_by("registration__person__last_name", "registration__person__first_name", "id")
    )
    for profile in profiles.iterator(chunk_size=CHUNK_SIZE):
        registration = profile.registration
        yield [
            _person(registration),
            registration.person.email,
            _organisation(registration),
            _listed(profile.offers),
            _listed(profile.needs),
            _listed(profile.interests),
            _listed(profile.tags),
            _listed(objectives.get(key, key) for key in profile.objectives or []),
            profile.about,
            _listed(session.title for session in profile.available_sessions.all()),
            _when(profile.updated_at, event),
        ]


# --- meetings -----------------------------------------------------------------------------------


def _meetings(event: Event) -> Rows:
    meetings = (
        Meeting.objects.filter(event=event)
        .select_related("session", "a__person__organisation", "b__person__organisation")
        .order_by("start", "table", "id")
    )
    for meeting in meetings.iterator(chunk_size=CHUNK_SIZE):
        yield [
            _when(meeting.start, event),
            _when(meeting.end, event),
            str(meeting.table),
            meeting.session.title,
            _person(meeting.a),
            _organisation(meeting.a),
            _person(meeting.b),
            _organisation(meeting.b),
            meeting.get_status_display(),
        ]


# --- meeting outcomes (never the comment) -------------------------------------------------------


def _outcomes(event: Event) -> Rows:
    feedback = (
        MeetingFeedback.objects.filter(meeting__event=event)
        .select_related(
            "meeting__a__person", "meeting__b__person", "registration__person__organisation"
        )
        .order_by("meeting__start", "meeting__table", "meeting_id", "id")
    )
    for answer in feedback.iterator(chunk_size=CHUNK_SIZE):
        meeting = answer.meeting
        yield [
            _when(meeting.start, event),
            str(meeting.table),
            f"{_person(meeting.a)} – {_person(meeting.b)}",
            _person(answer.registration),
            _organisation(answer.registration),
            answer.get_attendance_display(),
            str(answer.rating or ""),
            answer.get_outcome_display() if answer.outcome else "",
            _when(answer.updated_at, event),
        ]


# --- partnerships -------------------------------------------------------------------------------


def _partnerships(event: Event) -> Rows:
    partnerships = (
        Partnership.objects.filter(cluster=event.cluster, event=event)
        .select_related("event")
        .prefetch_related(
            Prefetch("organisations", queryset=Organisation.objects.order_by("name", "id"))
        )
        .order_by("title", "id")
    )
    for partnership in partnerships.iterator(chunk_size=CHUNK_SIZE):
        yield [
            partnership.title,
            partnership.get_type_display(),
            partnership.get_stage_display(),
            _listed(o.name for o in partnership.organisations.all()),
            partnership.event.name if partnership.event else "",
            partnership.next_step,
            _day(partnership.next_step_on),
            _when(partnership.updated_at, event),
        ]


# --- row counts (one query each, for the activity log) ------------------------------------------


def _count_signups(event: Event) -> int:
    return SignUp.objects.filter(session__event=event).count()


def _count_profiles(event: Event) -> int:
    return MatchProfile.objects.filter(
        registration__event=event, registration__consent_matchmaking_at__isnull=False
    ).count()


def _count_meetings(event: Event) -> int:
    return Meeting.objects.filter(event=event).count()


def _count_outcomes(event: Event) -> int:
    return MeetingFeedback.objects.filter(meeting__event=event).count()


def _count_partnerships(event: Event) -> int:
    return Partnership.objects.filter(cluster_id=event.cluster_id, event=event).count()


# --- the list of exports ------------------------------------------------------------------------


@dataclass(frozen=True)
class EventExport:
    name: str  # in the URL name (`export_<name>`) and the file name
    title: Promise
    header: tuple[Promise, ...]
    rows: Callable[[Event], Rows]
    count: Callable[[Event], int]  # the rows there are, for the audit line of each download


L = gettext_lazy
EXPORTS: dict[str, EventExport] = {
    export.name: export
    for export in [
        EventExport("signups", L("Session sign-ups"), (
            L("Person"), L("Email"), L("Organisation"), L("Session"), L("Status"),
            L("Waitlist position"), L("Signed up at"),
        ), _signups, _count_signups),
        EventExport("profiles", L("Profiles (matchmaking consent)"), (
            L("Person"), L("Email"), L("Organisation"), L("Offers"), L("Needs"),
            L("Interests"), L("Tags"), L("Objectives"), L("About"), L("Available slots"),
            L("Updated at"),
        ), _profiles, _count_profiles),
        EventExport("meetings", L("Meetings"), (
            L("Start"), L("End"), L("Table"), L("Session"), L("Person A"),
            L("Organisation A"), L("Person B"), L("Organisation B"), L("Status"),
        ), _meetings, _count_meetings),
        EventExport("outcomes", L("Meeting outcomes"), (
            L("Meeting start"), L("Table"), L("Meeting"), L("Answered by"), L("Organisation"),
            L("Attendance"), L("Rating"), L("Outcome"), L("Answered at"),
        ), _outcomes, _count_outcomes),
        EventExport("partnerships", L("Partnerships"), (
            L("Title"), L("Type"), L("Stage"), L("Organisations"), L("Event"), L("Next step"),
            L("Next step by"), L("Updated at"),
        ), _partnerships, _count_partnerships),
    ]
}  # fmt: skip


# --- the two formats ----------------------------------------------------------------------------


def _xlsx_cell(value: str) -> str:
    # Control characters first, then the formula escape ("\x01=cmd" must stay text).
    return escape_cell(ILLEGAL_CHARACTERS_RE.sub("", value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(export: EventExport, event: Event) -> Iterator[str]:
    """A byte-order mark (so spreadsheets read UTF-8), the header, then one line per row."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([escape_cell(str(cell)) for cell in export.header])
    for row in export.rows(event):
        yield writer.writerow([escape_cell(cell) for cell in row])


def xlsx_file(export: EventExport, event: Event) -> IO[bytes]:
    """The workbook in a temporary file, rewound; the caller closes it."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(export.title)[:31])
    sheet.append([_xlsx_cell(str(cell)) for cell in export.header])
    for row in export.rows(event):
        sheet.append([_xlsx_cell(cell) for cell in row])
    out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook.save(out)
    out.seek(0)
    return out
