from django.urls import reverse

from members.models import CompanyMessage
from tests.admin.builders import make_message
from tests.factories import StaffUserFactory


def test_a_message_written_in_the_admin_is_signed_by_its_author(staff_client, staff_user, company_a):
    staff_client.post(
        reverse("admin:members_companymessage_add"),
        {"company": company_a.pk, "subject": "Nouvelle campagne", "body": "La semaine 5 est ouverte."},
    )

    assert CompanyMessage.objects.get(subject="Nouvelle campagne").created_by == staff_user


def test_editing_a_message_keeps_its_first_author(staff_client):
    colleague = StaffUserFactory(email="collegue@amrc.ma")
    message = make_message(subject="Rappel", created_by=colleague)

    staff_client.post(
        reverse("admin:members_companymessage_change", args=[message.pk]),
        {"company": "", "subject": "Rappel corrigé", "body": "Merci."},
    )

    message.refresh_from_db()
    assert message.subject == "Rappel corrigé"
    assert message.created_by == colleague


def test_a_message_to_every_company_is_listed_as_such(staff_client):
    make_message(company=None, subject="À tous")

    response = staff_client.get(reverse("admin:members_companymessage_changelist"))

    assert "Toutes les entreprises" in response.content.decode()
