"""Who reaches the company-scoped account URLs: another company's member gets 404 on each,
an anonymous visitor is sent to log in, a POST-only URL refuses a GET, and removing a member
asks for confirmation on a GET."""

import pytest

from tests.factories import InvitationFactory


@pytest.fixture
def urls(company_a, declarant_a):
    base = f"/compte/entreprises/{company_a.pk}/equipe/"
    membership = declarant_a.memberships.get()
    invitation = InvitationFactory(company=company_a)
    return {
        "team": base,
        "invite": f"{base}inviter/",
        "remove": f"{base}membres/{membership.pk}/retirer/",
        "revoke": f"{base}invitations/{invitation.pk}/annuler/",
    }


def _sends_to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/connexion/?next=")


def test_an_outsider_gets_404_on_the_team_page(declarant_b_client, urls):
    assert declarant_b_client.get(urls["team"]).status_code == 404


def test_an_outsider_gets_404_on_the_invite_form(declarant_b_client, urls):
    assert declarant_b_client.get(urls["invite"]).status_code == 404


def test_an_outsider_gets_404_when_sending_an_invitation(declarant_b_client, urls):
    assert declarant_b_client.post(urls["invite"], {"email": "x@bahia.ma", "role": "admin"}).status_code == 404


def test_an_outsider_gets_404_when_removing_a_member(declarant_b_client, urls):
    assert declarant_b_client.post(urls["remove"]).status_code == 404


def test_an_outsider_gets_404_when_revoking_an_invitation(declarant_b_client, urls):
    assert declarant_b_client.post(urls["revoke"]).status_code == 404


def test_an_outsider_gets_404_on_a_company_that_does_not_exist(declarant_b_client, db):
    assert declarant_b_client.get("/compte/entreprises/999999/equipe/").status_code == 404


def test_staff_who_are_not_members_get_404_too(staff_client, urls):
    # Staff manage teams from the admin; the member pages stay for members.
    assert staff_client.get(urls["team"]).status_code == 404


def test_anonymous_is_sent_to_log_in_from_the_team_page(anonymous_client, urls):
    assert _sends_to_login(anonymous_client.get(urls["team"]))


def test_anonymous_is_sent_to_log_in_from_the_invite_form(anonymous_client, urls):
    assert _sends_to_login(anonymous_client.get(urls["invite"]))


def test_anonymous_is_sent_to_log_in_when_sending_an_invitation(anonymous_client, urls):
    assert _sends_to_login(anonymous_client.post(urls["invite"], {"email": "x@atlas.ma", "role": "admin"}))


def test_anonymous_is_sent_to_log_in_when_removing_a_member(anonymous_client, urls):
    assert _sends_to_login(anonymous_client.post(urls["remove"]))


def test_anonymous_is_sent_to_log_in_when_revoking_an_invitation(anonymous_client, urls):
    assert _sends_to_login(anonymous_client.post(urls["revoke"]))


def test_a_get_on_the_removal_address_only_asks_for_confirmation(company_admin_a_client, urls, declarant_a):
    assert company_admin_a_client.get(urls["remove"]).status_code == 200
    assert declarant_a.memberships.exists()


def test_revoking_an_invitation_refuses_a_get(company_admin_a_client, urls):
    assert company_admin_a_client.get(urls["revoke"]).status_code == 405


def test_an_outsider_gets_404_on_the_removal_confirmation(declarant_b_client, urls):
    assert declarant_b_client.get(urls["remove"]).status_code == 404
