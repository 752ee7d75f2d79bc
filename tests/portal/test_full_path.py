"""The whole path through the test client: a declarant starts, saves a draft and submits; staff
return it with a comment; the declarant corrects and resubmits; staff approve. E-mails reach
the company and every step is listed on the declaration page with who and when, in French."""

import datetime

from django.core import mail
from pytest_django.asserts import assertContains

from measures.models import Declaration, DeclarationEvent, Measure
from tests.login import log_in
from tests.portal.declaration_data import COLLECTION_DAY, declaration_post_data


def test_declare_return_correct_resubmit_and_approve(
    declarant_a_client,
    declarant_a,
    staff_client,
    staff_user,
    campaign,
    company_a,
    collection_day,
    django_capture_on_commit_callbacks,
):
    # The declarant starts from the dashboard and lands on the form.
    dashboard = declarant_a_client.get("/espace/")
    assertContains(dashboard, "Commencer la déclaration")
    response = declarant_a_client.post(f"/espace/campagnes/{campaign.pk}/declarer/", {"company": company_a.pk})
    declaration = Declaration.objects.get(company=company_a, campaign=campaign)
    page = f"/espace/declarations/{declaration.pk}/"
    assert response.url == page

    # A first draft with half the figures, then the whole declaration submitted.
    declarant_a_client.post(page, declaration_post_data(declaration, figures={"hires": "", "export_revenue": ""}))
    declaration.refresh_from_db()
    assert (declaration.status, declaration.hires) == (Declaration.Status.DRAFT, None)
    masks = Measure.objects.get(code="masks")
    response = declarant_a_client.post(
        page, declaration_post_data(declaration, action="submit", answers={masks.pk: ("in_place", 40)}), follow=True
    )
    assertContains(response, "Déclaration soumise")

    # Staff see it in the admin as the member sees it, and return it with a comment.
    # Each of them comes back later and logs in again: sessions close after two idle hours.
    collection_day.move_to(COLLECTION_DAY + datetime.timedelta(hours=2))
    log_in(staff_client, staff_user)
    admin_page = staff_client.get(f"/admin/measures/declaration/{declaration.pk}/change/")
    assertContains(admin_page, "La déclaration telle que l'entreprise la voit")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            f"/admin/measures/declaration/{declaration.pk}/renvoyer/",
            {"comment": "Les recrutements semblent manquer : vérifiez."},
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["declarant@atlas.ma"]
    assert "Les recrutements semblent manquer" in mail.outbox[0].body

    # The declarant reads the comment, corrects and resubmits.
    collection_day.move_to(COLLECTION_DAY + datetime.timedelta(hours=4))
    log_in(declarant_a_client, declarant_a)
    response = declarant_a_client.get(page)
    assertContains(response, "Les recrutements semblent manquer : vérifiez.")
    declaration.refresh_from_db()
    declarant_a_client.post(page, declaration_post_data(declaration, action="submit", figures={"hires": 6}))
    declaration.refresh_from_db()
    assert (declaration.status, declaration.hires) == (Declaration.Status.SUBMITTED, 6)

    # Staff approve it from the change page; the company is told.
    collection_day.move_to(COLLECTION_DAY + datetime.timedelta(days=1))
    log_in(staff_client, staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/admin/measures/declaration/{declaration.pk}/valider/")
    assert len(mail.outbox) == 2
    assert "validée" in mail.outbox[1].subject

    # Every step, with who and when, on the declaration page.
    log_in(declarant_a_client, declarant_a)
    response = declarant_a_client.get(page)
    assertContains(response, "a été validée")
    assert list(DeclarationEvent.objects.values_list("action", flat=True)) == [
        "submitted",
        "returned",
        "submitted",
        "approved",
    ]
    for line in (
        "<strong>Soumise</strong>\n      par Amina Declarante le 24 mars 2020 10:00",
        "<strong>Renvoyée pour correction</strong>\n      par Équipe AMRC le 24 mars 2020 12:00",
        "<strong>Soumise</strong>\n      par Amina Declarante le 24 mars 2020 14:00",
        "<strong>Validée</strong>\n      par Équipe AMRC le 25 mars 2020 10:00",
    ):
        assertContains(response, line)
