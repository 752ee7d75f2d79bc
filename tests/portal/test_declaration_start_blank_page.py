"""The "start blank" of a prefilled draft, from the page: a confirmation, then a POST that
empties the draft under the usual version check and says what happened."""

import datetime

import pytest
from django.contrib.messages import get_messages
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from measures.models import Campaign, Declaration, DeclarationRegion
from measures.services import declaration_start
from tests.factories import CampaignFactory, DeclarationFactory, DeclarationRegionFactory


@pytest.fixture
def prefilled(campaign, company_a, declarant_a):
    earlier = CampaignFactory(
        title="Semaine du 9 mars 2020", period_start=datetime.date(2020, 3, 9), status=Campaign.Status.CLOSED
    )
    previous = DeclarationFactory(campaign=earlier, company=company_a, status=Declaration.Status.APPROVED)
    DeclarationRegionFactory(declaration=previous)
    return declaration_start(campaign=campaign, company=company_a, user=declarant_a)


def _page(declaration: Declaration) -> str:
    return f"/espace/declarations/{declaration.pk}/"


def _start_blank(client, declaration: Declaration, **data):
    return client.post(f"/espace/declarations/{declaration.pk}/vider/", {"version": declaration.version, **data})


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_notice_says_which_period_the_figures_come_from(declarant_a_client, prefilled):
    response = declarant_a_client.get(_page(prefilled))

    assertContains(response, "Pré-remplie à partir de votre déclaration de la période du 9 mars 2020 au 15 mars 2020")
    assertContains(response, "Repartir d'un formulaire vide")


def test_the_start_blank_asks_for_confirmation_before_emptying_anything(declarant_a_client, prefilled):
    response = declarant_a_client.get(_page(prefilled))

    # A disclosure the member opens, saying what will be erased, then the button that erases it.
    content = response.content.decode()
    details = content[content.index('<details class="start-blank">') : content.index("</details>")]
    assert "seront effacés" in details
    assert f'action="/espace/declarations/{prefilled.pk}/vider/"' in details
    assert "Vider le formulaire" in details


def test_a_draft_started_without_previous_declaration_has_no_notice(declarant_a_client, campaign, company_a):
    draft = Declaration.objects.create(campaign=campaign, company=company_a)

    response = declarant_a_client.get(_page(draft))

    assertNotContains(response, "Pré-remplie")


def test_starting_blank_empties_the_draft_and_says_so(declarant_a_client, prefilled):
    response = _start_blank(declarant_a_client, prefilled)

    assertRedirects(response, _page(prefilled))
    assert "Formulaire vidé" in _messages(response)[0]
    prefilled.refresh_from_db()
    assert (prefilled.headcount, prefilled.prefilled_from, prefilled.version) == (None, None, 2)
    assert not DeclarationRegion.objects.filter(declaration=prefilled).exists()


def test_the_notice_is_gone_once_the_draft_started_blank(declarant_a_client, prefilled):
    _start_blank(declarant_a_client, prefilled)

    response = declarant_a_client.get(_page(prefilled))

    assertNotContains(response, "Pré-remplie")


def test_a_stale_page_empties_nothing(declarant_a_client, prefilled):
    stale_version = prefilled.version
    Declaration.objects.filter(pk=prefilled.pk).update(version=stale_version + 1)

    response = declarant_a_client.post(f"/espace/declarations/{prefilled.pk}/vider/", {"version": stale_version})

    assert "modifiée entre-temps" in _messages(response)[0]
    prefilled.refresh_from_db()
    assert prefilled.headcount == 100


def test_a_tampered_version_empties_nothing(declarant_a_client, prefilled):
    response = _start_blank(declarant_a_client, prefilled, version="abc")

    assert _messages(response) == ["Le formulaire est incomplet ou a été altéré : rechargez la page."]
    prefilled.refresh_from_db()
    assert prefilled.headcount == 100


def test_a_submitted_declaration_cannot_be_emptied(declarant_a_client, campaign, company_a):
    submitted = DeclarationFactory(campaign=campaign, company=company_a, status=Declaration.Status.SUBMITTED)

    response = _start_blank(declarant_a_client, submitted)

    assert "déjà été soumise" in _messages(response)[0]
    submitted.refresh_from_db()
    assert submitted.headcount == 100


def test_it_only_accepts_post(declarant_a_client, prefilled):
    response = declarant_a_client.get(f"/espace/declarations/{prefilled.pk}/vider/")

    assert response.status_code == 405
