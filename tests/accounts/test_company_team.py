"""A company's team page: administrators invite, revoke and remove; declarants only look."""

from django.conf import settings
from django.shortcuts import resolve_url
from django.utils import timezone

from accounts.models import Invitation, User
from members.models import CompanyMembership
from tests.factories import InvitationFactory, MembershipFactory, UserFactory

DECLARANT = CompanyMembership.Role.DECLARANT
ADMIN = CompanyMembership.Role.ADMIN


def _team(company) -> str:
    return f"/compte/entreprises/{company.pk}/equipe/"


def test_an_administrator_sees_the_members_and_pending_invitations(company_admin_a_client, company_a, declarant_a):
    InvitationFactory(company=company_a, email="attendu@atlas.ma")

    content = company_admin_a_client.get(_team(company_a)).content.decode()

    assert "declarant@atlas.ma" in content
    assert "admin@atlas.ma" in content
    assert "attendu@atlas.ma" in content
    assert "Inviter un collègue" in content


def test_the_team_page_leaves_out_used_revoked_and_expired_invitations(company_admin_a_client, company_a):
    InvitationFactory(company=company_a, email="accepte@atlas.ma", accepted_at=timezone.now())
    InvitationFactory(company=company_a, email="annule@atlas.ma", revoked_at=timezone.now())
    InvitationFactory(company=company_a, email="expire@atlas.ma", expires_at=timezone.now())

    content = company_admin_a_client.get(_team(company_a)).content.decode()

    assert "accepte@atlas.ma" not in content
    assert "annule@atlas.ma" not in content
    assert "expire@atlas.ma" not in content


def test_a_declarant_sees_the_team_without_the_tools_to_change_it(declarant_a_client, company_a, company_admin_a):
    InvitationFactory(company=company_a, email="attendu@atlas.ma")

    content = declarant_a_client.get(_team(company_a)).content.decode()

    assert "admin@atlas.ma" in content
    assert "Inviter un collègue" not in content
    assert "attendu@atlas.ma" not in content
    assert "/retirer/" not in content


def test_the_team_page_runs_in_a_fixed_number_of_queries(
    company_admin_a_client, company_a, django_assert_max_num_queries
):
    for n in range(10):
        MembershipFactory(company=company_a, user=UserFactory(email=f"collegue{n}@atlas.ma"))
        InvitationFactory(company=company_a, email=f"invite{n}@atlas.ma")

    with django_assert_max_num_queries(6):
        company_admin_a_client.get(_team(company_a))


def test_an_administrator_invites_a_colleague(company_admin_a_client, company_admin_a, company_a, mailoutbox):
    response = company_admin_a_client.post(
        f"{_team(company_a)}inviter/", {"email": "collegue@atlas.ma", "role": DECLARANT}
    )

    assert response.status_code == 302
    assert response["Location"] == _team(company_a)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.company, invitation.invited_by) == (
        "collegue@atlas.ma",
        company_a,
        company_admin_a,
    )
    assert mailoutbox[0].to == ["collegue@atlas.ma"]


def test_an_administrator_sees_a_bad_address_refused(company_admin_a_client, company_a):
    response = company_admin_a_client.post(
        f"{_team(company_a)}inviter/", {"email": "n'importe quoi", "role": DECLARANT}
    )

    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide" in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_administrator_cannot_invite_with_a_made_up_role(company_admin_a_client, company_a):
    response = company_admin_a_client.post(f"{_team(company_a)}inviter/", {"email": "x@atlas.ma", "role": "owner"})

    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_inviting_a_current_member_is_refused_next_to_the_address(company_admin_a_client, company_a, declarant_a):
    response = company_admin_a_client.post(
        f"{_team(company_a)}inviter/", {"email": "declarant@atlas.ma", "role": DECLARANT}
    )

    assert response.status_code == 200
    assert "fait déjà partie de l&#x27;équipe" in response.content.decode()


def test_a_declarant_cannot_open_the_invite_form(declarant_a_client, company_a):
    response = declarant_a_client.get(f"{_team(company_a)}inviter/")

    assert response.status_code == 403
    assert "Seul un administrateur de l&#x27;entreprise peut inviter" in response.content.decode()


def test_a_declarant_cannot_send_an_invitation(declarant_a_client, company_a, mailoutbox):
    response = declarant_a_client.post(f"{_team(company_a)}inviter/", {"email": "ami@atlas.ma", "role": ADMIN})

    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_an_administrator_revokes_a_pending_invitation(company_admin_a_client, company_a):
    invitation = InvitationFactory(company=company_a)

    response = company_admin_a_client.post(f"{_team(company_a)}invitations/{invitation.pk}/annuler/")

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_revoking_a_used_invitation_says_so_without_changing_it(company_admin_a_client, company_a):
    invitation = InvitationFactory(company=company_a, accepted_at=timezone.now())

    response = company_admin_a_client.post(f"{_team(company_a)}invitations/{invitation.pk}/annuler/", follow=True)

    assert "n&#x27;est plus en attente" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_a_declarant_cannot_revoke_an_invitation(declarant_a_client, company_a):
    invitation = InvitationFactory(company=company_a)

    response = declarant_a_client.post(f"{_team(company_a)}invitations/{invitation.pk}/annuler/")

    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_administrator_removes_a_colleague(company_admin_a_client, company_a, declarant_a):
    membership = declarant_a.memberships.get()

    response = company_admin_a_client.post(f"{_team(company_a)}membres/{membership.pk}/retirer/")

    assert response.status_code == 302
    assert not CompanyMembership.objects.filter(pk=membership.pk).exists()
    # The account stays: it may belong to other companies, and its history must keep its author.
    assert User.objects.filter(pk=declarant_a.pk).exists()


