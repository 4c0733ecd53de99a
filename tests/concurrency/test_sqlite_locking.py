"""SQLite's side of "no overbooking": every transaction takes the write lock when it begins.

Django opens a connection per thread with `DATABASES["default"]["OPTIONS"]`; this checks that
such a connection runs in WAL mode with the 20 s busy timeout, and that `transaction.atomic()`
begins IMMEDIATE: a transaction that has only read already keeps every other writer out, so
two services can never both read "one seat left" and then both write. (With SQLite's default,
DEFERRED, the second writer would fail with "database is locked" instead of waiting.)
"""

import sqlite3
import threading

import pytest
from django.db import connection, transaction

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL locks rows instead"),
]


def test_sqlite_transaction_takes_the_write_lock_when_it_begins():
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
