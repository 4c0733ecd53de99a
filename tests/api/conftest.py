import pytest

from clusterhub.api.models import ApiTokenScope
from clusterhub.api.services import api_token_create
from clusterhub.directory.models import ClusterRole
from clusterhub.events.models import EventStatus, SessionType, Theme
from tests.factories import (
    EventFactory,
    MembershipFactory,
    PersonFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
    SessionRoleFactory,
    UserFactory,
    at,
)

API = "/api/v1"


def make_token(user, *, scopes=ApiTokenScope.READ, cluster=None) -> str:
    _token, secret = api_token_create(
        user=user, name="script", scopes=scopes, cluster=cluster, actor=user
    )
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def world(db):
    """A published event with a programme and registrations, its draft sibling in the same
    cluster, and another cluster's event with its own registrations: everything that could
    leak into an answer that should not show it."""
    event = EventFactory(slug="oslo", name="Oslo Deep Dive Days", city="Oslo")
    theme = Theme.objects.create(event=event, name="Oncology", slug="oncology")
    aud = RoomFactory(event=event, name="Auditorium")
    welcome = SessionFactory(
        event=event, title="Welcome", type=SessionType.PLENARY, room=aud,
        start=at(event, 9), end=at(event, 9, 30),
    )  # fmt: skip
    joint = SessionFactory(
        event=event, title="Joint Health Initiatives", type=SessionType.SESSION, room=aud,
        start=at(event, 13), end=at(event, 16),
    )  # fmt: skip
    panel = SessionFactory(
        event=event, title="Panel", type=SessionType.PANEL, parent=joint, part_order=2,
        start=at(event, 14, 30), end=at(event, 16),
    )  # fmt: skip
    panel.themes.add(theme)
    SessionFactory(
        event=event, title="Site visit", type=SessionType.SITE_VISIT,
        start=at(event, 10, day=1), end=at(event, 12, day=1),
    )  # fmt: skip
    speaker = PersonFactory(first_name="Ketil", last_name="Widerberg", email="ketil@example.org")
    SessionRoleFactory(session=welcome, person=speaker)
    SessionRoleFactory(session=panel, person=PersonFactory(), role="panelist")
    ours = [
        RegistrationFactory(event=event, person=PersonFactory(first_name="Ana", last_name="A")),
        RegistrationFactory(
            event=event, person=PersonFactory(first_name="Bo", last_name="B"), status="cancelled"
        ),
    ]

    draft = EventFactory(cluster=event.cluster, slug="draft", status=EventStatus.DRAFT)
    SessionFactory(event=draft, title="Secret draft session")
    RegistrationFactory(event=draft, person=PersonFactory(last_name="DraftPerson"))

    other = EventFactory(slug="bergen", name="Bergen Days")
    SessionFactory(event=other, title="Bergen talk")
    RegistrationFactory(event=other, person=PersonFactory(last_name="Outsider"))

    organiser = MembershipFactory(cluster=event.cluster, role=ClusterRole.ORGANISER).user
    checkin = MembershipFactory(cluster=event.cluster, role=ClusterRole.CHECKIN).user
    other_organiser = MembershipFactory(cluster=other.cluster, role=ClusterRole.ORGANISER).user
    participant = ours[0].person
    participant.user = UserFactory()
    participant.save()
    return {
        "event": event, "draft": draft, "other": other, "registrations": ours,
        "organiser": organiser, "checkin": checkin, "other_organiser": other_organiser,
        "participant": participant.user, "joint": joint, "panel": panel, "speaker": speaker,
    }  # fmt: skip
