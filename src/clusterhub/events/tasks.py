"""Background tasks of the events app. Tasks only load and delegate."""

from django_tasks import task

from clusterhub.events.models import TimetableRun, TimetableRunStatus
from clusterhub.events.services.timetabling import timetable_run_execute


@task()
def timetable_run_task(*, run_id: int) -> str:
    """Compute one draft timetable (a finished run is left as it is). Side effects: those of
    `services.timetabling.timetable_run_execute`."""
    run = TimetableRun.objects.select_related("event").get(pk=run_id)
    if run.status != TimetableRunStatus.DONE:
        timetable_run_execute(run=run)
    return run.status
