"""Who may open which address of registration's back office. Every URL name of the
`orga_registration` namespace is listed here; a test fails if one is added without it.

The rules are events' (`event_view`): anonymous → login; outside the host cluster's team → 404
on every address and method, with nothing written and nothing shown; check-in staff may use
the desk, and get 403 elsewhere (they know the event, a plain "not allowed" says more)."""

import pytest
from django.urls import URLPattern, reverse

from clusterhub.common.models import OutboxMessage
from clusterhub.directory.models import ClusterRole
from clusterhub.events.models import EventStatus
from clusterhub.registration.models import (
    CheckIn,
    Question,
    QuestionKind,
    RegistrationStatus,
    SignUp,
    SignUpStatus,
)
from clusterhub.registration.urls import orga as orga_urls
from tests.events.orga_support import db_state, page_text
from tests.factories import (
    EventFactory,
    MembershipFactory,
    SessionFactory,
    TicketTypeFactory,
    at,
)
from tests.registration.orga_support import badge, registered, registration_state

SECRETS = ("Confidential Summit", "Hidden Person", "Secret Module", "Secret Ticket",
           "Secret Question", "Hidden Org")  # fmt: skip
DESK = ["checkin", "checkin_scan", "checkin_search", "checkin_counters"]
MANAGE = [
    "registrations",
    "registration_detail",
    "registration_approve",
    "registration_reject",
    "registration_cancel",
    "registrations_csv",
    "registrations_xlsx",
    "badges_pdf",
    "settings",
    "ticket_type_create",
    "ticket_type_edit",
    "ticket_type_delete",
    "question_create",
    "question_edit",
    "question_delete",
    "signups",
    "signup_session",
    "signup_capacity",
    "signup_add",
    "signup_search",
    "signup_move",
    "signup_remove",
]
ALL = MANAGE + DESK


@pytest.fixture
def target(db):
    """An event of cluster A with a ticket type, a question, a pending registration with a
    seat in a module, and another person on its waitlist."""
    event = EventFactory(name="Confidential Summit", status=EventStatus.DRAFT)
    ticket = TicketTypeFactory(event=event, name="Secret Ticket")
    question = Question.objects.create(event=event, label="Secret Question",
                                       kind=QuestionKind.TEXT)  # fmt: skip
    module = SessionFactory(event=event, title="Secret Module", capacity=1, signup_required=True,
                            start=at(event, 9), end=at(event, 10))  # fmt: skip
    other = SessionFactory(event=event, title="Secret Module 2", capacity=5, signup_required=True,
                           start=at(event, 11), end=at(event, 12))  # fmt: skip
    person = registered(event, first="Hidden", last="Person", org="Hidden Org",
                        ticket_type=ticket)  # fmt: skip
    signup = SignUp.objects.create(registration=person, session=module,
                                   status=SignUpStatus.CONFIRMED)  # fmt: skip
    pending = registered(event, first="Hidden", last="Pending", org="Hidden Org",
                         status=RegistrationStatus.PENDING)  # fmt: skip
    SignUp.objects.create(registration=pending, session=other, status=SignUpStatus.WAITLISTED)
    return {"event": event, "ticket": ticket, "question": question, "module": module,
            "other": other, "person": person, "pending": pending, "signup": signup}  # fmt: skip


def url_args(name: str, t: dict) -> list:
    slug = t["event"].slug
    return {
        "registration_detail": [slug, t["person"].pk],
        "registration_approve": [slug, t["pending"].pk],
        "registration_reject": [slug, t["pending"].pk],
        "registration_cancel": [slug, t["person"].pk],
        "ticket_type_edit": [slug, t["ticket"].pk],
        "ticket_type_delete": [slug, t["ticket"].pk],
        "question_edit": [slug, t["question"].pk],
        "question_delete": [slug, t["question"].pk],
        "signup_session": [slug, t["module"].pk],
        "signup_capacity": [slug, t["module"].pk],
        "signup_add": [slug, t["module"].pk],
        "signup_search": [slug, t["module"].pk],
        "signup_move": [slug, t["module"].pk, t["signup"].pk],
        "signup_remove": [slug, t["module"].pk, t["signup"].pk],
    }.get(name, [slug])


