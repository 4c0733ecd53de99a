"""The "my data" page and its JSON download: all of mine, nothing of anybody else."""

from __future__ import annotations

import json

from django.urls import reverse

from clusterhub.common.models import ActivityLogEntry
from clusterhub.events.models import Availability
from tests.factories import SessionFactory, SessionRoleFactory, at


def download(client, user) -> tuple[object, str]:
    client.force_login(user)
    response = client.get(reverse("privacy:download"))
    return response, response.content.decode()


def test_download_is_a_dated_json_attachment(client, event, crowd):
    response, _body = download(client, crowd["zqalpha"].person.user)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="clusterhub-my-data-')
    assert response["Content-Disposition"].endswith('.json"')


def test_download_holds_all_my_rows(client, event, crowd):
    _response, body = download(client, crowd["zqalpha"].person.user)
    data = json.loads(body)
    assert data["account"]["email"] == "zqalpha@example.org"
    assert data["person"]["bio"] == "zqalpha bio"
    [registration] = data["registrations"]
    assert registration["answers"] == [{"question": "Why do you come?", "value": "zqalpha answer"}]
    assert {(c["kind"], c["given"], c["version"]) for c in registration["consent_records"]} == {
        ("privacy", True, "2025-1"), ("matchmaking", True, "2025-1"), ("photos", True, "2025-1"),
    }  # fmt: skip
    assert registration["profile"]["about"] == "zqalpha about"
    assert len(registration["signups"]) == 1
    assert len(registration["checkins"]) == 2
    assert [r["message"] for r in registration["meeting_requests_sent"]] == ["zqalpha message"]
    assert [r["my_answer"] for r in registration["meeting_requests_received"]] == ["zqalpha reply"]
    assert sorted(m["with"] for m in registration["meetings"]) == [
        "zqbetaFirst zqbetaLast", "zqgammaFirst zqgammaLast",
    ]  # fmt: skip
    assert {f["comment"] for f in registration["meeting_feedback_given"]} == {"zqalpha comment"}
    assert registration["survey_answers"][0]["answers"][1]["text"] == "zqalpha survey"
    assert len(data["partnerships"]) == 2
    assert data["api_tokens"][0]["name"] == "zqalpha token"
    assert any(a["action"] == "registration.registration.create" for a in data["activity"])


def test_download_holds_nothing_of_another_participant(client, event, crowd):
    _response, body = download(client, crowd["zqalpha"].person.user)
    for other in ("zqbeta", "zqgamma", "zqdelta"):
        # Only the names of the people I met; none of their texts or addresses.
        mentions = body.replace(f"{other}First {other}Last", "")
        assert other not in mentions, other
    assert "zqdelta" not in body  # never met
    assert "password" not in body
    assert "hashed_key" not in body
    assert "zqalphazqalpha" not in body


def test_download_is_logged_and_needs_a_login(client, event, crowd):
    assert client.get(reverse("privacy:download")).status_code == 302
    user = crowd["zqalpha"].person.user
    download(client, user)
    assert ActivityLogEntry.objects.filter(action="privacy.my_data.export", actor=user).exists()


def test_my_data_page_lists_my_consents_and_no_one_elses(client, event, crowd):
    client.force_login(crowd["zqalpha"].person.user)
    response = client.get(reverse("privacy:my_data"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<code>2025-1</code>") == 3
    assert event.name in page
    assert "zqbeta" not in page


def test_my_data_page_reads_a_fixed_number_of_queries(client, event, crowd):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.followup.support import past_event
    from tests.privacy.support import event_setup, participant

    user = crowd["zqalpha"].person.user
    client.force_login(user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("privacy:my_data")).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(2):
        other = past_event()
        more = participant(other, event_setup(other), f"zqmore{other.pk}")
        more.person = crowd["zqalpha"].person
        more.save()
    assert queries() == few


def test_download_holds_my_programme_roles_and_availability(client, event, crowd):
    person = crowd["zqalpha"].person
    SessionRoleFactory(session=SessionFactory(event=event, title="zqalpha talk"), person=person)
    Availability.objects.create(event=event, person=person, start=at(event, 9), end=at(event, 12))
    Availability.objects.create(
        event=event, person=crowd["zqbeta"].person, start=at(event, 13), end=at(event, 14)
    )
    _response, body = download(client, person.user)
    data = json.loads(body)
    assert [r["session"] for r in data["person"]["programme_roles"]] == ["zqalpha talk"]
    [slot] = data["person"]["availability"]
    assert slot["event"] == event.slug
    assert slot["from"].startswith(at(event, 9).isoformat()[:10])
