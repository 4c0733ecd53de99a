"""`python -m clusterhub schedule_meetings EVENT [--propose K] [--move-published] [--json]`:
schedule the event's meetings now and print them with the quality figure."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from clusterhub.events.models import Event
from clusterhub.matchmaking.selectors import meetings_for_event
from clusterhub.matchmaking.services import schedule_run_create, schedule_run_execute


def _email(registration) -> str:
    return registration.person.email or f"person-{registration.person_id}"


class Command(BaseCommand):
    help = (
        "Schedule the accepted meeting requests of EVENT (a slug) into the slots and tables of "
        "its networking sessions, around each person's agenda, and print every meeting of "
        "the event with the quality figure. --propose K also pairs people from each other's "
        "top K recommendations. With --json: "
        '{"meetings": [{"a", "b", "start", "end", "table"}], "scheduled", "upper_bound", '
        '"ratio"}. The meetings stay drafts until an organiser publishes them.'
    )

    def add_arguments(self, parser):
        parser.add_argument("event", metavar="EVENT", help="the event's slug")
        parser.add_argument(
            "--propose", type=int, default=None, metavar="K",
            help="also propose pairs from each person's top K recommendations (default: the "
            "event's setting)",
        )  # fmt: skip
        parser.add_argument(
            "--move-published", action="store_true", help="allow moving published meetings"
        )
        parser.add_argument("--json", action="store_true", help="print JSON (the contract)")

    def handle(self, *args, event: str, propose, move_published: bool, json: bool, **options):
        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"No event with the slug {event!r}.")
        try:
            run = schedule_run_create(
                event=found, actor=None, propose=propose, move_published=move_published
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        try:
            schedule_run_execute(run=run)
        except Exception as exc:
            raise CommandError(f"Scheduling failed: {run.error}") from exc
        figures = run.figures
        with timezone.override(found.tzinfo):
            meetings = [
                {
                    "a": _email(m.a),
                    "b": _email(m.b),
                    "start": timezone.localtime(m.start).isoformat(),
                    "end": timezone.localtime(m.end).isoformat(),
                    "table": f"Table {m.table}",
                }
                for m in meetings_for_event(event=found)
            ]
        output = {
            "meetings": meetings,
            "scheduled": figures["scheduled"],
            "upper_bound": figures["upper_bound"],
            "ratio": figures["ratio"],
        }
        if json:
            self.stdout.write(_dumps(output))
            return
        for m in meetings:
            self.stdout.write(f"{m['start']}  {m['table']:>10}  {m['a']} + {m['b']}")
        self.stdout.write(
            f"Scheduled {figures['scheduled']} of at most {figures['upper_bound']} "
            f"({figures['ratio']:.1%} of the bound); {figures['unscheduled']} not scheduled: "
            + (", ".join(f"{k} {v}" for k, v in sorted(figures["why_not"].items())) or "none")
            + "."
        )


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
