"""The project's own contracts: `python -m clusterhub`, settings from the environment."""

import os
import subprocess
import sys

import pytest


def run_clusterhub(*args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, **env}
    return subprocess.run(  # noqa: S603 — our own interpreter and module
        [sys.executable, "-m", "clusterhub", *args],
        capture_output=True, text=True, env=environ, timeout=120, check=False,
    )  # fmt: skip


def test_python_m_clusterhub_runs_management_commands():
    result = run_clusterhub("check")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_profile_requires_secret_key(tmp_path):
    result = run_clusterhub(
        "check", DJANGO_PROFILE="production", SECRET_KEY="", CLUSTERHUB_VAR_DIR=str(tmp_path)
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "django.db.backends.sqlite3"),
        ({"DATABASE_URL": "postgres://u@db.example:5432/ch"}, "django.db.backends.postgresql"),
    ],
)
def test_database_comes_from_database_url(tmp_path, env, expected):
    code = "from django.conf import settings as s; print(s.DATABASES['default']['ENGINE'])"
    environ = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "clusterhub", "shell", "--no-imports", "-c", code],
        capture_output=True, text=True, timeout=120, check=False,
        env={**environ, "CLUSTERHUB_VAR_DIR": str(tmp_path), **env},
    )  # fmt: skip
    assert result.stdout.strip() == expected, result.stderr


def test_development_secret_key_is_generated_once_outside_git(tmp_path):
    code = "from django.conf import settings as s; print(s.SECRET_KEY)"
    first = run_clusterhub(
        "shell", "--no-imports", "-c", code, CLUSTERHUB_VAR_DIR=str(tmp_path), SECRET_KEY=""
    )
    second = run_clusterhub(
        "shell", "--no-imports", "-c", code, CLUSTERHUB_VAR_DIR=str(tmp_path), SECRET_KEY=""
    )
    key = (tmp_path / "secret_key").read_text().strip()
    assert first.stdout.strip() == second.stdout.strip() == key
    assert len(key) >= 50


def test_outbox_muted_queues_nothing_and_unmutes_after(db):
    from clusterhub.common.models import OutboxMessage
    from clusterhub.common.outbox import outbox_muted, outbox_queue

    with outbox_muted():
        assert outbox_queue(to="a@example.org", subject="s", body="b") is None
    queued = outbox_queue(to="a@example.org", subject="s", body="b")
    assert list(OutboxMessage.objects.all()) == [queued]


def test_send_outbox_sends_stranded_messages_once(db, mailoutbox):
    from io import StringIO

    from django.core.management import call_command

    from clusterhub.common.models import OutboxMessage

    OutboxMessage.objects.create(to="a@example.org", subject="Hello", body="b")
    out = StringIO()
    call_command("send_outbox", stdout=out)
    call_command("send_outbox", stdout=out)
    assert [m.subject for m in mailoutbox] == ["Hello"]
    assert "Sent 1 of 1" in out.getvalue()
    assert OutboxMessage.objects.get().sent_at is not None


def test_outbox_deliver_leaves_a_message_claimed_by_another_worker(db, mailoutbox):
    from django.utils import timezone

    from clusterhub.common.models import OutboxMessage
    from clusterhub.common.outbox import outbox_deliver

    message = OutboxMessage.objects.create(
        to="a@example.org", subject="s", body="b", claimed_at=timezone.now()
    )
    assert outbox_deliver(message_id=message.pk) is False
    assert mailoutbox == []
