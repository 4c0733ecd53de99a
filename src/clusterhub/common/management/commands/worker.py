"""`python -m clusterhub worker`: django-tasks-db's `db_worker` with crash recovery.

The same options as `db_worker`. Before its first task, and every `TASK_WORKER_HEARTBEAT`
seconds from a side thread, the worker records a heartbeat and puts back in the queue the
running tasks of workers that missed their lease (see `clusterhub.common.worker`). Run every
worker of an installation with this command: a task claimed by a plain `db_worker` has no
heartbeat and would be taken for lost.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker, logger

from clusterhub.common.worker import Heartbeat, heartbeat_interval_check


class HeartbeatWorker(Worker):
    """db_worker's loop, between a first heartbeat and a clean goodbye."""

    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stop()


class Command(DbWorkerCommand):
    help = "Run a database background worker that recovers the tasks of crashed workers"

    def handle(self, *, verbosity: int, **options: Any) -> None:
        try:
            heartbeat_interval_check()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.configure_logging(verbosity)
        reload, batch = options["reload"], options["batch"]
        if reload and batch:
            logger.warning("--reload and --batch cannot be specified together: no autoreload.")
            reload = False
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = HeartbeatWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloaded child runs tasks
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
