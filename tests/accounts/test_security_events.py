"""Logins, failures and logouts are security events: one structured line each on the
`amrc.security` logger, never with the password."""

import json
import logging

import pytest

from tests.factories import DEFAULT_PASSWORD


@pytest.fixture
def events(caplog):
    caplog.set_level(logging.INFO, logger="amrc.security")
    return caplog


def _records(caplog, event: str) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name == "amrc.security" and record.security_event["event"] == event
    ]


def test_a_successful_login_is_logged_with_the_user_and_address(anonymous_client, declarant_a, events):
    anonymous_client.post("/connexion/", {"username": declarant_a.email, "password": DEFAULT_PASSWORD})

    [record] = _records(events, "login.succeeded")
    assert record.security_event["user_id"] == declarant_a.pk
    assert record.security_event["ip"] == "127.0.0.1"
    assert record.getMessage().startswith('event="login.succeeded" ip="127.0.0.1" path="/connexion/"')


def test_a_failed_login_is_a_warning_with_the_name_typed(anonymous_client, declarant_a, events):
    anonymous_client.post("/connexion/", {"username": declarant_a.email, "password": "pas-le-bon-mot-de-passe"})

    [record] = _records(events, "login.failed")
    assert record.levelno == logging.WARNING
    assert record.security_event["username"] == declarant_a.email


def test_the_password_never_reaches_the_log(anonymous_client, declarant_a, events):
    anonymous_client.post("/connexion/", {"username": declarant_a.email, "password": "Secret-Tres-Visible-42"})
    anonymous_client.post("/connexion/", {"username": declarant_a.email, "password": DEFAULT_PASSWORD})

    assert "Secret-Tres-Visible-42" not in events.text
    assert DEFAULT_PASSWORD not in events.text


def test_a_name_with_a_line_break_stays_on_one_line(anonymous_client, db, events):
    anonymous_client.post("/connexion/", {"username": "x@y.ma\nevent=forged", "password": "pas-le-bon-mot"})

    [record] = _records(events, "login.failed")
    assert "\n" not in record.getMessage()
    assert json.loads(record.getMessage().split("username=")[1].split(" locked_out=")[0]) == "x@y.ma\nevent=forged"


def test_a_logout_is_logged(declarant_a_client, declarant_a, events):
    declarant_a_client.post("/deconnexion/")

    [record] = _records(events, "logout")
    assert record.security_event["user_id"] == declarant_a.pk
