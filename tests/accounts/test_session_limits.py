"""A session ends twelve hours after the login at most, and after two hours without activity;
public pages never read the session to check it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import DEFAULT_PASSWORD

LOGIN_AT = datetime.datetime(2024, 6, 12, 8, 0, tzinfo=ZoneInfo("Africa/Casablanca"))
DASHBOARD = "/espace/"


@pytest.fixture
def clock():
    with time_machine.travel(LOGIN_AT, tick=False) as traveller:
        yield traveller


@pytest.fixture
def member(anonymous_client, declarant_a, clock):
    response = anonymous_client.post("/connexion/", {"username": declarant_a.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return anonymous_client


def _later(clock, **delta) -> None:
    clock.shift(datetime.timedelta(**delta))


def test_a_member_stays_logged_in_while_active(member, clock):
    for _ in range(5):
        _later(clock, minutes=110)
        assert member.get(DASHBOARD).status_code == 200


def test_two_hours_without_activity_end_the_session(member, clock):
    _later(clock, hours=2, minutes=1)

    response = member.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")
    assert "_auth_user_id" not in member.session


def test_the_member_is_told_that_the_session_expired(member, clock):
    _later(clock, hours=2, minutes=1)

    response = member.get(DASHBOARD, follow=True)

    assert "Votre session a expiré" in response.content.decode()


def test_twelve_hours_after_the_login_the_session_ends_even_when_active(member, clock):
    for _ in range(6):
        _later(clock, minutes=110)
        member.get(DASHBOARD)
    _later(clock, minutes=61)

    response = member.get(DASHBOARD)

    assert response.status_code == 302
    assert "_auth_user_id" not in member.session


def test_a_new_login_restarts_the_clock(member, declarant_a, clock):
    _later(clock, hours=11)
    member.post("/connexion/", {"username": declarant_a.email, "password": DEFAULT_PASSWORD})
    _later(clock, hours=1, minutes=30)

    assert member.get(DASHBOARD).status_code == 200


def test_a_public_page_does_not_read_the_session_of_a_logged_in_member(member, clock):
    _later(clock, hours=3)

    response = member.get("/")

    assert response.status_code == 200
    assert "Vary" not in response or "Cookie" not in response["Vary"]
    assert not response.cookies


def test_the_session_cookie_lives_no_longer_than_twelve_hours(member, settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert member.cookies[settings.SESSION_COOKIE_NAME]["max-age"] <= 12 * 3600
