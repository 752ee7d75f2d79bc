import datetime

import pytest
from django.contrib.messages import get_messages
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from measures.models import Campaign, Declaration, DeclarationEvent, Measure
from tests.factories import CampaignFactory, DeclarationFactory, DeclarationRegionFactory, SiteFactory, region
from tests.login import log_in
from tests.portal.declaration_data import AFTER_DUE_DATE, AFTER_LOCK_DATE, declaration_post_data


@pytest.fixture
def draft(campaign, company_a):
    return Declaration.objects.create(campaign=campaign, company=company_a)


def _url(declaration: Declaration) -> str:
    return f"/espace/declarations/{declaration.pk}/"


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_starting_a_declaration_opens_its_page(declarant_a_client, campaign, company_a):
    response = declarant_a_client.post(f"/espace/campagnes/{campaign.pk}/declarer/", {"company": company_a.pk})

    declaration = Declaration.objects.get(campaign=campaign, company=company_a)
    assertRedirects(response, _url(declaration))


def test_a_single_company_user_may_start_without_naming_the_company(declarant_a_client, campaign, company_a):
    declarant_a_client.post(f"/espace/campagnes/{campaign.pk}/declarer/")

    assert Declaration.objects.filter(company=company_a).exists()


def test_the_start_url_only_accepts_post(declarant_a_client, campaign):
    response = declarant_a_client.get(f"/espace/campagnes/{campaign.pk}/declarer/")

    assert response.status_code == 405


def test_starting_in_a_closed_campaign_says_why_and_creates_nothing(declarant_a_client, company_a):
    closed = CampaignFactory(title="Semaine close", status=Campaign.Status.CLOSED)

    response = declarant_a_client.post(f"/espace/campagnes/{closed.pk}/declarer/", {"company": company_a.pk})

    assertRedirects(response, "/espace/")
    assert "La campagne « Semaine close » est clôturée" in _messages(response)[0]
    assert not Declaration.objects.exists()


def test_a_campaign_still_in_preparation_is_not_found(declarant_a_client, company_a):
    draft_campaign = CampaignFactory(status=Campaign.Status.DRAFT)

    response = declarant_a_client.post(f"/espace/campagnes/{draft_campaign.pk}/declarer/", {"company": company_a.pk})

    assert response.status_code == 404


SECTIONS = (
    ("headcount", "Effectif et répartition"),
    ("movements", "Mouvements"),
    ("regions", "Répartition régionale"),
    ("on-site", "Fonctions maintenues sur site"),
    ("measures", "Mesures"),
    ("export", "Export et activité"),
    ("difficulties", "Difficultés"),
)


def test_the_form_has_its_sections_and_its_two_buttons(declarant_a_client, draft):
    response = declarant_a_client.get(_url(draft))

    for number, (slug, title) in enumerate(SECTIONS, start=1):
        assertContains(response, f'id="section-{slug}-title" tabindex="-1">{number}. {title}</h2>')
    assertContains(response, "Enregistrer le brouillon")
    assertContains(response, 'value="submit"')
    assertContains(response, '<input type="hidden" name="version" value="1"')
    assertContains(response, "js/declaration-form.js")


def test_the_form_opens_with_the_saved_figures(declarant_a_client, campaign, company_a):
    declaration = DeclarationFactory(campaign=campaign, company=company_a, headcount=321, on_site=300, telework=21)

    response = declarant_a_client.get(_url(declaration))

    assertContains(response, 'name="headcount" value="321"')


def test_the_regional_breakdown_offers_the_regions_of_the_companys_sites(declarant_a_client, draft, company_a):
    SiteFactory(company=company_a, region=region("MA-01"))
    SiteFactory(company=company_a, region=region("MA-04"))

    response = declarant_a_client.get(_url(draft))

    entry = response.context["entry"]
    assert [form.initial["region"] for form in entry.lines.initial_forms] == [
        region("MA-01").pk,
        region("MA-04").pk,
    ]


def test_the_regional_breakdown_keeps_the_declared_lines_and_adds_site_regions(declarant_a_client, draft, company_a):
    DeclarationRegionFactory(declaration=draft, region=region("MA-06"), headcount=70, on_site=30, telework=40)
    SiteFactory(company=company_a, region=region("MA-01"))

    response = declarant_a_client.get(_url(draft))

    initial = response.context["entry"].lines.initial
    assert [(line["region"], line["headcount"]) for line in initial] == [
        (region("MA-01").pk, None),
        (region("MA-06").pk, 70),
    ]


