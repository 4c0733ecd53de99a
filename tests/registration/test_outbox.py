"""The confirmation email goes through the outbox and the real task worker (`db_worker`).

These tests commit for real (`transaction=True`): the outbox enqueues its task only after the
registration's transaction commits.
"""

import signal

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from clusterhub.common.models import OutboxMessage
from clusterhub.common.outbox import outbox_deliver
from clusterhub.common.tasks import outbox_send
from clusterhub.registration import services
from clusterhub.registration.models import Registration, TicketType
from tests.factories import EventFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


class UnreachableMailServer(BaseEmailBackend):
    """The one mock here: a mail server that refuses the connection (a true boundary)."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("mail server unreachable")


def run_worker() -> None:
    """The real worker, once through the queue. It installs signal handlers for a graceful
    shutdown; the test runner gets its own back afterwards."""
    names = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {name: signal.getsignal(name) for name in names}
    try:
        call_command(
            "db_worker", batch=True, reload=False, startup_delay=False, interval=0,
            queue_name="*", verbosity=0,
        )  # fmt: skip
    finally:
        for name, handler in saved.items():
            signal.signal(name, handler)


@pytest.fixture
def registered():
    def register(**kwargs):
        event = EventFactory(name="Oslo Deep Dive Days 2025")
        ticket = TicketType.objects.create(event=event, name="Participant", **kwargs)
        person = PersonFactory(first_name="Kari", last_name="Nordmann", email="kari@example.org")
        return services.registration_create(
            event=event, person=person, ticket_type=ticket, consent_privacy=True, actor=None
        )

    return register


def test_registration_create_mail_is_sent_by_the_worker_exactly_once(registered, mailoutbox):
    registration = registered()
    message = OutboxMessage.objects.get()
    task = DBTaskResult.objects.get()
    assert (message.to, message.event_id, message.sent_at) == (
        "kari@example.org", registration.event_id, None
    )  # fmt: skip
    assert task.task_path == "clusterhub.common.tasks.outbox_send"
    assert task.args_kwargs == {"args": [], "kwargs": {"message_id": message.pk}}
    assert mailoutbox == []  # nothing is sent inside the request

    run_worker()

    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["kari@example.org"], "Registration confirmed: Oslo Deep Dive Days 2025")
    ]
    assert "Dear Kari Nordmann" in mailoutbox[0].body
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts == 1
    task.refresh_from_db()
    assert (task.status, task.return_value) == ("SUCCESSFUL", True)

    run_worker()  # nothing left to do
    outbox_send.enqueue(message_id=message.pk)  # a duplicate task for the same message
    run_worker()

    assert len(mailoutbox) == 1
    assert DBTaskResult.objects.filter(return_value=False).count() == 1  # the duplicate: no-op
    assert outbox_deliver(message_id=message.pk) is False
    assert len(mailoutbox) == 1


def test_registration_pending_approval_mail_says_received(registered, mailoutbox):
    registered(requires_approval=True)

    run_worker()

    assert [m.subject for m in mailoutbox] == ["Registration received: Oslo Deep Dive Days 2025"]


def test_registration_rolled_back_leaves_no_message_and_no_task(registered, mailoutbox):
    class Abort(Exception):
        pass

    queued = []

    @transaction.atomic
    def register_then_fail():
        registered()
        queued.append(OutboxMessage.objects.count())  # written in the transaction...
        raise Abort  # ...and rolled back with it

    with pytest.raises(Abort):
        register_then_fail()
    run_worker()

    assert queued == [1]

    assert Registration.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert mailoutbox == []


def test_outbox_send_unreachable_server_keeps_the_message_for_a_rerun(
    registered, mailoutbox, settings
):
    registered()
    message = OutboxMessage.objects.get()
    settings.EMAIL_BACKEND = f"{__name__}.UnreachableMailServer"

    run_worker()

    message.refresh_from_db()
    assert (message.sent_at, message.attempts) == (None, 1)
    assert "mail server unreachable" in message.last_error
    assert DBTaskResult.objects.get().return_value is False

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    outbox_send.enqueue(message_id=message.pk)
    run_worker()

    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts == 2
    assert [m.to for m in mailoutbox] == [["kari@example.org"]]
