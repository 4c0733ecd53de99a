"""Background tasks of matchmaking. Tasks only load and delegate."""

from django_tasks import task

from clusterhub.matchmaking.models import MatchRun, MatchRunStatus, ScheduleRun, ScheduleRunStatus
from clusterhub.matchmaking.services import match_run_execute, schedule_run_execute


@task()
def match_run_task(*, run_id: int) -> str:
    """Execute one matchmaking run (a finished run is left as it is). Side effects: those of
    `services.match_run_execute`."""
    run = MatchRun.objects.select_related("event").get(pk=run_id)
    if run.status != MatchRunStatus.DONE:
        match_run_execute(run=run)
    return run.status


@task()
def schedule_run_task(*, run_id: int) -> str:
    """Execute one scheduling run (a finished run is left as it is). Side effects: those of
    `services.schedule_run_execute`."""
    run = ScheduleRun.objects.select_related("event").get(pk=run_id)
    if run.status != ScheduleRunStatus.DONE:
        schedule_run_execute(run=run)
    return run.status