def test_there_is_room_to_add_a_region(declarant_a_client, draft):
    response = declarant_a_client.get(_url(draft))

    entry = response.context["entry"]
    assert len(entry.lines.forms) == len(entry.lines.initial_forms) + 1
    assertContains(response, "Ajouter une région")


def test_the_measures_are_grouped_by_category(declarant_a_client, draft):
    response = declarant_a_client.get(_url(draft))

    content = response.content.decode()
    headings = [
        content.index(f'<h3 class="h5 mt-3">{label}</h3>')
        for label in (
            "Mesures sanitaires",
            "Télétravail",
            "Emploi",
            "Soutien demandé",
        )
    ]
    assert headings == sorted(headings)
    assertContains(response, "Protocole d&#x27;hygiène affiché et appliqué")


def test_a_measure_that_counts_employees_asks_for_the_count(declarant_a_client, draft):
    response = declarant_a_client.get(_url(draft))

    masks_row = next(form for form in response.context["entry"].measures if form.catalogue_measure.code == "masks")
    assertContains(response, f'name="{masks_row.prefix}-employees_concerned"')
    hygiene = next(
        form for form in response.context["entry"].measures if form.catalogue_measure.code == "hygiene-protocol"
    )
    assertNotContains(response, f'name="{hygiene.prefix}-employees_concerned"')


def test_saving_a_draft_keeps_the_figures_and_says_so(declarant_a_client, draft):
    masks = Measure.objects.get(code="masks")

    response = declarant_a_client.post(
        _url(draft), declaration_post_data(draft, answers={masks.pk: ("in_place", 40)}), follow=True
    )

    assertContains(response, "Brouillon enregistré")
    draft.refresh_from_db()
    assert (draft.status, draft.headcount, draft.version) == (Declaration.Status.DRAFT, 100, 2)
    assert draft.measure_answers.get().employees_concerned == 40


def test_submitting_locks_the_declaration(declarant_a_client, draft):
    response = declarant_a_client.post(_url(draft), declaration_post_data(draft, action="submit"), follow=True)

    assertContains(response, "Déclaration soumise. Merci")
    assertContains(response, "Soumise le 24 mars 2020 10:00 : l&#x27;association la vérifie.")
    assertNotContains(response, "déjà été soumise")
    assertNotContains(response, "Enregistrer le brouillon")
    draft.refresh_from_db()
    assert draft.status == Declaration.Status.SUBMITTED


def test_the_submission_is_listed_with_who_and_when(declarant_a_client, draft):
    response = declarant_a_client.post(_url(draft), declaration_post_data(draft, action="submit"), follow=True)

    assertContains(response, "<strong>Soumise</strong>")
    assertContains(response, "par Amina Declarante le 24 mars 2020 10:00")


def test_the_read_only_page_shows_the_declared_figures(declarant_a_client, campaign, company_a):
    declaration = DeclarationFactory(
        campaign=campaign,
        company=company_a,
        status=Declaration.Status.APPROVED,
        headcount=4321,
        on_site=4321,
        telework=0,
        technical_unemployment=0,
        other_absence=0,
    )
    DeclarationRegionFactory(declaration=declaration, region=region("MA-01"))

    response = declarant_a_client.get(_url(declaration))

    assertContains(response, "4321")
    assertContains(response, "Tanger-Tétouan-Al Hoceïma")
    assertContains(response, "a été validée")


def test_a_returned_declaration_shows_the_comment_and_can_be_edited(declarant_a_client, campaign, company_a):
    returned = DeclarationFactory(
        campaign=campaign, company=company_a, status=Declaration.Status.RETURNED, return_comment="Revoyez l'effectif."
    )

    response = declarant_a_client.get(_url(returned))

    assertContains(response, "renvoyé cette déclaration pour correction")
    assertContains(response, "Revoyez l&#x27;effectif.")
    assertContains(response, "Enregistrer le brouillon")


def test_submission_errors_are_shown_next_to_the_fields_and_nothing_is_saved(declarant_a_client, draft):
    data = declaration_post_data(draft, action="submit", figures={"hires": ""})

    response = declarant_a_client.post(_url(draft), data)

    assert response.status_code == 200
    assert [issue.text for issue in response.context["page"].errors] == [
        "Recrutements : Ce champ est obligatoire pour soumettre la déclaration."
    ]
    assertContains(response, "La déclaration n'a pas été soumise : 1 point à corriger")
    assertContains(response, "Rien n'a été enregistré")
    draft.refresh_from_db()
    assert (draft.status, draft.version) == (Declaration.Status.DRAFT, 1)


