"""Brute force on the member login and the admin login: after LOGIN_FAILURE_LIMIT failures for
one address from one IP, that pair is locked (even the right password is refused) until the
lock expires or staff unlock it in the admin."""

import datetime
import logging

import pytest
import time_machine
from axes.models import AccessAttempt

from tests.factories import DEFAULT_PASSWORD, StaffUserFactory

MEMBER_LOGIN = "/connexion/"
ADMIN_LOGIN = "/admin/login/"
WRONG = "Pas-le-bon-mot-de-passe"
ATTACKER = "203.0.113.7"


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    # The lockout alone is under test here; the rate limit has its own tests.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "1000/m"}


def _attempt(client, url: str, email: str, password: str, ip: str = ATTACKER):
    return client.post(url, {"username": email, "password": password}, REMOTE_ADDR=ip)


def _brute_force(client, url: str, email: str, tries: int, ip: str = ATTACKER):
    return [_attempt(client, url, email, WRONG, ip) for _ in range(tries)]


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_failures_below_the_limit_leave_the_right_password_working(anonymous_client, declarant_a, settings):
    _brute_force(anonymous_client, MEMBER_LOGIN, declarant_a.email, settings.AXES_FAILURE_LIMIT - 1)

    response = _attempt(anonymous_client, MEMBER_LOGIN, declarant_a.email, DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert _logged_in(anonymous_client)


def test_the_failure_that_reaches_the_limit_answers_with_the_lockout_page(anonymous_client, declarant_a, settings):
    responses = _brute_force(anonymous_client, MEMBER_LOGIN, declarant_a.email, settings.AXES_FAILURE_LIMIT)

    assert [response.status_code for response in responses] == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    content = responses[-1].content.decode()
    assert "Connexion bloquée" in content
    assert "la connexion est suspendue pendant 30 minutes" in content


def test_fifty_wrong_passwords_then_the_right_one_does_not_log_in(anonymous_client, declarant_a):
    _brute_force(anonymous_client, MEMBER_LOGIN, declarant_a.email, 50)

    response = _attempt(anonymous_client, MEMBER_LOGIN, declarant_a.email, DEFAULT_PASSWORD)

    assert response.status_code == 429
    assert "Connexion bloquée" in response.content.decode()
    assert not _logged_in(anonymous_client)


def test_the_admin_login_locks_out_the_superuser(anonymous_client, db, settings):
    StaffUserFactory(email="direction@amrc.ma")
    _brute_force(anonymous_client, ADMIN_LOGIN, "direction@amrc.ma", settings.AXES_FAILURE_LIMIT)

    response = _attempt(anonymous_client, ADMIN_LOGIN, "direction@amrc.ma", DEFAULT_PASSWORD)

    assert response.status_code == 429
    assert not _logged_in(anonymous_client)


def test_failures_on_either_login_page_count_together(anonymous_client, staff_user, settings):
    _brute_force(anonymous_client, MEMBER_LOGIN, staff_user.email, settings.AXES_FAILURE_LIMIT - 1)

    response = _attempt(anonymous_client, ADMIN_LOGIN, staff_user.email, WRONG)

    assert response.status_code == 429


def test_the_case_of_the_address_does_not_reset_the_count(anonymous_client, declarant_a, settings):
    for index in range(settings.AXES_FAILURE_LIMIT):
        typed = declarant_a.email.upper() if index % 2 else f" {declarant_a.email}"
        _attempt(anonymous_client, MEMBER_LOGIN, typed, WRONG)

    assert _attempt(anonymous_client, MEMBER_LOGIN, declarant_a.email, DEFAULT_PASSWORD).status_code == 429


def test_the_same_account_still_logs_in_from_another_address(anonymous_client, client, declarant_a, settings):
    _brute_force(anonymous_client, MEMBER_LOGIN, declarant_a.email, settings.AXES_FAILURE_LIMIT)

    response = _attempt(client, MEMBER_LOGIN, declarant_a.email, DEFAULT_PASSWORD, ip="198.51.100.20")

    assert response.status_code == 302
    assert _logged_in(client)


def test_another_account_still_logs_in_from_the_locked_address(anonymous_client, declarant_a, declarant_b, settings):
    _brute_force(anonymous_client, MEMBER_LOGIN, declarant_a.email, settings.AXES_FAILURE_LIMIT)

    response = _attempt(anonymous_client, MEMBER_LOGIN, declarant_b.email, DEFAULT_PASSWORD)

    assert response.status_code == 302


def test_the_lock_expires_after_the_cool_off(anonymous_client, declarant_a, settings):
    with time_machine.travel(datetime.datetime(2024, 6, 12, 9, 0, tzinfo=datetime.UTC), tick=False) as clock:
        _brute_force(anonymous_client, MEMBER_LOGIN, declarant_a.email, settings.AXES_FAILURE_LIMIT)
        clock.shift(settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1))

        response = _attempt(anonymous_client, MEMBER_LOGIN, declarant_a.email, DEFAULT_PASSWORD)

    assert response.status_code == 302


def test_the_lock_is_recorded_in_the_database_for_every_app_server(anonymous_client, declarant_a, settings):
    _brute_force(anonymous_client, MEMBER_LOGIN, declarant_a.email, settings.AXES_FAILURE_LIMIT)

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address) == (declarant_a.email, ATTACKER)
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT


def test_the_lockout_is_a_security_event(anonymous_client, declarant_a, settings, caplog):
    caplog.set_level(logging.INFO, logger="amrc.security")

    _brute_force(anonymous_client, MEMBER_LOGIN, declarant_a.email, settings.AXES_FAILURE_LIMIT)

    [locked] = [r for r in caplog.records if r.name == "amrc.security" and "login.locked_out" in r.getMessage()]
    assert locked.security_event["username"] == declarant_a.email
    assert locked.security_event["ip"] == ATTACKER


def test_staff_unlock_the_account_in_the_admin(anonymous_client, staff_client, declarant_a, settings):
    _brute_force(anonymous_client, MEMBER_LOGIN, declarant_a.email, settings.AXES_FAILURE_LIMIT)
    attempt = AccessAttempt.objects.get()

    response = staff_client.post(
        "/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": [attempt.pk]}, follow=True
    )

    assert "1 connexion débloquée" in response.content.decode()
    assert not AccessAttempt.objects.exists()
    login = _attempt(anonymous_client, MEMBER_LOGIN, declarant_a.email, DEFAULT_PASSWORD)
    assert login.status_code == 302
    assert _logged_in(anonymous_client)


def test_staff_see_which_pairs_are_locked(anonymous_client, staff_client, declarant_a, settings):
    _brute_force(anonymous_client, MEMBER_LOGIN, declarant_a.email, settings.AXES_FAILURE_LIMIT)

    response = staff_client.get("/admin/axes/accessattempt/?locked_out=yes")

    content = response.content.decode()
    assert declarant_a.email in content
    assert ATTACKER in content


@pytest.mark.parametrize("url", [MEMBER_LOGIN, ADMIN_LOGIN])
def test_a_megabyte_address_is_refused_without_an_error(anonymous_client, db, url):
    response = _attempt(anonymous_client, url, "a" * 1_000_000 + "@x.ma", WRONG)

    assert response.status_code == 200
