"""Hardening promises (docs/security.md): production settings that pass `check --deploy`,
Argon2 password hashing, login rate limits that the admin login cannot sidestep, Django's CSRF
check on every view outside the API, a Content Security Policy without inline script, and the
other security headers."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.core.internal.httpkit import get_client_ip
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import clusterhub
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

RATE_LIMITED = "Too many failed login attempts. Try again later."


def production_hashers() -> list[str]:
    # The test run swaps in a fast hasher (tests/conftest.py); the settings module keeps the
    # list production uses.
    return importlib.import_module("clusterhub.settings").PASSWORD_HASHERS


# --- production settings ---------------------------------------------------------------------

PRODUCTION_PROBE = """
import json
import django
from django.conf import settings
from django.core.management import call_command

django.setup()
call_command("check", deploy=True, fail_level="WARNING")
names = ["DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
         "CSRF_COOKIE_HTTPONLY", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
         "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY",
         "SECURE_CROSS_ORIGIN_OPENER_POLICY", "X_FRAME_OPTIONS", "PASSWORD_HASHERS"]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def test_production_settings_pass_check_deploy_and_lock_the_cookies(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clusterhub.settings",
        "DJANGO_PROFILE": "production",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 30 + "-a-long-random-enough-production-key-for-checks",
        "ALLOWED_HOSTS": "clusterhub.example.org",
        "CLUSTERHUB_VAR_DIR": str(tmp_path),
        # The same source tree as this test run, whatever the environment installed.
        "PYTHONPATH": str(Path(clusterhub.__file__).resolve().parents[1]),
    }
    run = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", PRODUCTION_PROBE],
        env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    assert run.returncode == 0, run.stderr
    assert "WARNINGS" not in run.stderr
    values = json.loads(run.stdout.strip().splitlines()[-1])
    assert values == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
        "PASSWORD_HASHERS": production_hashers(),
    }


# --- passwords -------------------------------------------------------------------------------


def test_argon2_hashes_new_passwords_and_older_hashes_still_verify():
    hashers = production_hashers()
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers[1:]

    with override_settings(PASSWORD_HASHERS=hashers):
        user = UserFactory()
        encoded = make_password("tidal-orbit-velvet")

    assert user.password.startswith("argon2$argon2id$")
    assert encoded.startswith("argon2$")
    with override_settings(PASSWORD_HASHERS=hashers):
        assert check_password("tidal-orbit-velvet", encoded)
        assert not check_password("tidal-orbit-velvex", encoded)


def test_a_pbkdf2_hash_is_rewritten_with_argon2_at_login(client):
    user = UserFactory()
    # Few iterations keep the test quick; the algorithm, not the cost, is what changes.
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "legacysalt", iterations=1000)
    user.save(update_fields=["password"])

    with override_settings(PASSWORD_HASHERS=production_hashers()):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("orga:dashboard")
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")


# --- login rate limits -----------------------------------------------------------------------


def login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_five_wrong_passwords_lock_the_email_out_even_with_the_right_one(client):
    user = UserFactory()
    for _attempt in range(5):
        wrong = login(client, user.email, "not-my-password")
        assert wrong.status_code == 200
        assert "The email address and/or password you specified are not correct." in (
            wrong.content.decode()
        )

    refused = login(client, user.email, PASSWORD)

    assert refused.status_code == 200
    assert RATE_LIMITED in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address from elsewhere is not locked out by someone guessing this one.
    other = UserFactory()
    assert login(Client(REMOTE_ADDR="10.0.0.9"), other.email, PASSWORD).status_code == 302


def test_ten_failures_from_one_address_lock_that_address_out():
    client = Client(REMOTE_ADDR="10.0.0.7")
    for n in range(10):
        login(client, f"guess{n}@example.org", "not-my-password")
    user = UserFactory()

    refused = login(client, user.email, PASSWORD)

    assert RATE_LIMITED in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert login(Client(REMOTE_ADDR="10.0.0.8"), user.email, PASSWORD).status_code == 302


