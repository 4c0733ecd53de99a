import pytest
from django.test import Client
from django.urls import reverse

from clusterhub.registration.models import RegistrationStatus, SignUp, SignUpStatus
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    SignUpFactory,
    at,
)
from tests.registration.portal_support import db_state, page_text, portal_url, registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def module(event):
    return SessionFactory(event=event, title="EU funding for clusters", type="training",
                          capacity=1, signup_required=True, start=at(event, 9),
                          end=at(event, 10))  # fmt: skip


def status_of(registration, session):
    return SignUp.objects.filter(registration=registration, session=session).values_list(
        "status", flat=True
    ).first()  # fmt: skip


def test_signup_takes_the_seat_then_the_next_person_is_waitlisted(client, event, module):
    ada = registered(client, event)
    response = client.post(portal_url("signup", event, module.pk), follow=True)
    assert "You have a seat in “EU funding for clusters”." in page_text(response)
    assert status_of(ada, module) == SignUpStatus.CONFIRMED

    other = Client()
    bo = registered(other, event)
    response = other.post(portal_url("signup", event, module.pk), follow=True)

    text = page_text(response)
    assert "“EU funding for clusters” is full: you are number 1 on the waitlist." in text
    assert "Waitlist: number 1" in text
    assert status_of(bo, module) == SignUpStatus.WAITLISTED


def test_signup_cancel_frees_the_seat_for_the_first_waiting(client, event, module):
    ada = registered(client, event)
    mine = SignUpFactory(registration=ada, session=module)
    waiting = [
        SignUpFactory(registration=RegistrationFactory(event=event), session=module,
                      status=SignUpStatus.WAITLISTED)
        for _ in range(2)
    ]  # fmt: skip

    response = client.post(portal_url("signup_cancel", event, mine.pk), follow=True)

    assert "You gave up your seat in “EU funding for clusters”." in page_text(response)
    assert not SignUp.objects.filter(pk=mine.pk).exists()
    assert SignUp.objects.get(pk=waiting[0].pk).status == SignUpStatus.CONFIRMED
    assert SignUp.objects.get(pk=waiting[1].pk).status == SignUpStatus.WAITLISTED


def test_my_page_shows_waitlist_positions_that_move_up(client, event, module):
    SignUpFactory(registration=RegistrationFactory(event=event), session=module)
    ahead = SignUpFactory(registration=RegistrationFactory(event=event), session=module,
                          status=SignUpStatus.WAITLISTED)  # fmt: skip
    me = registered(client, event)
    SignUpFactory(registration=me, session=module, status=SignUpStatus.WAITLISTED)
    assert "Waitlist: number 2" in page_text(client.get(portal_url("me", event)))

    SignUp.objects.filter(pk=ahead.pk).delete()

    assert "Waitlist: number 1" in page_text(client.get(portal_url("me", event)))


def test_leaving_the_waitlist_says_so(client, event, module):
    SignUpFactory(registration=RegistrationFactory(event=event), session=module)
    me = registered(client, event)
    mine = SignUpFactory(registration=me, session=module, status=SignUpStatus.WAITLISTED)

    response = client.post(portal_url("signup_cancel", event, mine.pk), follow=True)

    assert "You left the waitlist of “EU funding for clusters”." in page_text(response)
    assert not SignUp.objects.filter(registration=me).exists()


def test_signup_refusals_show_the_services_message(client, event, module):
    clash = SessionFactory(event=event, title="Site visit", capacity=5, signup_required=True,
                           start=at(event, 9, 30), end=at(event, 11))  # fmt: skip
    me = registered(client, event)
    SignUpFactory(registration=me, session=module)
    before = db_state()

    response = client.post(portal_url("signup", event, clash.pk), follow=True)

    assert "You are already signed up for “EU funding for clusters” at the same time" in (
        page_text(response)
    )
    assert db_state() == before


def test_signup_needs_a_confirmed_registration(client, event, module):
    registered(client, event, status=RegistrationStatus.PENDING)
    before = db_state()

    response = client.post(portal_url("signup", event, module.pk), follow=True)

    assert "Your registration is not confirmed yet." in page_text(response)
    assert db_state() == before


