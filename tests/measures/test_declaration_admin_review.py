"""Staff review declarations in the admin: see one as the member sees it, approve it or return it
with a comment, from its page or in bulk from the list."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from measures.models import Declaration, DeclarationEvent
from tests.factories import DeclarationFactory

pytestmark = pytest.mark.usefixtures("on_collection_day")

CHANGELIST = "/admin/measures/declaration/"


def _change_url(declaration: Declaration) -> str:
    return f"{CHANGELIST}{declaration.pk}/change/"


def test_the_change_page_shows_the_declaration_as_the_member_sees_it(staff_client, submitted_declaration):
    response = staff_client.get(_change_url(submitted_declaration))

    assertContains(response, "La déclaration telle que l'entreprise la voit")
    assertContains(response, "Casablanca-Settat")
    assertContains(response, "Historique de la déclaration")


def test_the_change_page_offers_approve_and_return_for_a_submitted_declaration(staff_client, submitted_declaration):
    response = staff_client.get(_change_url(submitted_declaration))

    assertContains(response, f'action="{CHANGELIST}{submitted_declaration.pk}/valider/"')
    assertContains(response, f'href="{CHANGELIST}{submitted_declaration.pk}/renvoyer/"')
    assertContains(response, f'href="{CHANGELIST}{submitted_declaration.pk}/history/"')


def test_a_draft_offers_no_review_buttons(staff_client, campaign, company_a):
    draft = DeclarationFactory(campaign=campaign, company=company_a)

    response = staff_client.get(_change_url(draft))

    assertNotContains(response, "/valider/")


def test_approving_from_the_change_page(staff_client, staff_user, submitted_declaration):
    response = staff_client.post(f"{CHANGELIST}{submitted_declaration.pk}/valider/")

    assertRedirects(response, _change_url(submitted_declaration), fetch_redirect_response=False)
    submitted_declaration.refresh_from_db()
    assert (submitted_declaration.status, submitted_declaration.approved_by) == ("approved", staff_user)


def test_approving_needs_a_post(staff_client, submitted_declaration):
    response = staff_client.get(f"{CHANGELIST}{submitted_declaration.pk}/valider/")

    assert response.status_code == 405


def test_approving_twice_says_why_the_second_is_refused(staff_client, submitted_declaration):
    staff_client.post(f"{CHANGELIST}{submitted_declaration.pk}/valider/")

    response = staff_client.post(f"{CHANGELIST}{submitted_declaration.pk}/valider/", follow=True)

    assertContains(response, "Seule une déclaration soumise peut être validée ou renvoyée")
    assert DeclarationEvent.objects.count() == 1


def test_the_return_page_asks_for_a_comment(staff_client, submitted_declaration):
    response = staff_client.get(f"{CHANGELIST}{submitted_declaration.pk}/renvoyer/")

    assertContains(response, "Commentaire pour l")
    assertContains(response, '<textarea name="comment"')


def test_returning_without_a_comment_changes_nothing(staff_client, submitted_declaration):
    response = staff_client.post(f"{CHANGELIST}{submitted_declaration.pk}/renvoyer/", {"comment": ""})

    assert response.status_code == 200
    assertContains(response, "Ce champ est obligatoire.")
    submitted_declaration.refresh_from_db()
    assert submitted_declaration.status == Declaration.Status.SUBMITTED


def test_returning_with_a_comment_emails_the_company(
    staff_client, submitted_declaration, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"{CHANGELIST}{submitted_declaration.pk}/renvoyer/", {"comment": "Le télétravail paraît élevé."}
        )

    assertRedirects(response, _change_url(submitted_declaration), fetch_redirect_response=False)
    submitted_declaration.refresh_from_db()
    assert (submitted_declaration.status, submitted_declaration.return_comment) == (
        "returned",
        "Le télétravail paraît élevé.",
    )
    assert "Le télétravail paraît élevé." in mailoutbox[0].body


def test_an_unknown_declaration_is_not_found(staff_client, db):
    assert staff_client.get(f"{CHANGELIST}987654/renvoyer/").status_code == 404
    assert staff_client.post(f"{CHANGELIST}987654/valider/").status_code == 404


def test_members_cannot_reach_the_review_urls(declarant_a_client, submitted_declaration):
    response = declarant_a_client.post(f"{CHANGELIST}{submitted_declaration.pk}/valider/")

    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    submitted_declaration.refresh_from_db()
    assert submitted_declaration.status == Declaration.Status.SUBMITTED


def test_bulk_approval_from_the_list(staff_client, campaign):
    submitted = DeclarationFactory.create_batch(2, campaign=campaign, status=Declaration.Status.SUBMITTED)
    draft = DeclarationFactory(campaign=campaign)

    response = staff_client.post(
        CHANGELIST,
        {"action": "declarations_approve_action", "_selected_action": [d.pk for d in [*submitted, draft]]},
        follow=True,
    )

    assertContains(response, "2 déclarations validées.")
    assertContains(response, "1 déclaration laissée telle quelle")
    assert Declaration.objects.approved().count() == 2


def test_bulk_return_asks_for_the_comment_first(staff_client, submitted_declaration):
    response = staff_client.post(
        CHANGELIST, {"action": "declarations_return_action", "_selected_action": [submitted_declaration.pk]}
    )

    assert response.status_code == 200
    assertContains(response, '<textarea name="comment"')
    submitted_declaration.refresh_from_db()
    assert submitted_declaration.status == Declaration.Status.SUBMITTED


def test_bulk_return_with_the_comment_returns_the_submitted_ones(staff_client, submitted_declaration, campaign):
    draft = DeclarationFactory(campaign=campaign)

    response = staff_client.post(
        CHANGELIST,
        {
            "action": "declarations_return_action",
            "_selected_action": [submitted_declaration.pk, draft.pk],
            "apply": "1",
            "comment": "Merci de vérifier la répartition régionale.",
        },
        follow=True,
    )

    assertContains(response, "1 déclaration renvoyée pour correction")
    submitted_declaration.refresh_from_db()
    assert submitted_declaration.status == Declaration.Status.RETURNED
    draft.refresh_from_db()
    assert draft.status == Declaration.Status.DRAFT
