"""`python -m clusterhub send_outbox`: send every outbox message not sent yet.

The task worker sends each message after its transaction commits; this command catches the
ones left behind (the worker was down when they were queued, or the mail server refused them).
Safe to run at any time, e.g. from cron: a message is never sent twice.
"""

from django.core.management.base import BaseCommand

from clusterhub.common.outbox import outbox_deliver, outbox_pending


class Command(BaseCommand):
    help = "Send the outbox messages that have not been sent yet."

    def handle(self, *args, **options):
        pending = outbox_pending()
        sent = sum(outbox_deliver(message_id=pk) for pk in pending)
        self.stdout.write(f"Sent {sent} of {len(pending)} pending message(s).")
