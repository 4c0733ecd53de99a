"""The mail outbox: services queue messages in their transaction; a task sends them after commit.

A message is written in the same transaction as the change it reports (so a rolled-back
registration never mails anybody) and is sent by the `outbox_send` task once the transaction
commits. Sending is safe to rerun: a message is marked sent once and never sent twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from clusterhub.common.models import OutboxMessage

_muted: ContextVar[bool] = ContextVar("outbox_muted", default=False)


@contextmanager
def outbox_muted() -> Iterator[None]:
    """Queue nothing inside this block: for bulk loads of fictitious people (the demo), whose
    services would otherwise mail every one of them."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def outbox_queue(
    *, to: str, subject: str, body: str, event_id: int | None = None
) -> OutboxMessage | None:
    """Queue one email. Side effects: an OutboxMessage row; after commit, the send task.
    Returns None (and queues nothing) inside `outbox_muted()`."""
    if _muted.get():
        return None
    message = OutboxMessage.objects.create(
        to=to, subject=subject[:300], body=body, event_id=event_id
    )
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def _enqueue(message_id: int) -> None:
    from clusterhub.common.tasks import outbox_send  # tasks sit above this module

    outbox_send.enqueue(message_id=message_id)


def outbox_deliver(*, message_id: int) -> bool:
    """Send one queued message if it is still unsent. Returns True when it was sent now."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.sent_at is not None:
            return False
        message.attempts += 1
        try:
            EmailMessage(subject=message.subject, body=message.body, to=[message.to]).send()
        except Exception as exc:
            message.last_error = str(exc)[:1000]
            message.save(update_fields=["attempts", "last_error"])
            return False
        message.sent_at = timezone.now()
        message.save(update_fields=["attempts", "sent_at"])
        return True
