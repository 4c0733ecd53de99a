"""The check-in desk: scanned or typed badge codes, the name search, places (door or a
session), the answers as htmx fragment, JSON and page, and the live counters."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from clusterhub.directory.models import ClusterRole
from clusterhub.registration.models import CheckIn, Registration, RegistrationStatus, SignUp
from tests.events.orga_support import page_text
from tests.factories import EventFactory, MembershipFactory, SessionFactory
from tests.registration.orga_support import badge, queries, registered, registration_state

UTC = ZoneInfo("UTC")
HTMX = {"HTTP_HX_REQUEST": "true"}
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def desk(client, event):
    """Logged in as check-in staff of the event's cluster."""
    staff = MembershipFactory(cluster=event.cluster, role=ClusterRole.CHECKIN).user
    client.force_login(staff)
    client.staff = staff
    return client


@pytest.fixture
def ada(event):
    return registered(event, first="Ada", last="Lovelace", org="Oslo Cancer Cluster")


def scan(client, event, headers=None, **data):
    data.setdefault("place", "door")
    return client.post(
        reverse("orga_registration:checkin_scan", args=[event.slug]),
        data,
        **(HTMX if headers is None else headers),
    )


def test_desk_page_offers_camera_code_search_and_places(desk, event):
    seated = SessionFactory(event=event, title="Module 1", capacity=5, signup_required=True)
    SessionFactory(event=event, title="Coffee", type="break")
    SessionFactory(event=EventFactory(), title="Secret session")

    response = desk.get(reverse("orga_registration:checkin", args=[event.slug]))

    text = page_text(response)
    assert response.status_code == 200
    assert "vendor/jsQR-1.4.0.js" in text
    assert "clusterhub/checkin.js" in text
    assert 'name="code"' in text
    assert 'name="q"' in text
    assert [s.title for s in response.context["places"]] == ["Module 1"]
    assert f'<option value="{seated.pk}"' in text
    assert "Coffee" not in text
    assert "Secret session" not in text


def test_scan_of_a_valid_badge_checks_in_once(desk, event, ada):
    response = scan(desk, event, code=badge(ada), method="scan")

    assert response.status_code == 200
    text = page_text(response)
    assert "checkin-checked_in" in text
    assert "Ada Lovelace checked in." in text
    checkin = CheckIn.objects.get()
    assert (checkin.registration, checkin.session, checkin.method, checkin.actor) == (
        ada, None, "scan", desk.staff,
    )  # fmt: skip
    ada.refresh_from_db()
    assert ada.checked_in_at == checkin.created_at
    assert response["HX-Trigger"] == "checkin-done"


def test_second_scan_says_already_checked_in_at_local_time(desk, event, ada):
    scan(desk, event, code=badge(ada))
    CheckIn.objects.update(created_at=datetime(2025, 12, 3, 8, 3, tzinfo=UTC))  # 09:03 in Oslo

    response = scan(desk, event, code=badge(ada))

    text = page_text(response)
    assert "checkin-already" in text
    assert "Ada Lovelace: already checked in at 09:03." in text
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize("tamper", ["altered", "other_event", "revoked", "garbage", "empty"])
def test_refused_codes_make_no_checkin(desk, event, ada, tamper):
    token = badge(ada)
    if tamper == "altered":
        i = len(token) - 3
        token = token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1 :]
    elif tamper == "other_event":
        token = badge(registered(EventFactory(), first="Ada", last="Lovelace"))
    elif tamper == "revoked":
        Registration.objects.filter(pk=ada.pk).update(badge_nonce=1)
    elif tamper == "garbage":
        token = "=HYPERLINK(1)"
    else:
        token = "   "
    before = registration_state()

    response = scan(desk, event, code=token)

    text = page_text(response)
    assert response.status_code == 200  # htmx swaps only successful answers
    assert "checkin-refused" in text
    expected = (
        "Scan or type a badge code."
        if tamper == "empty"
        else ("This badge is not valid for this event.")
    )
    assert expected in text
    assert registration_state() == before


def test_scan_refuses_a_registration_that_is_not_confirmed(desk, event):
    pending = registered(event, first="Pat", last="Pending", status=RegistrationStatus.PENDING)

    text = page_text(scan(desk, event, code=badge(pending)))

    assert "Pat Pending has no confirmed registration (Awaiting approval)." in text
    assert not CheckIn.objects.exists()


def test_typed_code_with_spaces_is_accepted_and_recorded_as_typed(desk, event, ada):
    response = scan(desk, event, code=f"  {badge(ada)}\n", method="typed")

    assert "Ada Lovelace checked in." in page_text(response)
    assert CheckIn.objects.get().method == "typed"


def test_name_search_finds_confirmed_people_of_this_event_only(desk, event, ada):
    registered(event, first="Adam", last="Pending", status=RegistrationStatus.PENDING)
    registered(EventFactory(), first="Ada", last="Elsewhere", org="Hidden Corp")
    url = reverse("orga_registration:checkin_search", args=[event.slug])

    response = desk.get(url, {"q": "ada", "place": "door"}, **HTMX)
    short = desk.get(url, {"q": "a"}, **HTMX)

    text = page_text(response)
    assert "Ada Lovelace" in text
    assert "Oslo Cancer Cluster" in text
    assert "Adam Pending" not in text
    assert "Elsewhere" not in text
    assert "Hidden Corp" not in text
    assert f'name="registration" value="{ada.pk}"' in text
    assert "Type at least two letters." in page_text(short)


