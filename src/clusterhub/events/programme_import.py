"""Importing a programme from a CSV or XLSX file (the contract is in DESIGN.md and README).

The header is exactly `title,type,day,start,end,room,speakers,capacity,parent,description`.
Every row is read and checked against the event first; one bad cell refuses the whole file
(`line N, column NAME: message`, the header being line 1). A good file is written in one
transaction through `services.session_create` and `services.session_role_add`, so it lands
completely or not at all; a refusal of a service (`room_busy`, `person_busy`, `outside_event`,
`part_outside_parent`, ...) is reported against its line and nothing is written.

- `type`: one of the SessionType values (`plenary`, `talk`, ..., `site_visit`).
- `day`: an ISO date within the event, or the day number (1 is the first day).
- `start`, `end`: HH:MM, local to the event's time zone.
- `room`: empty, or the name (any case) of a room the event already has; rooms are not
  created by the import.
- `speakers`: `;`-separated emails (any case, whole directory) or full names (among the host
  cluster's contacts) of people in the directory; each gets the speaker role.
- `capacity`: empty or a whole number of seats; training modules and site visits with seats
  need sign-up, other sessions only show the seats.
- `parent`: empty, or the title of the session this row is a part of: an earlier row of the
  file or a session already on the programme.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat

from clusterhub.common.tabular import (
    ImportRefused,
    header_errors,
    record_values,
    tabular_records,
)
from clusterhub.directory.models import Person, User
from clusterhub.events import services
from clusterhub.events.models import Event, Room, Session, SessionType

HEADER = (
    "title", "type", "day", "start", "end", "room", "speakers", "capacity", "parent",
    "description",
)  # fmt: skip
SIGNUP_TYPES = (SessionType.TRAINING, SessionType.SITE_VISIT)
TITLE_MAX = 300
# Which column a refusal of the services is about (their errors are keyed by form field).
FIELD_COLUMNS = {
    "title": "title", "type": "type", "start": "start", "end": "end", "room": "room",
    "capacity": "capacity", "signup_required": "capacity", "parent": "parent",
    "part_order": "parent", "description": "description", "person": "speakers",
}  # fmt: skip


@dataclass
class ProgrammeRow:
    line: int
    title: str
    type: str
    day: date
    start: time
    end: time
    room: Room | None
    speakers: list[Person]
    capacity: int | None
    parent_title: str
    parent_line: int | None  # the earlier row this is a part of
    parent: Session | None  # or the session already on the programme
    description: str

    @property
    def signup_required(self) -> bool:
        return self.capacity is not None and self.type in SIGNUP_TYPES


@dataclass
class ImportSummary:
    rows: int = 0
    sessions_created: int = 0
    parts_created: int = 0
    speakers_added: int = 0


# --- reading ----------------------------------------------------------------------------------


def _clock(value: str) -> time | None:
    try:
        hours, minutes = value.split(":")[:2] if value.count(":") in (1, 2) else ("", "")
        return time(int(hours), int(minutes))
    except ValueError:
        return None


class _Reader:
    """Checks the rows of one file against one event, remembering the earlier rows."""

    def __init__(self, event: Event):
        self.event = event
        self.days = event.days
        self.rooms = {r.name.casefold(): r for r in event.rooms.all()}
        self.existing = list(event.sessions.filter(parent=None).only("pk", "title"))
        self.tops: dict[str, list[int]] = {}  # title (any case) -> lines of top-level rows
        self.people: dict[str, Person | str | None] = {}

    def _day(self, value: str) -> date | str:
        if value.isdigit():
            n = int(value)
            if 1 <= n <= len(self.days):
                return self.days[n - 1]
            return f"the event has days 1 to {len(self.days)}, not {n}"
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return f"neither a date (YYYY-MM-DD) nor a day number: {value!r}"
        if day not in self.days:
            return (
                f"{day.isoformat()} is not a day of the event "
                f"({self.event.start_date.isoformat()} to {self.event.end_date.isoformat()})"
            )
        return day

    def _person(self, key: str) -> Person | str:
        """The person named by an email or full name, or why there is none."""
        if key.casefold() not in self.people:
            found: Person | str | None
            if "@" in key:
                found = Person.objects.filter(email__iexact=key).first()
            else:
                matches = list(
                    Person.objects.filter(contact_of=self.event.cluster_id)
                    .annotate(full=Concat("first_name", Value(" "), "last_name"))
                    .filter(full__iexact=key)[:2]
                )
                found = matches[0] if len(matches) == 1 else ("ambiguous" if matches else None)
            self.people[key.casefold()] = found
        found = self.people[key.casefold()]
        if found is None:
            return f"nobody in the directory is {key!r}"
        if isinstance(found, str):
            return f"several people are called {key!r}; give their email instead"
        return found

    def row(self, line: int, record: list[str]) -> tuple[ProgrammeRow | None, list[str]]:
        values, errors = record_values(line, record, HEADER)

        def bad(column: str, message: str) -> None:
            errors.append(f"line {line}, column {column}: {message}")

        title = values["title"]
        if not title:
            bad("title", "required")
        elif len(title) > TITLE_MAX:
            bad("title", f"longer than {TITLE_MAX} characters")
        kind = values["type"].lower()
        if kind not in SessionType.values:
            bad(
                "type",
                f"unknown type {values['type']!r}; use one of " + ", ".join(SessionType.values),
            )
        day: date | str = "required"
        if values["day"]:
            day = self._day(values["day"])
        if isinstance(day, str):
            bad("day", day)
        clocks: dict[str, time | None] = {}
        for column in ("start", "end"):
            clocks[column] = _clock(values[column])
            if clocks[column] is None:
                bad(
                    column,
                    f"a time HH:MM is required, not {values[column]!r}"
                    if values[column]
                    else "required",
                )
        start, end = clocks["start"], clocks["end"]
        if start is not None and end is not None and end <= start:
            bad("end", f"the session must end after it starts ({values['start']})")
        room = None
        if values["room"]:
            room = self.rooms.get(values["room"].casefold())
            if room is None:
                names = ", ".join(sorted(r.name for r in self.rooms.values())) or "none yet"
                bad("room", f"the event has no room {values['room']!r} (its rooms: {names})")
        speakers: list[Person] = []
        for key in dict.fromkeys(" ".join(s.split()) for s in values["speakers"].split(";")):
            if key:
                found = self._person(key)
                if isinstance(found, str):
                    bad("speakers", found)
                elif found not in speakers:
                    speakers.append(found)
        capacity = None
        if values["capacity"]:
            if values["capacity"].isdigit():
                capacity = int(values["capacity"])
            else:
                bad("capacity", f"a whole number of seats or empty, not {values['capacity']!r}")
        parent_line, parent = None, None
        parent_title = values["parent"]
        if parent_title:
            lines = self.tops.get(parent_title.casefold(), [])
            existing = [s for s in self.existing if s.title.casefold() == parent_title.casefold()]
            if len(lines) + len(existing) > 1:
                bad("parent", f"several sessions are called {parent_title!r}")
            elif lines:
                parent_line = lines[0]
            elif existing:
                parent = existing[0]
            else:
                bad(
                    "parent",
                    f"no earlier row or session on the programme is called {parent_title!r} "
                    "(a part of a session this file adds must come after it)",
                )
        elif title:
            self.tops.setdefault(title.casefold(), []).append(line)
        if errors or isinstance(day, str) or start is None or end is None:
            return None, errors
        row = ProgrammeRow(
            line=line, title=title, type=kind, day=day, start=start, end=end, room=room,
            speakers=speakers, capacity=capacity, parent_title=parent_title,
            parent_line=parent_line, parent=parent, description=values["description"],
        )  # fmt: skip
        return row, errors


def programme_file_read(path: Path, *, event: Event) -> list[ProgrammeRow]:
    """The rows of the file at `path`, checked against `event`. Raises ImportRefused listing
    EVERY bad cell (`line N, column NAME: message`, the header being line 1), or a bad header."""
    records = tabular_records(Path(path))
    header = next(records, None)
    if header is None:
        raise ImportRefused(["line 1: the file is empty; it needs the header " + ",".join(HEADER)])
    errors = header_errors(header, HEADER)
    if errors:
        raise ImportRefused(errors)
    reader = _Reader(event)
    rows: list[ProgrammeRow] = []
    for line, record in enumerate(records, start=2):
        if not any(record):
            continue  # blank lines (and formatted but empty spreadsheet rows) are skipped
        row, row_errors = reader.row(line, record)
        errors += row_errors
        if row is not None:
            rows.append(row)
    if errors:
        raise ImportRefused(errors)
    return rows


# --- writing ----------------------------------------------------------------------------------


def _refusal_lines(line: int, exc: ValidationError) -> list[str]:
    if not hasattr(exc, "error_dict"):
        return [f"line {line}: {message}" for message in exc.messages]
    lines = []
    for key, errors in exc.error_dict.items():
        column = FIELD_COLUMNS.get(key)
        prefix = f"line {line}, column {column}" if column else f"line {line}"
        lines += [f"{prefix}: {message}" for e in errors for message in e.messages]
    return lines


def programme_import(
    *, event: Event, rows: list[ProgrammeRow], actor: User | None, dry_run: bool = False
) -> ImportSummary:
    """Write checked `rows` for `event` in one transaction: each row becomes a session (a part
    when it has a parent) with its speakers, through the events services. Raises ImportRefused
    (nothing written) listing every refusal by line. With `dry_run` everything is rolled back
    and only counted. Side effects: those rows and their activity log entries."""
    summary = ImportSummary(rows=len(rows))
    with transaction.atomic():
        created: dict[int, Session] = {}
        errors: list[str] = []
        for row in rows:
            parent = row.parent
            if row.parent_line is not None:
                parent = created.get(row.parent_line)
                if parent is None:
                    errors.append(
                        f"line {row.line}, column parent: not imported, as its session on line "
                        f"{row.parent_line} was refused"
                    )
                    continue
            try:
                with transaction.atomic():
                    session = services.session_create(
                        event=event, actor=actor, title=row.title, type=row.type,
                        parent=parent, room=row.room,
                        start=event.local_datetime(row.day, row.start),
                        end=event.local_datetime(row.day, row.end),
                        capacity=row.capacity, signup_required=row.signup_required,
                        description=row.description,
                    )  # fmt: skip
                    for person in row.speakers:
                        services.session_role_add(session=session, person=person, actor=actor)
            except ValidationError as exc:
                errors += _refusal_lines(row.line, exc)
                continue
            created[row.line] = session
            summary.sessions_created += parent is None
            summary.parts_created += parent is not None
            summary.speakers_added += len(row.speakers)
        if errors:
            raise ImportRefused(errors)  # leaving the block rolls everything back
        if dry_run:
            transaction.set_rollback(True)
    return summary
