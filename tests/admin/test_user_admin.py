from django.urls import reverse

from accounts.models import User
from tests.admin.builders import admin_form_data
from tests.factories import UserFactory
from tests.login import password_logs_in

ADD = reverse("admin:accounts_user_add")
CHANGELIST = reverse("admin:accounts_user_changelist")
PASSWORD = "Une-phrase-de-passe-2020"


def test_staff_create_a_user_with_an_e_mail_and_a_password_twice(staff_client):
    response = staff_client.post(
        ADD, {"email": "Nouveau@Atlas.ma", "full_name": "Nadia Nouvelle", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 302
    user = User.objects.get(email="nouveau@atlas.ma")
    assert user.full_name == "Nadia Nouvelle"
    assert password_logs_in("nouveau@atlas.ma", PASSWORD)


def test_the_two_passwords_must_match(staff_client):
    response = staff_client.post(ADD, {"email": "nouveau@atlas.ma", "password1": PASSWORD, "password2": PASSWORD + "x"})

    assert response.status_code == 200
    assert not User.objects.filter(email="nouveau@atlas.ma").exists()


def test_an_e_mail_already_used_in_another_case_is_refused(staff_client, declarant_a):
    response = staff_client.post(ADD, {"email": "DECLARANT@atlas.ma", "password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 200
    assert "Un compte utilise déjà cette adresse e-mail." in response.context["adminform"].form.errors["email"]


def test_staff_find_a_user_by_name(staff_client, declarant_a, declarant_b):
    response = staff_client.get(CHANGELIST, {"q": "amina"})

    assert list(response.context["cl"].result_list) == [declarant_a]


def test_staff_filter_the_staff_users(staff_client, staff_user, declarant_a):
    response = staff_client.get(CHANGELIST, {"is_staff__exact": "1"})

    assert list(response.context["cl"].result_list) == [staff_user]


def test_staff_filter_the_inactive_users(staff_client, declarant_a):
    gone = UserFactory(email="parti@atlas.ma", is_active=False)

    response = staff_client.get(CHANGELIST, {"is_active__exact": "0"})

    assert list(response.context["cl"].result_list) == [gone]


def test_the_user_page_lists_the_companies_of_the_user(staff_client, declarant_a):
    response = staff_client.get(reverse("admin:accounts_user_change", args=[declarant_a.pk]))

    assert "Atlas Contact" in response.content.decode()


def test_staff_detach_a_user_from_a_company(staff_client, declarant_a):
    url = reverse("admin:accounts_user_change", args=[declarant_a.pk])
    page = staff_client.get(url)

    staff_client.post(url, admin_form_data(page, **{"memberships-0-DELETE": "on"}))

    assert not declarant_a.memberships.exists()
