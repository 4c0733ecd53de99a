import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from clusterhub.api.models import ApiIdempotencyKey, ApiTokenScope
from clusterhub.matchmaking.models import MeetingRequest
from clusterhub.registration.models import CheckIn, Registration, SignUp
from clusterhub.registration.tokens import badge_token
from tests.api.conftest import API, bearer, make_token
from tests.factories import (
    MatchProfileFactory,
    PersonFactory,
    RegistrationFactory,
    SessionFactory,
    SignUpFactory,
    UserFactory,
    at,
)

pytestmark = pytest.mark.django_db

CHECKINS = f"{API}/events/oslo/checkins/"
SIGNUPS = f"{API}/events/oslo/signups/"
REQUESTS = f"{API}/events/oslo/meeting-requests/"


def post(client, url, data, secret=None, key=None, **extra):
    headers = dict(extra)
    if secret:
        headers |= bearer(secret)
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post(url, json.dumps(data), content_type="application/json", **headers)


def write_token(user):
    return make_token(user, scopes=ApiTokenScope.READ_WRITE)


@pytest.fixture
def seated(world):
    event = world["event"]
    return SessionFactory(
        event=event, title="Workshop", signup_required=True, capacity=1,
        start=at(event, 10), end=at(event, 11),
    )  # fmt: skip


@pytest.fixture
def ana(world):
    return world["registrations"][0]


def _badge(registration):
    return badge_token(
        event_id=registration.event_id,
        registration_id=registration.pk,
        nonce=registration.badge_nonce,
    )


# --- authentication and scope, on every write --------------------------------------------------


@pytest.mark.parametrize("url", [CHECKINS, SIGNUPS, REQUESTS, f"{SIGNUPS}1/"])
def test_anonymous_gets_401_on_every_write(client, world, url):
    method = client.delete if url.endswith("1/") else client.post
    response = method(url, "{}", content_type="application/json")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("url", [CHECKINS, SIGNUPS, REQUESTS, f"{SIGNUPS}1/"])
def test_read_only_token_is_refused(client, world, url):
    secret = make_token(world["organiser"])
    method = client.delete if url.endswith("1/") else client.post
    response = method(url, "{}", content_type="application/json", **bearer(secret))

    assert response.status_code == 403
    assert response.json()["code"] == "read_only_token"


def test_session_needs_csrf(world, seated):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["participant"])

    response = post(client, SIGNUPS, {"session_id": seated.pk})

    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert not SignUp.objects.exists()


# --- check-in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["participant", "other_organiser"])
def test_checkin_outsiders_get_404(client, world, ana, who):
    client.force_login(world[who])

    response = post(client, CHECKINS, {"registration_id": ana.pk})

    assert response.status_code == 404
    assert "Ana" not in response.content.decode()
    assert not CheckIn.objects.exists()


def test_checkin_token_limited_to_another_cluster_gets_404(client, world, ana):
    other_cluster = world["other"].cluster
    organiser = world["organiser"]
    other_cluster.memberships.create(user=organiser, role="organiser")
    secret = make_token(organiser, scopes=ApiTokenScope.READ_WRITE, cluster=other_cluster)

    response = post(client, CHECKINS, {"registration_id": ana.pk}, secret)

    assert response.status_code == 404
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("who", ["checkin", "organiser"])
def test_team_checks_in_by_badge_then_already(client, world, ana, who):
    secret = write_token(world[who])

    first = post(client, CHECKINS, {"badge": _badge(ana)}, secret)
    again = post(client, CHECKINS, {"badge": _badge(ana)}, secret)

    assert first.status_code == 201
    body = first.json()
    assert body["status"] == "checked_in"
    assert body["registration_id"] == ana.pk
    assert body["first_name"] == "Ana"
    assert body["session_id"] is None
    assert again.status_code == 200
    assert again.json()["status"] == "already"
    assert again.json()["id"] == body["id"]
    assert "already checked in" in again.json()["message"]
    assert CheckIn.objects.count() == 1
    ana.refresh_from_db()
    assert ana.checked_in_at is not None


