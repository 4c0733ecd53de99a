from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clusterhub.common.models import ActivityLogEntry
from clusterhub.events import services
from clusterhub.events.models import EventStatus, Session, SessionType
from tests.factories import (
    ClusterFactory,
    EventFactory,
    OrganisationFactory,
    PersonFactory,
    RoomFactory,
    SessionFactory,
    at,
)


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errs] for field, errs in exc.error_dict.items()}


def test_session_create_puts_session_on_programme_with_themes_and_log(event, organiser):
    room = RoomFactory(event=event)

    session = services.session_create(
        event=event, actor=organiser, title="Welcome", type=SessionType.PLENARY, room=room,
        start=at(event, 9), end=at(event, 9, 30), themes=["Crisis preparedness", "Oncology"],
    )  # fmt: skip

    assert Session.objects.get(pk=session.pk).room == room
    assert sorted(session.themes.values_list("slug", flat=True)) == [
        "crisis-preparedness",
        "oncology",
    ]
    entry = ActivityLogEntry.objects.get(action="events.session.create")
    assert (entry.actor, entry.event_id, entry.object_id) == (organiser, event.pk, str(session.pk))


def test_session_create_refuses_end_before_start(event, organiser):
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            event=event, actor=organiser, title="Backwards", start=at(event, 10), end=at(event, 9)
        )
    assert codes(exc.value) == {"end": ["end_before_start"]}
    assert not Session.objects.exists()


@pytest.mark.parametrize(
    ("day", "hour"),
    [(-1, 10), (2, 10)],  # the day before the event, the day after it
)
def test_session_create_refuses_session_outside_event_days(event, organiser, day, hour):
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            event=event,
            actor=organiser,
            title="Stray",
            start=at(event, hour, day=day),
            end=at(event, hour + 1, day=day),
        )
    assert codes(exc.value) == {"start": ["outside_event"]}
    assert "2025-12-03" in exc.value.message_dict["start"][0]


def test_session_create_accepts_session_ending_at_midnight_of_last_day(event, organiser):
    session = services.session_create(
        event=event, actor=organiser, title="Late", start=at(event, 23, day=1),
        end=at(event, 23, day=1) + timedelta(hours=1),
    )  # fmt: skip
    assert session.pk


def test_session_create_refuses_room_holding_two_overlapping_sessions(event, organiser):
    room = RoomFactory(event=event, name="Auditorium")
    SessionFactory(event=event, room=room, title="First", start=at(event, 10), end=at(event, 11))

    with pytest.raises(ValidationError) as exc:
        services.session_create(
            event=event, actor=organiser, title="Second", room=room,
            start=at(event, 10, 30), end=at(event, 11, 30),
        )  # fmt: skip

    assert codes(exc.value) == {"room": ["room_busy"]}
    assert "Auditorium is already taken by “First”" in exc.value.message_dict["room"][0]
    assert Session.objects.count() == 1


def test_session_create_allows_back_to_back_sessions_in_one_room(event, organiser):
    room = RoomFactory(event=event)
    SessionFactory(event=event, room=room, start=at(event, 10), end=at(event, 11))
    services.session_create(
        event=event, actor=organiser, title="Next", room=room, start=at(event, 11),
        end=at(event, 12),
    )  # fmt: skip
    assert Session.objects.filter(room=room).count() == 2


def test_session_create_refuses_room_of_another_event(event, organiser):
    foreign_room = RoomFactory()
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            event=event, actor=organiser, title="X", room=foreign_room, start=at(event, 10),
            end=at(event, 11),
        )  # fmt: skip
    assert codes(exc.value) == {"room": ["room_other_event"]}


def test_session_create_refuses_signup_without_seats_and_seats_beyond_room(event, organiser):
    room = RoomFactory(event=event, capacity=20)
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            event=event, actor=organiser, title="Module", signup_required=True,
            start=at(event, 10), end=at(event, 11),
        )  # fmt: skip
    assert codes(exc.value) == {"capacity": ["no_seats"]}
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            event=event, actor=organiser, title="Module", room=room, capacity=25,
            start=at(event, 10), end=at(event, 11),
        )  # fmt: skip
    assert codes(exc.value) == {"capacity": ["seats_exceed_room"]}


