"""Answers in the words of each measure's category: a measure the company takes is "En place /
Prévue / Sans objet", a support it asks the State for is "Accord obtenu / Demande en cours / Pas
de demande". The stored statuses are the same, so the bulletins count them the same way."""

import pytest
from pytest_django.asserts import assertContains

from measures.models import Declaration, DeclarationMeasure, Measure
from tests.factories import DeclarationFactory, DeclarationMeasureFactory


@pytest.fixture
def draft(campaign, company_a):
    return Declaration.objects.create(campaign=campaign, company=company_a)


def _row(response, code: str):
    return next(form for form in response.context["entry"].measures if form.catalogue_measure.code == code)


def _labels(row) -> list[str]:
    return [str(label) for value, label in row.fields["status"].choices if value]


def test_a_sanitary_measure_is_in_place_planned_or_not_applicable(declarant_a_client, draft):
    response = declarant_a_client.get(f"/espace/declarations/{draft.pk}/")

    assert _labels(_row(response, "masks")) == ["En place", "Prévue", "Sans objet"]


def test_a_support_measure_is_granted_asked_for_or_not_asked_for(declarant_a_client, draft):
    response = declarant_a_client.get(f"/espace/declarations/{draft.pk}/")

    assert _labels(_row(response, "cnss-allowance")) == ["Accord obtenu", "Demande en cours", "Pas de demande"]


def test_each_wording_stores_the_same_statuses(db):
    sanitary, support = Measure.objects.get(code="masks"), Measure.objects.get(code="tax-deferral")

    assert [value for value, _ in sanitary.answer_choices()] == [value for value, _ in support.answer_choices()]
    assert [value for value, _ in support.answer_choices()] == DeclarationMeasure.Status.values


def test_the_read_only_page_uses_the_wording_of_the_category(declarant_a_client, campaign, company_a):
    declaration = DeclarationFactory(campaign=campaign, company=company_a, status=Declaration.Status.SUBMITTED)
    DeclarationMeasureFactory(
        declaration=declaration, measure=Measure.objects.get(code="tax-deferral"), status="planned"
    )
    DeclarationMeasureFactory(declaration=declaration, measure=Measure.objects.get(code="masks"), status="planned")

    response = declarant_a_client.get(f"/espace/declarations/{declaration.pk}/")

    assertContains(response, "Report des échéances fiscales : Demande en cours")
    assertContains(response, "Masques fournis aux salariés sur site : Prévue")