def test_checkin_by_registration_id_at_a_session(client, world, ana):
    client.force_login(world["checkin"])
    joint = world["joint"]

    response = post(client, CHECKINS, {"registration_id": ana.pk, "session_id": joint.pk})

    assert response.status_code == 201
    assert response.json()["session_id"] == joint.pk
    assert response.json()["method"] == "search"


def test_checkin_refusals(client, world):
    secret = write_token(world["checkin"])
    cancelled = world["registrations"][1]
    outsider = Registration.objects.get(event=world["other"])

    cases = [
        ({"badge": "forged"}, 400, "bad_badge"),
        ({"badge": _badge(outsider)}, 400, "bad_badge"),
        ({}, 400, "empty_code"),
        ({"registration_id": cancelled.pk}, 400, "not_confirmed"),
        ({"registration_id": outsider.pk}, 404, "not_found"),
        ({"registration_id": cancelled.pk, "session_id": 999999}, 400, "bad_place"),
        ({"registration_id": "x"}, 422, "validation_error"),
    ]
    for data, status, code in cases:
        response = post(client, CHECKINS, data, secret)
        assert (response.status_code, response.json()["code"]) == (status, code), data
    assert not CheckIn.objects.exists()


# --- sign-ups ------------------------------------------------------------------------------------


def test_participant_signs_up_and_cancels(client, world, ana, seated):
    secret = write_token(world["participant"])

    created = post(client, SIGNUPS, {"session_id": seated.pk}, secret)

    assert created.status_code == 201
    body = created.json()
    signup = SignUp.objects.get()
    assert body["id"] == signup.pk
    assert (body["session_id"], body["registration_id"], body["status"]) == (
        seated.pk, ana.pk, "confirmed",
    )  # fmt: skip

    again = post(client, SIGNUPS, {"session_id": seated.pk}, secret)
    assert again.status_code == 400
    assert again.json()["code"] == "already_signed_up"

    deleted = client.delete(f"{SIGNUPS}{signup.pk}/", **bearer(secret))
    assert deleted.status_code == 204
    assert not SignUp.objects.exists()
    assert client.delete(f"{SIGNUPS}{signup.pk}/", **bearer(secret)).status_code == 404


def test_signup_to_a_session_without_signup_or_of_another_event_is_404(client, world):
    client.force_login(world["participant"])
    bergen = SessionFactory(event=world["other"], signup_required=True, capacity=5)

    for session_id in (world["joint"].pk, bergen.pk):
        response = post(client, SIGNUPS, {"session_id": session_id})
        assert response.status_code == 404
    assert not SignUp.objects.exists()


@pytest.mark.parametrize("who", ["checkin", "organiser", "other_organiser"])
def test_people_without_a_registration_cannot_sign_up(client, world, seated, who):
    client.force_login(world[who])

    response = post(client, SIGNUPS, {"session_id": seated.pk})

    assert response.status_code == 404
    assert not SignUp.objects.exists()


def test_nobody_cancels_another_persons_signup(client, world, seated):
    ana_signup = SignUpFactory(registration=world["registrations"][0], session=seated)
    other = RegistrationFactory(event=world["event"], person=PersonFactory(user=UserFactory()))

    for user in (other.person.user, world["organiser"], world["checkin"]):
        client.force_login(user)
        response = client.delete(f"{SIGNUPS}{ana_signup.pk}/")
        assert response.status_code == 404
        assert "Ana" not in response.content.decode()
    assert SignUp.objects.filter(pk=ana_signup.pk).exists()


def test_signup_on_a_draft_event_is_404_for_outsiders(client, world):
    client.force_login(world["participant"])

    response = post(client, f"{API}/events/draft/signups/", {"session_id": 1})

    assert response.status_code == 404


