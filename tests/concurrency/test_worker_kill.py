"""kill -9 the task worker in the middle of a matchmaking run and of a scheduling run.

A real worker process (`python -m clusterhub worker`) runs against the test database; the test
kills it with SIGKILL once the run has made visible progress, starts a second worker, and
checks that the second one recovers the lost task (after the first one's lease runs out) and
that the outcome is the one an uninterrupted run gives: the same recommendations or meetings,
none twice, and one publication email per person, sent once.

The workers run with CLUSTERHUB_TASK_STEP_DELAY (a pause after each progress step), so the
kill always lands mid-run, and with a short heartbeat and lease so the recovery comes quickly.
"""

from __future__ import annotations

import email
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

import clusterhub
from clusterhub.common.models import OutboxMessage, WorkerHeartbeat
from clusterhub.common.outbox import outbox_queue
from clusterhub.common.tasks import outbox_send
from clusterhub.events.models import SessionType
from clusterhub.matchmaking import services
from clusterhub.matchmaking.models import (
    MatchRun,
    MatchRunStatus,
    Meeting,
    MeetingRequest,
    Recommendation,
    ScheduleRun,
    ScheduleRunStatus,
)
from clusterhub.matchmaking.tasks import match_run_task, schedule_run_task
from tests.factories import EventFactory, MatchProfileFactory, SessionFactory, at

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrency]

STEP_DELAY = "1.0"  # seconds after each progress step: the window the kill lands in
HEARTBEAT, LEASE = "0.25", "3"
WAIT = 60  # seconds at most for anything to happen (a timeout, not a timed assertion)

TOPICS = [
    "digital pathology", "AI triage", "cancer vaccines", "clinical trials", "biobanking",
    "health data platform", "school outreach", "medtech export", "hospital test bed",
    "radiotherapy", "genomics", "patient recruitment", "procurement", "investment",
]  # fmt: skip


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """One `python -m clusterhub worker` process on the test database."""

    def __init__(self, tmp_path: Path, name: str) -> None:
        source = str(Path(clusterhub.__file__).parents[1])  # the code this test imported
        env = os.environ | {
            "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")]),
            "DATABASE_URL": _database_url(),
            "EMAIL_URL": f"filemail:///{tmp_path.resolve() / 'mail'}",  # absolute: 4 slashes
            "CLUSTERHUB_TASK_STEP_DELAY": STEP_DELAY,
            "CLUSTERHUB_WORKER_HEARTBEAT": HEARTBEAT,
            "CLUSTERHUB_WORKER_LEASE": LEASE,
        }
        self.log = tmp_path / f"{name}.log"
        with self.log.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own command line)
                [sys.executable, "-m", "clusterhub", "worker", "--queue-name", "*",
                 "--no-reload", "--no-startup-delay", "--interval", "0.1", "--worker-id", name],
                env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.name = name

    def alive(self) -> None:
        if self.process.poll() is not None:
            pytest.fail(f"worker {self.name} exited early:\n{self.log.read_text()}")

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        assert self.process.wait(timeout=WAIT) == -signal.SIGKILL

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful: it finishes, says goodbye
            self.process.wait(timeout=WAIT)


def wait_for(condition: Callable[[], bool], what: str, worker: Worker) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        worker.alive()
        if time.monotonic() > deadline:
            pytest.fail(f"no {what} within {WAIT} s:\n{worker.log.read_text()}")
        time.sleep(0.05)


@pytest.fixture
def workers(tmp_path):
    started: list[Worker] = []

    def start(name: str) -> Worker:
        started.append(Worker(tmp_path, name))
        return started[-1]

    yield start
    for worker in started:
        if worker.process.poll() is None:
            worker.process.kill()
            worker.process.wait()


def task_of(path: str) -> DBTaskResult:
    return DBTaskResult.objects.get(task_path=path)


def kill_mid_run_then_recover(workers, run, task_path: str, progress: int) -> Worker:
    """Worker 1 takes the task and is killed once the run shows `progress`; worker 2 must
    find the task lost, run it again and finish it. Returns worker 2, still running."""
    first = workers("worker-1")
    wait_for(lambda: type(run).objects.get(pk=run.pk).progress >= progress, "progress", first)
    first.kill()

    run.refresh_from_db()
    task = task_of(task_path)
    assert (run.status, task.status, task.worker_ids) == ("running", "RUNNING", ["worker-1"])
    assert run.progress < 100  # killed mid-run, before its results

    second = workers("worker-2")
    wait_for(lambda: task_of(task_path).status == "SUCCESSFUL", "recovered task", second)
    task = task_of(task_path)
    assert task.worker_ids == ["worker-1", "worker-2"]  # ran twice: killed once, then done
    assert not WorkerHeartbeat.objects.filter(worker_id="worker-1").exists()  # forgotten
    return second


def recommendations(run: MatchRun) -> list[tuple]:
    return list(
        Recommendation.objects.filter(run=run)
        .order_by("registration_id", "rank")
        .values_list("registration_id", "other_id", "rank", "score", "reasons")
    )


