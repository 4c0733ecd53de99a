"""The mail outbox: services queue messages in their transaction; a task sends them after commit.

A message is written in the same transaction as the change it reports (so a rolled-back
registration never mails anybody) and is sent by the `outbox_send` task once the transaction
commits. Sending is safe to rerun: a message is marked sent once and never sent twice.

Jobs that may run again after a crash (see `clusterhub.common.worker`) give their messages a
`key` ("<kind>:<object>:<version>"): the database keeps one message per key, so a rerun
queues nothing new.

Delivery is at-least-once, the pretix way: a message is claimed in one short transaction,
handed to the mail server outside any transaction, then marked sent in another. A worker that
dies between the hand-over and the mark leaves the message claimed; the same `outbox_send`
task, given back to the queue, takes its own claim over and sends it again. That duplicate
needs a crash inside a window of milliseconds; the alternative (mark first, then send: at
most once) would lose the mail for good in the same window, and a lost confirmation or
meeting email costs more than a repeated one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
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
    *, to: str, subject: str, body: str, event_id: int | None = None, key: str | None = None
) -> OutboxMessage | None:
    """Queue one email. Side effects: an OutboxMessage row; after commit, the send task.
    With a `key` already queued, returns that message and queues nothing (a rerun job).
    Returns None (and queues nothing) inside `outbox_muted()`."""
    if _muted.get():
        return None
    fields = {"to": to, "subject": subject[:300], "body": body, "event_id": event_id}
    if key is not None:
        existing = OutboxMessage.objects.filter(key=key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():  # a savepoint: a concurrent twin must not spoil ours
                message = OutboxMessage.objects.create(key=key, **fields)
        except IntegrityError:
            return OutboxMessage.objects.get(key=key)
    else:
        message = OutboxMessage.objects.create(**fields)
    transaction.on_commit(lambda: _enqueue(message.pk))
    return message


def outbox_queue_many(messages: list[dict]) -> list[OutboxMessage]:
    """Queue many emails at once, each as `outbox_queue` would (`to`, `subject`, `body`,
    `event_id`; no `key`): for bulk services such as the participant import. Side effects:
    the OutboxMessage rows in a few inserts; after commit, one `outbox_send_many` task per
    SEND_BATCH messages. Queues nothing inside `outbox_muted()`."""
    if _muted.get() or not messages:
        return []
    rows = OutboxMessage.objects.bulk_create(
        [
            OutboxMessage(to=m["to"], subject=m["subject"][:300], body=m["body"],
                          event_id=m.get("event_id"))
            for m in messages
        ],
        batch_size=500,
    )  # fmt: skip
    ids = [row.pk for row in rows]
    for start in range(0, len(ids), SEND_BATCH):
        batch = ids[start : start + SEND_BATCH]
        transaction.on_commit(lambda batch=batch: _enqueue_many(batch))
    return rows


SEND_BATCH = 100  # messages per send task of a bulk queue


def _enqueue_many(message_ids: list[int]) -> None:
    from clusterhub.common.tasks import outbox_send_many  # tasks sit above this module

    outbox_send_many.enqueue(message_ids=message_ids)


def _enqueue(message_id: int) -> None:
    from clusterhub.common.tasks import outbox_send  # tasks sit above this module

    outbox_send.enqueue(message_id=message_id)


CLAIM_TIMEOUT = timedelta(minutes=10)  # a worker that died while sending lets go by then


def outbox_deliver(*, message_id: int, claimant: str = "") -> bool:
    """Send one queued message if it is still unsent. Returns True when it was sent now.

    The message is claimed in a short transaction, sent outside any transaction (a slow mail
    server never holds a database lock), then marked sent. A message claimed by another worker
    less than CLAIM_TIMEOUT ago is left to it, unless the claim is the caller's own
    `claimant` (the same task run again after its worker died); a failed send is released for
    a rerun with its error recorded.
    """
    now = timezone.now()
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT)
    if claimant:
        free |= Q(claimed_by=claimant)
    claimed = (
        OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True)
        .filter(free)
        .update(claimed_at=now, claimed_by=claimant, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        EmailMessage(subject=message.subject, body=message.body, to=[message.to]).send()
    except Exception as exc:
        OutboxMessage.objects.filter(pk=message_id).update(
            claimed_at=None, claimed_by="", last_error=str(exc)[:1000]
        )
        return False
    OutboxMessage.objects.filter(pk=message_id).update(
        sent_at=timezone.now(), claimed_at=None, claimed_by=""
    )
    return True


def outbox_pending() -> list[int]:
    """Ids of messages not sent yet (for `send_outbox`, which sends stranded ones)."""
    return list(
        OutboxMessage.objects.filter(sent_at__isnull=True)
        .order_by("id")
        .values_list("pk", flat=True)
    )