def test_signup_for_another_events_or_an_open_session_is_404(client, event, module):
    registered(client, event)
    elsewhere = SessionFactory(event=EventFactory(), capacity=5, signup_required=True)
    plenary = SessionFactory(event=event)
    before = db_state()

    assert client.post(portal_url("signup", event, elsewhere.pk)).status_code == 404
    assert client.post(portal_url("signup", event, plenary.pk)).status_code == 404
    assert db_state() == before


def test_cancelling_another_persons_signup_is_404_and_changes_nothing(client, event, module):
    theirs = SignUpFactory(registration=RegistrationFactory(event=event), session=module)
    registered(client, event)
    before = db_state()

    response = client.post(portal_url("signup_cancel", event, theirs.pk))

    assert response.status_code == 404
    assert b"EU funding" not in response.content
    assert db_state() == before


def test_signup_is_post_only_and_needs_a_login(client, event, module):
    anonymous = client.post(portal_url("signup", event, module.pk))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/?next=")

    registered(client, event)
    assert client.get(portal_url("signup", event, module.pk)).status_code == 405
    assert not SignUp.objects.exists()


def test_signup_without_registration_is_404(client, event, module, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody@example.org", "x"))
    assert client.post(portal_url("signup", event, module.pk)).status_code == 404


def test_signup_redirects_back_to_a_safe_next_only(client, event, module):
    me = registered(client, event)
    session_page = reverse("public:session", args=[event.slug, module.pk])
    response = client.post(portal_url("signup", event, module.pk), {"next": session_page})
    assert response["Location"] == session_page

    client.post(portal_url("signup_cancel", event, me.signups.get().pk))
    response = client.post(
        portal_url("signup", event, module.pk), {"next": "https://evil.example/"}
    )
    assert response["Location"] == portal_url("me", event)


# --- the box on the public session page ------------------------------------------------------


def test_session_page_loads_the_box_only_for_sessions_with_signup(client, event, module):
    plenary = SessionFactory(event=event, title="Welcome")
    box = portal_url("signup_box", event, module.pk)

    assert f'hx-get="{box}"' in page_text(
        client.get(reverse("public:session", args=[event.slug, module.pk]))
    )
    assert "signup-box" not in page_text(
        client.get(reverse("public:session", args=[event.slug, plenary.pk]))
    )


def test_signup_box_for_a_visitor_shows_seats_and_a_login_link(client, event, module):
    response = client.get(portal_url("signup_box", event, module.pk))

    text = page_text(response)
    assert response.status_code == 200
    assert "1 of 1 seat left" in text
    assert "Log in to sign up" in text
    assert "/accounts/login/?next=" in text


def test_signup_box_for_an_unregistered_user_links_to_registration(client, event, module):
    registered(client, EventFactory())  # registered elsewhere only
    text = page_text(client.get(portal_url("signup_box", event, module.pk)))
    assert "Register for the event to sign up" in text


def test_signup_box_htmx_signup_swaps_in_the_new_state(client, event, module):
    me = registered(client, event)
    text = page_text(client.get(portal_url("signup_box", event, module.pk)))
    assert ">Sign up</button>" in text

    response = client.post(portal_url("signup", event, module.pk), HTTP_HX_REQUEST="true")

    text = page_text(response)
    assert response.status_code == 200
    assert "You have a seat in “EU funding for clusters”." in text
    assert "Full · 0 people on the waitlist" in text
    assert "Give up my seat" in text
    assert "<html" not in text  # a fragment
    assert status_of(me, module) == SignUpStatus.CONFIRMED


def test_signup_box_shows_my_waitlist_place_and_a_refusal_inline(client, event, module):
    SignUpFactory(registration=RegistrationFactory(event=event), session=module)
    me = registered(client, event)
    SignUpFactory(registration=me, session=module, status=SignUpStatus.WAITLISTED)

    text = page_text(client.get(portal_url("signup_box", event, module.pk)))
    assert "You are number 1 on the waitlist." in text
    assert "Leave the waitlist" in text

    response = client.post(portal_url("signup", event, module.pk), HTTP_HX_REQUEST="true")
    assert "You are already signed up for this session." in page_text(response)


def test_signup_box_of_a_draft_or_another_events_session_is_404(client, event, module):
    elsewhere = SessionFactory(event=EventFactory(), capacity=5, signup_required=True)
    assert client.get(portal_url("signup_box", event, elsewhere.pk)).status_code == 404
    event.status = "draft"
    event.save()
    assert client.get(portal_url("signup_box", event, module.pk)).status_code == 404
