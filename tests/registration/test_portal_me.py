from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusterhub.registration.models import (
    Answer,
    Registration,
    RegistrationStatus,
    SignUp,
    SignUpStatus,
)
from tests.factories import (
    EventFactory,
    QuestionFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    SignUpFactory,
    at,
)
from tests.registration.portal_support import db_state, page_text, portal_url, registered

pytestmark = pytest.mark.django_db


def test_me_shows_status_ticket_answers_consents_badge_and_calendar(client, event):
    me = registered(client, event, ticket_type__name="Trainee",
                    consent_photos_at=timezone.now())  # fmt: skip
    Answer.objects.create(
        registration=me,
        value=["AI", "Oncology"],
        question=QuestionFactory(event=event, label="Topics", kind="multiple"),
    )
    Answer.objects.create(
        registration=me,
        value=True,
        question=QuestionFactory(event=event, label="Dinner?", kind="yesno"),
    )

    response = client.get(portal_url("me", event))

    text = page_text(response)
    assert response.status_code == 200
    assert me.person.full_name in text
    assert "Confirmed" in text
    assert "Trainee" in text
    assert '<th scope="row">Topics</th><td>AI, Oncology</td>' in text
    assert '<th scope="row">Dinner?</th><td>Yes</td>' in text
    assert "Privacy notice accepted on" in text
    assert "Profile shown for matchmaking: no" in text
    assert "Photos: agreed on" in text
    assert portal_url("badge", event) in text
    assert f"http://testserver/calendar/{me.calendar_token}.ics" in text
    assert f"webcal://testserver/calendar/{me.calendar_token}.ics" in text
    assert "Revoke and make a new address" in text


def test_me_pending_has_no_badge_and_no_signup_buttons(client, event):
    SessionFactory(event=event, title="Module 1", capacity=5, signup_required=True)
    registered(client, event, status=RegistrationStatus.PENDING)

    text = page_text(client.get(portal_url("me", event)))

    assert "Awaiting approval" in text
    assert portal_url("badge", event) not in text
    assert "You can sign up once your registration is confirmed." in text
    assert ">Sign up</button>" not in text


def test_me_lists_seats_left_and_the_right_button(client, event):
    open_module = SessionFactory(event=event, title="Open module", capacity=3,
                                 signup_required=True)  # fmt: skip
    full_visit = SessionFactory(
        event=event,
        title="SINTEF visit",
        capacity=1,
        signup_required=True,
        start=at(event, 14),
        end=at(event, 16),
    )
    SignUpFactory(registration=RegistrationFactory(event=event), session=full_visit)
    SignUpFactory(registration=RegistrationFactory(event=event), session=full_visit,
                  status=SignUpStatus.WAITLISTED)  # fmt: skip
    registered(client, event)

    response = client.get(portal_url("me", event))

    offers = {o.session.title: (o.seats_left, o.full) for o in response.context["offers"]}
    assert offers == {"Open module": (3, False), "SINTEF visit": (0, True)}
    text = page_text(response)
    assert "3 of 3 left" in text
    assert "Full · 1 waiting" in text
    assert portal_url("signup", event, open_module.pk) in text
    assert ">Join the waitlist</button>" in text


def test_me_agenda_has_my_seats_waitlist_and_roles_in_time_order(client, event):
    room = RoomFactory(event=event, name="Auditorium")
    me = registered(client, event)
    late = SessionFactory(event=event, title="Module B", capacity=1, signup_required=True,
                          start=at(event, 15), end=at(event, 16))  # fmt: skip
    early = SessionFactory(event=event, title="Module A", capacity=5, signup_required=True,
                           start=at(event, 9), end=at(event, 10), room=room)  # fmt: skip
    panel = SessionFactory(event=event, title="Panel", start=at(event, 11, day=1),
                           end=at(event, 12, day=1))  # fmt: skip
    SessionRoleFactory(session=panel, person=me.person, role="panelist")
    SessionFactory(event=event, title="Not mine")
    SignUpFactory(registration=RegistrationFactory(event=event), session=late)
    SignUpFactory(registration=me, session=late, status=SignUpStatus.WAITLISTED)
    SignUpFactory(registration=me, session=early)

    response = client.get(portal_url("me", event))

    days = response.context["agenda_days"]
    assert [(day, [s.title for s, _ in items]) for day, items in days] == [
        (event.start_date, ["Module A", "Module B"]),
        (event.start_date + timedelta(days=1), ["Panel"]),
    ]
    text = page_text(response)
    assert "09:00–10:00" in text  # event time, not UTC
    assert "On the programme" in text
    assert "Not mine" not in text


