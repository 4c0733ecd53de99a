"""`python -m clusterhub purge_personal_data [--commit] [--today YYYY-MM-DD]`"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clusterhub.privacy import services
from clusterhub.privacy.selectors import PurgePlan


class Command(BaseCommand):
    help = (
        "Erase the personal data of events past their cluster's retention period "
        "(Cluster.personal_data_retention_days after the event's last day). Without --commit "
        "it only shows what it would erase, per cluster and event, as counts without names. "
        "With --commit it erases it and records per event what went in the activity log. "
        "Safe to run daily: what was erased before is not counted again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--commit", action="store_true", help="Erase for real (default: only show)."
        )
        parser.add_argument(
            "--today", help="Count the retention periods as of this day (YYYY-MM-DD)."
        )

    def handle(self, *args, commit: bool, today: str | None, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--today: {exc}") from exc
        if commit:
            plan = services.personal_data_purge(today=day)
            self._show(plan, done=True)
        else:
            plan = services.purge_plan(today=day)
            self._show(plan, done=False)
            if plan.events:
                self.stdout.write("Nothing was changed. Run again with --commit to erase.")

    def _show(self, plan: PurgePlan, *, done: bool) -> None:
        verb = "erased" if done else "would erase"
        self.stdout.write(f"Retention purge as of {plan.today.isoformat()}:")
        if not plan.events:
            self.stdout.write("  nothing has passed its retention period.")
            return
        cluster = None
        for item in plan.events:
            if item.cluster != cluster:
                cluster = item.cluster
                self.stdout.write(
                    f"cluster {cluster.slug} (keeps personal data "
                    f"{cluster.personal_data_retention_days} days after an event)"
                )
            self.stdout.write(
                f"  {item.event.slug} (ended {item.event.end_date.isoformat()}, expired "
                f"{item.expired_on.isoformat()}): {verb} {len(item.registration_ids)} "
                f"registration(s), {len(item.person_ids)} person(s) entirely"
            )
        self.stdout.write(
            f"Total: {plan.registration_count} registration(s), {len(plan.person_ids)} person(s)."
        )
