"""The mail outbox: services queue messages in their transaction; a task sends them after commit.

A message is written in the same transaction as the change it reports (so a rolled-back
registration never mails anybody) and is sent by the `outbox_send` task once the transaction
commits. Sending is safe to rerun: a message is marked sent once and never sent twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
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


CLAIM_TIMEOUT = timedelta(minutes=10)  # a worker that died while sending lets go by then


def outbox_deliver(*, message_id: int) -> bool:
    """Send one queued message if it is still unsent. Returns True when it was sent now.

    The message is claimed in a short transaction, sent outside any transaction (a slow mail
    server never holds a database lock), then marked sent. A message claimed by another worker
    less than CLAIM_TIMEOUT ago is left to it; a failed send is released for a rerun with its
    error recorded.
    """
    now = timezone.now()
    claimed = (
        OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        EmailMessage(subject=message.subject, body=message.body, to=[message.to]).send()
    except Exception as exc:
        OutboxMessage.objects.filter(pk=message_id).update(
            claimed_at=None, last_error=str(exc)[:1000]
        )
        return False
    OutboxMessage.objects.filter(pk=message_id).update(sent_at=timezone.now(), claimed_at=None)
    return True


def outbox_pending() -> list[int]:
    """Ids of messages not sent yet (for `send_outbox`, which sends stranded ones)."""
    return list(
        OutboxMessage.objects.filter(sent_at__isnull=True)
        .order_by("id")
        .values_list("pk", flat=True)
    )
