"""Crash recovery of the task worker (clusterhub.common.worker) and the outbox's part in it,
step by step; tests/concurrency/test_worker_kill.py kills real workers."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clusterhub.common.models import OutboxMessage, WorkerHeartbeat
from clusterhub.common.outbox import outbox_deliver, outbox_queue
from clusterhub.common.tasks import outbox_send
from clusterhub.common.worker import LOST, worker_beat, worker_tasks_recover

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _lease(settings):
    settings.TASK_WORKER_LEASE = 60
    settings.TASK_MAX_ATTEMPTS = 3


def running_task(*worker_ids: str) -> DBTaskResult:
    result = outbox_send.enqueue(message_id=1)
    task = DBTaskResult.objects.get(pk=result.id)
    for worker_id in worker_ids:
        task.claim(worker_id)
    return task


def beat(worker_id: str, seconds_ago: float) -> None:
    worker_beat(worker_id=worker_id)
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
        beat_at=timezone.now() - timedelta(seconds=seconds_ago)
    )


def test_worker_tasks_recover_leaves_a_live_workers_task_alone():
    beat("alive", seconds_ago=59)
    task = running_task("alive")

    recovered = worker_tasks_recover()

    task.refresh_from_db()
    assert (recovered.requeued, recovered.failed) == ([], [])
    assert (task.status, task.worker_ids) == ("RUNNING", ["alive"])
    assert WorkerHeartbeat.objects.filter(worker_id="alive").exists()


def test_worker_tasks_recover_requeues_the_task_of_a_worker_past_its_lease():
    beat("dead", seconds_ago=61)
    task = running_task("dead")

    recovered = worker_tasks_recover()

    task.refresh_from_db()
    assert recovered.requeued == [str(task.pk)]
    assert (task.status, task.started_at, task.worker_ids) == ("READY", None, ["dead"])
    assert not WorkerHeartbeat.objects.exists()  # the dead worker is forgotten
    assert list(DBTaskResult.objects.ready()) == [task]  # the next worker takes it


def test_worker_tasks_recover_requeues_a_task_whose_worker_left_no_heartbeat():
    task = running_task("unknown")

    worker_tasks_recover()

    task.refresh_from_db()
    assert task.status == "READY"


def test_worker_tasks_recover_fails_a_task_that_lost_its_worker_max_attempts_times():
    task = running_task("w1", "w2", "w3")

    recovered = worker_tasks_recover()

    task.refresh_from_db()
    assert recovered.failed == [str(task.pk)]
    assert (task.status, task.exception_class_path) == ("FAILED", LOST)
    assert "3 attempts by w1, w2, w3" in task.traceback
    assert task.finished_at is not None


def test_worker_command_refuses_a_lease_shorter_than_three_heartbeats(settings):
    settings.TASK_WORKER_HEARTBEAT, settings.TASK_WORKER_LEASE = 10, 20

    with pytest.raises(CommandError, match="at least three heartbeats"):
        call_command("worker", batch=True, reload=False, verbosity=0)


def test_outbox_queue_with_a_known_key_queues_nothing_more(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = outbox_queue(to="kari@example.org", subject="S", body="B", key="kind:1:v1")
        again = outbox_queue(to="kari@example.org", subject="S2", body="B2", key="kind:1:v1")
        other = outbox_queue(to="kari@example.org", subject="S", body="B", key="kind:1:v2")

    assert first is not None
    assert again is not None
    assert other is not None
    assert again.pk == first.pk
    assert other.pk != first.pk
    assert OutboxMessage.objects.get(pk=first.pk).subject == "S"
    assert OutboxMessage.objects.count() == 2
    assert DBTaskResult.objects.count() == 2  # one send task per message


def test_outbox_deliver_resumes_its_own_claim_but_not_anothers(mailoutbox):
    message = OutboxMessage.objects.create(to="kari@example.org", subject="S", body="B")
    # The task "t1" claimed it and its worker died before marking it sent.
    OutboxMessage.objects.filter(pk=message.pk).update(
        claimed_at=timezone.now(), claimed_by="t1", attempts=1
    )

    by_another = outbox_deliver(message_id=message.pk, claimant="t2")
    by_itself = outbox_deliver(message_id=message.pk, claimant="t1")  # t1, queued again
    afterwards = outbox_deliver(message_id=message.pk, claimant="t1")

    message.refresh_from_db()
    assert (by_another, by_itself, afterwards) == (False, True, False)
    assert (message.attempts, message.claimed_by, message.claimed_at) == (2, "", None)
    assert message.sent_at is not None
    assert [m.to for m in mailoutbox] == [["kari@example.org"]]
