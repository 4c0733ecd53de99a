import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from clusterhub.api import selectors
from clusterhub.api.models import ApiToken, ApiTokenScope
from clusterhub.api.services import api_token_create, api_token_revoke
from clusterhub.common.models import ActivityLogEntry
from tests.api.conftest import API, bearer, make_token
from tests.factories import ClusterFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_api_token_create_stores_only_the_hash():
    user = UserFactory()

    token, secret = api_token_create(user=user, name=" laptop ", actor=user)

    token.refresh_from_db()
    assert secret.startswith("chub_")
    assert len(secret) > 40
    assert token.hashed_key == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[5:13]
    assert token.name == "laptop"
    assert token.scopes == "read"
    assert token.cluster is None
    assert not ApiToken.objects.filter(hashed_key__contains=secret[5:]).exists()
    assert secret not in str(ActivityLogEntry.objects.get(action="api_token.create").__dict__)


def test_api_token_create_refuses_bad_input():
    user = UserFactory()
    for kwargs, code in [
        ({"name": " "}, "blank_name"),
        ({"name": "x", "scopes": "admin"}, "invalid_scopes"),
        ({"name": "x", "cluster": ClusterFactory()}, "not_cluster_member"),
    ]:
        with pytest.raises(ValidationError) as exc:
            api_token_create(user=user, actor=user, **kwargs)
        assert exc.value.code == code
    assert not ApiToken.objects.exists()


def test_api_token_for_secret_finds_only_the_exact_active_secret():
    user = UserFactory()
    token, secret = api_token_create(user=user, name="x", actor=user)

    assert selectors.api_token_for_secret(secret=secret) == token
    other_last = "B" if secret[-1] == "A" else "A"
    assert selectors.api_token_for_secret(secret=secret[:-1] + other_last) is None
    assert selectors.api_token_for_secret(secret=token.hashed_key) is None
    api_token_revoke(token=token, actor=user)
    assert selectors.api_token_for_secret(secret=secret) is None


def test_api_token_revoke_only_by_its_owner():
    owner, stranger = UserFactory(), UserFactory()
    token, _secret = api_token_create(user=owner, name="x", actor=owner)

    with pytest.raises(ValidationError) as exc:
        api_token_revoke(token=token, actor=stranger)

    assert exc.value.code == "not_own_token"
    token.refresh_from_db()
    assert token.revoked_at is None


def test_platform_admin_revokes_a_token_in_the_admin(client, world):
    user = world["organiser"]
    token, secret = api_token_create(user=user, name="x", actor=user)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)

    response = client.post(
        "/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = ActivityLogEntry.objects.get(action="api_token.revoke")
    assert entry.actor == admin
    client.logout()
    assert client.get(f"{API}/events/", **bearer(secret)).status_code == 401


def test_bearer_token_authenticates_and_records_use(client, world):
    secret = make_token(world["organiser"])

    response = client.get(f"{API}/events/oslo/registrations/", **bearer(secret))

    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert ApiToken.objects.get().last_used_at is not None


def test_revoked_token_is_refused_with_401(client, world):
    user = world["organiser"]
    token, secret = api_token_create(user=user, name="x", actor=user)
    api_token_revoke(token=token, actor=user)

    response = client.get(f"{API}/events/oslo/", **bearer(secret))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Bearer"


def test_wrong_token_on_a_public_endpoint_is_401_not_anonymous(client, world):
    response = client.get(f"{API}/events/", HTTP_AUTHORIZATION="Bearer chub_wrong")

    assert response.status_code == 401


def test_token_of_a_deactivated_user_is_refused(client, world):
    secret = make_token(world["organiser"])
    world["organiser"].is_active = False
    world["organiser"].save()

    response = client.get(f"{API}/events/oslo/registrations/", **bearer(secret))

    assert response.status_code == 401


def test_read_token_may_not_write_but_a_read_write_token_may(rf, world):
    from clusterhub.api.auth import required_auth
    from clusterhub.api.errors import ApiError

    read = make_token(world["organiser"])
    write = make_token(world["organiser"], scopes=ApiTokenScope.READ_WRITE)

    with pytest.raises(ApiError) as exc:
        required_auth(rf.post("/api/v1/x/", **bearer(read)))
    assert (exc.value.status_code, exc.value.code) == (403, "read_only_token")
    assert required_auth(rf.post("/api/v1/x/", **bearer(write))) == world["organiser"]


def test_token_limited_to_another_cluster_sees_neither_drafts_nor_registrations(client, world):
    user = world["organiser"]
    elsewhere = MembershipFactory(user=user, cluster=world["other"].cluster).cluster
    secret = make_token(user, cluster=elsewhere)

    assert client.get(f"{API}/events/draft/", **bearer(secret)).status_code == 404
    response = client.get(f"{API}/events/oslo/registrations/", **bearer(secret))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    # ...while the cluster it is limited to answers.
    response = client.get(f"{API}/events/bergen/registrations/", **bearer(secret))
    assert [r["last_name"] for r in response.json()["items"]] == ["Outsider"]


def test_post_to_a_read_endpoint_is_405_with_the_error_body(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["organiser"])

    response = client.post(f"{API}/events/oslo/registrations/")

    # No write endpoint exists yet: the method is refused before authentication.
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_session_unsafe_method_needs_csrf(rf, world):
    from clusterhub.api.auth import required_auth
    from clusterhub.api.errors import ApiError

    request = rf.post("/api/v1/x/")
    request.user = world["organiser"]
    request._dont_enforce_csrf_checks = False

    with pytest.raises(ApiError) as exc:
        required_auth(request)

    assert exc.value.code == "csrf_failed"


def test_last_used_is_written_at_most_once_a_minute(client, world):
    secret = make_token(world["organiser"])
    client.get(f"{API}/events/oslo/", **bearer(secret))
    first = ApiToken.objects.get().last_used_at

    client.get(f"{API}/events/oslo/", **bearer(secret))

    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=2))
    client.get(f"{API}/events/oslo/", **bearer(secret))
    assert ApiToken.objects.get().last_used_at > first - timedelta(seconds=1)


def test_command_prints_the_secret_once(capsys, world):
    user = world["organiser"]

    call_command(
        "api_token_create", user.email, "--name", "ci", "--write",
        "--cluster", world["event"].cluster.slug,
    )  # fmt: skip

    out, err = capsys.readouterr()
    token = ApiToken.objects.get()
    secret = out.strip()
    assert selectors.api_token_for_secret(secret=secret) == token
    assert token.scopes == "read write"
    assert token.cluster == world["event"].cluster
    assert secret not in err
    assert token.prefix in err
