"""Reads of the privacy app: what the retention purge would erase (`purge_plan`). A person's
own data for download is `my_data.my_data_for`.

The retention rule: an event's personal data expires `Cluster.personal_data_retention_days`
after the event's last day. Then every registration of that event is anonymised, and its
person is erased entirely unless they still have a reason to be in the directory:
- a registration for an event whose data has not expired yet (any cluster), or
- a role on a programme (speaker, moderator, ...: the programme is public record; the
  platform admin erases such a person on request with `erase_person`), or
- an account that works for a cluster (team membership) or runs the platform (staff).
People in the directory without any registration (contacts a team added) have no event to
count from: the purge leaves them alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from clusterhub.directory.models import Cluster, Person
from clusterhub.events.models import Event
from clusterhub.registration.models import Registration


@dataclass(frozen=True)
class EventPurge:
    cluster: Cluster
    event: Event
    expired_on: date  # the first day the event's personal data is past its retention period
    registration_ids: list[int]
    person_ids: list[int]  # the people erased entirely (a subset of the registrations' people)


@dataclass
class PurgePlan:
    today: date
    events: list[EventPurge] = field(default_factory=list)

    @property
    def person_ids(self) -> set[int]:
        return {pk for e in self.events for pk in e.person_ids}

    @property
    def registration_count(self) -> int:
        return sum(len(e.registration_ids) for e in self.events)


def expired_events(*, today: date) -> list[tuple[Cluster, Event, date]]:
    """Every event whose personal data is past its cluster's retention period on `today`,
    with its cluster and the day it expired, by cluster and end date."""
    found = []
    for cluster in Cluster.objects.select_related("organisation").order_by("slug"):
        days = timedelta(days=cluster.personal_data_retention_days)
        for event in Event.objects.filter(cluster=cluster, end_date__lt=today - days).order_by(
            "end_date", "pk"
        ):
            found.append((cluster, event, event.end_date + days + timedelta(days=1)))
    return found


def _erasable_people(expired_ids: list[int]) -> set[int]:
    kept = (
        Q(registrations__event__in=Event.objects.exclude(pk__in=expired_ids))
        | Q(session_roles__isnull=False)
        | Q(user__cluster_memberships__isnull=False)
        | Q(user__is_staff=True)
        | Q(user__is_superuser=True)
    )
    candidates = Person.objects.filter(
        erased_at__isnull=True, registrations__event__in=expired_ids
    ).values_list("pk", flat=True)
    keep = Person.objects.filter(pk__in=candidates).filter(kept).values_list("pk", flat=True)
    return set(candidates) - set(keep)


def purge_plan(*, today: date) -> PurgePlan:
    """What `personal_data_purge` would do on `today`: per expired event, the registrations
    not anonymised yet and the people to erase entirely (see the module's rule). People and
    registrations erased before are not counted again. Reads only."""
    plan = PurgePlan(today=today)
    expired = expired_events(today=today)
    expired_ids = [event.pk for _c, event, _d in expired]
    erasable = _erasable_people(expired_ids)
    for cluster, event, expired_on in expired:
        rows = list(
            Registration.objects.filter(event=event)
            .filter(Q(anonymised_at__isnull=True) | Q(person_id__in=erasable))
            .values_list("pk", "person_id", "anonymised_at")
            .order_by("pk")
        )
        registration_ids = [pk for pk, _p, anonymised in rows if anonymised is None]
        person_ids = sorted({person for _r, person, _a in rows if person in erasable})
        if registration_ids or person_ids:
            plan.events.append(EventPurge(cluster, event, expired_on, registration_ids, person_ids))
    return plan
