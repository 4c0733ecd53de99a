"""`rows_insert`: many rows without model instances, the same rows `bulk_create` would write
(SQLite: multi-row INSERTs in batches; PostgreSQL: COPY; the PostgreSQL suite runs it too)."""

from datetime import UTC, datetime

import pytest

from clusterhub.common.bulk_insert import rows_insert
from clusterhub.common.models import ActivityLogEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIELDS = ("created_at", "actor_id", "action", "cluster_id", "event_id", "object_type",
          "object_id", "object_repr", "data")  # fmt: skip


def test_rows_insert_writes_every_row_with_json_dates_and_foreign_keys():
    actor = UserFactory()
    when = datetime(2025, 12, 3, 9, 30, tzinfo=UTC)
    rows = (
        (when, actor.pk if i % 2 else None, f"bench.row.{i % 7}", 1, i, "x.y", str(i),
         f"row “{i}”", {"n": i, "text": "æøå, ї"})
        for i in range(2500)  # more than one statement's worth of parameters
    )  # fmt: skip
    assert rows_insert(ActivityLogEntry, FIELDS, rows) == 2500
    stored = ActivityLogEntry.objects.order_by("event_id")
    assert stored.count() == 2500
    last = stored.last()
    assert (last.event_id, last.object_repr, last.data) == (
        2499,
        "row “2499”",
        {"n": 2499, "text": "æøå, ї"},
    )
    assert last.created_at == when
    assert last.actor_id == actor.pk
    assert stored.first().actor_id is None
    assert stored.filter(action="bench.row.3").count() == len(range(3, 2500, 7))
