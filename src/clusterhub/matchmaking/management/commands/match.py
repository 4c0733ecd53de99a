"""`python -m clusterhub match EVENT [--json] [--k K]`: run matchmaking now and print it."""

import json

from django.core.management.base import BaseCommand, CommandError

from clusterhub.events.models import Event
from clusterhub.matchmaking.selectors import recommendations_by_registration
from clusterhub.matchmaking.services import (
    consenting_registrations,
    match_run_create,
    match_run_execute,
)


def _email(person) -> str:
    return person.email or f"person-{person.pk}"


class Command(BaseCommand):
    help = (
        "Compute the recommendations of EVENT (a slug) now, store them as a new run, and "
        "print them for every participant with matchmaking consent, best first. With --json: "
        '{"recommendations": {"<email>": [{"email": ..., "score": ..., "reasons": [...]}]}}.'
    )

    def add_arguments(self, parser):
        parser.add_argument("event", metavar="EVENT", help="the event's slug")
        parser.add_argument("--json", action="store_true", help="print JSON (the contract)")
        parser.add_argument(
            "--k", type=int, default=20, metavar="K", help="recommendations per person (20)"
        )

    def handle(self, *args, event: str, json: bool, k: int, **options):
        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"No event with the slug {event!r}.")
        run = match_run_create(event=found, actor=None, k=k)
        try:
            match_run_execute(run=run)
        except Exception as exc:
            raise CommandError(f"Matchmaking failed: {run.error}") from exc
        grouped = recommendations_by_registration(run=run)
        people = consenting_registrations(found).select_related("person").order_by("person__email")
        output = {
            _email(registration.person): [
                {
                    "email": _email(r.other.person),
                    "score": round(r.score, 4),
                    "reasons": list(r.reasons),
                }
                for r in grouped.get(registration.pk, [])
            ]
            for registration in people
        }
        if json:
            self.stdout.write(_dumps({"recommendations": output}))
            return
        self._table(output, run)

    def _table(self, output, run) -> None:
        figures = run.figures
        self.stdout.write(
            f"Run {run.pk}: {figures.get('profiles', 0)} consenting participant(s), "
            f"{figures.get('recommendations', 0)} recommendation(s) in "
            f"{figures.get('seconds', 0)} s"
        )
        for email, recommendations in output.items():
            self.stdout.write(f"\n{email}")
            if not recommendations:
                self.stdout.write("    (no recommendations)")
            for rank, r in enumerate(recommendations, start=1):
                reasons = "; ".join(r["reasons"])
                self.stdout.write(f"  {rank:>3}. {r['score']:6.3f}  {r['email']}  {reasons}")


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
