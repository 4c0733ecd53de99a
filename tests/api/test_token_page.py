"""The account page for personal API tokens: /account/api-tokens/."""

import hashlib

import pytest
from django.test import Client

from clusterhub.api.forms import ApiTokenCreateForm
from clusterhub.api.models import ApiToken, ApiTokenScope
from clusterhub.api.services import api_token_create
from clusterhub.directory.models import ClusterRole
from tests.factories import ClusterFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/account/api-tokens/"


def test_anonymous_is_sent_to_login(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post(PAGE, {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_create_shows_the_secret_once_and_stores_only_its_hash(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(PAGE, {"name": "reporting script"})

    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("chub_")
    token = ApiToken.objects.get(user=user)
    assert token.name == "reporting script"
    assert token.scopes == ApiTokenScope.READ
    assert token.cluster is None
    assert token.hashed_key == hashlib.sha256(secret.encode()).hexdigest()
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]

    reload = client.get(PAGE)

    page = reload.content.decode()
    assert reload.status_code == 200
    assert secret not in page
    assert token.prefix in page
    assert "reporting script" in page
    assert secret not in str(dict(client.session))


def test_create_with_write_scope_and_a_cluster_i_organise(client):
    user = UserFactory()
    mine = MembershipFactory(user=user, role=ClusterRole.OWNER).cluster
    checkin_only = MembershipFactory(user=user, role=ClusterRole.CHECKIN).cluster
    ClusterFactory()
    client.force_login(user)

    form = client.get(PAGE).context["form"]
    assert list(form.fields["cluster"].queryset) == [mine]
    assert checkin_only not in form.fields["cluster"].queryset

    response = client.post(PAGE, {"name": "desk", "write": "on", "cluster": mine.pk})

    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    assert token.scopes == ApiTokenScope.READ_WRITE
    assert token.cluster == mine


def test_create_refuses_a_cluster_outside_my_teams_and_a_blank_name(client):
    user = UserFactory()
    other = ClusterFactory()
    client.force_login(user)

    response = client.post(PAGE, {"name": "x", "cluster": other.pk})
    assert response.status_code == 400
    assert response.context["form"].errors["cluster"]
    assert response.context["secret"] is None

    response = client.post(PAGE, {"name": "   "})
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_service_refusal_is_shown_on_the_form():
    user = UserFactory()

    # A name of spaces is caught by the form already; hand the service one directly.
    form = ApiTokenCreateForm({"name": "x"}, user=user)
    assert form.is_valid()
    form.cleaned_data["name"] = "  "
    assert form.save(actor=user) is None
    assert form.errors["name"] == ["Give the token a name."]


def test_the_list_shows_only_my_tokens(client):
    user, stranger = UserFactory(), UserFactory()
    api_token_create(user=user, name="mine", actor=user)
    theirs, _secret = api_token_create(user=stranger, name="theirs", actor=stranger)
    client.force_login(user)

    response = client.get(PAGE)

    assert [t.name for t in response.context["tokens"]] == ["mine"]
    assert theirs.prefix not in response.content.decode()


def test_revoke_my_token(client):
    user = UserFactory()
    token, _secret = api_token_create(user=user, name="old", actor=user)
    client.force_login(user)

    response = client.post(f"{PAGE}{token.pk}/revoke/")

    assert response.status_code == 302
    assert response["Location"] == PAGE
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(f"{PAGE}{token.pk}/revoke/").status_code == 405


def test_revoking_another_users_token_is_404(client):
    owner, stranger = UserFactory(), UserFactory()
    token, _secret = api_token_create(user=owner, name="x", actor=owner)
    client.force_login(stranger)

    response = client.post(f"{PAGE}{token.pk}/revoke/")

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_csrf_is_enforced():
    user = UserFactory()
    token, _secret = api_token_create(user=user, name="x", actor=user)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    assert client.post(PAGE, {"name": "y"}).status_code == 403
    assert client.post(f"{PAGE}{token.pk}/revoke/").status_code == 403
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked_at is None

    page = client.get(PAGE)
    csrf = page.cookies["csrftoken"].value
    response = client.post(PAGE, {"name": "y", "csrfmiddlewaretoken": csrf})
    assert response.status_code == 200
    assert ApiToken.objects.count() == 2
