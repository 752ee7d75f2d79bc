"""Every endpoint that checks a password or sends an e-mail has a rate limit: beyond it the
request is refused with a French 429 page and nothing is sent or written. Each test lowers one
rate to keep the loop short; the cache is emptied between tests (tests/conftest.py)."""

import datetime
import logging
import uuid

import pytest
import time_machine
from django.core.cache import CacheHandler

from accounts.models import Invitation, User
from accounts.services import invitation_send
from members.models import Company, CompanyMembership
from tests.accounts.links import link_in
from tests.factories import DEFAULT_PASSWORD, UserFactory, region, valid_ice

ATTACKER = "203.0.113.7"
LIMIT = 3


@pytest.fixture(autouse=True)
def frozen_clock():
    # Counts run in fixed windows: a test must not straddle the end of one.
    with time_machine.travel(datetime.datetime(2024, 6, 12, 9, 0, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def limit(settings):
    """Lower one group's rate to LIMIT requests a minute."""

    def _limit(group: str) -> None:
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, group: f"{LIMIT}/m"}

    return _limit


def _refused(response) -> bool:
    return response.status_code == 429 and "Trop de demandes" in response.content.decode()


# --- Login ---


def test_the_member_login_is_limited_per_address(anonymous_client, declarant_a, limit):
    limit("login")
    for _ in range(LIMIT):
        anonymous_client.post("/connexion/", {"username": "x@y.ma", "password": "Pas-le-bon"}, REMOTE_ADDR=ATTACKER)

    response = anonymous_client.post(
        "/connexion/", {"username": declarant_a.email, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=ATTACKER
    )

    assert _refused(response)
    assert "_auth_user_id" not in anonymous_client.session


def test_the_admin_login_shares_the_login_limit(anonymous_client, staff_user, limit):
    limit("login")
    for _ in range(LIMIT):
        anonymous_client.post("/connexion/", {"username": "x@y.ma", "password": "Pas-le-bon"}, REMOTE_ADDR=ATTACKER)

    response = anonymous_client.post(
        "/admin/login/", {"username": staff_user.email, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=ATTACKER
    )

    assert _refused(response)


def test_another_address_still_logs_in(anonymous_client, client, declarant_a, limit):
    limit("login")
    for _ in range(LIMIT + 1):
        anonymous_client.post("/connexion/", {"username": "x@y.ma", "password": "Pas-le-bon"}, REMOTE_ADDR=ATTACKER)

    response = client.post("/connexion/", {"username": declarant_a.email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 302


def test_reading_the_login_page_is_never_limited(anonymous_client, db, limit):
    limit("login")

    statuses = {anonymous_client.get("/connexion/").status_code for _ in range(LIMIT + 2)}

    assert statuses == {200}


def test_a_refusal_is_a_security_event(anonymous_client, db, limit, caplog):
    limit("login")
    caplog.set_level(logging.INFO, logger="amrc.security")
    for _ in range(LIMIT + 1):
        anonymous_client.post("/connexion/", {"username": "x@y.ma", "password": "Pas-le-bon"}, REMOTE_ADDR=ATTACKER)

    [record] = [r for r in caplog.records if r.name == "amrc.security" and "rate_limited" in r.getMessage()]
    assert record.security_event["path"] == "/connexion/"
    assert record.security_event["ip"] == ATTACKER


# --- Self-registration ---


def _registration(n: int) -> dict:
    return {
        "trade_name": f"Opérateur {n}",
        "ice": valid_ice(5000 + n),
        "city": "Fès",
        "region": region("MA-03").pk,
        "headcount": "45",
        "full_name": "Salma Fassi",
        "email": f"contact{n}@operateur.ma",
        "phone": "+212 5 35 00 00 00",
        "password": DEFAULT_PASSWORD,
        "password_confirmation": DEFAULT_PASSWORD,
    }


def test_registration_is_limited_and_the_refused_one_creates_nothing(anonymous_client, db, limit, mailoutbox):
    limit("registration")
    for n in range(LIMIT):
        assert anonymous_client.post("/compte/inscription/", _registration(n)).status_code == 302

    response = anonymous_client.post("/compte/inscription/", _registration(LIMIT))

    assert _refused(response)
    assert Company.objects.filter(registration_status=Company.RegistrationStatus.PENDING).count() == LIMIT
    assert not User.objects.filter(email=f"contact{LIMIT}@operateur.ma").exists()
    assert len(mailoutbox) == LIMIT


# --- Password reset ---

RESET = "/compte/mot-de-passe/oublie/"


def test_password_reset_is_limited_per_client(anonymous_client, declarant_a, limit, mailoutbox):
    limit("password_reset")
    for n in range(LIMIT):
        anonymous_client.post(RESET, {"email": f"inconnu{n}@exemple.ma"})

    response = anonymous_client.post(RESET, {"email": declarant_a.email})

    assert _refused(response)
    assert mailoutbox == []


def test_password_reset_is_limited_per_address_from_any_client(declarant_a, limit, mailoutbox, client):
    limit("password_reset")
    for n in range(LIMIT):
        client.post(RESET, {"email": declarant_a.email}, REMOTE_ADDR=f"198.51.100.{n + 1}")

    response = client.post(RESET, {"email": declarant_a.email.upper()}, REMOTE_ADDR="198.51.100.99")

    assert _refused(response)
    assert len(mailoutbox) == LIMIT


def test_a_limited_reset_answers_the_same_for_a_known_and_an_unknown_address(declarant_a, limit, client):
    limit("password_reset")
    answers = []
    for email in (declarant_a.email, "inconnu@exemple.ma"):
        for n in range(LIMIT):
            client.post(RESET, {"email": email}, REMOTE_ADDR=f"198.51.100.{n + 1}")
        response = client.post(RESET, {"email": email}, REMOTE_ADDR="198.51.100.99")
        answers.append((response.status_code, response.content.decode().replace(email, "")))

    assert answers[0] == answers[1]
    assert answers[0][0] == 429


# --- Invitations ---


def test_inviting_from_the_team_page_is_limited_per_user(company_admin_a_client, company_a, limit, mailoutbox):
    limit("invitation_send")
    url = f"/compte/entreprises/{company_a.pk}/equipe/inviter/"
    for n in range(LIMIT):
        company_admin_a_client.post(url, {"email": f"collegue{n}@atlas.ma", "role": "declarant"})

    response = company_admin_a_client.post(url, {"email": "un-de-trop@atlas.ma", "role": "declarant"})

    assert _refused(response)
    assert not Invitation.objects.filter(email="un-de-trop@atlas.ma").exists()
    assert len(mailoutbox) == LIMIT


def test_inviting_from_the_admin_action_is_limited_per_user(staff_client, company_a, limit, mailoutbox):
    limit("invitation_send")
    selection = {"action": "company_invite_contact", "_selected_action": [company_a.pk], "apply": "1"}
    for n in range(LIMIT):
        staff_client.post("/admin/members/company/", {**selection, "email": f"contact{n}@atlas.ma", "role": "admin"})

    response = staff_client.post(
        "/admin/members/company/", {**selection, "email": "un-de-trop@atlas.ma", "role": "admin"}
    )

    assert _refused(response)
    assert not Invitation.objects.filter(email="un-de-trop@atlas.ma").exists()


def test_inviting_from_the_company_page_shares_the_admin_limit(staff_client, company_a, limit):
    limit("invitation_send")
    url = f"/admin/members/company/{company_a.pk}/inviter/"
    for n in range(LIMIT):
        staff_client.post(url, {"email": f"contact{n}@atlas.ma", "role": "admin"})

    response = staff_client.post(url, {"email": "un-de-trop@atlas.ma", "role": "admin"})

    assert _refused(response)
    assert not Invitation.objects.filter(email="un-de-trop@atlas.ma").exists()


def test_accepting_an_invitation_is_limited_per_client(anonymous_client, company_a, staff_user, limit, mailoutbox):
    limit("invitation_accept")
    UserFactory(email="existant@atlas.ma")
    invitation_send(
        company=company_a, email="existant@atlas.ma", role=CompanyMembership.Role.DECLARANT, invited_by=staff_user
    )
    link = link_in(mailoutbox[-1], "/compte/invitation/")
    for _ in range(LIMIT):
        anonymous_client.post(link, {"password": "Pas-le-bon-mot-de-passe"})

    response = anonymous_client.post(link, {"password": DEFAULT_PASSWORD})

    assert _refused(response)
    assert Invitation.objects.get().accepted_at is None


# --- Across app servers ---


def test_a_limit_reached_holds_for_a_new_connection_to_the_shared_cache(
    anonymous_client, db, limit, settings, monkeypatch
):
    """With CACHE_URL (Redis), another app server reads the same counts: here, new connections."""
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/3"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"h3-test-{uuid.uuid4().hex}",
        }
    }
    limit("login")
    for _ in range(LIMIT):
        anonymous_client.post("/connexion/", {"username": "x@y.ma", "password": "Pas-le-bon"}, REMOTE_ADDR=ATTACKER)
    monkeypatch.setattr("django_ratelimit.core.caches", CacheHandler())

    response = anonymous_client.post(
        "/connexion/", {"username": "x@y.ma", "password": "Pas-le-bon"}, REMOTE_ADDR=ATTACKER
    )

    assert _refused(response)
