"""The back office through its pages: the dashboard, events, publishing and rooms.
Sessions and the people in them are in test_orga_sessions.py."""

from datetime import date

import pytest
from django.urls import reverse

from clusterhub.common.models import ActivityLogEntry
from clusterhub.directory.models import ClusterRole
from clusterhub.events.models import Event, EventStatus, Room, Session
from tests.events.orga_support import (
    db_state,
    page_text,
    query_count,
)
from tests.factories import (
    PASSWORD,
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    RoomFactory,
    SessionFactory,
    at,
)


def event_data(**overrides) -> dict:
    data = {
        "name": "Oslo Deep Dive Days 2025",
        "slug": "",
        "tagline": "",
        "description": "",
        "start_date": "2025-12-03",
        "end_date": "2025-12-04",
        "timezone": "Europe/Oslo",
        "venue_name": "Oslo Science Park",
        "venue_address": "",
        "city": "Oslo",
    }
    data.update(overrides)
    return data


# --- dashboard -----------------------------------------------------------------------------


def test_dashboard_lists_events_with_status_dates_and_links(orga, event):
    draft = EventFactory(cluster=event.cluster, name="Spring Summit", status=EventStatus.DRAFT)

    response = orga.get(reverse("orga:dashboard"))

    text = page_text(response)
    assert event.name in text
    assert "Spring Summit" in text
    assert "Draft" in text
    assert "Published" in text
    assert "3 Dec – 4 Dec 2025" in text
    assert reverse("orga:event_edit", args=[draft.slug]) in text
    assert reverse("orga:event_create") in text


def test_dashboard_offers_no_create_button_to_checkin_staff(client, event):
    client.force_login(MembershipFactory(cluster=event.cluster, role=ClusterRole.CHECKIN).user)

    text = page_text(client.get(reverse("orga:dashboard")))

    assert event.name in text
    assert reverse("orga:event_create") not in text
    assert reverse("orga:event_edit", args=[event.slug]) not in text


def test_dashboard_query_count_does_not_grow_with_events(orga, event):
    EventFactory(cluster=event.cluster)
    few = query_count(orga, reverse("orga:dashboard"))
    EventFactory.create_batch(10, cluster=event.cluster)
    assert query_count(orga, reverse("orga:dashboard")) == few


# --- events --------------------------------------------------------------------------------


def test_event_create_makes_a_draft_event_in_the_chosen_cluster(orga, organiser, event):
    partner = OrganisationFactory(name="Clusters4Health")

    response = orga.post(
        reverse("orga:event_create"),
        event_data(cluster=event.cluster_id, partners=[partner.pk]),
        follow=True,
    )

    created = Event.objects.get(slug="oslo-deep-dive-days-2025")
    assert response.redirect_chain == [(reverse("orga:event", args=[created.slug]), 302)]
    assert (created.cluster, created.status, created.city) == (event.cluster, "draft", "Oslo")
    assert list(created.partners.all()) == [partner]
    assert ActivityLogEntry.objects.get(action="events.event.create").actor == organiser
    assert "Event created." in page_text(response)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"timezone": "Mars/Olympus"},
            "“Mars/Olympus” is not a known time zone (e.g. Europe/Oslo).",
        ),
        ({"end_date": "2025-12-01"}, "The last day cannot be before the first day."),
        ({"slug": "taken"}, "Another event already uses this short name."),
        ({"slug": "new"}, "“new” is reserved; choose another short name."),
    ],
)
def test_event_create_refusal_shows_message_and_writes_nothing(orga, event, overrides, message):
    EventFactory(slug="taken")
    before = db_state()

    response = orga.post(
        reverse("orga:event_create"), event_data(cluster=event.cluster_id, **overrides)
    )

    assert response.status_code == 200
    assert message in page_text(response)
    assert db_state() == before


def test_event_create_without_slug_derives_a_free_one_from_the_name(orga, event):
    EventFactory(slug="taken")

    response = orga.post(
        reverse("orga:event_create"), event_data(cluster=event.cluster_id, name="Taken", slug="")
    )

    created = Event.objects.get(name="Taken", cluster=event.cluster)
    assert created.slug == "taken-2"
    assert response["Location"] == reverse("orga:event", args=["taken-2"])


