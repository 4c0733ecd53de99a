"""Filters on the lists: rooms, speakers, organisations, meeting outcomes, KPIs, my meetings
and my recommendations."""

import json

import pytest

from clusterhub.directory.models import OrganisationType
from clusterhub.events.models import Room
from clusterhub.followup.models import MeetingFeedback
from tests.api.test_people_endpoints import build_matchmaking, sharing
from tests.factories import at
from tests.followup.support import meeting
from tests.matchmaking.view_support import finished_run

pytestmark = pytest.mark.django_db

API = "/api/v1/events/oslo"


def items(client, path: str) -> list[dict]:
    response = client.get(f"{API}/{path}")
    assert response.status_code == 200, response.content
    return json.loads(response.content)["items"]


def test_rooms_filter_by_words_and_offsite(client, world):
    Room.objects.create(event=world["event"], name="SINTEF lab", is_offsite=True, address="Oslo")

    assert [r["name"] for r in items(client, "rooms/?q=sintef")] == ["SINTEF lab"]
    assert [r["name"] for r in items(client, "rooms/?offsite=true")] == ["SINTEF lab"]
    assert "SINTEF lab" not in [r["name"] for r in items(client, "rooms/?offsite=false")]


def test_speakers_filter_by_words_and_role(client, world):
    found = items(client, "speakers/?q=widerberg")
    panelists = items(client, "speakers/?role=panelist")

    assert [s["last_name"] for s in found] == ["Widerberg"]
    assert len(panelists) == 1  # the panel's one panelist
    assert "Widerberg" not in [s["last_name"] for s in panelists]  # a speaker, not a panelist


def test_organisations_filter_by_type_and_country(client, world):
    every = items(client, "organisations/")
    host = world["event"].cluster.organisation

    clusters = items(client, f"organisations/?type={OrganisationType.CLUSTER}")
    in_norway = items(client, f"organisations/?country={host.country}")

    assert host.name in [o["name"] for o in clusters]
    assert all(o["name"] in [e["name"] for e in every] for o in in_norway)
    assert host.name in [o["name"] for o in in_norway]
    assert items(client, "organisations/?country=ZZ") == []


# --- the organisers' and participants' lists ----------------------------------------------


def _get(client, user, path: str):
    client.force_login(user)
    response = client.get(f"{API}/{path}")
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_meeting_outcomes_filter_by_meeting_attendance_and_outcome(client, world):

    mm = build_matchmaking(world)
    MeetingFeedback.objects.create(
        meeting=mm["finns"], registration=mm["finn"], attendance="no_show"
    )
    organiser = world["organiser"]

    held = _get(client, organiser, "meeting-outcomes/?attendance=held")["items"]
    no_show = _get(client, organiser, "meeting-outcomes/?attendance=no_show")["items"]
    follow = _get(client, organiser, "meeting-outcomes/?outcome=follow_up")["items"]
    of_finns = _get(client, organiser, f"meeting-outcomes/?meeting={mm['finns'].pk}")["items"]

    assert [i["meeting_id"] for i in held] == [mm["published"].pk]
    assert [i["meeting_id"] for i in no_show] == [mm["finns"].pk]
    assert [i["meeting_id"] for i in follow] == [mm["published"].pk]
    assert [i["registration_id"] for i in of_finns] == [mm["finn"].pk]
    bad = client.get(f"{API}/meeting-outcomes/?attendance=maybe")
    assert bad.status_code == 422
    assert json.loads(bad.content)["code"]


def test_kpis_filter_by_section(client, world):
    every = _get(client, world["organiser"], "kpis/?limit=200")["items"]
    section = every[0]["section"]

    one = _get(client, world["organiser"], f"kpis/?limit=200&section={section.upper()}")

    assert one["count"] == sum(1 for row in every if row["section"] == section)
    assert {row["section"] for row in one["items"]} == {section}
    assert one["count"] < len(every)
    assert _get(client, world["organiser"], "kpis/?section=nothing-like-it")["count"] == 0


def test_my_meetings_filter_by_day_and_recommendations_by_score(client, world):

    mm = build_matchmaking(world)
    event = world["event"]
    gus = sharing(event, "Gus")
    day_two = meeting(event, mm["ana"], gus, start=at(event, 9, day=1))
    finished_run(event, [(mm["ana"], mm["cara"], ["a"]), (mm["ana"], gus, ["b"])])
    ana = world["participant"]
    first, second = event.days[0], event.days[1]

    on_first = _get(client, ana, f"me/meetings/?day={first}")["items"]
    on_second = _get(client, ana, f"me/meetings/?day={second}")["items"]
    every = _get(client, ana, "me/recommendations/")["items"]
    best = _get(client, ana, f"me/recommendations/?min_score={every[0]['score']}")["items"]

    assert [m["id"] for m in on_first] == [mm["published"].pk]
    assert [m["id"] for m in on_second] == [day_two.pk]
    assert len(every) == 2
    assert [r["other"]["first_name"] for r in best] == [every[0]["other"]["first_name"]]
    assert client.get(f"{API}/me/recommendations/?min_score=2").status_code == 422