def payload(t: dict) -> dict:
    """A post every form here would accept: if a guard failed, something would be written."""
    return {
        "name": "Injected", "label": "Injected", "kind": "text", "position": "0",
        "capacity": "3", "opens_at": "", "closes_at": "", "privacy_notice": "Injected",
        "registration": t["pending"].pk, "to_session": t["other"].pk,
        "code": badge(t["person"]), "place": "door", "method": "scan",
        "q": "Hidden", "find": "Hidden",
    }  # fmt: skip


def state() -> tuple:
    return (*registration_state(), db_state())


def test_permission_tests_cover_every_url_name():
    names = {p.name for p in orga_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(ALL)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ALL)
def test_anonymous_is_sent_to_login(client, target, name, method):
    before = state()

    response = getattr(client, method)(
        reverse(f"orga_registration:{name}", args=url_args(name, target)), payload(target)
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert state() == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", ALL)
def test_organiser_of_another_cluster_gets_404_and_sees_nothing(client, target, name, method):
    outsider = MembershipFactory(role=ClusterRole.OWNER).user
    own = EventFactory(cluster=outsider.cluster_memberships.get().cluster, name="Their Own")
    registered(own, first="Their", last="Guest")
    client.force_login(outsider)
    before = state()

    response = getattr(client, method)(
        reverse(f"orga_registration:{name}", args=url_args(name, target)) + "?q=Hidden",
        payload(target),
    )

    assert response.status_code == 404
    text = page_text(response)
    for secret in SECRETS:
        assert secret not in text
    assert state() == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", MANAGE)
def test_checkin_staff_get_403_outside_the_desk(client, target, name, method):
    staff = MembershipFactory(cluster=target["event"].cluster, role=ClusterRole.CHECKIN).user
    client.force_login(staff)
    before = state()

    response = getattr(client, method)(
        reverse(f"orga_registration:{name}", args=url_args(name, target)), payload(target)
    )

    assert response.status_code == 403
    assert state() == before


def test_checkin_staff_use_the_desk_and_see_only_its_tab(client, target):
    event = target["event"]
    staff = MembershipFactory(cluster=event.cluster, role=ClusterRole.CHECKIN).user
    client.force_login(staff)

    page = client.get(reverse("orga_registration:checkin", args=[event.slug]))
    search = client.get(reverse("orga_registration:checkin_search", args=[event.slug]),
                        {"q": "Hidden"})  # fmt: skip
    counters = client.get(reverse("orga_registration:checkin_counters", args=[event.slug]))
    scanned = client.post(reverse("orga_registration:checkin_scan", args=[event.slug]),
                          {"code": badge(target["person"]), "place": "door"},
                          HTTP_HX_REQUEST="true")  # fmt: skip

    assert (page.status_code, search.status_code, counters.status_code) == (200, 200, 200)
    assert "Hidden Person" in page_text(search)
    assert "Hidden Person checked in." in page_text(scanned)
    assert CheckIn.objects.get().actor == staff
    text = page.content.decode()
    assert reverse("orga_registration:checkin", args=[event.slug]) in text
    for name in ("registrations", "signups", "settings"):
        assert reverse(f"orga_registration:{name}", args=[event.slug]) not in text


def test_organiser_sees_every_tab(client, target):
    event = target["event"]
    client.force_login(MembershipFactory(cluster=event.cluster).user)

    text = client.get(reverse("orga_registration:checkin", args=[event.slug])).content.decode()

    for name in ("registrations", "signups", "settings", "checkin"):
        assert reverse(f"orga_registration:{name}", args=[event.slug]) in text


def test_post_only_urls_answer_405_to_get(client, target):
    client.force_login(MembershipFactory(cluster=target["event"].cluster).user)
    post_only = ["registration_approve", "registration_reject", "registration_cancel",
                 "signup_capacity", "signup_add", "signup_move", "signup_remove",
                 "checkin_scan"]  # fmt: skip
    get_only = ["registrations", "registration_detail", "registrations_csv",
                "registrations_xlsx", "badges_pdf", "signups", "signup_session", "signup_search",
                "checkin", "checkin_search", "checkin_counters"]  # fmt: skip
    before = state()

    for name in post_only:
        url = reverse(f"orga_registration:{name}", args=url_args(name, target))
        assert client.get(url).status_code == 405, name
    for name in get_only:
        url = reverse(f"orga_registration:{name}", args=url_args(name, target))
        assert client.post(url, payload(target)).status_code == 405, name

    assert state() == before
    assert not OutboxMessage.objects.exists()