def test_check_in_from_the_search_result(desk, event, ada):
    response = scan(desk, event, registration=ada.pk, method="search")

    assert "Ada Lovelace checked in." in page_text(response)
    assert CheckIn.objects.get().method == "search"


def test_check_in_from_search_refuses_another_events_registration(desk, event):
    stranger = registered(EventFactory(), first="Zed", last="Outsider")
    before = registration_state()

    response = scan(desk, event, registration=stranger.pk, method="search")

    text = page_text(response)
    assert "Nobody found." in text
    assert "Zed" not in text
    assert registration_state() == before


def test_session_checkin_needs_a_seat_at_a_seated_session(desk, event, ada):
    module = SessionFactory(event=event, title="Module 1", capacity=1, signup_required=True)
    bo = registered(event, first="Bo", last="Seated")
    SignUp.objects.create(registration=bo, session=module, status="confirmed")
    waiting = registered(event, first="Cy", last="Waiting")
    SignUp.objects.create(registration=waiting, session=module, status="waitlisted")

    seated = scan(desk, event, code=badge(bo), place=module.pk)
    no_seat = scan(desk, event, code=badge(ada), place=module.pk)
    waitlisted = scan(desk, event, code=badge(waiting), place=module.pk)

    assert "Bo Seated checked in." in page_text(seated)
    assert "Module 1" in page_text(seated)
    assert "Ada Lovelace has no seat in “Module 1”." in page_text(no_seat)
    assert "Cy Waiting has no seat in “Module 1”." in page_text(waitlisted)
    assert list(CheckIn.objects.values_list("registration", "session")) == [(bo.pk, module.pk)]
    bo.refresh_from_db()
    assert bo.checked_in_at is None  # attendance at a session is not the arrival at the door


def test_session_checkin_at_an_open_session_records_attendance(desk, event, ada):
    talk = SessionFactory(event=event, title="Keynote")

    scan(desk, event, code=badge(ada), place=talk.pk)
    again = scan(desk, event, code=badge(ada), place=talk.pk)
    door = scan(desk, event, code=badge(ada))

    assert "already checked in" in page_text(again)
    assert "Ada Lovelace checked in." in page_text(door)
    assert CheckIn.objects.filter(session=talk).count() == 1
    assert CheckIn.objects.filter(session=None).count() == 1


def test_scan_at_another_events_session_is_refused(desk, event, ada):
    foreign = SessionFactory(event=EventFactory(), title="Secret session")

    response = scan(desk, event, code=badge(ada), place=foreign.pk)

    assert "Choose where you check people in." in page_text(response)
    assert not CheckIn.objects.exists()


def test_scan_answers_json_when_asked(desk, event, ada):
    first = scan(desk, event, headers=JSON, code=badge(ada))
    again = scan(desk, event, headers=JSON, code=badge(ada))
    forged = scan(desk, event, headers=JSON, code=badge(ada) + "x")

    assert (first.status_code, json.loads(first.content)) == (
        200, {"status": "checked_in", "message": "Ada Lovelace checked in.", "code": ""},
    )  # fmt: skip
    assert again.status_code == 200
    assert again.json()["status"] == "already"
    assert (forged.status_code, forged.json()) == (
        400,
        {"status": "refused", "message": "This badge is not valid for this event.",
         "code": "bad_badge"},
    )  # fmt: skip
    assert CheckIn.objects.count() == 1


def test_scan_without_javascript_shows_the_whole_desk(desk, event, ada):
    ok = scan(desk, event, headers={}, code=badge(ada))
    bad = scan(desk, event, headers={}, code="nonsense")

    assert ok.status_code == 200
    assert "Ada Lovelace checked in." in page_text(ok)
    assert "Last check-ins" in page_text(ok)
    assert bad.status_code == 400
    assert "This badge is not valid" in page_text(bad)


def test_counters_show_arrivals_and_the_last_ten_checkins(desk, event):
    people = [registered(event, first=f"P{i:02d}", last="Guest") for i in range(12)]
    registered(event, first="Pat", last="Pending", status=RegistrationStatus.PENDING)
    for person in people[:11]:
        scan(desk, event, code=badge(person))
    registered(EventFactory(), first="Zed", last="Outsider")

    response = desk.get(reverse("orga_registration:checkin_counters", args=[event.slug]), **HTMX)

    text = page_text(response)
    assert 'hx-trigger="every 5s, checkin-done from:body"' in text
    assert "<strong>11</strong>" in text
    assert "of 12 registered people arrived" in text
    shown = [p.person.full_name for p in people if p.person.full_name in text]
    assert shown == [p.person.full_name for p in people[1:11]]  # the last ten
    assert "Zed" not in text


def test_counters_at_a_seated_session_count_seats_and_attendance(desk, event, ada):
    module = SessionFactory(event=event, title="Module 1", capacity=3, signup_required=True)
    SignUp.objects.create(registration=ada, session=module, status="confirmed")
    scan(desk, event, code=badge(ada), place=module.pk)

    response = desk.get(
        reverse("orga_registration:checkin_counters", args=[event.slug]), {"place": module.pk}
    )

    text = page_text(response)
    assert "at this session, of 1 seat taken" in text
    assert f"?place={module.pk}" in text


def test_desk_counters_query_count_does_not_grow(desk, event):
    url = reverse("orga_registration:checkin_counters", args=[event.slug])
    for i in range(3):
        scan(desk, event, code=badge(registered(event, first=f"A{i}")))
    few = queries(desk, url)
    for i in range(20):
        scan(desk, event, code=badge(registered(event, first=f"B{i}")))

    assert queries(desk, url) == few
