"""Only association staff enter the admin: member users and visitors are sent to its login."""

import pytest
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD

ADMIN_PAGES = ["admin:index", "admin:members_company_changelist", "admin:measures_declaration_changelist"]


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_a_declarant_is_sent_to_the_admin_login(declarant_a_client, page):
    response = declarant_a_client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_a_company_administrator_is_sent_to_the_admin_login(company_admin_a_client, page):
    response = company_admin_a_client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_an_anonymous_visitor_is_sent_to_the_admin_login(anonymous_client, page):
    response = anonymous_client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_member_cannot_log_in_to_the_admin_with_a_right_password(anonymous_client, declarant_a):
    response = anonymous_client.post(
        reverse("admin:login"), {"username": declarant_a.email, "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in anonymous_client.session


def test_a_declarant_cannot_change_a_company_through_the_admin(declarant_a_client, company_a):
    response = declarant_a_client.post(
        reverse("admin:members_company_change", args=[company_a.pk]), {"trade_name": "Piraté"}
    )

    company_a.refresh_from_db()
    assert response.status_code == 302
    assert company_a.trade_name == "Atlas Contact"


def test_staff_log_in_to_the_admin_with_their_e_mail(anonymous_client, staff_user):
    response = anonymous_client.post(
        reverse("admin:login"),
        {"username": "STAFF@amrc.ma", "password": DEFAULT_PASSWORD, "next": reverse("admin:index")},
    )

    # The password is right; the second factor comes next (here its set-up, the account has none).
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:two-factor-setup") + "?next=%2Fadmin%2F"
