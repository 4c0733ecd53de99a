"""The report's "figures for project reporting": the indicators EU-funded cluster projects
(Single Market Programme, Interreg, Horizon Europe, EU4Health) are usually asked for (reach,
SMEs, countries, public–private mix, business meetings, partnerships, satisfaction), each
taken from the KPIs with the definition of docs/algorithms/kpi.md. Pure: no queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from django.utils.translation import gettext as _

from clusterhub.directory.models import OrganisationType
from clusterhub.followup.models import Outcome

if TYPE_CHECKING:
    from clusterhub.reports.content import ReportContent


@dataclass(frozen=True)
class Indicator:
    """One line of the table; `kind` says how the template shows `value` (None: "—")."""

    key: str
    label: str
    value: int | float | str | None
    kind: Literal["count", "share", "mean", "index"] = "count"


def indicators(content: ReportContent) -> list[Indicator]:
    """The table's lines, in the order a project report lists them: reach, mix, programme,
    meetings, partnerships, satisfaction."""
    k, people = content.kpis, content.people
    m, p, t = k.meetings, k.partnerships, k.training
    came = content.people_basis == "attended"
    followed = {key: n for key, _label, n in content.outcomes}
    rows = [
        Indicator(
            "participants",
            _("Participants (checked in)") if came else _("Participants (registered)"),
            people.total,
        ),
        Indicator("registrations", _("Registrations (confirmed)"), k.registrations.confirmed),
        Indicator(
            "attendance_rate", _("Attendance rate"), k.registrations.attendance_rate, "share"
        ),
        Indicator("organisations", _("Organisations represented"), content.organisations),
        Indicator(
            "smes",
            _("SMEs and start-ups represented"),
            content.organisations_by_type.get(OrganisationType.COMPANY, 0),
        ),
        Indicator(
            "large_industry",
            _("Large companies represented"),
            content.organisations_by_type.get(OrganisationType.INDUSTRY, 0),
        ),
        Indicator("countries", _("Countries represented"), people.country_diversity.richness),
        Indicator(
            "international",
            _("Participants from outside %(country)s") % {"country": content.host_country},
            people.international_share,
            "share",
        ),
        Indicator("public_share", _("Public sector"), people.public_share, "share"),
        Indicator("private_share", _("Private sector"), people.private_share, "share"),
        Indicator("other_share", _("Non-profit and other"), people.other_share, "share"),
        Indicator("stakeholder_types", _("Stakeholder types"), people.type_diversity.richness),
        Indicator(
            "diversity",
            _("Stakeholder diversity (Simpson index, 0–1)"),
            people.type_diversity.simpson,
            "index",
        ),
        Indicator("sessions", _("Sessions on the programme"), content.sessions),
        Indicator("speakers", _("Speakers, moderators and panelists"), len(content.speakers)),
        Indicator("training_seats", _("Training module seats taken"), t.confirmed),
        Indicator("training_came", _("Training module attendances"), t.checked_in),
        Indicator("meetings_requested", _("1:1 meetings requested"), m.requested),
        Indicator("meetings_scheduled", _("1:1 meetings scheduled"), m.scheduled),
        Indicator("meetings_held", _("1:1 meetings held (reported)"), m.held),
        Indicator(
            "cross_sector",
            _("Meetings across stakeholder types"),
            m.mix.cross_sector_share,
            "share",
        ),
        Indicator("cross_border", _("Meetings across borders"), m.mix.cross_border_share, "share"),
        Indicator(
            "follow_ups",
            _("Meetings with a follow-up or a partnership idea"),
            followed[Outcome.FOLLOW_UP] + followed[Outcome.PARTNERSHIP_IDEA],
        ),
        Indicator("partnerships", _("Partnerships started"), p.total),
        Indicator(
            "partnerships_agreed",
            _("Partnerships agreed or running"),
            content.partnerships_advanced,
        ),
        Indicator("partnerships_cross_border", _("Partnerships across borders"), p.cross_border),
        Indicator(
            "satisfaction_mean",
            _("Satisfaction with the event (mean of 1–5)"),
            k.satisfaction.event.mean,
            "mean",
        ),
        Indicator(
            "satisfied_share",
            _("Satisfied with the event (4 or 5 of 5)"),
            k.satisfaction.event.satisfied_share,
            "share",
        ),
        Indicator("satisfaction_answers", _("Event ratings given"), k.satisfaction.event.count),
    ]
    if not came:
        rows = [r for r in rows if r.key != "attendance_rate"]
    return rows
