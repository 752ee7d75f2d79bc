"""Bad input never gives a 500 and never saves part of a form: each case gets a message on the
page and leaves the declaration as it was."""

import pytest
from pytest_django.asserts import assertContains

from measures.models import Declaration, DeclarationMeasure, DeclarationRegion, Measure
from tests.factories import region
from tests.portal.declaration_data import declaration_post_data


@pytest.fixture
def draft(campaign, company_a):
    return Declaration.objects.create(campaign=campaign, company=company_a)


def _post(client, draft, data):
    response = client.post(f"/espace/declarations/{draft.pk}/", data)
    assert response.status_code == 200
    return response


def _assert_nothing_saved(draft):
    draft.refresh_from_db()
    assert (draft.version, draft.headcount, draft.status) == (1, None, Declaration.Status.DRAFT)
    assert not DeclarationRegion.objects.exists()
    assert not DeclarationMeasure.objects.exists()


def test_a_region_twice(declarant_a_client, draft):
    casablanca = region("MA-06").pk
    data = declaration_post_data(draft, lines=[(casablanca, 50, 20, 25), (casablanca, 50, 20, 25)])

    response = _post(declarant_a_client, draft, data)

    assertContains(response, "Une région apparaît deux fois dans la répartition régionale.")
    _assert_nothing_saved(draft)


def test_an_unknown_region_id(declarant_a_client, draft):
    response = _post(declarant_a_client, draft, declaration_post_data(draft, lines=[(987654, 100, 40, 50)]))

    assertContains(response, "Cette région n&#x27;existe pas.")
    _assert_nothing_saved(draft)


def test_a_region_id_that_is_not_a_number(declarant_a_client, draft):
    response = _post(declarant_a_client, draft, declaration_post_data(draft, lines=[("MA-06'--", 100, 40, 50)]))

    assertContains(response, "Cette région n&#x27;existe pas.")
    _assert_nothing_saved(draft)


def test_figures_on_a_line_without_a_region(declarant_a_client, draft):
    response = _post(declarant_a_client, draft, declaration_post_data(draft, lines=[("", 100, 40, 50)]))

    assertContains(response, "Choisissez la région de ces salariés.")
    _assert_nothing_saved(draft)


def test_a_measure_not_in_the_catalogue(declarant_a_client, draft):
    data = declaration_post_data(draft, measures=[987654], answers={987654: ("in_place", "")})

    response = _post(declarant_a_client, draft, data)

    assertContains(response, "Cette mesure ne fait pas partie du catalogue.")
    _assert_nothing_saved(draft)


def test_a_measure_twice(declarant_a_client, draft):
    masks = Measure.objects.get(code="masks").pk
    data = declaration_post_data(draft, measures=[masks, masks], answers={masks: ("in_place", 10)})

    response = _post(declarant_a_client, draft, data)

    assertContains(response, "Une mesure apparaît deux fois dans la liste.")
    _assert_nothing_saved(draft)


def test_an_unknown_measure_status(declarant_a_client, draft):
    masks = Measure.objects.get(code="masks").pk

    response = _post(declarant_a_client, draft, declaration_post_data(draft, answers={masks: ("always", "")}))

    assert response.context["entry"].measures.errors
    assertContains(response, "Rien n'a été enregistré")
    _assert_nothing_saved(draft)


def test_a_figure_that_is_not_a_number(declarant_a_client, draft):
    response = _post(declarant_a_client, draft, declaration_post_data(draft, figures={"headcount": "cent"}))

    assert response.context["entry"].form.errors["headcount"] == ["Saisissez un nombre entier."]
    _assert_nothing_saved(draft)


def test_a_negative_figure(declarant_a_client, draft):
    response = _post(declarant_a_client, draft, declaration_post_data(draft, figures={"telework": -5}))

    assert "telework" in response.context["entry"].form.errors
    assertContains(response, "supérieure ou égale à 0")
    _assert_nothing_saved(draft)


def test_a_negative_regional_figure(declarant_a_client, draft):
    data = declaration_post_data(draft, lines=[(region("MA-06").pk, 100, -40, 50)])

    response = _post(declarant_a_client, draft, data)

    assertContains(response, "supérieure ou égale à 0")
    _assert_nothing_saved(draft)


def test_a_negative_employee_count(declarant_a_client, draft):
    masks = Measure.objects.get(code="masks").pk

    response = _post(declarant_a_client, draft, declaration_post_data(draft, answers={masks: ("in_place", -3)}))

    assertContains(response, "supérieure ou égale à 0")
    _assert_nothing_saved(draft)


def test_a_number_too_large_for_the_database(declarant_a_client, draft):
    data = declaration_post_data(draft, figures={"headcount": 10**20})

    response = _post(declarant_a_client, draft, data)

    assert "headcount" in response.context["entry"].form.errors
    _assert_nothing_saved(draft)


def test_a_regional_number_too_large_for_the_database(declarant_a_client, draft):
    data = declaration_post_data(draft, lines=[(region("MA-06").pk, 10**20, 0, 0)])

    response = _post(declarant_a_client, draft, data)

    assertContains(response, "Rien n'a été enregistré")
    _assert_nothing_saved(draft)


def test_parts_that_do_not_add_up_on_submission(declarant_a_client, draft):
    response = _post(declarant_a_client, draft, declaration_post_data(draft, action="submit", figures={"on_site": 45}))

    assertContains(response, "ils font 105 pour un effectif de 100")
    _assert_nothing_saved(draft)


def test_regional_lines_that_do_not_add_up_on_submission(declarant_a_client, draft):
    data = declaration_post_data(draft, action="submit", lines=[(region("MA-06").pk, 90, 40, 50)])

    response = _post(declarant_a_client, draft, data)

    assertContains(response, "La répartition régionale (l&#x27;effectif) totalise 90 au lieu de 100.")
    _assert_nothing_saved(draft)


def test_more_regional_lines_than_regions(declarant_a_client, draft):
    lines = [(region(f"MA-{n:02d}").pk, 0, 0, 0) for n in range(1, 13)] + [("", "", "", "")]

    response = _post(declarant_a_client, draft, declaration_post_data(draft, lines=lines))

    assertContains(response, "Veuillez soumettre au plus 12 formulaires.")
    _assert_nothing_saved(draft)


def test_a_missing_management_form(declarant_a_client, draft):
    data = declaration_post_data(draft)
    del data["lines-TOTAL_FORMS"]

    response = _post(declarant_a_client, draft, data)

    assertContains(response, "Rien n'a été enregistré")
    _assert_nothing_saved(draft)


def test_a_tampered_version(declarant_a_client, draft):
    response = _post(declarant_a_client, draft, declaration_post_data(draft, version="abc"))

    assertContains(response, "Le formulaire est incomplet ou a été altéré : rechargez la page.")
    _assert_nothing_saved(draft)


def test_a_tampered_status_field_is_ignored(declarant_a_client, draft):
    data = {**declaration_post_data(draft), "status": "approved", "submitted_at": "2020-01-01"}

    declarant_a_client.post(f"/espace/declarations/{draft.pk}/", data)

    draft.refresh_from_db()
    assert (draft.status, draft.submitted_at) == (Declaration.Status.DRAFT, None)
