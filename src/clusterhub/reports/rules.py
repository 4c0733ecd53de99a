"""Who may read and write an event's highlights report. The object is the `Report` (saved or
not: an event without one has an unsaved empty draft).

- Anybody reads a published report of a published event.
- The host cluster's team (check-in staff included) reads it before that, as a preview: as
  with a draft event, the team sees what the public will.
- Owners and organisers of the host cluster write and publish it.
"""

import rules

from clusterhub.events.rules import is_event_organiser, is_event_team_member


@rules.predicate
def is_report_public(user, report) -> bool:
    return report is not None and report.is_published and report.event.is_published


@rules.predicate
def is_report_team_member(user, report) -> bool:
    return report is not None and is_event_team_member(user, report.event)


@rules.predicate
def is_report_organiser(user, report) -> bool:
    return report is not None and is_event_organiser(user, report.event)


rules.add_perm("reports.view_report", is_report_public | is_report_team_member)
rules.add_perm("reports.change_report", is_report_organiser)