def test_me_without_registration_goes_to_the_form(client, event, django_user_model):
    client.force_login(django_user_model.objects.create_user("new@example.org", "x"))
    assert client.get(portal_url("me", event))["Location"] == portal_url("register", event)


def test_me_is_404_on_a_draft_event_even_for_a_registered_person(client, event):
    registered(client, event)
    event.status = "draft"
    event.save()
    for name in ("me", "badge", "register"):
        assert client.get(portal_url(name, event)).status_code == 404
    assert client.post(portal_url("cancel", event)).status_code == 404


def test_me_shows_only_my_registration_of_this_event(client, event):
    mine = registered(client, event)
    other_event = EventFactory()
    RegistrationFactory(event=other_event, person=mine.person, ticket_type__name="Elsewhere")
    stranger = RegistrationFactory(event=event)

    text = page_text(client.get(portal_url("me", event)))

    assert "Elsewhere" not in text
    assert stranger.person.full_name not in text
    assert stranger.calendar_token not in text


def test_cancel_registration_releases_seats_and_goes_back_to_the_event(client, event):
    module = SessionFactory(event=event, capacity=1, signup_required=True)
    me = registered(client, event)
    SignUpFactory(registration=me, session=module)
    waiting = SignUpFactory(registration=RegistrationFactory(event=event), session=module,
                            status=SignUpStatus.WAITLISTED)  # fmt: skip

    response = client.post(portal_url("cancel", event), follow=True)

    assert response.redirect_chain == [(reverse("public:event", args=[event.slug]), 302)]
    assert "Your registration is cancelled." in page_text(response)
    assert Registration.objects.get(pk=me.pk).status == RegistrationStatus.CANCELLED
    assert SignUp.objects.get(pk=waiting.pk).status == SignUpStatus.CONFIRMED


def test_cancel_is_post_only_and_404_without_registration(client, event):
    registered(client, event)
    assert client.get(portal_url("cancel", event)).status_code == 405
    client.post(portal_url("cancel", event))
    before = db_state()
    assert client.post(portal_url("cancel", event)).status_code == 404
    assert db_state() == before


def _me_queries(client, event, n: int) -> int:
    me = registered(client, event)
    for i in range(n):
        session = SessionFactory(
            event=event, capacity=2, signup_required=True,
            room=RoomFactory(event=event), start=at(event, 8 + i % 10, day=i // 10),
        )  # fmt: skip
        SignUpFactory(registration=RegistrationFactory(event=event), session=session)
        status = SignUpStatus.WAITLISTED if i % 2 else SignUpStatus.CONFIRMED
        SignUpFactory(registration=me, session=session, status=status)
        SessionRoleFactory(session=SessionFactory(event=event), person=me.person)
    Answer.objects.create(registration=me, question=QuestionFactory(event=event), value="x")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(portal_url("me", event))
    assert response.status_code == 200
    assert len(response.context["signups"]) == n
    return len(queries)


def test_me_query_count_does_not_grow_with_signups(client):
    counts = [_me_queries(client, EventFactory(), n) for n in (2, 10)]
    # event, session, user, registration, my sign-ups (with positions), sessions with seats,
    # agenda sign-ups, agenda roles, answers, meetings (the matchmaking agenda provider)
    assert counts == [10, 10]
