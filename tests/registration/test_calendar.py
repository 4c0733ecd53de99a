import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusterhub.events.ical import session_uid
from clusterhub.registration.models import Registration, RegistrationStatus, SignUpStatus
from tests.factories import (
    RegistrationFactory,
    SessionFactory,
    SessionRoleFactory,
    SignUpFactory,
    at,
)
from tests.registration.portal_support import page_text, portal_url, registered

pytestmark = pytest.mark.django_db


def feed_url(registration) -> str:
    return reverse("calendar:agenda", args=[registration.calendar_token])


def feed_uids(client, registration) -> set[str]:
    response = client.get(feed_url(registration))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(vevent["UID"]) for vevent in calendar.walk("VEVENT")}


@pytest.fixture
def agenda(event):
    """A person with a seat, a waitlist place and a panel role, beside sessions not theirs."""
    me = RegistrationFactory(event=event)
    seat = SessionFactory(event=event, title="Module 1", capacity=5, signup_required=True,
                          start=at(event, 9), end=at(event, 10))  # fmt: skip
    queue = SessionFactory(event=event, title="SINTEF visit", capacity=1, signup_required=True,
                           start=at(event, 13), end=at(event, 16))  # fmt: skip
    panel = SessionFactory(event=event, title="Panel", start=at(event, 11, day=1),
                           end=at(event, 12, day=1))  # fmt: skip
    SignUpFactory(registration=me, session=seat)
    SignUpFactory(registration=RegistrationFactory(event=event), session=queue)
    SignUpFactory(registration=me, session=queue, status=SignUpStatus.WAITLISTED)
    SessionRoleFactory(session=panel, person=me.person, role="panelist")
    others = SessionFactory(event=event, title="Module 2", capacity=5, signup_required=True)
    SignUpFactory(registration=RegistrationFactory(event=event), session=others)
    SessionFactory(event=event, title="Welcome")
    return me, {"seat": seat, "queue": queue, "panel": panel}


def test_agenda_feed_has_exactly_my_seats_and_roles(client, agenda):
    me, sessions = agenda

    assert feed_uids(client, me) == {
        session_uid(sessions["seat"]),
        session_uid(sessions["panel"]),
    }  # a waitlist place is not a seat yet


def test_agenda_feed_entries_are_in_the_events_time_zone(client, event, agenda):
    me, sessions = agenda
    calendar = icalendar.Calendar.from_ical(client.get(feed_url(me)).content)
    seat = next(e for e in calendar.walk("VEVENT") if e["SUMMARY"] == "Module 1")
    assert seat.decoded("DTSTART") == sessions["seat"].start
    assert seat["DTSTART"].params["TZID"] == "Europe/Oslo"
    assert calendar["X-WR-CALNAME"] == f"{event.name} — my agenda"
    assert seat["URL"] == f"http://testserver/events/{event.slug}/sessions/{sessions['seat'].pk}/"


def test_agenda_feed_is_private(client, agenda):
    me, _sessions = agenda
    response = client.get(feed_url(me))
    assert response["Cache-Control"] == "private, max-age=0"
    assert response["X-Robots-Tag"] == "noindex"


def test_revoked_address_is_404_and_the_new_one_works(client, event):
    me = registered(client, event)
    old = feed_url(me)

    response = client.post(portal_url("calendar_reset", event), follow=True)

    me.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(feed_url(me)).status_code == 200
    text = page_text(response)
    assert "Your old calendar address no longer works." in text
    assert f"http://testserver{feed_url(me)}" in text
    assert old not in text


def test_calendar_reset_is_post_only_for_the_owner(client, event):
    me = registered(client, event)
    token = me.calendar_token
    assert client.get(portal_url("calendar_reset", event)).status_code == 405
    client.logout()
    assert client.post(portal_url("calendar_reset", event)).status_code == 302  # to login
    assert Registration.objects.get(pk=me.pk).calendar_token == token


@pytest.mark.parametrize("change", ["cancelled", "unpublished", "unknown"])
def test_agenda_feed_is_404_when_not_active_or_not_public(client, event, change):
    me = RegistrationFactory(event=event)
    url = feed_url(me)
    if change == "cancelled":
        me.status = RegistrationStatus.CANCELLED
        me.save()
    elif change == "unpublished":
        event.status = "draft"
        event.save()
    else:
        last = "y" if me.calendar_token.endswith("x") else "x"  # a token that differs
        url = url.replace(me.calendar_token, me.calendar_token[:-1] + last)
    assert client.get(url).status_code == 404


def test_agenda_feed_query_count_does_not_grow(client, event):
    counts = []
    for n in (2, 8):
        me = RegistrationFactory(event=event)
        for i in range(n):
            session = SessionFactory(event=event, capacity=3, signup_required=True,
                                     start=at(event, 8 + i))  # fmt: skip
            SignUpFactory(registration=me, session=session)
            SessionRoleFactory(session=session)
        with CaptureQueriesContext(connection) as queries:
            assert len(feed_uids(client, me)) == n
        counts.append(len(queries))
    assert counts == [5, 5]  # registration, sessions, their people, their themes, meetings
