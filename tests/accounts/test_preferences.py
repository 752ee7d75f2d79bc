"""Each user sets their name, phone and the language of their e-mails; staff also choose which
events they hear about, and how (at once or in a daily digest)."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import User
from tests.factories import UserFactory

PAGE = reverse("accounts:preferences")


def _post(client, **overrides):
    data = {"full_name": "Amina Declarante", "phone": "0522000000", "language": "fr", **overrides}
    return client.post(PAGE, data)


@pytest.mark.django_db
def test_a_new_user_writes_in_french_and_hears_of_nothing():
    user = UserFactory()

    assert (user.language, user.notify_submissions, user.notify_registrations) == ("fr", "none", "none")


def test_a_member_sets_their_name_phone_and_language(declarant_a_client, declarant_a):
    response = _post(declarant_a_client, full_name="Amina Bennani", phone=" 0600 11 22 33 ", language="ar")

    declarant_a.refresh_from_db()
    assert (declarant_a.full_name, declarant_a.phone, declarant_a.language) == ("Amina Bennani", "0600 11 22 33", "ar")
    # The page follows the language just chosen.
    assertRedirects(response, "/ar" + PAGE, fetch_redirect_response=False)


def test_a_member_is_not_offered_staff_notifications(declarant_a_client, declarant_a):
    page = declarant_a_client.get(PAGE)
    _post(declarant_a_client, notify_submissions="immediate")

    assertNotContains(page, "notify_submissions")
    declarant_a.refresh_from_db()
    assert declarant_a.notify_submissions == User.Notification.NONE


def test_staff_choose_how_they_hear_of_submissions_and_registrations(staff_client, staff_user):
    page = staff_client.get(PAGE)
    _post(staff_client, notify_submissions="daily", notify_registrations="immediate")

    assertContains(page, "Notifications de l'équipe AMRC")
    staff_user.refresh_from_db()
    assert (staff_user.notify_submissions, staff_user.notify_registrations) == ("daily", "immediate")


@pytest.mark.parametrize(
    ("field", "value"), [("language", "de"), ("full_name", ""), ("phone", "0" * 31)], ids=["language", "name", "phone"]
)
def test_bad_input_is_reported_next_to_its_field_and_changes_nothing(declarant_a_client, declarant_a, field, value):
    response = _post(declarant_a_client, **{field: value})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    declarant_a.refresh_from_db()
    assert (declarant_a.full_name, declarant_a.language) == ("Amina Declarante", "fr")


def test_a_visitor_is_sent_to_the_login(anonymous_client):
    response = anonymous_client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_only_ever_changes_the_logged_in_user(declarant_a_client, declarant_a, declarant_b):
    _post(declarant_a_client, full_name="Changé", user=declarant_b.pk, email=declarant_b.email)

    declarant_b.refresh_from_db()
    assert declarant_b.full_name == "Youssef Outsider"


def test_the_navigation_links_to_the_preferences(declarant_a_client):
    response = declarant_a_client.get(reverse("portal:dashboard"))

    assertContains(response, f'href="{PAGE}"')


def test_staff_set_a_user_s_language_in_the_admin(staff_client, declarant_a):
    response = staff_client.get(reverse("admin:accounts_user_change", args=[declarant_a.pk]))

    assertContains(response, 'name="language"')
    assertContains(response, 'name="notify_submissions"')