def test_event_create_with_a_cyrillic_name_gets_a_slug_from_the_year(orga, event):
    response = orga.post(
        reverse("orga:event_create"),
        event_data(cluster=event.cluster_id, name="Дні інновацій", start_date="2026-04-14",
                   end_date="2026-04-15"),
    )  # fmt: skip

    assert response.status_code == 302
    assert Event.objects.get(name="Дні інновацій").slug == "event-2026"


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("0001-01-01", "9999-12-31", "start_date", "Choose a date in the years 2000 to 2100."),
        ("2025-01-01", "2124-12-31", "end_date", "Choose a date in the years 2000 to 2100."),
        (
            "2025-12-03",
            "2026-01-03",
            "end_date",
            "An event lasts at most 31 days; split a longer one into several events.",
        ),
    ],
)
def test_event_edit_refuses_dates_out_of_bounds_and_saves_nothing(
    orga, event, start, end, field, message
):
    SessionFactory(event=event, start=at(event, 10), end=at(event, 11))
    before = db_state()

    response = orga.post(
        reverse("orga:event_edit", args=[event.slug]),
        event_data(name=event.name, slug=event.slug, start_date=start, end_date=end),
    )

    assert response.status_code == 200
    assert message in page_text(response)
    assert message in response.context["form"].errors[field]
    assert db_state() == before
    event.refresh_from_db()
    assert (event.start_date, event.end_date) == (date(2025, 12, 3), date(2025, 12, 4))


def test_event_edit_saves_changes_and_partners(orga, organiser, event):
    partner = OrganisationFactory(name="Oslo Cancer Cluster")

    response = orga.post(
        reverse("orga:event_edit", args=[event.slug]),
        event_data(name="Deep Dive Days", slug="deep-dive", partners=[partner.pk]),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("orga:event", args=["deep-dive"])
    event.refresh_from_db()
    assert (event.name, event.slug, event.city) == ("Deep Dive Days", "deep-dive", "Oslo")
    assert list(event.partners.all()) == [partner]
    entry = ActivityLogEntry.objects.get(action="events.event.update")
    assert entry.data["fields"] == ["city", "name", "slug", "venue_name"]  # only what changed


def test_event_edit_refuses_days_that_strand_sessions(orga, event):
    SessionFactory(
        event=event, title="Site visit", start=at(event, 10, day=1), end=at(event, 12, day=1)
    )
    before = db_state()

    response = orga.post(
        reverse("orga:event_edit", args=[event.slug]),
        event_data(name=event.name, slug=event.slug, end_date="2025-12-03"),
    )

    assert (
        "1 session would fall outside the event's days: “Site visit”. Move it first."
        in page_text(response)
    )
    assert db_state() == before
    event.refresh_from_db()
    assert event.end_date == date(2025, 12, 4)


def test_event_edit_new_time_zone_keeps_the_programme_at_its_local_times(orga, event):
    session = SessionFactory(event=event, title="Keynote", start=at(event, 10), end=at(event, 11))

    response = orga.post(
        reverse("orga:event_edit", args=[event.slug]),
        event_data(name=event.name, slug=event.slug, timezone="America/New_York"),
    )

    assert response.status_code == 302
    session.refresh_from_db()
    new_york = Event.objects.get(pk=event.pk).tzinfo
    assert session.start.astimezone(new_york).strftime("%H:%M") == "10:00"
    programme = page_text(orga.get(reverse("orga:sessions", args=[event.slug])))
    assert "10:00" in programme
    assert "04:00" not in programme


def test_event_edit_refuses_a_slug_in_use(orga, event):
    EventFactory(slug="taken")
    before = db_state()

    response = orga.post(
        reverse("orga:event_edit", args=[event.slug]), event_data(name=event.name, slug="taken")
    )

    assert "Another event already uses this short name." in page_text(response)
    assert db_state() == before


def test_event_overview_shows_status_counts_and_publish_button(orga, event):
    event.status = EventStatus.DRAFT
    event.save()
    parent = SessionFactory(event=event, start=at(event, 13), end=at(event, 15))
    SessionFactory(event=event, parent=parent, part_order=1, start=at(event, 13), end=at(event, 14))
    RoomFactory(event=event)

    text = page_text(orga.get(reverse("orga:event", args=[event.slug])))

    assert "Only your team can see this event." in text
    assert reverse("orga:event_publish", args=[event.slug]) in text
    assert "<strong>1</strong> session" in text
    assert "<strong>1</strong> part" in text
    assert "<strong>1</strong> room" in text
    assert "<strong>2</strong> days" in text


def test_event_publish_and_unpublish_change_status(orga, event):
    event.status = EventStatus.DRAFT
    event.save()

    response = orga.post(reverse("orga:event_publish", args=[event.slug]), follow=True)

    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert event.published_at is not None
    assert "Event published" in page_text(response)
    assert reverse("orga:event_unpublish", args=[event.slug]) in page_text(response)

    orga.post(reverse("orga:event_unpublish", args=[event.slug]))

    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT


# --- rooms ---------------------------------------------------------------------------------


def room_data(**overrides) -> dict:
    return {"name": "Auditorium", "capacity": "200", "address": "", "position": "0", **overrides}


def test_room_create_and_edit_write_through_the_services(orga, event):
    response = orga.post(reverse("orga:room_create", args=[event.slug]), room_data(), follow=True)

    room = Room.objects.get(event=event)
    assert (room.name, room.capacity, room.is_offsite) == ("Auditorium", 200, False)
    assert "Room saved." in page_text(response)

    orga.post(
        reverse("orga:room_edit", args=[event.slug, room.pk]),
        room_data(name="Hospital lab", is_offsite="on", address="Sognsvannsveien 20"),
    )

    room.refresh_from_db()
    assert (room.name, room.is_offsite, room.address) == (
        "Hospital lab",
        True,
        "Sognsvannsveien 20",
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"is_offsite": "on"}, "An off-site location needs an address."),
        ({"name": "Taken"}, "This event already has a room with this name."),
        ({"capacity": "-1"}, "Ensure this value is greater than or equal to 0."),
    ],
)
def test_room_create_refusal_shows_message_and_writes_nothing(orga, event, overrides, message):
    RoomFactory(event=event, name="Taken")
    before = db_state()

    response = orga.post(reverse("orga:room_create", args=[event.slug]), room_data(**overrides))

    assert message in page_text(response)
    assert db_state() == before


