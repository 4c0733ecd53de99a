"""Every follow-up export an organiser downloads leaves an activity log line."""

from __future__ import annotations

import pytest

from clusterhub.common.models import ActivityLogEntry
from tests.factories import MatchProfileFactory, SignUpFactory
from tests.followup.support import meeting, orga_url


def world(event) -> None:
    a = MatchProfileFactory(registration__event=event).registration
    b = MatchProfileFactory(registration__event=event).registration
    SignUpFactory(registration=a)
    meeting(event, a, b)


@pytest.mark.parametrize(
    ("kind", "rows"),
    [("signups", 1), ("profiles", 2), ("meetings", 1), ("outcomes", 0), ("partnerships", 0)],
)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_each_followup_export_is_logged(client, event, organiser, kind, rows, fmt):
    world(event)
    client.force_login(organiser)
    response = client.get(orga_url(f"export_{kind}", event, fmt))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    [entry] = ActivityLogEntry.objects.filter(action="followup.export")
    assert (entry.actor, entry.event_id, entry.cluster_id) == (
        organiser, event.pk, event.cluster_id,
    )  # fmt: skip
    assert entry.data == {"export": kind, "format": fmt, "rows": rows}