# --- meeting requests ----------------------------------------------------------------------------


@pytest.fixture
def sharing(world, ana):
    """Ana shares her profile, and so does Cleo."""
    ana.consent_matchmaking_at = timezone.now()
    ana.save(update_fields=["consent_matchmaking_at"])
    MatchProfileFactory(registration=ana)
    cleo = MatchProfileFactory(
        registration__event=world["event"],
        registration__person=PersonFactory(first_name="Cleo", user=UserFactory()),
    ).registration
    return {"ana": ana, "cleo": cleo}


def test_participant_sends_a_meeting_request(client, world, sharing):
    secret = write_token(world["participant"])

    response = post(
        client, REQUESTS, {"recipient_id": sharing["cleo"].pk, "message": "Coffee?"}, secret
    )

    assert response.status_code == 201
    sent = MeetingRequest.objects.get()
    assert response.json()["id"] == sent.pk
    assert (sent.sender, sent.recipient, sent.message) == (
        sharing["ana"], sharing["cleo"], "Coffee?",
    )  # fmt: skip
    again = post(client, REQUESTS, {"recipient_id": sharing["cleo"].pk}, secret)
    assert again.status_code == 400
    assert again.json()["code"] == "already_requested"


def test_meeting_request_to_someone_not_sharing_or_self(client, world, sharing):
    client.force_login(world["participant"])
    hidden = RegistrationFactory(event=world["event"])

    not_shared = post(client, REQUESTS, {"recipient_id": hidden.pk})
    to_self = post(client, REQUESTS, {"recipient_id": sharing["ana"].pk})

    assert not_shared.status_code == 404
    assert to_self.status_code == 400
    assert to_self.json()["code"] == "request_self"
    assert not MeetingRequest.objects.exists()


@pytest.mark.parametrize("who", ["checkin", "organiser", "other_organiser"])
def test_team_and_outsiders_cannot_send_requests(client, world, sharing, who):
    client.force_login(world[who])

    response = post(client, REQUESTS, {"recipient_id": sharing["cleo"].pk})

    assert response.status_code == 404
    assert not MeetingRequest.objects.exists()


def test_participant_without_shared_profile_gets_404(client, world, ana):
    cleo = MatchProfileFactory(registration__event=world["event"]).registration
    client.force_login(world["participant"])

    response = post(client, REQUESTS, {"recipient_id": cleo.pk})

    assert response.status_code == 404
    assert not MeetingRequest.objects.exists()


# --- Idempotency-Key -----------------------------------------------------------------------------


