"""Progress of long jobs (matchmaking, scheduling): a hook for the crash tests."""

import time

from django.conf import settings


def progress_pause() -> None:
    """Pause `TASK_STEP_DELAY` seconds after a job's progress step (0, so no pause, unless a
    test sets CLUSTERHUB_TASK_STEP_DELAY to kill the worker mid-run at a step it can see)."""
    if settings.TASK_STEP_DELAY > 0:
        time.sleep(settings.TASK_STEP_DELAY)
