"""Writing the activity log. Services call `activity_log` inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from clusterhub.common.models import ActivityLogEntry


def activity_log(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    cluster_id: int | None = None,
    event_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> ActivityLogEntry:
    """Record `action` by `actor` on `obj`. Side effect: one ActivityLogEntry row."""
    entry = activity_entry(
        actor=actor, action=action, obj=obj, cluster_id=cluster_id, event_id=event_id, data=data
    )
    entry.save(force_insert=True)
    return entry


def activity_entry(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    cluster_id: int | None = None,
    event_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> ActivityLogEntry:
    """The unsaved entry `activity_log` writes, for services that write many at once
    (`ActivityLogEntry.objects.bulk_create`). No side effect."""
    return ActivityLogEntry(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        cluster_id=cluster_id,
        event_id=event_id,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        data=data or {},
    )


def export_log(
    *, actor: Any, action: str, event: Any, export: str, fmt: str, rows: int
) -> ActivityLogEntry:
    """Record that `actor` downloaded the personal data export `export` of `event` (an
    `events.Event`) as `fmt` with `rows` rows: organisers' access to personal data is audited.
    Side effect: one ActivityLogEntry row (never the exported data itself)."""
    return activity_log(
        actor=actor,
        action=action,
        obj=event,
        cluster_id=event.cluster_id,
        event_id=event.pk,
        data={"export": export, "format": fmt, "rows": rows},
    )
