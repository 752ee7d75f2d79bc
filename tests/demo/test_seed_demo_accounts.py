from base64 import b32decode

import pytest
from django.contrib.auth.password_validation import validate_password
from django.test import Client
from django_otp.oath import TOTP

from accounts.models import User
from demo import sector
from members.models import CompanyMembership, CompanyMessage
from tests.login import password_logs_in

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("seeded")]

DEMO_LOGINS = ["staff@amrc.ma", "declarant@atlas-demo.ma", "admin@atlas-demo.ma", "declarant@nour-demo.ma"]


@pytest.mark.parametrize("email", DEMO_LOGINS)
def test_each_demo_account_logs_in_with_the_demo_password(email):
    assert password_logs_in(email, sector.DEMO_PASSWORD)


@pytest.mark.parametrize("email", DEMO_LOGINS)
def test_the_demo_password_would_pass_the_password_validators(email):
    validate_password(sector.DEMO_PASSWORD, user=User.objects.get(email=email))


def _staff_past_the_password() -> Client:
    client = Client()
    response = client.post("/admin/login/", {"username": "staff@amrc.ma", "password": sector.DEMO_PASSWORD})
    assert response["Location"].startswith("/admin/deux-facteurs/")
    return client


def test_the_staff_account_reaches_the_admin_with_a_printed_backup_code():
    client = _staff_past_the_password()

    client.post("/admin/deux-facteurs/", {"code": sector.DEMO_BACKUP_CODES[0]})

    assert client.get("/admin/").status_code == 200


def test_the_staff_account_reaches_the_admin_with_the_printed_application_key():
    client = _staff_past_the_password()
    code = TOTP(b32decode(sector.DEMO_TOTP_KEY.replace(" ", ""))).token()

    client.post("/admin/deux-facteurs/", {"code": f"{code:06d}"})

    assert client.get("/admin/").status_code == 200


def test_the_second_factor_is_printed_with_the_logins(seed_output):
    assert sector.DEMO_TOTP_KEY in seed_output
    assert all(code in seed_output for code in sector.DEMO_BACKUP_CODES)


def test_only_the_staff_account_is_staff():
    assert list(User.objects.filter(is_staff=True).values_list("email", flat=True)) == ["staff@amrc.ma"]


@pytest.mark.parametrize(
    ("email", "company", "role"),
    [
        ("declarant@atlas-demo.ma", sector.DEMO_MEMBER, CompanyMembership.Role.DECLARANT),
        ("admin@atlas-demo.ma", sector.DEMO_MEMBER, CompanyMembership.Role.ADMIN),
        ("declarant@nour-demo.ma", sector.DEMO_SMALL_OPERATOR[0], CompanyMembership.Role.DECLARANT),
    ],
)
def test_each_demo_member_account_belongs_to_its_company_only(email, company, role):
    memberships = CompanyMembership.objects.filter(user__email=email)

    assert list(memberships.values_list("company__trade_name", "role")) == [(company, role)]


def test_the_other_company_contacts_cannot_log_in_until_invited():
    contacts = User.objects.filter(is_staff=False).exclude(email__in=DEMO_LOGINS)

    assert contacts.count() > 500
    assert not any(contact.has_usable_password() for contact in contacts)


def test_staff_wrote_to_all_companies_and_to_the_demo_companies():
    messages = CompanyMessage.objects.all()

    assert messages.filter(company=None).exists()
    assert set(messages.exclude(company=None).values_list("company__trade_name", flat=True)) == {
        sector.DEMO_MEMBER,
        sector.DEMO_SMALL_OPERATOR[0],
    }
    assert set(messages.values_list("created_by__email", flat=True)) == {"staff@amrc.ma"}
