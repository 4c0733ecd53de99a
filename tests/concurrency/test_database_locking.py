"""The database's side of "no overbooking". SQLite: every transaction takes the write lock when
it begins. PostgreSQL: the session row lock the services take keeps a second locker out.

Django opens a connection per thread with `DATABASES["default"]["OPTIONS"]`; this checks that
such a connection runs in WAL mode with the 20 s busy timeout, and that `transaction.atomic()`
begins IMMEDIATE: a transaction that has only read already keeps every other writer out, so
two services can never both read "one seat left" and then both write. (With SQLite's default,
DEFERRED, the second writer would fail with "database is locked" instead of waiting.)
"""

import sqlite3
import threading

import pytest
from django.db import DatabaseError, connection, transaction

from clusterhub.events.models import Session
from tests.factories import SessionFactory

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
]


def _sqlite_transaction_takes_the_write_lock_when_it_begins():
    began, release = threading.Event(), threading.Event()
    seen = {}

    def reader_in_a_transaction():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                seen["journal_mode"] = cursor.fetchone()[0]
                cursor.execute("PRAGMA busy_timeout")
                seen["busy_timeout_ms"] = cursor.fetchone()[0]
                began.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=reader_in_a_transaction)
    thread.start()
    assert began.wait(10)
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            other.execute("BEGIN IMMEDIATE")  # another writer, not willing to wait
        release.set()
        thread.join(10)
        other.execute("BEGIN IMMEDIATE")  # free again once the transaction has ended
        other.execute("ROLLBACK")
    finally:
        release.set()
        other.close()

    assert seen == {"journal_mode": "wal", "busy_timeout_ms": 20_000}


def _postgresql_session_lock_keeps_a_second_locker_out():
    session = SessionFactory(capacity=1, signup_required=True)
    locked, release = threading.Event(), threading.Event()

    def holder():
        try:
            with transaction.atomic():
                Session.objects.select_for_update().get(pk=session.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert locked.wait(10)
        with pytest.raises(DatabaseError, match="could not obtain lock"), transaction.atomic():
            Session.objects.select_for_update(nowait=True).get(pk=session.pk)
    finally:
        release.set()
        thread.join(10)
    with transaction.atomic():  # free again once the holder committed
        assert Session.objects.select_for_update(nowait=True).get(pk=session.pk) == session


# One check per database: the one this run uses (the suite runs on both in CI).
if connection.vendor == "sqlite":
    test_sqlite_transaction_takes_the_write_lock_when_it_begins = (
        _sqlite_transaction_takes_the_write_lock_when_it_begins
    )
else:
    test_postgresql_session_lock_keeps_a_second_locker_out = (
        _postgresql_session_lock_keeps_a_second_locker_out
    )
