"""Signals of the events app, for later apps that must react to programme changes without
being imported here (the flow runs one way: DESIGN.md).

`session_capacity_changed`
    sender: `Session`; arguments: `session` (saved, inside the write transaction, event row
    locked), `old` and `new` (int or None: the seats before and after), `actor`.
    Sent by `services.session_update` when the seats change. A receiver may raise
    `ValidationError` (keyed by the `capacity` field, with a code) to refuse the change: the
    transaction rolls back and the form shows the message. registration uses it to refuse
    fewer seats than are taken and to promote people from the waitlist when seats are added.

`timetable_interest`
    sender: `Event`; arguments: `event`. Sent (read only, outside any write) when a draft
    timetable is computed. Each receiver returns an iterable of sets of session ids, one set
    per person: the sessions that person wants. The sets give each session's expected
    audience and the audience overlaps the timetable keeps apart. registration answers with
    the sign-ups (confirmed and waitlisted) of each active registration.
"""

from django.dispatch import Signal

session_capacity_changed = Signal()
timetable_interest = Signal()