def _approved_previous(company, headcount: int) -> None:
    earlier = CampaignFactory(period_start=datetime.date(2020, 3, 9), status=Campaign.Status.CLOSED)
    DeclarationFactory(
        campaign=earlier,
        company=company,
        status=Declaration.Status.APPROVED,
        headcount=headcount,
        on_site=headcount,
        telework=0,
        technical_unemployment=0,
        other_absence=0,
    )


def test_a_headcount_jump_asks_for_confirmation_and_saves_nothing(declarant_a_client, draft, company_a):
    _approved_previous(company_a, 60)

    response = declarant_a_client.post(_url(draft), declaration_post_data(draft, action="submit"))

    assert response.status_code == 200
    assertContains(response, "Votre effectif passe de 60 à 100")
    assertContains(response, 'name="confirm_warnings"')
    draft.refresh_from_db()
    assert (draft.status, draft.headcount) == (Declaration.Status.DRAFT, None)


def test_a_confirmed_headcount_jump_is_submitted(declarant_a_client, draft, company_a):
    _approved_previous(company_a, 60)

    declarant_a_client.post(_url(draft), declaration_post_data(draft, action="submit", confirm_warnings=True))

    draft.refresh_from_db()
    assert draft.status == Declaration.Status.SUBMITTED
    assert draft.headcount_change_confirmed


def test_a_submission_after_the_due_date_is_marked_late(declarant_a_client, declarant_a, draft, collection_day):
    collection_day.move_to(AFTER_DUE_DATE)
    log_in(declarant_a_client, declarant_a)

    response = declarant_a_client.post(_url(draft), declaration_post_data(draft, action="submit"), follow=True)

    assertContains(response, "reçue en retard")
    assertContains(response, "en retard</span>")
    assert DeclarationEvent.objects.get().late


def test_after_the_lock_date_the_page_is_read_only(declarant_a_client, declarant_a, draft, collection_day):
    collection_day.move_to(AFTER_LOCK_DATE)
    log_in(declarant_a_client, declarant_a)

    response = declarant_a_client.get(_url(draft))

    assertContains(response, "est clôturée")
    assertNotContains(response, "Enregistrer le brouillon")


def test_a_post_after_the_lock_date_saves_nothing(declarant_a_client, declarant_a, draft, collection_day):
    collection_day.move_to(AFTER_LOCK_DATE)
    log_in(declarant_a_client, declarant_a)

    response = declarant_a_client.post(_url(draft), declaration_post_data(draft, action="submit"))

    assertRedirects(response, _url(draft))
    assert "est clôturée" in _messages(response)[0]
    draft.refresh_from_db()
    assert (draft.status, draft.headcount) == (Declaration.Status.DRAFT, None)


def test_a_post_to_a_closed_campaign_saves_nothing(declarant_a_client, draft):
    Campaign.objects.filter(pk=draft.campaign_id).update(status=Campaign.Status.CLOSED)

    response = declarant_a_client.post(_url(draft), declaration_post_data(draft))

    assert "est clôturée" in _messages(response)[0]
    draft.refresh_from_db()
    assert (draft.headcount, draft.version) == (None, 1)


def test_a_stale_form_is_refused_and_the_first_save_stays(declarant_a_client, company_admin_a_client, draft):
    first = declaration_post_data(draft, figures={"headcount": 100})
    second = declaration_post_data(draft, figures={"headcount": 200, "on_site": 140}, lines=[])
    company_admin_a_client.post(_url(draft), first)

    response = declarant_a_client.post(_url(draft), second, follow=True)

    assertContains(response, "Cette déclaration a été modifiée entre-temps")
    assertContains(response, 'name="headcount" value="100"')
    draft.refresh_from_db()
    assert (draft.headcount, draft.version) == (100, 2)


def test_a_double_click_on_submit_submits_once_and_says_it_once(declarant_a_client, draft):
    data = declaration_post_data(draft, action="submit")
    declarant_a_client.post(_url(draft), data)

    response = declarant_a_client.post(_url(draft), data, follow=True)

    assert response.status_code == 200
    assert _messages(response) == ["Déclaration soumise. Merci ! L'association va la vérifier."]
    assertNotContains(response, "déjà été soumise")
    assert DeclarationEvent.objects.count() == 1


def test_a_colleague_submitting_after_it_was_submitted_is_told(declarant_a_client, company_admin_a_client, draft):
    data = declaration_post_data(draft, action="submit")
    declarant_a_client.post(_url(draft), data)

    response = company_admin_a_client.post(_url(draft), data, follow=True)

    assertContains(response, "Cette déclaration a déjà été soumise")
    assert DeclarationEvent.objects.count() == 1


def test_the_page_rejects_other_methods(declarant_a_client, draft):
    response = declarant_a_client.put(_url(draft))

    assert response.status_code == 405