def test_the_admin_login_sends_everyone_to_the_rate_limited_login(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    admin_login = reverse("admin:login")

    # The admin's own form is gone: a POST, right password or not, only redirects.
    for password in ["not-my-password", PASSWORD]:
        response = client.post(
            admin_login + "?next=/admin/",
            {"username": staff.email, "password": password, "next": "/admin/"},
        )
        assert response.status_code == 302
        assert response["Location"] == reverse("account_login") + "?next=%2Fadmin%2F"
        assert "_auth_user_id" not in client.session
    assert client.get("/admin/")["Location"].startswith(admin_login)

    for _attempt in range(5):
        login(client, staff.email, "not-my-password")
    assert RATE_LIMITED in login(client, staff.email, PASSWORD).content.decode()
    assert client.get("/admin/").status_code == 302  # still nobody logged in


def test_the_admin_opens_for_staff_and_refuses_other_users(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    assert login(client, staff.email, PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200

    member = Client()
    member.force_login(UserFactory())
    assert member.get(reverse("admin:login")).status_code == 403


def test_the_rate_limit_cache_is_a_shared_cache():
    # allauth counts attempts in the default cache: a per-process memory cache would let an
    # attacker spread guesses over the server's workers.
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in {
        "django.core.cache.backends.db.DatabaseCache",
        "django.core.cache.backends.redis.RedisCache",
    }
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "10/m/ip,5/5m/key"


# --- CSRF ------------------------------------------------------------------------------------

# Views allowed to skip Django's CSRF middleware, with the reason.
CSRF_EXEMPT_PREFIXES = {
    # django-ninja exempts its views and checks CSRF itself for session callers
    # (api/auth.py, tested in tests/api/test_writes.py::test_session_needs_csrf); a bearer
    # token is never sent by a browser on its own.
    "api/v1/": "the API checks CSRF for session auth itself",
}


def url_patterns(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_csrf_middleware_is_on_and_only_the_api_is_exempt():
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE

    exempt = [route for route, view in url_patterns() if getattr(view, "csrf_exempt", False)]

    assert exempt, "the API's views are expected to be exempt (their own check)"
    assert [r for r in exempt if not r.startswith(tuple(CSRF_EXEMPT_PREFIXES))] == []


def test_a_post_without_the_token_is_refused(organiser):
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 403
    assert "_auth_user_id" in client.session


def test_htmx_requests_carry_the_csrf_token(client):
    client.get(reverse("public:home"))  # sets the CSRF cookie the page's token belongs to
    page = client.get(reverse("public:home")).content.decode()

    assert '<body hx-headers=\'{"X-CSRFToken": "' in page
    token = page.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]
    assert len(token) == 64


# --- Content Security Policy and other headers ------------------------------------------------


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_html_pages_carry_a_csp_without_inline_script(client):
    response = client.get(reverse("public:home"))

    directives = csp_directives(response)
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    # Inline styles only: the report's matplotlib charts are inline SVG with style attributes.
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]


def test_html_pages_carry_the_other_security_headers(client):
    response = client.get(reverse("account_login"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Content-Security-Policy" in response


def test_htmx_reads_its_config_from_a_meta_tag_and_never_evaluates(client):
    page = client.get(reverse("public:home")).content.decode()

    config = page.split('<meta name="htmx-config" content=\'', 1)[1].split("'", 1)[0]
    assert json.loads(config) == {
        "includeIndicatorStyles": False,
        "allowEval": False,
        "allowScriptTags": False,
    }


def test_login_rate_limits_count_the_client_behind_a_trusted_proxy(rf, settings):
    request = rf.get("/accounts/login/", HTTP_X_FORWARDED_FOR="203.0.113.5")
    request.META["REMOTE_ADDR"] = "127.0.0.1"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0  # the default: the header is not believed
    assert get_client_ip(request) == "127.0.0.1"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # TRUSTED_PROXY_COUNT=1 behind one TLS proxy
    assert get_client_ip(request) == "203.0.113.5"
