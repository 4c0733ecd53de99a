"""The KPI dashboard on the database: figures equal what is stored, exports hold the same
figures, and only the cluster's organisers see them."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from clusterhub.directory.models import ClusterRole, OrganisationType
from clusterhub.followup import services
from clusterhub.followup.kpis import event_kpis_for
from clusterhub.matchmaking.models import Meeting, MeetingRequest, MeetingStatus
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    RegistrationFactory,
    SessionFactory,
    at,
)

pytestmark = pytest.mark.django_db


def person(event, org_type, country, checked_in=False):
    return RegistrationFactory(
        event=event,
        person__organisation=OrganisationFactory(type=org_type, country=country),
        person__country=country,
        checked_in_at=timezone.now() if checked_in else None,
    )


@pytest.fixture
def facts(event):
    """Four people (three came), two requests (one accepted), one held meeting across a
    border and a sector, feedback rating 4, one partnership (MoU, in talks)."""
    company = person(event, OrganisationType.COMPANY, "NO", checked_in=True)
    hospital = person(event, OrganisationType.HOSPITAL, "UA", checked_in=True)
    school = person(event, OrganisationType.SCHOOL, "NO", checked_in=True)
    person(event, OrganisationType.INVESTOR, "SE")
    MeetingRequest.objects.create(
        event=event, sender=company, recipient=hospital, status="accepted"
    )
    MeetingRequest.objects.create(event=event, sender=school, recipient=company)
    session = SessionFactory(event=event, type="networking", start=at(event, 9), end=at(event, 10))
    meeting = Meeting.objects.create(
        event=event, session=session, start=at(event, 9), end=at(event, 9, 20), table=1,
        a=company, b=hospital, status=MeetingStatus.PUBLISHED,
    )  # fmt: skip
    services.feedback_record(
        meeting=meeting, registration=company, attendance="held", rating=4,
        outcome="partnership_idea", actor=None,
    )  # fmt: skip
    services.partnership_create(
        cluster=event.cluster, actor=None, event=event, meeting=meeting, title="Pilot",
        type="mou", stage="in_talks",
        organisations=[company.person.organisation, hospital.person.organisation],
    )  # fmt: skip
    return company, hospital, school


def test_event_kpis_equal_the_database(event, facts):
    k = event_kpis_for(event)

    assert (k.registrations.confirmed, k.registrations.attended) == (4, 3)
    assert dict(k.attended.by_type)["company"] == 1
    assert dict(k.attended.by_type)["investor"] == 0  # registered, did not come
    assert k.attended.international == 1  # the hospital from Ukraine; the host cluster is Norwegian
    # Three types, one each: Simpson = 1 - 3 * (1/3)^2 = 2/3.
    assert k.attended.type_diversity.simpson == pytest.approx(2 / 3)
    m = k.meetings
    assert (m.requested, m.accepted, m.scheduled, m.held) == (2, 1, 1, 1)
    assert (m.mix.cross_sector_share, m.mix.cross_border_share) == (1.0, 1.0)
    assert (k.satisfaction.meeting.count, k.satisfaction.meeting.mean) == (1, 4.0)
    assert dict(k.partnerships.by_type)["mou"] == 1
    assert dict(k.partnerships.by_stage)["in_talks"] == 1


def test_dashboard_and_exports_show_the_same_figures(client, event, facts, organiser):
    client.force_login(organiser)

    page = client.get(reverse("orga_followup:dashboard", args=[event.slug])).content.decode()
    csv_rows = list(csv.reader(io.StringIO(
        client.get(reverse("orga_followup:dashboard_export", args=[event.slug, "csv"]))
        .content.decode("utf-8-sig")
    )))  # fmt: skip
    book = load_workbook(io.BytesIO(
        client.get(reverse("orga_followup:dashboard_export", args=[event.slug, "xlsx"])).content
    ))  # fmt: skip
    xlsx_rows = [[str(c) for c in row] for row in book.active.iter_rows(values_only=True)]

    assert "Impact KPIs" in page
    assert csv_rows[0] == ["section", "figure", "value"]
    assert ["registrations", "attended", "3"] in csv_rows
    assert ["meetings", "held", "1"] in csv_rows
    assert ["registrations", "attended", "3"] in xlsx_rows


def test_only_the_clusters_organisers_see_the_kpis(client, event, facts):
    urls = [
        reverse("orga_followup:dashboard", args=[event.slug]),
        reverse("orga_followup:dashboard_export", args=[event.slug, "csv"]),
        reverse("cluster_dashboard", args=[event.cluster.slug]),
        reverse("cluster_dashboard_export", args=[event.cluster.slug, "xlsx"]),
    ]
    client.force_login(MembershipFactory(role=ClusterRole.OWNER).user)  # another cluster
    assert [client.get(u).status_code for u in urls] == [404, 404, 404, 404]
    client.force_login(MembershipFactory(cluster=event.cluster, role=ClusterRole.CHECKIN).user)
    assert [client.get(u).status_code for u in urls] == [403, 403, 404, 404]
    client.force_login(MembershipFactory(cluster=event.cluster).user)
    assert [client.get(u).status_code for u in urls] == [200, 200, 200, 200]


def test_cluster_kpis_add_up_the_events(client, event, facts, organiser):
    other = EventFactory(cluster=event.cluster)
    person(other, OrganisationType.UNIVERSITY, "DE", checked_in=True)
    client.force_login(organiser)

    page = client.get(reverse("cluster_dashboard", args=[event.cluster.slug]))
    rows = list(csv.reader(io.StringIO(
        client.get(reverse("cluster_dashboard_export", args=[event.cluster.slug, "csv"]))
        .content.decode("utf-8-sig")
    )))  # fmt: skip

    assert page.status_code == 200
    assert ["summary", "events", "2"] in rows
    assert ["registrations", "attended", "4"] in rows
