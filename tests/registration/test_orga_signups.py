"""Sign-up administration through its pages: the sessions with seats and queues, one
session's confirmed list and waitlist, capacity, moving, removing and adding people."""

import pytest
from django.urls import reverse

from clusterhub.common.models import OutboxMessage
from clusterhub.registration import services
from clusterhub.registration.models import RegistrationStatus, SignUp
from tests.events.orga_support import page_text
from tests.factories import EventFactory, RoomFactory, SessionFactory, at
from tests.registration.orga_support import queries, registered, registration_state


@pytest.fixture
def orga(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def visit(event):
    return SessionFactory(event=event, title="SINTEF visit", type="site_visit", capacity=2,
                          signup_required=True, start=at(event, 14), end=at(event, 16))  # fmt: skip


@pytest.fixture
def module(event):
    return SessionFactory(event=event, title="Module 2", type="training", capacity=5,
                          signup_required=True, start=at(event, 9), end=at(event, 10))  # fmt: skip


def queue(event, session, names: list[str]) -> list:
    """Sign up people in this order (the first `capacity` get seats)."""
    signups = []
    for name in names:
        registration = registered(event, first=name, last="Test")
        signups.append(services.signup_create(registration=registration, session=session,
                                              actor=None))  # fmt: skip
    return signups


def statuses(session) -> list[tuple[str, str]]:
    return list(
        SignUp.objects.filter(session=session)
        .order_by("status", "created_at", "id")  # "confirmed" sorts before "waitlisted"
        .values_list("registration__person__first_name", "status")
    )


def session_url(event, session, name="signup_session", *extra) -> str:
    return reverse(f"orga_registration:{name}", args=[event.slug, session.pk, *extra])


def test_signups_lists_sessions_needing_signup_with_counts(orga, event, visit, module):
    queue(event, visit, ["Ada", "Bo", "Cy"])
    SessionFactory(event=event, title="Keynote")  # no sign-up: not listed
    SessionFactory(event=EventFactory(), title="Secret module", capacity=3, signup_required=True)

    response = orga.get(reverse("orga_registration:signups", args=[event.slug]))

    rows = {s.title: (s.capacity, s.confirmed, s.free, s.waitlisted)
            for s in response.context["sessions"]}  # fmt: skip
    assert rows == {"Module 2": (5, 0, 5, 0), "SINTEF visit": (2, 2, 0, 1)}
    text = page_text(response)
    assert "Keynote" not in text
    assert "Secret module" not in text


def test_signup_session_shows_confirmed_then_waitlist_in_order(orga, event, visit):
    queue(event, visit, ["Ada", "Bo", "Cy", "Di"])

    response = orga.get(session_url(event, visit))

    names = lambda rows: [s.registration.person.first_name for s in rows]  # noqa: E731
    assert names(response.context["confirmed"]) == ["Ada", "Bo"]
    assert names(response.context["waitlist"]) == ["Cy", "Di"]
    assert response.context["free"] == 0


def test_signup_session_of_another_event_answers_404(orga, event):
    foreign = SessionFactory(event=EventFactory(), capacity=3, signup_required=True)
    plain = SessionFactory(event=event, title="No sign-up")

    assert orga.get(session_url(event, foreign)).status_code == 404
    assert orga.get(session_url(event, plain)).status_code == 404


def test_capacity_raise_promotes_the_first_waitlisted_and_mails_them(orga, event, visit):
    queue(event, visit, ["Ada", "Bo", "Cy", "Di"])

    response = orga.post(session_url(event, visit, "signup_capacity"), {"capacity": "3"})

    assert response.status_code == 302
    assert statuses(visit) == [("Ada", "confirmed"), ("Bo", "confirmed"), ("Cy", "confirmed"),
                               ("Di", "waitlisted")]  # fmt: skip
    visit.refresh_from_db()
    assert visit.capacity == 3
    mail = OutboxMessage.objects.get()
    assert mail.to.startswith("p")
    assert mail.subject == "You have a seat: SINTEF visit"
    assert SignUp.objects.get(registration__person__first_name="Cy").promoted_at is not None
    text = page_text(orga.get(response["Location"]))
    assert "1 person promoted from the waitlist and told by email: Cy Test." in text


def test_capacity_below_the_seats_taken_is_refused_with_a_message(orga, event, visit):
    queue(event, visit, ["Ada", "Bo", "Cy"])
    before = registration_state()

    response = orga.post(session_url(event, visit, "signup_capacity"), {"capacity": "1"})

    assert response.status_code == 400
    assert "2 people already have a seat; cancel or move some first." in page_text(response)
    assert registration_state() == before
    visit.refresh_from_db()
    assert visit.capacity == 2


def test_capacity_above_the_room_is_refused(orga, event, visit):
    visit.room = RoomFactory(event=event, name="Bus", capacity=3)
    visit.save()

    response = orga.post(session_url(event, visit, "signup_capacity"), {"capacity": "10"})

    assert response.status_code == 400
    assert "Bus holds 3 people; the session cannot offer 10 seats." in page_text(response)


def test_move_gives_the_left_seat_to_the_next_in_line(orga, event, visit, module):
    ada, _bo, _cy = queue(event, visit, ["Ada", "Bo", "Cy"])

    response = orga.post(session_url(event, visit, "signup_move", ada.pk),
                         {"to_session": module.pk})  # fmt: skip

    assert response.status_code == 302
    assert statuses(visit) == [("Bo", "confirmed"), ("Cy", "confirmed")]
    assert statuses(module) == [("Ada", "confirmed")]
    assert "Ada Test moved to “Module 2”, with a seat." in page_text(orga.get(response["Location"]))


def test_move_into_a_session_clashing_with_another_signup_is_refused(orga, event, visit, module):
    early = SessionFactory(event=event, title="Early panel", capacity=5, signup_required=True,
                           start=at(event, 9, 30), end=at(event, 10, 30))  # fmt: skip
    ada, *_ = queue(event, visit, ["Ada", "Bo", "Cy"])
    services.signup_create(registration=ada.registration, session=module, actor=None)
    before = registration_state()

    response = orga.post(session_url(event, visit, "signup_move", ada.pk),
                         {"to_session": early.pk})  # fmt: skip

    assert response.status_code == 400
    assert "You are already signed up for “Module 2” at the same time" in page_text(response)
    assert registration_state() == before  # Ada keeps her seat; Cy still waits


def test_move_to_another_events_session_is_refused(orga, event, visit):
    ada, *_ = queue(event, visit, ["Ada"])
    foreign = SessionFactory(event=EventFactory(), capacity=5, signup_required=True)

    response = orga.post(session_url(event, visit, "signup_move", ada.pk),
                         {"to_session": foreign.pk})  # fmt: skip

    assert response.status_code == 400
    assert "Choose another session of this event that needs sign-up." in page_text(response)
    assert SignUp.objects.get(pk=ada.pk).session == visit


def test_remove_frees_the_seat_for_the_first_waitlisted(orga, event, visit):
    ada, *_ = queue(event, visit, ["Ada", "Bo", "Cy"])

    response = orga.post(session_url(event, visit, "signup_remove", ada.pk))

    assert response.status_code == 302
    assert statuses(visit) == [("Bo", "confirmed"), ("Cy", "confirmed")]
    assert OutboxMessage.objects.get().subject == "You have a seat: SINTEF visit"


def test_remove_answers_404_for_a_signup_of_another_session(orga, event, visit, module):
    (other,) = queue(event, module, ["Ada"])

    response = orga.post(session_url(event, visit, "signup_remove", other.pk))

    assert response.status_code == 404
    assert SignUp.objects.filter(pk=other.pk).exists()


def test_add_signs_up_a_registered_person_or_waitlists_when_full(orga, event, visit):
    queue(event, visit, ["Ada", "Bo"])
    eve = registered(event, first="Eve", last="Late")

    response = orga.post(session_url(event, visit, "signup_add"), {"registration": eve.pk})

    assert response.status_code == 302
    assert statuses(visit)[-1] == ("Eve", "waitlisted")
    text = page_text(orga.get(response["Location"]))
    assert "The session is full: Eve Late is on the waitlist." in text


@pytest.mark.parametrize("case", ["pending", "other_event", "missing"])
def test_add_refuses_who_cannot_sign_up(orga, event, visit, case):
    if case == "pending":
        pk = registered(event, first="Pat", status=RegistrationStatus.PENDING).pk
        message = "Your registration is not confirmed yet."
    elif case == "other_event":
        pk = registered(EventFactory(), first="Oz").pk
        message = "Pick a person registered for this event."
    else:
        pk = ""
        message = "Search for a registered person and pick them."
    before = registration_state()

    response = orga.post(session_url(event, visit, "signup_add"), {"registration": pk})

    assert response.status_code == 400
    assert message in page_text(response)
    assert registration_state() == before


def test_add_search_finds_confirmed_people_not_signed_up_here(orga, event, visit):
    (ada,) = queue(event, visit, ["Ada"])
    registered(event, first="Adam", last="Smith")
    registered(event, first="Adele", last="Pending", status=RegistrationStatus.PENDING)
    registered(EventFactory(), first="Adrian", last="Elsewhere")

    response = orga.get(session_url(event, visit, "signup_search") + "?find=ad")

    text = page_text(response)
    assert response.status_code == 200
    assert "Adam Smith" in text
    assert f'value="{ada.registration_id}"' not in text
    assert "Adele" not in text
    assert "Adrian" not in text
    assert "Type at least two letters." in page_text(
        orga.get(session_url(event, visit, "signup_search") + "?find=a")
    )


def test_signup_pages_query_count_does_not_grow(orga, event, visit, module):
    queue(event, visit, ["A", "B", "C", "D", "E"])
    few = (queries(orga, session_url(event, visit)),
           queries(orga, reverse("orga_registration:signups", args=[event.slug])))  # fmt: skip
    queue(event, visit, [f"N{i}" for i in range(25)])
    for i in range(3):
        SessionFactory(event=event, capacity=4, signup_required=True, title=f"Extra {i}")

    many = (queries(orga, session_url(event, visit)),
            queries(orga, reverse("orga_registration:signups", args=[event.slug])))  # fmt: skip

    assert few == many