def test_match_run_killed_mid_run_is_rerun_with_identical_recommendations(workers):
    event = EventFactory()
    pick = random.Random(2025)
    for _ in range(60):
        MatchProfileFactory(
            registration__event=event,
            offers=pick.sample(TOPICS, 3), needs=pick.sample(TOPICS, 2),
            interests=pick.sample(TOPICS, 2),
        )  # fmt: skip
    uninterrupted = services.match_run_create(event=event, actor=None, k=10)
    services.match_run_execute(run=uninterrupted)  # in this process, never killed
    run = services.match_run_create(event=event, actor=None, k=10)
    match_run_task.enqueue(run_id=run.pk)

    worker = kill_mid_run_then_recover(
        workers, run, "clusterhub.matchmaking.tasks.match_run_task", progress=20
    )
    worker.stop()

    run.refresh_from_db()
    assert (run.status, run.progress) == (MatchRunStatus.DONE, 100)
    expected = recommendations(uninterrupted)
    assert len(expected) == 600  # 60 people x k=10: a full run to compare against
    assert recommendations(run) == expected  # the same pairs, ranks, scores and reasons
    pairs = Recommendation.objects.filter(run=run).values_list("registration_id", "other_id")
    assert len(set(pairs)) == len(pairs)
    assert {k: v for k, v in run.figures.items() if k != "seconds"} == {
        k: v for k, v in uninterrupted.figures.items() if k != "seconds"
    }
    assert DBTaskResult.objects.count() == 1
    assert MatchRun.objects.count() == 2


def meetings(event) -> list[tuple]:
    return sorted(
        Meeting.objects.filter(event=event).values_list(
            "a_id",
            "b_id",
            "session_id",
            "start",
            "end",
            "table",
            "weight",
            "why",
            "request_id",
            "status",
        )
    )


def sent_mail(tmp_path: Path) -> Counter:
    """Recipients of the mails the workers handed to the (file) mail backend."""
    sent: Counter = Counter()
    for path in (tmp_path / "mail").glob("*"):
        for part in path.read_text().split("-" * 79):
            if part.strip():
                sent[email.message_from_string(part.strip())["To"]] += 1
    return sent


def test_schedule_run_killed_mid_run_is_rerun_with_identical_meetings_and_one_mail_each(
    workers, tmp_path
):
    event = EventFactory()
    lounge = SessionFactory(
        event=event, type=SessionType.NETWORKING, start=at(event, 9), end=at(event, 12)
    )
    services.networking_setup_update(
        session=lounge, actor=None, meeting_minutes=25, break_minutes=5, tables=3
    )  # 6 slots x 3 tables for 40 requests: the solver has to choose
    people = [MatchProfileFactory(registration__event=event).registration for _ in range(16)]
    pick, asked = random.Random(7), set()
    while len(asked) < 40:
        a, b = pick.sample(people, 2)
        if frozenset((a.pk, b.pk)) not in asked:
            asked.add(frozenset((a.pk, b.pk)))
            MeetingRequest.objects.create(event=event, sender=a, recipient=b, status="accepted")
    with transaction.atomic():  # the uninterrupted run, in this process, then rolled back
        services.schedule_run_execute(
            run=services.schedule_run_create(event=event, actor=None, propose=0)
        )
        expected = meetings(event)
        transaction.set_rollback(True)
    assert len(expected) >= 12
    assert not Meeting.objects.exists()
    run = services.schedule_run_create(event=event, actor=None, propose=0)
    schedule_run_task.enqueue(run_id=run.pk)

    worker = kill_mid_run_then_recover(
        workers, run, "clusterhub.matchmaking.tasks.schedule_run_task", progress=25
    )

    run.refresh_from_db()
    assert (run.status, run.progress) == (ScheduleRunStatus.DONE, 100)
    assert meetings(event) == expected  # the same people, slots and tables
    pairs = [frozenset(m[:2]) for m in expected]
    assert len(set(pairs)) == len(pairs) == run.figures["scheduled"]
    assert ScheduleRun.objects.count() == 1

    # Publishing mails each person once; worker 2 (still running) sends the mails.
    published = services.meetings_publish(event=event, actor=None)
    messages = list(OutboxMessage.objects.all())
    recipients = {m.a.person.email for m in Meeting.objects.all()} | {
        m.b.person.email for m in Meeting.objects.all()
    }
    assert published == len(expected)
    assert sorted(m.to for m in messages) == sorted(recipients)
    assert all(m.key.startswith("meetings.published:") for m in messages)

    def all_sent() -> bool:
        return not OutboxMessage.objects.filter(sent_at__isnull=True).exists()

    wait_for(all_sent, "publication mails sent", worker)
    assert sent_mail(tmp_path) == Counter(recipients)

    # Everything again: the publication (nothing left to publish), the same mail queued
    # again by key, every send task once more. Nothing new is queued, nothing is sent twice.
    assert services.meetings_publish(event=event, actor=None) == 0
    for message in messages:
        again = outbox_queue(to=message.to, subject="again", body="again", key=message.key)
        assert again is not None
        assert again.pk == message.pk
        outbox_send.enqueue(message_id=message.pk)
    send_path = "clusterhub.common.tasks.outbox_send"

    def resent() -> bool:
        return DBTaskResult.objects.filter(
            task_path=send_path, status="SUCCESSFUL"
        ).count() == 2 * len(messages)

    wait_for(resent, "repeated send tasks done", worker)
    worker.stop()
    assert OutboxMessage.objects.count() == len(messages)
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    assert sent_mail(tmp_path) == Counter(recipients)  # one each, as before
    assert not WorkerHeartbeat.objects.exists()  # worker 2 said goodbye
