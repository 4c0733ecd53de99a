"""`python -m clusterhub send_followup_reminders [EVENT ...]`: after an event, mail the people
who have not said how their meetings went. Safe to run daily from cron: nobody is mailed twice."""

from django.core.management.base import BaseCommand, CommandError

from clusterhub.events.models import Event, EventStatus
from clusterhub.followup.services import event_is_over, feedback_reminders_send


class Command(BaseCommand):
    help = (
        "Mail everybody with published meetings who has not given feedback on one of them, for "
        "the events named (slugs) or, without any, every published event that is over. "
        "Idempotent: a person is reminded once per event."
    )

    def add_arguments(self, parser):
        parser.add_argument("events", nargs="*", metavar="EVENT", help="event slugs")

    def handle(self, *args, events: list[str], **options):
        if events:
            found = list(Event.objects.filter(slug__in=events))
            missing = sorted(set(events) - {e.slug for e in found})
            if missing:
                raise CommandError(f"No event with the slug {', '.join(missing)}.")
        else:
            found = [
                e for e in Event.objects.filter(status=EventStatus.PUBLISHED) if event_is_over(e)
            ]
        for event in found:
            if not event_is_over(event):
                self.stdout.write(f"{event.slug}: not over yet, nobody reminded.")
                continue
            sent = feedback_reminders_send(event=event, actor=None)
            self.stdout.write(f"{event.slug}: {sent} reminded.")
