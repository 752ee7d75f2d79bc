"""Staff need a second factor for the admin: an authenticator application (TOTP), set up on the
first visit with a QR code, or a single-use backup code. A password alone opens nothing."""

import logging
import re

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from tests.factories import BulletinFactory

VERIFY = "/admin/deux-facteurs/"
SETUP = "/admin/deux-facteurs/activer/"
BACKUP = "/admin/deux-facteurs/codes-de-secours/"


def _code(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


@pytest.fixture
def password_only(staff_user) -> Client:
    """Staff who gave the right password and nothing more."""
    client = Client()
    client.force_login(staff_user)
    return client


@pytest.fixture
def enrolled(staff_user) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=staff_user, name="Téléphone", confirmed=True)
    two_factor.backup_codes_renew(user=staff_user)
    return device


def _verified(client: Client) -> bool:
    return client.get("/admin/").status_code == 200


# --- Without the second factor ---


def test_a_password_alone_does_not_open_the_admin(password_only):
    response = password_only.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_admin_login_sends_staff_without_a_device_to_the_set_up(password_only):
    response = password_only.get("/admin/login/?next=/admin/members/company/")

    assert response.status_code == 302
    assert response["Location"] == SETUP + "?next=%2Fadmin%2Fmembers%2Fcompany%2F"


def test_the_admin_login_sends_enrolled_staff_to_the_code_page(password_only, enrolled):
    response = password_only.get("/admin/login/")

    assert response["Location"] == VERIFY + "?next=%2Fadmin%2F"


def test_a_password_alone_cannot_attach_another_application(password_only, enrolled):
    response = password_only.get(SETUP)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert not TOTPDevice.objects.filter(confirmed=False).exists()


def test_a_password_alone_does_not_show_draft_bulletins(password_only):
    bulletin = BulletinFactory()

    assert password_only.get(f"/bulletins/{bulletin.slug}/").status_code == 404
    assert password_only.get(f"/bulletins/{bulletin.slug}/apercu/").status_code == 404


@pytest.mark.parametrize("url", [VERIFY, SETUP, BACKUP])
def test_members_and_visitors_are_sent_to_the_admin_login(declarant_a_client, anonymous_client, url):
    for client in (declarant_a_client, anonymous_client):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


# --- Setting up the application ---


def test_the_set_up_page_shows_a_qr_code_and_the_secret(password_only):
    content = password_only.get(SETUP).content.decode()

    device = TOTPDevice.objects.get(confirmed=False)
    assert "<svg" in content
    assert "style=" not in re.search(r"<svg.*?</svg>", content, re.S).group(0)
    assert two_factor.totp_secret(device) in content


def test_reloading_the_set_up_page_keeps_the_same_secret(password_only):
    first = password_only.get(SETUP).context["secret"]

    assert password_only.get(SETUP).context["secret"] == first
    assert TOTPDevice.objects.count() == 1


def test_the_right_code_confirms_the_application_and_opens_the_admin(password_only):
    password_only.get(SETUP)
    device = TOTPDevice.objects.get()

    response = password_only.post(SETUP, {"code": _code(device), "next": "/admin/"})

    device.refresh_from_db()
    assert device.confirmed
    assert len(response.context["codes"]) == two_factor.BACKUP_CODE_COUNT
    assert _verified(password_only)


def test_a_wrong_code_confirms_nothing(password_only):
    password_only.get(SETUP)

    response = password_only.post(SETUP, {"code": "000000"})

    assert response.context["form"].errors["code"] == [str(two_factor.WRONG_CODE)]
    assert not TOTPDevice.objects.get().confirmed
    assert not _verified(password_only)


def test_a_new_application_replaces_the_old_one(password_only, staff_user, enrolled):
    password_only.post(VERIFY, {"code": _code(enrolled)})
    password_only.get(SETUP)
    new = TOTPDevice.objects.get(confirmed=False)

    password_only.post(SETUP, {"code": _code(new)})

    assert list(TOTPDevice.objects.filter(user=staff_user)) == [new]


# --- Verifying ---


def test_the_application_code_opens_the_admin_and_returns_to_the_page_asked(password_only, enrolled):
    response = password_only.post(VERIFY, {"code": _code(enrolled), "next": "/admin/members/company/"})

    assert response.status_code == 302
    assert response["Location"] == "/admin/members/company/"
    assert _verified(password_only)


def test_a_backup_code_works_once(password_only, staff_user, enrolled):
    code = StaticToken.objects.filter(device__user=staff_user).first().token

    first = password_only.post(VERIFY, {"code": code.upper()})
    password_only.post("/deconnexion/")
    again = Client()
    again.force_login(staff_user)
    second = again.post(VERIFY, {"code": code})

    assert first.status_code == 302
    assert second.status_code == 200
    assert second.context["form"].errors["code"] == [str(two_factor.WRONG_CODE)]
    assert two_factor.backup_codes_remaining(user=staff_user) == two_factor.BACKUP_CODE_COUNT - 1


def test_a_wrong_code_keeps_the_admin_closed_and_is_logged(password_only, enrolled, caplog):
    caplog.set_level(logging.INFO, logger="amrc.security")

    response = password_only.post(VERIFY, {"code": "123456"})

    assert response.status_code == 200
    assert not _verified(password_only)
    assert any("two_factor.failed" in record.getMessage() for record in caplog.records)


def test_verification_changes_the_session_key(password_only, enrolled):
    before = password_only.cookies["sessionid"].value

    password_only.post(VERIFY, {"code": _code(enrolled)})

    assert password_only.cookies["sessionid"].value != before


def test_a_foreign_next_address_is_ignored(password_only, enrolled):
    response = password_only.post(VERIFY, {"code": _code(enrolled), "next": "https://attaquant.example/"})

    assert response["Location"] == "/admin/"


def test_verified_staff_see_draft_bulletins(staff_client):
    bulletin = BulletinFactory()

    assert staff_client.get(f"/bulletins/{bulletin.slug}/apercu/").status_code == 200


# --- Backup codes ---


def test_verified_staff_renew_their_backup_codes(staff_client, staff_user):
    old = set(StaticToken.objects.filter(device__user=staff_user).values_list("token", flat=True))

    response = staff_client.post(BACKUP)

    new = set(response.context["codes"])
    assert len(new) == two_factor.BACKUP_CODE_COUNT
    assert set(StaticToken.objects.filter(device__user=staff_user).values_list("token", flat=True)) == new
    assert not old & new


def test_the_backup_codes_page_needs_the_second_factor(password_only, enrolled):
    response = password_only.post(BACKUP)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
