"""`/healthz`: what a load balancer and the restore check ask."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_with_database_and_cache(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_names_a_broken_cache(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "set", broken)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "unavailable"}


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405
