from clusterhub.common.models import ActivityLogEntry
from clusterhub.reports.demo import KEY_MESSAGES, report_demo_load
from clusterhub.reports.models import Report, SessionHighlight
from tests.factories import SessionFactory


def test_report_demo_load_writes_and_publishes_the_report_once(event, organiser):
    for title in ("Voices of the Innovation Park", "Site visit to SINTEF", "Lunch"):
        SessionFactory(event=event, title=title)
    first = report_demo_load(event=event, organiser=organiser)
    logged = ActivityLogEntry.objects.count()
    again = report_demo_load(event=event, organiser=organiser)
    report = Report.objects.get(event=event)
    assert dict(first.created) == {"reports": 1, "key messages": 2, "published": 1}
    assert dict(again.created) == {}
    assert ActivityLogEntry.objects.count() == logged
    assert report.is_published
    assert report.introduction.startswith("Stakeholders from across")
    assert sorted(SessionHighlight.objects.values_list("key_messages", flat=True)) == sorted(
        [KEY_MESSAGES["Voices of the Innovation Park"], KEY_MESSAGES["Site visit to SINTEF"]]
    )
