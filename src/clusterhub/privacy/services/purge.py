"""The retention purge: erase the personal data of events past their cluster's retention
period, through the same services as an erasure on request (rule: `privacy.selectors`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from clusterhub.common.activity import activity_log
from clusterhub.directory.models import Person
from clusterhub.privacy.selectors import PurgePlan, purge_plan
from clusterhub.privacy.services.erasure import person_erase, registration_anonymise
from clusterhub.registration.models import Registration

__all__ = ["PurgePlan", "personal_data_purge", "purge_plan"]


def personal_data_purge(*, today: date, actor: Any = None) -> PurgePlan:
    """Carry out `purge_plan(today=today)`: erase its people, anonymise the rest of its
    registrations, then record per event what went: an activity log line `privacy.purge`
    with the counts, the retention period and the day the data expired (no names). Each
    person and each event's registrations are one transaction: after a crash a rerun does
    what is left, and a run with nothing left to do writes nothing. Returns the plan it
    carried out."""
    plan = purge_plan(today=today)
    for person in Person.objects.filter(pk__in=plan.person_ids).order_by("pk"):
        person_erase(person=person, actor=actor, reason="retention")
    for item in plan.events:
        with transaction.atomic():
            for registration in Registration.objects.filter(pk__in=item.registration_ids):
                registration_anonymise(registration=registration, actor=actor, reason="retention")
            activity_log(
                actor=actor, action="privacy.purge", obj=item.event,
                cluster_id=item.cluster.pk, event_id=item.event.pk,
                data={
                    "registrations": len(item.registration_ids),
                    "people": len(item.person_ids),
                    "retention_days": item.cluster.personal_data_retention_days,
                    "expired_on": item.expired_on.isoformat(),
                },
            )  # fmt: skip
    return plan