def test_parts_share_room_with_parent_and_number_themselves(event, organiser):
    room = RoomFactory(event=event)
    parent = services.session_create(
        event=event, actor=organiser, title="Joint Health Initiatives", room=room,
        type=SessionType.SESSION, start=at(event, 13), end=at(event, 16),
    )  # fmt: skip
    one = services.session_create(
        event=event, actor=organiser, title="Part 1", parent=parent, room=room,
        start=at(event, 13), end=at(event, 14, 30),
    )  # fmt: skip
    two = services.session_create(
        event=event, actor=organiser, title="Part 2", parent=parent, room=room,
        type=SessionType.PANEL, start=at(event, 14, 30), end=at(event, 16),
    )  # fmt: skip
    assert [p.part_order for p in (one, two)] == [1, 2]
    assert list(parent.parts.order_by("part_order")) == [one, two]


def test_part_must_stay_within_parent_and_parts_cannot_nest(event, organiser):
    parent = SessionFactory(event=event, start=at(event, 13), end=at(event, 15))
    part = SessionFactory(event=event, parent=parent, part_order=1, start=at(event, 13),
                          end=at(event, 14))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            event=event, actor=organiser, title="Late part", parent=parent,
            start=at(event, 14, 30), end=at(event, 15, 30),
        )  # fmt: skip
    assert codes(exc.value) == {"start": ["part_outside_parent"]}
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            event=event, actor=organiser, title="Sub-part", parent=part,
            start=at(event, 13), end=at(event, 13, 30),
        )  # fmt: skip
    assert codes(exc.value) == {"parent": ["nested_parts"]}
    with pytest.raises(ValidationError) as exc:
        services.session_update(session=parent, actor=organiser, end=at(event, 13, 30))
    assert codes(exc.value) == {"start": ["parts_outside"]}
    parent.refresh_from_db()
    assert parent.end == at(event, 15)


def test_session_role_add_refuses_person_in_two_overlapping_sessions(event, organiser):
    person = PersonFactory(first_name="Marine", last_name="Jeanmougin")
    first = SessionFactory(event=event, title="Welcome", start=at(event, 9), end=at(event, 10))
    second = SessionFactory(event=event, start=at(event, 9, 30), end=at(event, 10, 30))
    services.session_role_add(session=first, person=person, role="host", actor=organiser)

    with pytest.raises(ValidationError) as exc:
        services.session_role_add(session=second, person=person, role="speaker", actor=organiser)

    assert codes(exc.value) == {"person": ["person_busy"]}
    assert "Marine Jeanmougin is already in “Welcome”" in exc.value.message_dict["person"][0]
    assert second.roles.count() == 0


def test_session_role_add_allows_same_person_in_parent_and_part(event, organiser):
    person = PersonFactory()
    parent = SessionFactory(event=event, start=at(event, 13), end=at(event, 15))
    part = SessionFactory(event=event, parent=parent, part_order=1, start=at(event, 13),
                          end=at(event, 14))  # fmt: skip
    services.session_role_add(session=parent, person=person, role="moderator", actor=organiser)
    services.session_role_add(session=part, person=person, role="panelist", actor=organiser)
    assert person.session_roles.count() == 2


def test_session_role_add_refuses_duplicate_role(event, organiser):
    person, session = PersonFactory(), SessionFactory(event=event)
    services.session_role_add(session=session, person=person, role="speaker", actor=organiser)
    with pytest.raises(ValidationError) as exc:
        services.session_role_add(session=session, person=person, role="speaker", actor=organiser)
    assert codes(exc.value) == {"person": ["duplicate_role"]}


def test_session_update_refuses_moving_speaker_into_clash(event, organiser):
    person = PersonFactory()
    a = SessionFactory(event=event, start=at(event, 9), end=at(event, 10))
    b = SessionFactory(event=event, start=at(event, 11), end=at(event, 12))
    services.session_role_add(session=a, person=person, actor=organiser)
    services.session_role_add(session=b, person=person, actor=organiser)

    with pytest.raises(ValidationError) as exc:
        services.session_update(session=b, actor=organiser, start=at(event, 9, 30),
                                end=at(event, 10, 30))  # fmt: skip

    assert codes(exc.value) == {"start": ["person_busy"]}
    b.refresh_from_db()
    assert b.start == at(event, 11)