def test_room_edit_refuses_capacity_below_a_sessions_seats(orga, event):
    room = RoomFactory(event=event, capacity=100)
    SessionFactory(event=event, room=room, title="Module", capacity=40)
    before = db_state()

    response = orga.post(
        reverse("orga:room_edit", args=[event.slug, room.pk]),
        room_data(name=room.name, capacity="30"),
    )

    assert "“Module” in this room offers 40 seats; the room cannot hold fewer." in page_text(
        response
    )
    assert db_state() == before


def test_room_of_another_event_answers_404(orga, event):
    foreign = RoomFactory(name="Foreign")
    before = db_state()

    for name in ("room_edit", "room_delete"):
        url = reverse(f"orga:{name}", args=[event.slug, foreign.pk])
        assert orga.get(url).status_code == 404
        assert orga.post(url, room_data()).status_code == 404
    assert db_state() == before


def test_room_delete_asks_first_then_keeps_sessions_without_room(orga, event):
    room = RoomFactory(event=event, name="Auditorium")
    session = SessionFactory(event=event, room=room)
    url = reverse("orga:room_delete", args=[event.slug, room.pk])

    confirm = page_text(orga.get(url))
    assert "Delete “Auditorium”?" in confirm
    assert "1 session in this room stays on the programme without a room." in confirm
    assert Room.objects.filter(pk=room.pk).exists()

    orga.post(url)

    assert not Room.objects.filter(pk=room.pk).exists()
    assert Session.objects.get(pk=session.pk).room is None


def test_rooms_query_count_does_not_grow_with_rooms(orga, event):
    RoomFactory.create_batch(3, event=event)
    few = query_count(orga, reverse("orga:rooms", args=[event.slug]))
    RoomFactory.create_batch(27, event=event)
    assert query_count(orga, reverse("orga:rooms", args=[event.slug])) == few


# --- accounts ------------------------------------------------------------------------------


def test_login_page_uses_the_site_layout_and_logs_in_to_the_dashboard(client, organiser):
    page = page_text(client.get(reverse("account_login")))
    assert "clusterhub: ecosystem events that turn into partnerships." in page
    assert 'name="login"' in page

    response = client.post(
        reverse("account_login"), {"login": organiser.email, "password": PASSWORD}
    )

    assert response["Location"] == reverse("orga:dashboard")


def test_login_page_shows_a_wrong_password(client, organiser):
    response = client.post(
        reverse("account_login"), {"login": organiser.email, "password": "wrong"}
    )
    assert "The email address and/or password you specified are not correct." in page_text(response)


def test_logout_page_asks_in_the_site_layout(orga, organiser):
    page = page_text(orga.get(reverse("account_logout")))
    assert f"You are logged in as {organiser.email}. Log out now?" in page
    assert "clusterhub: ecosystem events that turn into partnerships." in page
