"""Background tasks of `common`. Tasks only load and delegate."""

from django_tasks import TaskContext, task

from clusterhub.common.outbox import outbox_deliver


@task(takes_context=True)
def outbox_send(context: TaskContext, *, message_id: int) -> bool:
    """Send one outbox message (idempotent: a sent message is not sent again). The task's id
    is its claim, so this task run again after its worker died may resume its own claim."""
    return outbox_deliver(message_id=message_id, claimant=str(context.task_result.id))


@task(takes_context=True)
def outbox_send_many(context: TaskContext, *, message_ids: list[int]) -> int:
    """`outbox_send` for a batch of messages queued together (`outbox_queue_many`): one task
    instead of hundreds. Returns how many were sent now; rerun, it sends only what is left."""
    claimant = str(context.task_result.id)
    return sum(outbox_deliver(message_id=pk, claimant=claimant) for pk in message_ids)
