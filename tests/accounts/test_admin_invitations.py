"""Staff invite a company's contact from the admin: the action on the list, and the button on
the company's page."""

from accounts.models import Invitation
from members.models import CompanyMembership
from tests.factories import CompanyFactory

CHANGELIST = "/admin/members/company/"
DECLARANT = CompanyMembership.Role.DECLARANT


def _invite_action(client, companies, **fields):
    data = {"action": "company_invite_contact", "_selected_action": [company.pk for company in companies]}
    if fields:
        data.update({"apply": "1", **fields})
    return client.post(CHANGELIST, data)


def test_the_action_first_asks_for_the_address_and_role(staff_client, company_a, mailoutbox):
    response = _invite_action(staff_client, [company_a])

    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="email"' in content
    assert 'name="role"' in content
    assert "Atlas Contact" in content
    assert mailoutbox == []


def test_the_action_invites_the_contact_to_every_selected_company(staff_client, company_a, company_b, mailoutbox):
    response = _invite_action(staff_client, [company_a, company_b], email="groupe@exemple.ma", role=DECLARANT)

    assert response.status_code == 302
    assert set(Invitation.objects.values_list("company__trade_name", flat=True)) == {
        "Atlas Contact",
        "Bahia Relation Client",
    }
    assert len(mailoutbox) == 2


def test_the_action_records_the_staff_member_who_invited(staff_client, staff_user, company_a):
    _invite_action(staff_client, [company_a], email="nouveau@atlas.ma", role=DECLARANT)

    assert Invitation.objects.get().invited_by == staff_user


def test_the_action_shows_the_form_again_on_a_bad_address(staff_client, company_a, mailoutbox):
    response = _invite_action(staff_client, [company_a], email="pas-une-adresse", role=DECLARANT)

    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide" in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_action_reports_a_company_the_person_already_belongs_to(staff_client, company_a, declarant_a, company_b):
    response = _invite_action(staff_client, [company_a, company_b], email="declarant@atlas.ma", role=DECLARANT)

    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("fait déjà partie de l'équipe d'Atlas Contact" in message for message in messages)
    assert list(Invitation.objects.values_list("company__trade_name", flat=True)) == ["Bahia Relation Client"]


def test_the_company_page_has_an_invite_button(staff_client, company_a):
    response = staff_client.get(f"/admin/members/company/{company_a.pk}/change/")

    assert f'href="/admin/members/company/{company_a.pk}/inviter/"' in response.content.decode()


def test_the_invite_page_of_a_company_sends_the_invitation(staff_client, company_a, mailoutbox):
    url = f"/admin/members/company/{company_a.pk}/inviter/"

    form_page = staff_client.get(url)
    response = staff_client.post(url, {"email": "nouveau@atlas.ma", "role": CompanyMembership.Role.ADMIN})

    assert form_page.status_code == 200
    assert response.status_code == 302
    assert response["Location"] == f"/admin/members/company/{company_a.pk}/change/"
    invitation = Invitation.objects.get()
    assert (invitation.company, invitation.role) == (company_a, CompanyMembership.Role.ADMIN)
    assert mailoutbox[0].to == ["nouveau@atlas.ma"]


def test_the_invite_page_shows_the_error_next_to_the_address(staff_client, company_a, declarant_a):
    response = staff_client.post(
        f"/admin/members/company/{company_a.pk}/inviter/", {"email": "declarant@atlas.ma", "role": DECLARANT}
    )

    assert response.status_code == 200
    assert "fait déjà partie de l&#x27;équipe d&#x27;Atlas Contact" in response.content.decode()


def test_the_invite_page_of_an_unknown_company_answers_404(staff_client, db):
    assert staff_client.get("/admin/members/company/999999/inviter/").status_code == 404


def test_a_member_cannot_reach_the_invite_page_of_the_admin(declarant_a_client, company_a):
    response = declarant_a_client.get(f"/admin/members/company/{company_a.pk}/inviter/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_invite_page_runs_in_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries):
    company = CompanyFactory()

    with django_assert_max_num_queries(8):
        staff_client.get(f"/admin/members/company/{company.pk}/inviter/")
