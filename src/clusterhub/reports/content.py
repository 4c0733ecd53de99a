"""Everything the highlights report shows, gathered from the database in a fixed number of
queries (about 25, whatever the size of the event) and handed to the templates as plain
dataclasses. Reads only.

The figures are the KPI library's (`followup.kpis.event_kpis_for`, defined in
docs/algorithms/kpi.md), so the report and the organiser's dashboard never disagree. Two
choices are the report's own (docs/reports.md):

- *Participants* are those who checked in at the door; when nobody was checked in (an event
  run without check-in) they are the confirmed registrations, and the report says so.
- *A meeting's outcome* is the furthest next step either side reported: a partnership idea,
  then a follow-up, then nothing further.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import Any, Literal

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from clusterhub.algorithms.kpi import ORG_TYPES, Kpis, PeopleMix, RatingSummary
from clusterhub.directory.models import OrganisationType, Person
from clusterhub.events.models import Event, Session, SessionRole, SessionRoleType
from clusterhub.events.selectors import partners_for_event
from clusterhub.followup.kpis import event_kpis_for, host_country
from clusterhub.followup.models import Attendance, Outcome, PartnershipStage, PartnershipType
from clusterhub.reports import selectors
from clusterhub.reports.indicators import Indicator, indicators
from clusterhub.reports.models import Report, SessionHighlight

OUTCOME_RANK: dict[str, int] = {
    Outcome.PARTNERSHIP_IDEA: 3,
    Outcome.FOLLOW_UP: 2,
    Outcome.NOTHING: 1,
}
ADVANCED_STAGES = (PartnershipStage.AGREEMENT, PartnershipStage.RUNNING)
ROLE_PLURALS: dict[str, Any] = {
    SessionRoleType.SPEAKER: gettext_lazy("Speakers"),
    SessionRoleType.MODERATOR: gettext_lazy("Moderators"),
    SessionRoleType.PANELIST: gettext_lazy("Panelists"),
    SessionRoleType.HOST: gettext_lazy("Hosts"),
}


@dataclass
class ProgrammeEntry:
    """A session as the recap shows it: its people by role, key messages, parts beneath."""

    session: Session
    people_by_role: list[tuple[str, list[SessionRole]]]
    messages: list[str]
    parts: list[ProgrammeEntry] = field(default_factory=list)


@dataclass(frozen=True)
class Speaker:
    name: str
    job_title: str
    organisation: str


@dataclass(frozen=True)
class PartnershipLine:
    title: str
    type: str
    stage: str
    organisations: list[str]


@dataclass(frozen=True)
class WhoMetWhom:
    """Meetings between stakeholder types: `matrix[i][j]` (j <= i) counts the pairs of a
    person of `types[i]` and one of `types[j]`. `basis`: the meetings held, or the scheduled
    ones while nobody has reported a meeting held (as the KPI `mix_basis`)."""

    types: list[str]  # labels, in the directory's order, only the types that met
    matrix: list[list[int]]
    basis: Literal["held", "scheduled"]
    pairs: int
    within_type: int

    @property
    def short_types(self) -> list[str]:
        """The labels without their parenthesis: "Company (SME, start-up)" is "Company"."""
        return [label.split(" (")[0] for label in self.types]

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        return list(zip(self.short_types, self.matrix, strict=True))


@dataclass
class ReportContent:
    event: Event
    report: Report
    title: str
    introduction: list[str]  # paragraphs
    closing: list[str]
    dates: str
    host: str
    host_country: str
    partners: list[str]
    kpis: Kpis
    people: PeopleMix  # who took part: checked in, or registered when nobody was
    people_basis: Literal["attended", "registered"]
    organisations: int
    organisations_by_type: dict[str, int]
    by_type: list[tuple[str, int]]  # (label, people), types with anybody only
    by_country: list[tuple[str, int]]  # (country name, people), most first
    programme: list[tuple[date, list[ProgrammeEntry]]]
    sessions: int
    speakers: list[Speaker]
    outcomes: list[tuple[str, str, int]]  # (outcome, label, pairs that met) by furthest step
    who_met_whom: WhoMetWhom
    partnerships: list[PartnershipLine]
    partnerships_advanced: int
    satisfaction: list[tuple[str, RatingSummary]]
    indicators: list[Indicator] = field(default_factory=list)


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _dates(event: Event) -> str:
    """ "3–4 December 2025", "30 December 2025 – 2 January 2026", "3 December 2025"."""
    start, end = event.start_date, event.end_date
    if start == end:
        return date_format(start, "j F Y")
    if start.year == end.year and start.month == end.month:
        return f"{date_format(start, 'j')}–{date_format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{date_format(start, 'j F')} – {date_format(end, 'j F Y')}"
    return f"{date_format(start, 'j F Y')} – {date_format(end, 'j F Y')}"


def _people_by_role(session: Session) -> list[tuple[str, list[SessionRole]]]:
    grouped: dict[str, list[SessionRole]] = defaultdict(list)
    for role in session.roles.all():
        grouped[role.role].append(role)
    return [
        (str(label if len(grouped[value]) == 1 else ROLE_PLURALS[value]), grouped[value])
        for value, label in SessionRoleType.choices
        if value in grouped
    ]


def _entry(session: Session, highlights: dict[int, SessionHighlight], parts=True):
    found = highlights.get(session.pk)
    return ProgrammeEntry(
        session=session,
        people_by_role=_people_by_role(session),
        messages=found.messages if found else [],
        parts=[_entry(p, highlights, parts=False) for p in session.parts.all()] if parts else [],
    )


def _programme(event: Event, highlights: dict[int, SessionHighlight]):
    entries = [_entry(s, highlights) for s in selectors.sessions_for_report(event=event)]
    tz = event.tzinfo
    days = groupby(entries, key=lambda e: e.session.start.astimezone(tz).date())
    return [(day, list(group)) for day, group in days], entries


def _speakers(entries: list[ProgrammeEntry]) -> list[Speaker]:
    people: dict[int, Person] = {}
    for entry in entries:
        for part in [entry, *entry.parts]:
            for role in part.session.roles.all():
                people.setdefault(role.person_id, role.person)
    ordered = sorted(people.values(), key=lambda p: (p.last_name, p.first_name, p.pk))
    return [
        Speaker(p.full_name, p.job_title, p.organisation.name if p.organisation else "")
        for p in ordered
    ]


def _type_label(value: str) -> str:
    return str(dict(OrganisationType.choices).get(value, value))


def _country(code: str) -> str:
    return str(countries.name(code) or code) if code else _("Unknown")


def _meetings(event: Event) -> tuple[list[tuple[str, str, int]], WhoMetWhom]:
    """Outcomes of the meetings held and who met whom, per pair of people (as the KPIs)."""
    said: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for meeting_id, attendance, outcome in selectors.meeting_feedback(event=event):
        said[meeting_id].append((attendance, outcome))
    pairs: dict[frozenset[int], dict] = {}
    for pk, a, b, type_a, type_b in selectors.meeting_pairs(event=event):
        pair = pairs.setdefault(
            frozenset((a, b)), {"types": (type_a or "other", type_b or "other"), "held": False,
                                "outcome": 0},
        )  # fmt: skip
        answers = said.get(pk, [])
        if any(attendance == Attendance.HELD for attendance, _o in answers):
            pair["held"] = True
            ranks = [OUTCOME_RANK.get(o, 0) for attendance, o in answers if o]
            pair["outcome"] = max([pair["outcome"], *ranks])
    held = [p for p in pairs.values() if p["held"]]
    counted = Counter(p["outcome"] for p in held)
    outcomes = [
        (value, str(label), counted[OUTCOME_RANK[value]])
        for value, label in reversed(Outcome.choices)  # the furthest step first
    ] + [("unknown", _("Not reported"), counted[0])]
    basis: Literal["held", "scheduled"] = "held" if held else "scheduled"
    shown = held if held else list(pairs.values())
    present = {t for p in shown for t in p["types"]}
    types = [t for t in ORG_TYPES if t in present] + sorted(present - set(ORG_TYPES))
    index = {t: i for i, t in enumerate(types)}
    matrix = [[0] * (i + 1) for i in range(len(types))]
    within = 0
    for p in shown:
        i, j = sorted((index[p["types"][0]], index[p["types"][1]]), reverse=True)
        matrix[i][j] += 1
        within += i == j
    picture = WhoMetWhom(
        types=[_type_label(t) for t in types], matrix=matrix, basis=basis, pairs=len(shown),
        within_type=within,
    )  # fmt: skip
    return outcomes, picture


def _partnerships(event: Event, kpis: Kpis) -> tuple[list[PartnershipLine], int]:
    types, stages = dict(PartnershipType.choices), dict(PartnershipStage.choices)
    lines = [
        PartnershipLine(
            title=p.title,
            type=str(types.get(p.type, p.type)),
            stage=str(stages.get(p.stage, p.stage)),
            organisations=[
                f"{o.name} ({_country(str(o.country))})" if o.country else o.name
                for o in p.organisations.all()
            ],
        )
        for p in selectors.partnerships_for_report(event=event)
    ]
    advanced = sum(n for stage, n in kpis.partnerships.by_stage if stage in ADVANCED_STAGES)
    return lines, advanced


def report_content(*, event: Event, report: Report | None = None) -> ReportContent:
    """Everything the report of `event` shows (its saved report, or an empty draft). Give the
    event with `cluster__organisation` loaded. Reads only."""
    report = report or selectors.report_for_event(event=event)
    kpis = event_kpis_for(event)
    basis: Literal["attended", "registered"] = "attended" if kpis.attended.total else "registered"
    people = kpis.attended if basis == "attended" else kpis.registered
    organisations = selectors.organisations_of_participants(
        event=event, checked_in=basis == "attended"
    )
    programme, entries = _programme(event, selectors.highlights_for_report(report=report))
    outcomes, picture = _meetings(event)
    partnerships, advanced = _partnerships(event, kpis)
    s = kpis.satisfaction
    content = ReportContent(
        event=event,
        report=report,
        title=report.title or _("Highlights from %(event)s") % {"event": event.name},
        introduction=_paragraphs(report.introduction),
        closing=_paragraphs(report.closing),
        dates=_dates(event),
        host=event.cluster.organisation.name,
        host_country=_country(host_country(event)),
        partners=list(partners_for_event(event=event).values_list("name", flat=True)),
        kpis=kpis,
        people=people,
        people_basis=basis,
        organisations=len(organisations),
        organisations_by_type=dict(Counter(t for _pk, t in organisations)),
        by_type=[(_type_label(t), n) for t, n in people.by_type if n],
        by_country=[(_country(c), n) for c, n in people.by_country]
        + ([(_("Unknown"), people.unknown_country)] if people.unknown_country else []),
        programme=programme,
        sessions=sum(1 + len(e.parts) for e in entries),
        speakers=_speakers(entries),
        outcomes=outcomes,
        who_met_whom=picture,
        partnerships=partnerships,
        partnerships_advanced=advanced,
        satisfaction=[
            (_("The event"), s.event),
            (_("Sessions"), s.session),
            (_("1:1 meetings"), s.meeting),
        ],
    )
    content.indicators = indicators(content)
    return content
