"""/healthz says the process serves; /readyz that the database and the shared cache answer. Both
sit outside the language prefixes, are never cached and never touch the session."""

import pytest
from django.db import DatabaseError, connection
from django.test import Client

UNREACHABLE_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


def test_healthz_answers_without_the_database(anonymous_client):
    # No django_db mark: any query here would fail the test.
    response = anonymous_client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_answers_when_the_database_and_the_cache_answer(anonymous_client, db):
    response = anonymous_client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


class _Database:
    """A stand-in for django.db.connection whose first `failures` queries fail."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.closed = 0

    def cursor(self):
        if self.failures:
            self.failures -= 1
            raise DatabaseError("server closed the connection unexpectedly")
        return connection.cursor()

    def close(self) -> None:
        self.closed += 1


def test_readyz_answers_503_when_the_database_fails(anonymous_client, db, monkeypatch):
    monkeypatch.setattr("ops.views.connection", _Database(failures=2))

    response = anonymous_client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "unavailable", "cache": "ok"}


def test_readyz_reconnects_once_when_its_kept_connection_was_dropped(anonymous_client, db, monkeypatch):
    database = _Database(failures=1)
    monkeypatch.setattr("ops.views.connection", database)

    response = anonymous_client.get("/readyz")

    assert response.status_code == 200
    assert database.closed == 1


def test_readyz_answers_503_when_the_shared_cache_is_unreachable(db, settings):
    settings.CACHES = UNREACHABLE_REDIS

    response = Client().get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "ok", "cache": "unavailable"}}


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_are_never_cached(anonymous_client, db, path):
    response = anonymous_client.get(path)

    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_set_no_cookie_and_do_not_vary_on_it(declarant_a_client, path):
    response = declarant_a_client.get(path)

    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.parametrize("path", ["/en/healthz", "/ar/readyz", "/healthz/"])
def test_probes_have_one_address_only(anonymous_client, db, path):
    assert anonymous_client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_refuse_a_post(anonymous_client, db, path):
    assert anonymous_client.post(path).status_code == 405


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_answer_in_plain_http_when_pages_are_redirected_to_https(db, settings, path):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()

    assert client.get(path).status_code == 200
    assert client.get("/").status_code == 301
