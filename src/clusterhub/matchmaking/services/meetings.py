"""Meetings by hand: the networking set-up, and the organiser's moves, locks, cancellations
and publishing. (The scheduler's runs are in `scheduling`.)

Meeting slots and tables are scarce: every change locks the two people's registration rows
(in id order, as meeting requests do) before it checks, and the database's unique seats and
tables refuse what a race might still let through.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from hashlib import sha256
from typing import Any

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from clusterhub.common.outbox import outbox_queue
from clusterhub.directory.models import User
from clusterhub.events.models import Event, Session, SessionType
from clusterhub.matchmaking.models import Meeting, MeetingSeat, MeetingStatus, NetworkingSetup
from clusterhub.matchmaking.selectors.meetings import busy_intervals, slots_of
from clusterhub.matchmaking.services.common import log, refusal
from clusterhub.registration.models import Registration, RegistrationStatus

SETUP_FIELDS = ("meeting_minutes", "break_minutes", "tables")


@transaction.atomic
def networking_setup_update(
    *, session: Session, actor: User | None, **fields: Any
) -> NetworkingSetup:
    """Set how a networking session is cut into meeting slots (fields: SETUP_FIELDS). Refuses
    a session that is not networking (`not_networking`), values out of range (keyed by
    field) and a set-up that leaves no slot (`no_slot`). Meetings already placed keep their
    times. Side effects: the set-up row, an activity log line."""
    unknown = set(fields) - set(SETUP_FIELDS)
    if unknown:
        raise TypeError(f"Unknown set-up fields: {', '.join(sorted(unknown))}")
    if session.type != SessionType.NETWORKING:
        raise refusal(_("Meetings take place in networking sessions only."), "not_networking")
    setup = NetworkingSetup.objects.filter(session=session).first() or NetworkingSetup(
        session=session
    )
    for name, value in fields.items():
        setattr(setup, name, value)
    setup.full_clean(exclude=["session"])
    if not slots_of(session, setup):
        raise refusal(
            _("A meeting of %(n)d minutes does not fit in this session.")
            % {"n": setup.meeting_minutes},
            "no_slot", "meeting_minutes",
        )  # fmt: skip
    setup.save()
    log(actor, "matchmaking.networking_setup.update", setup, session.event, fields=sorted(fields))
    return setup


def _lock_people(*registrations: Registration) -> None:
    list(
        Registration.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk__in=[r.pk for r in registrations])
        .order_by("pk")
    )


def _lock_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("event", "session", "a__person", "b__person")
        .get(pk=meeting.pk)
    )


def _overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def meeting_place_check(
    *, meeting: Meeting, session: Session, start: datetime, table: int
) -> tuple[datetime, int]:
    """Where `meeting` may go: the end of the slot `start` of `session`, and the table. Refuses
    a slot that is not one of the session's set-up slots (`no_slot`), a table outside the
    session's tables (`no_table`), a table taken (`table_taken`), a person who has another
    meeting (`person_busy`) or a session of their own (`agenda_busy`) at that time, and a
    person no longer confirmed (`not_confirmed`). Call it with both people locked."""
    setup = NetworkingSetup.objects.filter(session=session).first()
    slot = next((s for s in slots_of(session, setup) if s.start == start), None) if setup else None
    if slot is None or session.event_id != meeting.event_id:
        raise refusal(_("This is not a meeting slot of the event."), "no_slot")
    if not 1 <= table <= slot.tables:
        raise refusal(
            _("Choose a table from 1 to %(n)d.") % {"n": slot.tables}, "no_table", "table"
        )
    taken = Meeting.objects.filter(session=session, start=start, table=table).exclude(
        status=MeetingStatus.CANCELLED
    )
    if taken.exclude(pk=meeting.pk).exists():
        raise refusal(_("This table is already taken in this slot."), "table_taken", "table")
    people = [meeting.a, meeting.b]
    for person in people:
        if person.status != RegistrationStatus.CONFIRMED:
            raise refusal(
                _("%(name)s is no longer registered.") % {"name": person.person.full_name},
                "not_confirmed",
            )
    when = (slot.start, slot.end)
    seats = MeetingSeat.objects.filter(registration__in=people).exclude(meeting=meeting)
    for reg_id, seat_start, seat_end in seats.values_list("registration_id", "start", "end"):
        if _overlaps(when, (seat_start, seat_end)):
            name = next(p.person.full_name for p in people if p.pk == reg_id)
            raise refusal(
                _("%(name)s already has a meeting at that time.") % {"name": name}, "person_busy"
            )
    for reg_id, intervals in busy_intervals(event=meeting.event, registrations=people).items():
        if any(_overlaps(when, interval) for interval in intervals):
            name = next(p.person.full_name for p in people if p.pk == reg_id)
            raise refusal(
                _("%(name)s is in a session of their own at that time.") % {"name": name},
                "agenda_busy",
            )
    return slot.end, table


def meeting_seats_set(meeting: Meeting) -> None:
    """The meeting's two seats at its time (none once cancelled). The unique seat per person
    and start time turns a double booking into an IntegrityError."""
    MeetingSeat.objects.filter(meeting=meeting).delete()
    if meeting.status != MeetingStatus.CANCELLED:
        MeetingSeat.objects.bulk_create(
            MeetingSeat(meeting=meeting, registration_id=person_id, start=meeting.start,
                        end=meeting.end)
            for person_id in (meeting.a_id, meeting.b_id)
        )  # fmt: skip


@transaction.atomic
def meeting_move(
    *, meeting: Meeting, session: Session, start: datetime, table: int, actor: User | None
) -> Meeting:
    """Move a meeting to another slot or table (checked by `meeting_place_check`; its
    refusals). A published meeting that moves is mailed to both people. A moved meeting is
    locked, so the scheduler leaves it there. Side effects: the meeting and its seats, an
    activity log line, emails."""
    meeting = _lock_meeting(meeting)
    _lock_people(meeting.a, meeting.b)
    end, table = meeting_place_check(meeting=meeting, session=session, start=start, table=table)
    before = (meeting.start, meeting.table)
    meeting.session, meeting.start, meeting.end, meeting.table = session, start, end, table
    meeting.locked = True
    try:
        with transaction.atomic():
            meeting.save()
            meeting_seats_set(meeting)
    except IntegrityError as exc:  # a concurrent move took the table or a person
        raise refusal(
            _("Somebody else just changed this slot; reload and try again."), "conflict"
        ) from exc
    log(actor, "matchmaking.meeting.move", meeting, meeting.event,
        start=start.isoformat(), table=table)  # fmt: skip
    if meeting.status == MeetingStatus.PUBLISHED and before != (start, table):
        _mail_change(meeting)
    return meeting


@transaction.atomic
def meeting_lock(*, meeting: Meeting, locked: bool, actor: User | None) -> Meeting:
    """Lock a meeting where it is (the scheduler never moves it) or unlock it."""
    meeting = _lock_meeting(meeting)
    meeting.locked = locked
    meeting.save(update_fields=["locked", "updated_at"])
    log(actor, "matchmaking.meeting." + ("lock" if locked else "unlock"), meeting, meeting.event)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, actor: User | None) -> Meeting:
    """Cancel a meeting (`not_active` if it already is): its table and the two people's time
    are free again; a published one is mailed to both. Side effects: status, seats, a log
    line, emails."""
    meeting = _lock_meeting(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise refusal(_("This meeting is already cancelled."), "not_active")
    was_published = meeting.status == MeetingStatus.PUBLISHED
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    meeting_seats_set(meeting)
    log(actor, "matchmaking.meeting.cancel", meeting, meeting.event)
    if was_published:
        _mail_change(meeting)
    return meeting


@transaction.atomic
def meetings_publish(*, event: Event, actor: User | None) -> int:
    """Publish every draft meeting of `event`: the two people see them in their agenda and
    calendar and get one email each listing their new meetings. Returns how many were
    published. Side effects: statuses, an activity log line, emails."""
    drafts = list(
        Meeting.objects.select_for_update(of=("self",))
        .filter(event=event, status=MeetingStatus.DRAFT)
        .select_related("session", "a__person__organisation", "b__person__organisation")
        .order_by("start", "table")
    )
    if not drafts:
        return 0
    Meeting.objects.filter(pk__in=[m.pk for m in drafts]).update(
        status=MeetingStatus.PUBLISHED, updated_at=timezone.now()
    )
    log(actor, "matchmaking.meetings.publish", event, event, count=len(drafts))
    by_person: dict[Registration, list[Meeting]] = defaultdict(list)
    for meeting in drafts:
        by_person[meeting.a].append(meeting)
        by_person[meeting.b].append(meeting)
    for registration, meetings in by_person.items():
        lines = "\n".join(_meeting_line(m, registration) for m in meetings)
        # One mail per person and set of newly published meetings, whatever reruns this.
        ids = ",".join(str(m.pk) for m in sorted(meetings, key=lambda m: m.pk))
        _mail(
            registration,
            _("Your meetings at %(event)s") % {"event": event.name},
            _("Dear %(name)s,\n\nyour 1:1 meetings at %(event)s:\n\n%(lines)s\n\nAll your "
              "meetings: %(url)s\n")
            % {"name": registration.person.full_name, "event": event.name, "lines": lines,
               "url": _meetings_url(event)},
            key=f"meetings.published:{registration.pk}:{sha256(ids.encode()).hexdigest()[:32]}",
        )  # fmt: skip
    return len(drafts)


def _meetings_url(event: Event) -> str:
    return django_settings.SITE_URL.rstrip("/") + reverse("matchmaking:meetings", args=[event.slug])


def _meeting_line(meeting: Meeting, me: Registration) -> str:
    other = meeting.b if meeting.a_id == me.pk else meeting.a
    with timezone.override(meeting.event.tzinfo):
        when = formats.date_format(timezone.localtime(meeting.start), "D j M H:i")
    organisation = f" ({other.person.organisation.name})" if other.person.organisation else ""
    return _("%(when)s, table %(table)d: %(name)s%(organisation)s") % {
        "when": when, "table": meeting.table, "name": other.person.full_name,
        "organisation": organisation,
    }  # fmt: skip


def _mail(registration: Registration, subject: str, body: str, key: str | None = None) -> None:
    if registration.person.email:
        outbox_queue(
            to=registration.person.email, subject=subject, body=body,
            event_id=registration.event_id, key=key,
        )  # fmt: skip


def _mail_change(meeting: Meeting) -> None:
    event = meeting.event
    for me in (meeting.a, meeting.b):
        if meeting.status == MeetingStatus.CANCELLED:
            other = meeting.b if me.pk == meeting.a_id else meeting.a
            text = _("your meeting with %(name)s is cancelled.") % {"name": other.person.full_name}
        else:
            text = _("your meeting has moved: %(line)s.") % {"line": _meeting_line(meeting, me)}
        _mail(
            me,
            _("Meeting changed: %(event)s") % {"event": event.name},
            _("Dear %(name)s,\n\n%(text)s\n\nAll your meetings: %(url)s\n")
            % {"name": me.person.full_name, "text": text, "url": _meetings_url(event)},
        )
