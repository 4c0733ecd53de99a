"""Back-office forms on their own: what they accept, what they offer, how they pass service
refusals on. The pages that use them are tested in test_orga_views.py and test_orga_sessions.py."""

from datetime import UTC, date, datetime, time

import pytest

from clusterhub.common.models import ActivityLogEntry
from clusterhub.directory.models import ClusterRole
from clusterhub.events.forms import (
    EventForm,
    PersonCreateForm,
    RoomForm,
    SessionForm,
    SessionRoleForm,
)
from clusterhub.events.models import Session
from tests.events.orga_support import (
    session_data,
)
from tests.factories import (
    ClusterFactory,
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    UserFactory,
    at,
)


def test_session_form_reads_times_in_the_event_time_zone(event, organiser):
    event.timezone = "America/New_York"
    event.save()
    form = SessionForm(session_data(start_time="09:00", end_time="10:30"), event=event)

    assert form.is_valid(), form.errors
    session = form.save(actor=organiser)

    session.refresh_from_db()
    assert session.start == datetime(2025, 12, 3, 14, 0, tzinfo=UTC)
    assert session.end == datetime(2025, 12, 3, 15, 30, tzinfo=UTC)


def test_session_form_end_at_midnight_means_the_end_of_the_day(event, organiser):
    form = SessionForm(
        session_data(day="2025-12-04", start_time="22:00", end_time="00:00"), event=event
    )

    assert form.is_valid(), form.errors
    session = form.save(actor=organiser)

    assert (session.start, session.end) == (at(event, 22, day=1), at(event, 0, day=2))


def test_session_form_starts_from_the_session_in_local_time(event):
    session = SessionFactory(event=event, start=at(event, 9, day=1), end=at(event, 10, 15, day=1))
    session.themes.create(event=event, name="Oncology", slug="oncology")

    form = SessionForm(event=event, instance=session)

    assert form["day"].value() == "2025-12-04"
    assert (form["start_time"].value(), form["end_time"].value()) == (time(9), time(10, 15))
    assert form["themes"].value() == "Oncology"


def test_session_form_offers_only_this_events_rooms_and_top_level_sessions(event):
    mine = RoomFactory(event=event)
    RoomFactory()
    parent = SessionFactory(event=event, start=at(event, 13), end=at(event, 15))
    SessionFactory(event=event, parent=parent, part_order=1, start=at(event, 13), end=at(event, 14))
    SessionFactory()

    form = SessionForm(event=event, instance=SessionFactory(event=event))

    assert list(form.fields["room"].queryset) == [mine]
    assert list(form.fields["parent"].queryset) == [parent]
    assert [value for value, _label in form.fields["day"].choices] == [
        "2025-12-03",
        "2025-12-04",
    ]


def test_session_form_for_a_new_part_starts_where_the_parent_is(event):
    room = RoomFactory(event=event)
    parent = SessionFactory(event=event, room=room, start=at(event, 13), end=at(event, 15))

    form = SessionForm(event=event, parent=parent)

    assert form["parent"].value() == parent.pk
    assert form["room"].value() == room.pk
    assert (form["start_time"].value(), form["end_time"].value()) == (time(13), time(15))


def test_session_form_puts_service_refusals_on_the_time_fields(event, organiser):
    form = SessionForm(session_data(start_time="11:00", end_time="10:00"), event=event)

    assert form.is_valid()
    assert form.save(actor=organiser) is None

    assert form.errors == {"end_time": ["The session must end after it starts."]}
    assert form.errors.as_data()["end_time"][0].code == "end_before_start"
    assert not Session.objects.exists()


def test_session_form_refuses_a_time_the_clocks_skip(db):
    # On 30 March 2025 Oslo's clocks jump from 02:00 to 03:00.
    event = EventFactory(start_date=date(2025, 3, 30), end_date=date(2025, 3, 30))
    form = SessionForm(
        session_data(day="2025-03-30", start_time="02:15", end_time="02:45"), event=event
    )

    assert not form.is_valid()

    assert form.errors == {
        name: [
            f"{hhmm} does not exist on 30 March 2025 in Europe/Oslo: the clocks skip it when "
            "daylight saving time starts. Choose another time."
        ]
        for name, hhmm in (("start_time", "02:15"), ("end_time", "02:45"))
    }
    assert {e.code for errors in form.errors.as_data().values() for e in errors} == {
        "nonexistent_time"
    }
    assert not Session.objects.exists()


