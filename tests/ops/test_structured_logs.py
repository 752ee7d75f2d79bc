"""Every event is one line, JSON in production, carrying the request's id; paths are logged
without the secrets invitation and password-reset addresses carry; a request for a host the site
does not serve is one warning line, not a traceback."""

import io
import json
import logging
import sys

import pytest
from django.test import Client, RequestFactory
from django.urls import resolve

from amrc.lib.structured_logging import JsonFormatter, KeyValueFormatter, redacted_path

SECRET = "Zx9-secret-invitation-token-Qw7"


@pytest.fixture
def json_lines():
    """The JSON lines logged through the root logger while the test runs."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def _record(message: str = "Déclaration enregistrée", **extra) -> logging.LogRecord:
    record = logging.LogRecord("amrc.test", logging.INFO, __file__, 1, message, (), None)
    record.__dict__.update(extra)
    return record


def test_a_json_line_names_its_time_level_logger_and_message():
    line = json.loads(JsonFormatter().format(_record()))

    assert line["level"] == "INFO"
    assert line["logger"] == "amrc.test"
    assert line["message"] == "Déclaration enregistrée"
    assert line["time"].endswith("+00:00")


def test_the_fields_of_an_event_become_fields_of_its_line():
    line = json.loads(JsonFormatter().format(_record(declaration=42, status="submitted")))

    assert (line["declaration"], line["status"]) == (42, "submitted")


def test_a_traceback_stays_inside_its_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("amrc.test", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())

    output = JsonFormatter().format(record)

    assert "\n" not in output
    assert "ValueError: boom" in json.loads(output)["exception"]


def test_a_key_value_line_stays_on_one_line_whatever_the_message():
    output = KeyValueFormatter().format(_record("first\nsecond", host='evil "example"'))

    assert "\n" not in output
    assert 'host="evil \\"example\\""' in output


def test_every_line_logged_while_serving_a_request_carries_its_id(anonymous_client, db, json_lines):
    response = anonymous_client.get("/cette-page-n-existe-pas/")

    [line] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert line["request_id"] == response["X-Request-ID"]
    assert (line["status_code"], line["method"], line["path"]) == (404, "GET", "/cette-page-n-existe-pas/")


def test_a_failure_is_one_line_with_its_traceback_and_the_request_s_id(db, settings, json_lines):
    settings.ROOT_URLCONF = "tests.ops.failing_urls"

    response = Client(raise_request_exception=False).get("/tests/fails/")

    [line] = [line for line in json_lines() if line["logger"] == "django.request"]
    assert (line["level"], line["status_code"]) == ("ERROR", 500)
    assert line["request_id"] == response["X-Request-ID"]
    assert "ValueError: a bug" in line["exception"]


def test_each_request_gets_its_own_id(anonymous_client, db):
    first = anonymous_client.get("/healthz")["X-Request-ID"]
    second = anonymous_client.get("/healthz")["X-Request-ID"]

    assert first != second


def test_an_invitation_token_never_reaches_the_log(anonymous_client, db, json_lines):
    response = anonymous_client.get(f"/compte/invitation/{SECRET}/")

    lines = json_lines()
    assert response.status_code == 404
    assert lines
    assert SECRET not in json.dumps(lines)
    assert lines[-1]["path"] == "/compte/invitation/{token}/"


def test_the_access_log_gets_the_path_with_its_secrets_masked(anonymous_client, db):
    response = anonymous_client.get(f"/en/compte/invitation/{SECRET}/", {"utm_source": "mail"})

    assert response.wsgi_request.META["amrc.log_path"] == "/en/compte/invitation/{token}/"


def test_a_password_reset_address_is_logged_without_its_user_and_token():
    path = "/compte/mot-de-passe/nouveau/MTI/cmr4k2-5f0c1e2d3a4b5c6d7e8f/"
    request = RequestFactory().get(path)
    request.resolver_match = resolve(path)

    assert redacted_path(request) == "/compte/mot-de-passe/nouveau/{uidb64}/{token}/"


def test_an_address_without_secrets_is_logged_as_it_is():
    request = RequestFactory().get("/bulletins/semaine-du-16-03-2020/")
    request.resolver_match = resolve("/bulletins/semaine-du-16-03-2020/")

    assert redacted_path(request) == "/bulletins/semaine-du-16-03-2020/"


def test_a_request_for_another_host_is_one_warning_line_without_traceback(db, json_lines):
    response = Client().get("/", headers={"host": "attaquant.example"})

    lines = [line for line in json_lines() if line["logger"] == "django.security.DisallowedHost"]
    assert response.status_code == 400
    assert len(lines) == 1
    assert lines[0]["level"] == "WARNING"
    assert "attaquant.example" in lines[0]["message"]
    assert "exception" not in lines[0]


def test_an_incoming_request_id_is_ignored_without_a_proxy(db):
    response = Client().get("/healthz", headers={"x-request-id": "choisi-par-le-client"})

    assert response["X-Request-ID"] != "choisi-par-le-client"


def test_the_proxy_s_request_id_is_kept_behind_a_declared_proxy(db, settings):
    settings.BEHIND_PROXY = True

    response = Client().get("/healthz", headers={"x-request-id": "5f0c1e2d3a4b5c6d7e8f9a0b1c2d3e4f"})

    assert response["X-Request-ID"] == "5f0c1e2d3a4b5c6d7e8f9a0b1c2d3e4f"


@pytest.mark.parametrize("forged", ["deux mots", "x" * 65, "ligne\nsuivante", "<script>"])
def test_a_malformed_request_id_is_replaced_even_behind_a_proxy(db, settings, forged):
    settings.BEHIND_PROXY = True

    response = Client().get("/healthz", headers={"x-request-id": forged})

    assert response["X-Request-ID"] != forged
    assert len(response["X-Request-ID"]) == 32
