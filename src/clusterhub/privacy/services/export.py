"""The download of one's own data."""

from __future__ import annotations

from typing import Any

from clusterhub.common.activity import activity_log
from clusterhub.directory.models import User
from clusterhub.privacy.my_data import my_data_for


def my_data_export(*, user: User, actor: Any) -> dict[str, Any]:
    """All of `user`'s data (`my_data_for`), for them to download. Side effect: an activity
    log line `privacy.my_data.export` (who, when; not the data)."""
    data = my_data_for(user=user)
    activity_log(actor=actor, action="privacy.my_data.export", obj=user)
    return data