def test_session_form_accepts_the_times_around_the_skipped_hour(db, organiser):
    event = EventFactory(start_date=date(2025, 3, 30), end_date=date(2025, 3, 30))
    form = SessionForm(
        session_data(day="2025-03-30", start_time="01:30", end_time="03:30"), event=event
    )

    assert form.is_valid(), form.errors
    session = form.save(actor=organiser)

    assert (session.start, session.end) == (
        datetime(2025, 3, 30, 0, 30, tzinfo=UTC),
        datetime(2025, 3, 30, 1, 30, tzinfo=UTC),  # one hour: the clocks skipped one
    )


def test_session_form_takes_the_first_of_a_time_that_happens_twice(db, organiser):
    # On 26 October 2025 Oslo's clocks go back from 03:00 to 02:00: 02:30 happens twice.
    event = EventFactory(start_date=date(2025, 10, 26), end_date=date(2025, 10, 26))
    form = SessionForm(
        session_data(day="2025-10-26", start_time="02:30", end_time="02:45"), event=event
    )

    assert form.is_valid(), form.errors
    session = form.save(actor=organiser)

    session.refresh_from_db()  # in UTC: PEP 495 makes an ambiguous time unequal to any other
    assert (session.start, session.end) == (
        datetime(2025, 10, 26, 0, 30, tzinfo=UTC),  # 02:30 summer time (UTC+2)
        datetime(2025, 10, 26, 0, 45, tzinfo=UTC),
    )


def test_session_form_refused_edit_leaves_the_instance_as_stored(event, organiser):
    session = SessionFactory(event=event, title="Kept", start=at(event, 10), end=at(event, 11))
    form = SessionForm(
        session_data(title="Changed", start_time="12:00", end_time="11:00"),
        event=event,
        instance=session,
    )

    assert form.is_valid()
    assert form.save(actor=organiser) is None
    assert (session.title, session.start) == ("Kept", at(event, 10))


def test_session_form_renumbers_a_part_moved_to_another_parent(event, organiser):
    first = SessionFactory(event=event, start=at(event, 9), end=at(event, 12))
    second = SessionFactory(event=event, start=at(event, 13), end=at(event, 16))
    SessionFactory(event=event, parent=second, part_order=1, start=at(event, 13), end=at(event, 14))
    moving = SessionFactory(
        event=event, parent=first, part_order=1, start=at(event, 9), end=at(event, 10)
    )
    form = SessionForm(
        session_data(title="Moving", parent=second.pk, start_time="14:00", end_time="15:00"),
        event=event,
        instance=moving,
    )

    assert form.is_valid(), form.errors
    assert form.save(actor=organiser) is not None

    moving.refresh_from_db()
    assert (moving.parent, moving.part_order) == (second, 2)


def test_event_form_offers_only_clusters_the_user_organises(db):
    user = UserFactory()
    owned = MembershipFactory(user=user, role=ClusterRole.OWNER).cluster
    organised = MembershipFactory(user=user, role=ClusterRole.ORGANISER).cluster
    MembershipFactory(user=user, role=ClusterRole.CHECKIN)
    ClusterFactory()

    form = EventForm(user=user)

    assert set(form.fields["cluster"].queryset) == {owned, organised}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "timezone",
            "Europe/Atlantis",
            "“Europe/Atlantis” is not a known time zone (e.g. Europe/Oslo).",
        ),
        ("slug", "new", "“new” is reserved; choose another short name."),
    ],
)
def test_event_form_refuses_before_calling_the_service(event, organiser, field, value, message):
    data = {
        "cluster": event.cluster_id,
        "name": "X",
        "start_date": "2025-12-03",
        "end_date": "2025-12-03",
        "timezone": "Europe/Oslo",
        field: value,
    }

    form = EventForm(data, user=organiser)

    assert not form.is_valid()
    assert message in str(form.errors)