def test_retried_signup_creates_one_and_replays_the_answer(client, world, seated):
    secret = write_token(world["participant"])

    first = post(client, SIGNUPS, {"session_id": seated.pk}, secret, key="k-1")
    retry = post(client, SIGNUPS, {"session_id": seated.pk}, secret, key="k-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert SignUp.objects.count() == 1
    assert ApiIdempotencyKey.objects.count() == 1


def test_retried_checkin_creates_one(client, world, ana):
    secret = write_token(world["checkin"])

    first = post(client, CHECKINS, {"registration_id": ana.pk}, secret, key="scan-7")
    retry = post(client, CHECKINS, {"registration_id": ana.pk}, secret, key="scan-7")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert CheckIn.objects.count() == 1


def test_retried_meeting_request_creates_one(client, world, sharing):
    client.force_login(world["participant"])
    data = {"recipient_id": sharing["cleo"].pk, "message": "Coffee?"}

    first = post(client, REQUESTS, data, key="mr-1")
    retry = post(client, REQUESTS, data, key="mr-1")

    assert first.status_code == retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"]
    assert MeetingRequest.objects.count() == 1


def test_same_key_with_another_body_is_422(client, world, seated):
    secret = write_token(world["participant"])
    other = SessionFactory(
        event=world["event"], signup_required=True, capacity=3,
        start=at(world["event"], 12), end=at(world["event"], 13),
    )  # fmt: skip

    post(client, SIGNUPS, {"session_id": seated.pk}, secret, key="k")
    reused = post(client, SIGNUPS, {"session_id": other.pk}, secret, key="k")

    assert reused.status_code == 422
    assert reused.json()["code"] == "idempotency_key_reused"
    assert SignUp.objects.count() == 1


def test_json_body_compared_by_meaning(client, world, seated):
    secret = write_token(world["participant"])
    headers = {**bearer(secret), "HTTP_IDEMPOTENCY_KEY": "k"}

    tight, loose = f'{{"session_id":{seated.pk}}}', f'{{ "session_id": {seated.pk} }}'

    client.post(SIGNUPS, tight, "application/json", **headers)
    retry = client.post(SIGNUPS, loose, "application/json", **headers)

    assert retry.status_code == 201
    assert SignUp.objects.count() == 1


def test_refusals_are_not_stored_and_keys_are_per_caller(client, world, seated, ana):
    secret = write_token(world["participant"])
    ana.status = "pending"
    ana.save(update_fields=["status"])

    refused = post(client, SIGNUPS, {"session_id": seated.pk}, secret, key="k")
    ana.status = "confirmed"
    ana.save(update_fields=["status"])
    retried = post(client, SIGNUPS, {"session_id": seated.pk}, secret, key="k")

    assert refused.status_code == 400
    assert refused.json()["code"] == "not_confirmed"
    assert retried.status_code == 201
    # Another caller's identical key is theirs alone.
    other = RegistrationFactory(event=world["event"], person=PersonFactory(user=UserFactory()))
    client.force_login(other.person.user)
    theirs = post(client, SIGNUPS, {"session_id": seated.pk}, key="k")
    assert theirs.status_code == 201
    assert theirs.json()["status"] == "waitlisted"
    assert SignUp.objects.count() == 2


def test_keys_expire_after_24_hours(client, world, seated):
    secret = write_token(world["participant"])
    first = post(client, SIGNUPS, {"session_id": seated.pk}, secret, key="k")
    SignUp.objects.all().delete()
    ApiIdempotencyKey.objects.update(created_at=timezone.now() - timedelta(hours=25))

    again = post(client, SIGNUPS, {"session_id": seated.pk}, secret, key="k")

    assert again.status_code == 201
    assert again.json()["id"] != first.json()["id"]
    assert SignUp.objects.count() == 1
    assert ApiIdempotencyKey.objects.count() == 1


def test_too_long_key_is_422(client, world, seated):
    secret = write_token(world["participant"])

    response = post(client, SIGNUPS, {"session_id": seated.pk}, secret, key="k" * 256)

    assert response.status_code == 422
    assert not SignUp.objects.exists()


def test_a_concurrent_request_with_the_same_key_loses_and_replays_the_winner(
    rf, world, seated, monkeypatch
):
    from clusterhub.api import idempotency

    user = world["participant"]
    request = rf.post(SIGNUPS, {"session_id": seated.pk}, content_type="application/json")
    request.user, request.api_token = user, None
    # The other request stored the key after this one looked (its first lookup sees nothing).
    ApiIdempotencyKey.objects.create(
        user=user, key="k", scope=f"POST {SIGNUPS}",
        request_hash=idempotency.request_hash(request), response_status=201,
        response_body={"id": 1},
    )  # fmt: skip
    lookups = []
    real_owned = idempotency._owned

    def owned(req):
        lookups.append(1)
        found = real_owned(req)
        return found.none() if len(lookups) == 1 else found

    monkeypatch.setattr(idempotency, "_owned", owned)

    def action():
        SignUpFactory(registration=world["registrations"][0], session=seated)
        return 201, {"id": 2}

    (status, body), replayed = idempotency.run_idempotent(request, "k", action)

    assert (status, body, replayed) == (201, {"id": 1}, True)
    assert not SignUp.objects.exists()  # this request's own change was rolled back
