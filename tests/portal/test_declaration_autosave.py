"""The page's background save of a draft: the same service as "Enregistrer le brouillon",
answered in JSON, version-checked so that a stale autosave never overwrites a newer save."""

import pytest
from django.test import Client

from measures.models import Declaration, DeclarationEvent
from tests.factories import DeclarationFactory, region
from tests.login import log_in
from tests.portal.declaration_data import AFTER_LOCK_DATE, declaration_post_data


@pytest.fixture
def draft(campaign, company_a):
    return Declaration.objects.create(campaign=campaign, company=company_a)


def _url(declaration: Declaration) -> str:
    return f"/espace/declarations/{declaration.pk}/brouillon/"


def test_it_saves_the_draft_and_answers_the_new_version_and_the_time(declarant_a_client, draft):
    response = declarant_a_client.post(_url(draft), declaration_post_data(draft, figures={"hires": 7}))

    assert response.status_code == 200
    assert response.json() == {
        "saved": True,
        "version": 2,
        "message": "Brouillon enregistré automatiquement à 10:00.",
    }
    draft.refresh_from_db()
    assert (draft.hires, draft.version, draft.status) == (7, 2, Declaration.Status.DRAFT)


def test_it_keeps_a_draft_whose_parts_do_not_add_up(declarant_a_client, draft):
    data = declaration_post_data(draft, figures={"on_site": 45}, lines=[(region("MA-06").pk, 90, 60, 50)])

    response = declarant_a_client.post(_url(draft), data)

    assert response.json()["saved"] is True
    draft.refresh_from_db()
    assert draft.on_site == 45
    assert draft.regional_lines.get().headcount == 90


def test_it_never_submits(declarant_a_client, draft):
    declarant_a_client.post(_url(draft), declaration_post_data(draft, action="submit"))

    draft.refresh_from_db()
    assert draft.status == Declaration.Status.DRAFT
    assert not DeclarationEvent.objects.exists()


def test_a_stale_autosave_is_refused_and_the_newer_save_stays(declarant_a_client, company_admin_a_client, draft):
    loaded = declaration_post_data(draft, figures={"hires": 1})
    company_admin_a_client.post(f"/espace/declarations/{draft.pk}/", declaration_post_data(draft, figures={"hires": 9}))

    response = declarant_a_client.post(_url(draft), loaded)

    assert response.status_code == 409
    body = response.json()
    assert (body["saved"], body["conflict"]) == (False, True)
    assert "modifiée ailleurs" in body["message"]
    draft.refresh_from_db()
    assert (draft.hires, draft.version) == (9, 2)


def test_two_autosaves_from_the_same_page_follow_the_version_they_were_given(declarant_a_client, draft):
    first = declarant_a_client.post(_url(draft), declaration_post_data(draft, figures={"hires": 1})).json()

    second = declarant_a_client.post(
        _url(draft), declaration_post_data(draft, version=first["version"], figures={"hires": 2})
    ).json()

    assert (first["version"], second["version"]) == (2, 3)
    draft.refresh_from_db()
    assert draft.hires == 2


def test_an_invalid_figure_is_refused_with_what_to_correct_and_nothing_is_saved(declarant_a_client, draft):
    response = declarant_a_client.post(_url(draft), declaration_post_data(draft, figures={"headcount": "cent"}))

    assert response.status_code == 400
    body = response.json()
    assert body["saved"] is False
    assert body["errors"] == [{"message": "Effectif total : Saisissez un nombre entier.", "target": "id_headcount"}]
    assert "Effectif total : Saisissez un nombre entier." in body["message"]
    draft.refresh_from_db()
    assert (draft.headcount, draft.version) == (None, 1)


def test_a_region_named_twice_is_refused_and_nothing_is_saved(declarant_a_client, draft):
    casablanca = region("MA-06").pk
    data = declaration_post_data(draft, lines=[(casablanca, 50, 20, 25), (casablanca, 50, 20, 25)])

    response = declarant_a_client.post(_url(draft), data)

    assert response.status_code == 400
    assert "Une région apparaît deux fois" in response.json()["message"]
    assert not draft.regional_lines.exists()


def test_a_submitted_declaration_is_not_saved(declarant_a_client, campaign, company_a):
    submitted = DeclarationFactory(campaign=campaign, company=company_a, status=Declaration.Status.SUBMITTED)

    response = declarant_a_client.post(_url(submitted), declaration_post_data(submitted, figures={"hires": 40}))

    assert response.status_code == 409
    assert "déjà été soumise" in response.json()["message"]
    submitted.refresh_from_db()
    assert submitted.hires == 2


def test_nothing_is_saved_after_the_lock_date(declarant_a_client, declarant_a, draft, collection_day):
    collection_day.move_to(AFTER_LOCK_DATE)
    # Days later: the session of the morning has ended; the member logs in again.
    log_in(declarant_a_client, declarant_a)

    response = declarant_a_client.post(_url(draft), declaration_post_data(draft))

    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.headcount is None


def test_a_missing_management_form_is_refused_not_a_500(declarant_a_client, draft):
    data = declaration_post_data(draft)
    del data["measures-TOTAL_FORMS"]

    response = declarant_a_client.post(_url(draft), data)

    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.version == 1


def test_it_only_accepts_post(declarant_a_client, draft):
    assert declarant_a_client.get(_url(draft)).status_code == 405


def test_it_needs_the_csrf_token(declarant_a, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(declarant_a)

    response = client.post(_url(draft), declaration_post_data(draft))

    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.version == 1
