"""The retention purge: shows first, erases with --commit, records what went, idempotent."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command

from clusterhub.common.models import ActivityLogEntry
from clusterhub.directory.models import Person
from clusterhub.followup.kpis import event_kpis_for
from clusterhub.registration.models import Registration
from tests.factories import EventFactory
from tests.followup.support import future_event, today
from tests.privacy.support import event_setup, participant, traces


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


def expired_event(**fields):
    """An event that ended 800 days ago: past the default 730 days."""
    day = today() - timedelta(days=800)
    return EventFactory(start_date=day, end_date=day, **fields)


def test_dry_run_shows_counts_without_names_and_changes_nothing(db):
    old = expired_event()
    participant(old, event_setup(old), "zqold")
    output = purge()
    assert f"{old.slug} (ended {old.end_date.isoformat()}" in output
    assert "would erase 1 registration(s), 1 person(s) entirely" in output
    assert "zqold" not in output
    assert "Nothing was changed" in output
    assert traces("zqold")
    assert not ActivityLogEntry.objects.filter(action="privacy.purge").exists()


def test_commit_erases_keeps_kpis_records_and_a_rerun_finds_nothing(db):
    old = expired_event()
    participant(old, event_setup(old), "zqold")
    kept = participant(old, event_setup(old), "zqkept")
    recent = future_event(cluster=old.cluster)  # zqkept comes again: stays in the directory
    later = participant(recent, event_setup(recent), "zqlater")
    Registration.objects.filter(pk=later.pk).update(person=kept.person)
    before = event_kpis_for(old)

    output = purge("--commit")

    assert "erased 2 registration(s), 1 person(s) entirely" in output
    assert event_kpis_for(old) == before
    assert traces("zqold") == []
    kept.refresh_from_db()
    assert kept.anonymised_at is not None
    assert Person.objects.get(pk=kept.person_id).full_name == "zqkeptFirst zqkeptLast"
    assert Registration.objects.get(pk=later.pk).anonymised_at is None
    [entry] = ActivityLogEntry.objects.filter(action="privacy.purge")
    assert (entry.event_id, entry.data["registrations"], entry.data["people"]) == (old.pk, 2, 1)
    assert entry.data["retention_days"] == 730

    assert "nothing has passed its retention period" in purge("--commit")
    assert ActivityLogEntry.objects.filter(action="privacy.purge").count() == 1


def test_retention_is_per_cluster(db):
    old = expired_event()
    participant(old, event_setup(old), "zqold")
    old.cluster.personal_data_retention_days = 1000
    old.cluster.save()
    assert "nothing has passed" in purge()
    assert old.slug in purge("--today", (today() + timedelta(days=201)).isoformat())
