"""Filters on the public lists of rooms, speakers and organisations."""

import json

import pytest

from clusterhub.directory.models import OrganisationType
from clusterhub.events.models import Room

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