def test_event_update_refuses_dates_that_strand_sessions(event, organiser):
    SessionFactory(event=event, title="Site visit", start=at(event, 10, day=1),
                   end=at(event, 12, day=1))  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.event_update(event=event, actor=organiser, end_date=date(2025, 12, 3))
    assert exc.value.code == "sessions_outside_event"
    event.refresh_from_db()
    assert event.end_date == date(2025, 12, 4)


def test_event_create_refuses_unknown_timezone_and_reversed_days(organiser):
    cluster = ClusterFactory()
    with pytest.raises(ValidationError) as exc:
        services.event_create(
            cluster=cluster, actor=organiser, name="X", slug="x", start_date=date(2025, 12, 4),
            end_date=date(2025, 12, 3), timezone="Mars/Olympus",
        )  # fmt: skip
    assert set(exc.value.message_dict) == {"timezone", "end_date"}


def test_event_publish_and_unpublish(event, organiser):
    event.status = EventStatus.DRAFT
    event.save()
    services.event_publish(event=event, actor=organiser)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED
    assert event.published_at is not None
    services.event_unpublish(event=event, actor=organiser)
    event.refresh_from_db()
    assert event.status == EventStatus.DRAFT


def test_database_refuses_session_ending_before_start(db):
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(event=event, start=at(event, 10), end=at(event, 9))


def test_database_refuses_negative_room_capacity(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomFactory(capacity=-1)


def test_session_role_changes_bump_session_modification_time(event, organiser):
    session = SessionFactory(event=event)
    before = Session.objects.get(pk=session.pk).updated_at
    role = services.session_role_add(session=session, person=PersonFactory(), actor=organiser)
    added = Session.objects.get(pk=session.pk).updated_at
    services.session_role_remove(session_role=role, actor=organiser)
    removed = Session.objects.get(pk=session.pk).updated_at
    assert before < added < removed


def test_part_moved_to_another_session_is_numbered_after_its_parts(event, organiser):
    first = SessionFactory(event=event, start=at(event, 9), end=at(event, 12))
    second = SessionFactory(event=event, start=at(event, 13), end=at(event, 16))
    moving = SessionFactory(event=event, parent=first, part_order=1, start=at(event, 9),
                            end=at(event, 10))  # fmt: skip
    SessionFactory(event=event, parent=second, part_order=1, start=at(event, 13),
                   end=at(event, 14))  # fmt: skip

    services.session_update(
        session=moving, actor=organiser, parent=second, start=at(event, 14), end=at(event, 15)
    )

    moving.refresh_from_db()
    assert (moving.parent, moving.part_order) == (second, 2)


def test_event_slug_new_is_reserved(organiser):
    with pytest.raises(ValidationError) as exc:
        services.event_create(
            cluster=ClusterFactory(), actor=organiser, name="New", slug="new",
            start_date=date(2025, 12, 3), end_date=date(2025, 12, 3),
        )  # fmt: skip
    assert codes(exc.value) == {"slug": ["reserved_slug"]}


def test_event_slug_derived_from_the_name_new_avoids_the_reserved_slug(organiser):
    event = services.event_create(
        cluster=ClusterFactory(), actor=organiser, name="New", start_date=date(2025, 12, 3),
        end_date=date(2025, 12, 3),
    )  # fmt: skip
    assert event.slug == "new-2"


def test_event_update_logs_partner_changes_only_when_they_change(event, organiser):
    partner = OrganisationFactory()
    services.event_update(event=event, actor=organiser, partners=[partner])
    services.event_update(event=event, actor=organiser, partners=[partner], city="Oslo")
    logged = [
        e.data for e in ActivityLogEntry.objects.filter(action="events.event.update").order_by("id")
    ]
    assert logged == [{"fields": [], "partners": [partner.pk]}, {"fields": ["city"]}]
