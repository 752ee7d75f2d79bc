"""Import and export are for staff with the model's permissions; members and visitors get nothing."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from members.models import Company
from tests.factories import CompanyFactory, UserFactory
from tests.login import log_in
from tests.spreadsheets.files import company_row, csv_file

pytestmark = pytest.mark.django_db

URLS = [
    reverse("admin:members_company_import"),
    reverse("admin:members_company_process_import"),
    reverse("admin:members_company_export"),
    reverse("admin:measures_declaration_export"),
]


def _staff_with(*codenames: str) -> Client:
    user = UserFactory(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return log_in(Client(), user)


@pytest.mark.parametrize("url", URLS)
def test_a_member_is_sent_to_the_admin_login(declarant_a_client, url):
    response = declarant_a_client.post(url, {"format": "0"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("url", URLS)
def test_an_anonymous_visitor_is_sent_to_the_admin_login(anonymous_client, url):
    response = anonymous_client.post(url, {"format": "0"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_member_cannot_import_companies(declarant_a_client):
    declarant_a_client.post(reverse("admin:members_company_import"), {"import_file": csv_file([company_row(1)])})

    assert not Company.objects.filter(trade_name="Plateau Import 1").exists()


def test_staff_without_permissions_can_neither_import_nor_export():
    client = _staff_with()

    for url in URLS:
        assert client.post(url, {"format": "0"}).status_code == 403, url


def test_staff_who_may_only_view_companies_export_but_do_not_import():
    CompanyFactory()
    client = _staff_with("view_company")

    assert client.post(reverse("admin:members_company_export"), {"format": "0"}).status_code == 200
    assert client.get(reverse("admin:members_company_import")).status_code == 403


def test_staff_who_may_add_but_not_change_companies_do_not_import():
    client = _staff_with("view_company", "add_company")

    assert client.get(reverse("admin:members_company_import")).status_code == 403


def test_staff_who_may_add_and_change_companies_import():
    client = _staff_with("view_company", "add_company", "change_company")

    assert client.get(reverse("admin:members_company_import")).status_code == 200


def test_the_import_and_export_buttons_show_only_with_the_permissions():
    CompanyFactory()
    viewer = _staff_with("view_company")

    content = viewer.get(reverse("admin:members_company_changelist")).content.decode()

    assert reverse("admin:members_company_export") in content
    assert reverse("admin:members_company_import") not in content