def test_the_last_administrator_cannot_remove_themself(company_admin_a_client, company_admin_a, company_a):
    membership = company_admin_a.memberships.get()

    response = company_admin_a_client.post(f"{_team(company_a)}membres/{membership.pk}/retirer/", follow=True)

    assert "Impossible de retirer le dernier administrateur" in response.content.decode()
    assert CompanyMembership.objects.filter(pk=membership.pk).exists()


def test_an_administrator_may_leave_when_another_remains(company_admin_a_client, company_admin_a, company_a):
    MembershipFactory(company=company_a, role=ADMIN)
    membership = company_admin_a.memberships.get()

    response = company_admin_a_client.post(f"{_team(company_a)}membres/{membership.pk}/retirer/")

    assert response["Location"] == resolve_url(settings.LOGIN_REDIRECT_URL)
    assert not CompanyMembership.objects.filter(pk=membership.pk).exists()


def test_an_administrator_removes_another_administrator(company_admin_a_client, company_a):
    other = MembershipFactory(company=company_a, role=ADMIN)

    company_admin_a_client.post(f"{_team(company_a)}membres/{other.pk}/retirer/")

    assert not CompanyMembership.objects.filter(pk=other.pk).exists()


def test_a_declarant_cannot_remove_a_colleague(declarant_a_client, company_a, company_admin_a):
    membership = company_admin_a.memberships.get()

    response = declarant_a_client.post(f"{_team(company_a)}membres/{membership.pk}/retirer/")

    assert response.status_code == 403
    assert CompanyMembership.objects.filter(pk=membership.pk).exists()


def test_a_membership_of_another_company_answers_404_even_to_an_administrator(
    company_admin_a_client, company_a, declarant_b
):
    membership = declarant_b.memberships.get()

    response = company_admin_a_client.post(f"{_team(company_a)}membres/{membership.pk}/retirer/")

    assert response.status_code == 404
    assert CompanyMembership.objects.filter(pk=membership.pk).exists()


def test_an_invitation_of_another_company_answers_404_even_to_an_administrator(
    company_admin_a_client, company_a, company_b
):
    invitation = InvitationFactory(company=company_b)

    response = company_admin_a_client.post(f"{_team(company_a)}invitations/{invitation.pk}/annuler/")

    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_the_team_page_links_to_a_confirmation_instead_of_removing_at_once(
    company_admin_a_client, company_a, declarant_a
):
    membership = declarant_a.memberships.get(company=company_a)
    content = company_admin_a_client.get(_team(company_a)).content.decode()

    assert (
        f'<a class="btn btn-sm btn-outline-danger" href="{_team(company_a)}membres/{membership.pk}/retirer/">'
        in content
    )
    assert 'method="post" action="/compte/entreprises/' not in content.split("Membres")[1].split("Invitations")[0]


def test_removing_a_colleague_asks_for_confirmation_first(company_admin_a_client, company_a, declarant_a):
    membership = declarant_a.memberships.get(company=company_a)

    response = company_admin_a_client.get(f"{_team(company_a)}membres/{membership.pk}/retirer/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Retirer Amina Declarante de l&#x27;équipe d&#x27;Atlas Contact ?" in content
    assert '<button type="submit" class="btn btn-danger">Retirer de l\'équipe</button>' in content
    assert f'href="{_team(company_a)}"' in content  # Annuler
    assert CompanyMembership.objects.filter(pk=membership.pk).exists()


def test_leaving_the_team_asks_for_confirmation_first(company_admin_a_client, company_admin_a, company_a):
    membership = company_admin_a.memberships.get(company=company_a)

    content = company_admin_a_client.get(f"{_team(company_a)}membres/{membership.pk}/retirer/").content.decode()

    assert "Quitter l&#x27;équipe d&#x27;Atlas Contact ?" in content
    assert CompanyMembership.objects.filter(pk=membership.pk).exists()


def test_a_declarant_cannot_open_the_confirmation(declarant_a_client, company_a, company_admin_a):
    membership = company_admin_a.memberships.get(company=company_a)

    response = declarant_a_client.get(f"{_team(company_a)}membres/{membership.pk}/retirer/")

    assert response.status_code == 403


def test_the_confirmation_of_another_company_s_member_answers_404(company_admin_a_client, company_a, declarant_b):
    membership = declarant_b.memberships.get()

    response = company_admin_a_client.get(f"{_team(company_a)}membres/{membership.pk}/retirer/")

    assert response.status_code == 404


def test_removal_refuses_other_methods(company_admin_a_client, company_a, declarant_a):
    membership = declarant_a.memberships.get(company=company_a)

    response = company_admin_a_client.put(f"{_team(company_a)}membres/{membership.pk}/retirer/")

    assert response.status_code == 405
    assert CompanyMembership.objects.filter(pk=membership.pk).exists()
