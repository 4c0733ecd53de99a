"""The participant reads: the organisers' sign-ups, and a participant's own recommendations,
meetings and the profiles they may browse."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clusterhub.followup.models import MeetingFeedback, Partnership
from clusterhub.matchmaking.models import MatchmakingSettings, MeetingRequest, MeetingStatus
from clusterhub.registration.models import SignUpStatus
from tests.api.conftest import API, bearer, make_token
from tests.factories import (
    MatchProfileFactory,
    MembershipFactory,
    PersonFactory,
    RegistrationFactory,
    SignUpFactory,
    UserFactory,
    at,
)
from tests.followup.support import meeting
from tests.matchmaking.view_support import finished_run

pytestmark = pytest.mark.django_db


def sharing(event, first_name, *, user=None, consent=True):
    """A confirmed registration of `event` with a matchmaking profile (shared unless
    `consent=False`)."""
    registration = RegistrationFactory(
        event=event, person=PersonFactory(first_name=first_name, last_name="X", user=user),
        consent_matchmaking_at=timezone.now() if consent else None,
    )  # fmt: skip
    MatchProfileFactory(registration=registration, about=f"about {first_name}")
    return registration


def build_matchmaking(world):
    """On top of `world`: Ana (the participant) and Finn (another participant) share their
    profiles with Cara; Dan has a profile but no consent. Recommendations, meetings (one a
    draft), requests with private messages, feedback with a private comment, sign-ups and
    partnerships, and the same kinds of rows at the other event and the draft."""
    event, other, draft = world["event"], world["other"], world["draft"]
    ana = world["registrations"][0]
    ana.consent_matchmaking_at = timezone.now()
    ana.save()
    MatchProfileFactory(registration=ana)
    finn_user = UserFactory()
    finn = sharing(event, "Finn", user=finn_user)
    cara = sharing(event, "Cara")
    dan = sharing(event, "Dan", consent=False)
    finished_run(
        event,
        [
            (ana, cara, ["Cara offers what you need"]),
            (ana, dan, ["Dan offers what you need"]),
            (finn, cara, ["Cara shares your interest"]),
        ],
    )
    published = meeting(event, ana, cara, start=at(event, 9))
    drafted = meeting(event, ana, dan, start=at(event, 10), status=MeetingStatus.DRAFT)
    finns = meeting(event, finn, cara, start=at(event, 11))
    elsewhere = meeting(other, start=at(other, 9))
    MeetingRequest.objects.create(
        event=event, sender=ana, recipient=cara, status="accepted", message="secret message",
        response="secret answer",
    )  # fmt: skip
    MeetingRequest.objects.create(event=event, sender=finn, recipient=ana)
    MeetingRequest.objects.create(event=other, sender=elsewhere.a, recipient=elsewhere.b)
    MeetingFeedback.objects.create(
        meeting=published, registration=ana, attendance="held", rating=5, outcome="follow_up",
        comment="private comment",
    )  # fmt: skip
    MeetingFeedback.objects.create(meeting=elsewhere, registration=elsewhere.a, attendance="held")
    signup = SignUpFactory(registration=ana, session__title="Workshop")
    SignUpFactory(registration=finn, session=signup.session, status=SignUpStatus.WAITLISTED)
    SignUpFactory(registration=RegistrationFactory(event=other), session__title="Bergen lab")
    pilot = Partnership.objects.create(
        cluster=event.cluster, event=event, meeting=published, title="Oslo pilot", type="pilot"
    )
    pilot.organisations.add(world["speaker"].organisation or ana.person.organisation)
    Partnership.objects.create(
        cluster=event.cluster, event=event, title="Oslo MoU", type="mou", stage="agreement"
    )
    Partnership.objects.create(cluster=event.cluster, event=draft, title="Draft idea", type="mou")
    Partnership.objects.create(cluster=other.cluster, event=other, title="Bergen deal", type="mou")
    return {
        "ana": ana, "finn": finn, "finn_user": finn_user, "cara": cara, "dan": dan,
        "published": published, "drafted": drafted, "finns": finns, "elsewhere": elsewhere,
        "signup": signup,
    }  # fmt: skip


@pytest.fixture
def mm(world):
    return build_matchmaking(world)


def names(items, key):
    return [item[key]["first_name"] for item in items]


# --- sign-ups (organisers) -------------------------------------------------------------------

SIGNUPS = f"{API}/events/oslo/signups/"


def test_signups_anonymous_gets_401(client, mm):
    assert client.get(SIGNUPS).status_code == 401


@pytest.mark.parametrize("who", ["participant", "other_organiser"])
def test_signups_outsiders_get_404(client, world, mm, who):
    client.force_login(world[who])

    response = client.get(SIGNUPS)

    assert response.status_code == 404
    assert "Ana" not in response.content.decode()


def test_signups_checkin_staff_get_403(client, world, mm):
    client.force_login(world["checkin"])

    assert client.get(SIGNUPS).json()["code"] == "permission_denied"


def test_signups_token_limited_to_another_cluster_gets_404(client, world, mm):
    MembershipFactory(user=world["organiser"], cluster=world["other"].cluster)
    secret = make_token(world["organiser"], cluster=world["other"].cluster)

    assert client.get(SIGNUPS, **bearer(secret)).status_code == 404


def test_organiser_lists_signups_with_filters(client, world, mm):
    client.force_login(world["organiser"])

    body = client.get(SIGNUPS).json()
    waitlisted = client.get(f"{SIGNUPS}?status=waitlisted").json()
    by_session = client.get(f"{SIGNUPS}?session={mm['signup'].session_id}&limit=1").json()
    none = client.get(f"{SIGNUPS}?session={mm['signup'].session_id + 1000}").json()

    assert [(s["registration"]["first_name"], s["status"]) for s in body["items"]] == [
        ("Ana", "confirmed"), ("Finn", "waitlisted"),
    ]  # fmt: skip
    assert body["items"][0]["session_title"] == "Workshop"
    assert "Bergen" not in str(body)
    assert names(waitlisted["items"], "registration") == ["Finn"]
    assert (by_session["count"], len(by_session["items"])) == (2, 1)
    assert none["count"] == 0


def test_signups_query_count_is_constant(client, world, mm):
    secret = make_token(world["organiser"])

    def fetch():
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(SIGNUPS, **bearer(secret)).json()
        return body, len(ctx.captured_queries)

    fetch()
    _body, small = fetch()
    for _ in range(4):
        SignUpFactory(registration=RegistrationFactory(event=world["event"]))
    body, large = fetch()

    assert large == small
    assert body["count"] == 6


# --- my recommendations ---------------------------------------------------------------------

RECOMMENDATIONS = f"{API}/events/oslo/me/recommendations/"


def test_recommendations_anonymous_gets_401(client, mm):
    assert client.get(RECOMMENDATIONS).status_code == 401


def test_participant_sees_own_recommendations_with_reasons_not_the_non_consenting(
    client, world, mm
):
    client.force_login(world["participant"])

    body = client.get(RECOMMENDATIONS).json()

    assert body["count"] == 1
    assert body["items"][0]["rank"] == 1
    assert body["items"][0]["reasons"] == ["Cara offers what you need"]
    assert names(body["items"], "other") == ["Cara"]
    assert "Dan" not in str(body)
    assert "email" not in str(body)


def test_another_participant_sees_only_their_own(client, mm):
    client.force_login(mm["finn_user"])

    body = client.get(RECOMMENDATIONS).json()

    assert [r["reasons"] for r in body["items"]] == [["Cara shares your interest"]]


def test_recommendations_empty_once_consent_withdrawn_or_matchmaking_closed(client, world, mm):
    client.force_login(world["participant"])
    MatchmakingSettings.objects.create(event=world["event"], is_open=False)
    assert client.get(RECOMMENDATIONS).json()["count"] == 0

    MatchmakingSettings.objects.filter(event=world["event"]).update(is_open=True)
    mm["ana"].consent_matchmaking_at = None
    mm["ana"].save()
    assert client.get(RECOMMENDATIONS).json()["count"] == 0


@pytest.mark.parametrize("who", ["organiser", "checkin", "other_organiser"])
def test_staff_without_a_registration_get_404_on_me(client, world, mm, who):
    client.force_login(world[who])

    for path in ("me/recommendations/", "me/meetings/", "profiles/"):
        response = client.get(f"{API}/events/oslo/{path}")
        assert response.status_code == 404
        assert "Cara" not in response.content.decode()


def test_cancelled_registration_gets_404(client, world, mm):
    mm["ana"].status = "cancelled"
    mm["ana"].save()
    client.force_login(world["participant"])

    assert client.get(RECOMMENDATIONS).status_code == 404


def test_token_limited_to_another_cluster_gets_404_on_me(client, world, mm):
    MembershipFactory(user=world["participant"], cluster=world["other"].cluster)
    secret = make_token(world["participant"], cluster=world["other"].cluster)

    assert client.get(RECOMMENDATIONS, **bearer(secret)).status_code == 404


def test_recommendations_query_count_is_constant(client, world, mm):
    secret = make_token(world["participant"])

    def fetch():
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(RECOMMENDATIONS, **bearer(secret)).json()
        return body, len(ctx.captured_queries)

    fetch()
    _body, small = fetch()
    others = [sharing(world["event"], f"Extra{i}") for i in range(4)]
    finished_run(world["event"], [(mm["ana"], o, ["r"]) for o in [mm["cara"], *others]])
    body, large = fetch()

    assert large == small
    assert body["count"] == 5


# --- my meetings ------------------------------------------------------------------------------

MY_MEETINGS = f"{API}/events/oslo/me/meetings/"


def test_my_meetings_anonymous_gets_401(client, mm):
    assert client.get(MY_MEETINGS).status_code == 401


def test_participant_sees_only_own_published_meetings(client, world, mm):
    client.force_login(world["participant"])

    body = client.get(MY_MEETINGS).json()

    assert [m["id"] for m in body["items"]] == [mm["published"].pk]
    assert names(body["items"], "other") == ["Cara"]
    assert body["items"][0]["table"] == mm["published"].table
    assert "Dan" not in str(body)


def test_another_participant_sees_their_meetings_only(client, mm):
    client.force_login(mm["finn_user"])

    body = client.get(MY_MEETINGS).json()

    assert [m["id"] for m in body["items"]] == [mm["finns"].pk]
    assert "Ana" not in str(body)


def test_my_meetings_query_count_is_constant(client, world, mm):
    secret = make_token(world["participant"])

    def fetch():
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(MY_MEETINGS, **bearer(secret)).json()
        return body, len(ctx.captured_queries)

    fetch()
    _body, small = fetch()
    for hour in (12, 13, 14):
        meeting(world["event"], mm["ana"], start=at(world["event"], hour))
    body, large = fetch()

    assert large == small
    assert body["count"] == 4


# --- profiles ---------------------------------------------------------------------------------

PROFILES = f"{API}/events/oslo/profiles/"


def test_profiles_anonymous_gets_401(client, mm):
    assert client.get(PROFILES).status_code == 401


def test_participant_browses_shared_profiles_never_the_non_consenting(client, world, mm):
    client.force_login(world["participant"])

    body = client.get(PROFILES).json()
    searched = client.get(f"{PROFILES}?q=finn").json()

    assert [(p["first_name"], p["about"]) for p in body["items"]] == [
        ("Cara", "about Cara"), ("Finn", "about Finn"),
    ]  # fmt: skip
    assert body["count"] == 2
    assert "Dan" not in str(body)
    assert "Ana" not in str(body)
    assert [p["first_name"] for p in searched["items"]] == ["Finn"]


def test_another_participant_does_not_see_themselves(client, mm):
    client.force_login(mm["finn_user"])

    body = client.get(PROFILES).json()

    assert sorted(p["first_name"] for p in body["items"]) == ["Ana", "Cara"]


def test_profiles_404_without_own_consent(client, world, mm):
    mm["ana"].consent_matchmaking_at = None
    mm["ana"].save()
    client.force_login(world["participant"])

    response = client.get(PROFILES)

    assert response.status_code == 404
    assert "Cara" not in response.content.decode()


def test_profiles_query_count_is_constant(client, world, mm):
    secret = make_token(world["participant"])

    def fetch():
        with CaptureQueriesContext(connection) as ctx:
            body = client.get(f"{PROFILES}?limit=3", **bearer(secret)).json()
        return body, len(ctx.captured_queries)

    fetch()
    _body, small = fetch()
    for i in range(4):
        sharing(world["event"], f"Extra{i}")
    body, large = fetch()

    assert large == small
    assert (body["count"], len(body["items"])) == (6, 3)
