"""Background tasks of `common`. Tasks only load and delegate."""

from django_tasks import task

from clusterhub.common.outbox import outbox_deliver


@task()
def outbox_send(*, message_id: int) -> bool:
    """Send one outbox message (idempotent: a sent message is not sent again)."""
    return outbox_deliver(message_id=message_id)
