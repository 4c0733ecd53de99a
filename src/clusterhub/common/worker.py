"""Crash recovery for the task worker: heartbeats, and running tasks given back to the queue
when their worker died.

`django-tasks-db` marks a task RUNNING when a worker claims it and never looks at it again:
a worker killed mid-task (kill -9, out of memory, a lost machine) leaves it RUNNING for
ever. Our worker (`python -m clusterhub worker`) therefore writes a heartbeat row before it
claims anything and renews it every `TASK_WORKER_HEARTBEAT` seconds from a side thread. Every
worker, at start and at each beat, looks for RUNNING tasks whose last claimant has not beaten
within `TASK_WORKER_LEASE` seconds and puts them back to READY, so the next free worker runs
them again. A live worker's tasks are never touched, however long they run, so several workers
can share the queue. A task that already had `TASK_MAX_ATTEMPTS` claims is failed instead
(a task that kills its worker would otherwise kill every worker in turn).

This gives at-least-once execution: every task must be safe to run again after a crash. The
long jobs are (their results are written in one transaction with their "done" status), and so
is the outbox (a message is marked sent once; see `clusterhub.common.outbox`).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clusterhub.common.models import WorkerHeartbeat

logger = logging.getLogger("clusterhub.worker")

RUNNING, READY, FAILED = "RUNNING", "READY", "FAILED"  # django_tasks_db's status values
LOST = "clusterhub.common.worker.WorkerLost"


class WorkerLost(Exception):
    """The worker running a task died (recorded as the failure of a task given up on)."""


@dataclass(frozen=True)
class Recovered:
    requeued: list[str]
    failed: list[str]


def worker_beat(*, worker_id: str) -> None:
    """Record that `worker_id` (this process) is alive. Side effects: its heartbeat row."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": timezone.now(), "pid": os.getpid(), "hostname": socket.gethostname()},
    )


def worker_gone(*, worker_id: str) -> None:
    """A worker that stops cleanly removes its heartbeat (it runs nothing any more)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def worker_tasks_recover() -> Recovered:
    """Put the RUNNING tasks of dead workers back in the queue (or fail them after
    `TASK_MAX_ATTEMPTS` claims) and forget dead workers. A worker is dead when its heartbeat
    is older than `TASK_WORKER_LEASE` or missing. Safe to call from every worker at once:
    each change is conditional on the task still being the same claim. Side effects: task
    rows, heartbeat rows, a warning in the log per task."""
    now = timezone.now()
    lease = timedelta(seconds=settings.TASK_WORKER_LEASE)
    alive = set(
        WorkerHeartbeat.objects.filter(beat_at__gte=now - lease).values_list("worker_id", flat=True)
    )
    recovered = Recovered(requeued=[], failed=[])
    running = DBTaskResult.objects.filter(status=RUNNING).values_list(
        "pk", "started_at", "worker_ids", "task_path"
    )
    for pk, started_at, worker_ids, task_path in running:
        if worker_ids and worker_ids[-1] in alive:
            continue
        # Conditional on the same claim: another worker may have recovered (or a live one
        # finished) it since the read above.
        same_claim = DBTaskResult.objects.filter(pk=pk, status=RUNNING, started_at=started_at)
        if len(worker_ids) >= settings.TASK_MAX_ATTEMPTS:
            done = same_claim.update(
                status=FAILED, finished_at=now, return_value=None, exception_class_path=LOST,
                traceback=f"{LOST}: the worker died while running this task "
                          f"({len(worker_ids)} attempts by {', '.join(worker_ids)}); given up.\n",
            )  # fmt: skip
            if done:
                recovered.failed.append(str(pk))
                logger.error("Task %s (%s): worker lost %d times, failed", pk, task_path,
                             len(worker_ids))  # fmt: skip
        elif same_claim.update(status=READY, started_at=None):
            recovered.requeued.append(str(pk))
            logger.warning("Task %s (%s): worker %s lost, queued again", pk, task_path,
                           worker_ids[-1] if worker_ids else "?")  # fmt: skip
    WorkerHeartbeat.objects.filter(beat_at__lt=now - lease).delete()
    return recovered


class Heartbeat:
    """The side thread of one worker process: beat, then recover others' lost tasks, every
    `TASK_WORKER_HEARTBEAT` seconds. `start()` beats once in the caller's thread first, so the
    worker is known to be alive before it claims its first task."""

    def __init__(self, worker_id: str) -> None:
        self.worker_id = worker_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="worker-heartbeat", daemon=True)

    def start(self) -> None:
        self._tick()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=settings.TASK_WORKER_HEARTBEAT + 5)
        worker_gone(worker_id=self.worker_id)

    def _tick(self) -> None:
        try:
            with transaction.atomic():
                worker_beat(worker_id=self.worker_id)
            worker_tasks_recover()
        except Exception:
            # A locked or briefly unreachable database: the next beat tries again (the lease
            # is several beats long).
            logger.exception("Worker %s: heartbeat failed", self.worker_id)

    def _loop(self) -> None:
        try:
            while not self._stop.wait(settings.TASK_WORKER_HEARTBEAT):
                close_old_connections()
                self._tick()
        finally:
            connection.close()  # this thread's own connection


def heartbeat_interval_check() -> None:
    """Refuse a lease that a healthy worker could miss (a few beats at least)."""
    if settings.TASK_WORKER_LEASE < 3 * settings.TASK_WORKER_HEARTBEAT:
        raise ValueError(
            "CLUSTERHUB_WORKER_LEASE must be at least three heartbeats "
            f"({settings.TASK_WORKER_LEASE} < 3 x {settings.TASK_WORKER_HEARTBEAT})"
        )
