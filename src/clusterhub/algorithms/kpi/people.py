"""Registrations, attendance and who the people are (types, countries, sectors, diversity)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from .counting import add, by_frequency, diversity, keyed, share
from .inputs import ORG_TYPES, SECTOR_OF, SECTORS, Attendee
from .outputs import PeopleMix, RegistrationKpis


def people_mix(
    types: Mapping[str, int], countries: Mapping[str, int], *, international: int
) -> PeopleMix:
    """The mix of a population from its counts by organisation type and by country (key ""
    for unknown). `international` is counted by the caller, who knows the host country."""
    total = sum(types.values())
    sectors: Counter[str] = Counter()
    for org_type, count in types.items():
        sectors[SECTOR_OF[org_type]] += count
    known = {code: count for code, count in countries.items() if code}
    return PeopleMix(
        total=total,
        by_type=keyed(ORG_TYPES, types),
        by_country=by_frequency(known),
        unknown_country=countries.get("", 0),
        by_sector=keyed(SECTORS, sectors),
        public_share=share(sectors["public"], total),
        private_share=share(sectors["private"], total),
        other_share=share(sectors["other"], total),
        type_diversity=diversity(types.values()),
        country_diversity=diversity(known.values()),
        international=international,
        international_share=share(international, total),
    )


def mix_of(people: Sequence[Attendee], host_country: str) -> PeopleMix:
    """The mix of these people; `host_country` "" counts nobody as international."""
    host = host_country.strip().upper()
    return people_mix(
        Counter(p.org_type for p in people),
        Counter(p.country for p in people),
        international=sum(1 for p in people if host and p.country and p.country != host),
    )


def registration_kpis(
    *, confirmed: int, pending: int, cancelled: int, rejected: int, attended: int
) -> RegistrationKpis:
    return RegistrationKpis(
        confirmed=confirmed,
        pending=pending,
        cancelled=cancelled,
        rejected=rejected,
        attended=attended,
        attendance_rate=share(attended, confirmed),
        no_shows=confirmed - attended,
    )


def people_kpis(
    attendees: Iterable[Attendee], host_country: str
) -> tuple[RegistrationKpis, PeopleMix, PeopleMix]:
    """Registrations, and the mix of the confirmed and of the checked-in people, of one
    event. Only confirmed registrations count as registered or attended."""
    everyone = list(attendees)
    status = Counter(a.status for a in everyone)
    registered = [a for a in everyone if a.status == "confirmed"]
    attended = [a for a in registered if a.checked_in]
    registrations = registration_kpis(
        confirmed=status["confirmed"],
        pending=status["pending"],
        cancelled=status["cancelled"],
        rejected=status["rejected"],
        attended=len(attended),
    )
    return registrations, mix_of(registered, host_country), mix_of(attended, host_country)


def merge_registrations(parts: Sequence[RegistrationKpis]) -> RegistrationKpis:
    return registration_kpis(
        confirmed=sum(p.confirmed for p in parts),
        pending=sum(p.pending for p in parts),
        cancelled=sum(p.cancelled for p in parts),
        rejected=sum(p.rejected for p in parts),
        attended=sum(p.attended for p in parts),
    )


def merge_mixes(parts: Sequence[PeopleMix]) -> PeopleMix:
    """The mix of several populations taken together (each event keeps its own host country
    for `international`)."""
    countries = add(p.by_country for p in parts)
    countries[""] = sum(p.unknown_country for p in parts)
    return people_mix(
        add(p.by_type for p in parts),
        countries,
        international=sum(p.international for p in parts),
    )