@pytest.mark.parametrize(("name", "slug"), [("New", "new-2"), ("Taken", "taken-2")])
def test_event_form_without_slug_saves_a_free_one_made_from_the_name(event, organiser, name, slug):
    EventFactory(slug="taken")
    data = {
        "cluster": event.cluster_id,
        "name": name,
        "slug": "",
        "start_date": "2025-12-03",
        "end_date": "2025-12-03",
        "timezone": "Europe/Oslo",
    }

    form = EventForm(data, user=organiser)

    assert form.is_valid(), form.errors
    assert form.save(actor=organiser).slug == slug


def test_event_form_edit_passes_only_changed_fields(event, organiser):
    partner = OrganisationFactory()
    form = EventForm(
        {
            "name": event.name,
            "slug": event.slug,
            "start_date": "2025-12-03",
            "end_date": "2025-12-04",
            "timezone": "Europe/Oslo",
            "city": "Bergen",
            "partners": [partner.pk],
        },
        user=organiser,
        instance=event,
    )

    assert form.is_valid(), form.errors
    assert form.save(actor=organiser) == event

    assert ActivityLogEntry.objects.get(action="events.event.update").data == {
        "fields": ["city"],
        "partners": [partner.pk],
    }
    assert list(event.partners.all()) == [partner]
    assert event.end_date == date(2025, 12, 4)


def test_room_form_shows_a_constraint_refusal_on_the_form(event, organiser):
    form = RoomForm({"name": "Lab", "is_offsite": "on", "position": "0"}, event=event)

    assert form.is_valid()
    assert form.save(actor=organiser) is None
    assert form.non_field_errors() == ["An off-site location needs an address."]


def test_session_role_form_prefers_the_chosen_person_over_the_typed_text(db):
    cluster = ClusterFactory()
    chosen = PersonFactory(contact_of=[cluster])
    typed = PersonFactory(email="typed@example.org", contact_of=[cluster])

    form = SessionRoleForm(
        {"role": "speaker", "person": chosen.pk, "find": typed.email}, cluster=cluster
    )

    assert form.is_valid()
    assert form.cleaned_data["person"] == chosen


def test_session_role_form_refuses_a_person_id_that_does_not_exist(db):
    form = SessionRoleForm({"role": "speaker", "person": 999_999}, cluster=ClusterFactory())

    assert not form.is_valid()
    assert form.errors["person"] == ["That person is no longer in the directory."]


def test_person_create_form_reuses_an_organisation_and_adds_one_otherwise(event, organiser):
    session = SessionFactory(event=event)
    forms = [
        PersonCreateForm(
            {
                "first_name": "A",
                "last_name": "One",
                "email": "",
                "organisation": org,
                "role": "speaker",
            }
        )
        for org in ("Brand New Org", "brand new org")
    ]

    roles = [form.save(session=session, actor=organiser) for form in forms if form.is_valid()]

    assert len(roles) == 2
    assert roles[0].person.organisation == roles[1].person.organisation
    assert roles[0].person.organisation.name == "Brand New Org"


def test_person_create_form_without_email_or_organisation(event, organiser):
    form = PersonCreateForm({"first_name": "Kari", "last_name": "Nordmann", "role": "host"})

    assert form.is_valid(), form.errors
    role = form.save(session=SessionFactory(event=event), actor=organiser)

    assert (role.person.email, role.person.organisation, role.role) == ("", None, "host")


def test_event_form_for_another_users_cluster_is_invalid(db):
    user = MembershipFactory().user
    other = EventFactory()

    form = EventForm(
        {
            "cluster": other.cluster_id,
            "name": "X",
            "start_date": "2025-12-03",
            "end_date": "2025-12-03",
            "timezone": "Europe/Oslo",
        },
        user=user,
    )

    assert not form.is_valid()
    assert "cluster" in form.errors
