"""A 3 KB POST claiming 10,000 rows (`TOTAL_FORMS=10000`) answers 400 at once and writes nothing,
on the member's declaration form and on the admin's inlines; below that cap each formset still
builds no more rows than it can hold. (The time saved is measured in bench/formset_flood.py.)"""

import pytest
import time_machine
from django.contrib import admin
from django.test import RequestFactory

from measures.models import Declaration, DeclarationMeasure, DeclarationRegion
from tests.admin.builders import admin_form_data
from tests.factories import DeclarationFactory, DeclarationRegionFactory, region
from tests.portal.declaration_data import COLLECTION_DAY, declaration_post_data


@pytest.fixture(autouse=True)
def collection_day():
    """A day the declaration's campaign accepts saves: a refusal must come from the flood guard."""
    with time_machine.travel(COLLECTION_DAY, tick=False):
        yield


@pytest.fixture
def draft(company_a):
    return DeclarationFactory(company=company_a)


def _member_post(client, draft, **changes):
    data = {**declaration_post_data(draft), **changes}
    return client.post(f"/espace/declarations/{draft.pk}/", data)


def _nothing_written(draft) -> bool:
    before = (draft.version, draft.headcount, draft.updated_at)
    draft.refresh_from_db()
    return (draft.version, draft.headcount, draft.updated_at) == before and not DeclarationRegion.objects.exists()


def test_the_honest_post_of_these_tests_saves(declarant_a_client, draft):
    response = _member_post(declarant_a_client, draft)

    assert response.status_code == 302
    assert not _nothing_written(draft)


@pytest.mark.parametrize("prefix", ["lines", "measures"])
def test_the_member_form_refuses_ten_thousand_rows_with_a_400(declarant_a_client, draft, prefix):
    response = _member_post(declarant_a_client, draft, **{f"{prefix}-TOTAL_FORMS": "10000"})

    assert response.status_code == 400
    assert _nothing_written(draft)


def test_below_the_cap_the_member_form_builds_no_more_lines_than_regions(declarant_a_client, draft):
    response = _member_post(declarant_a_client, draft, **{"lines-TOTAL_FORMS": "90"})

    lines = response.context["entry"].lines
    assert len(lines.forms) == 12
    assert lines.non_form_errors()
    assert "Rien n'a été enregistré" in response.content.decode()
    assert _nothing_written(draft)


def test_the_admin_inline_refuses_ten_thousand_rows_with_a_400(staff_client):
    declaration = DeclarationFactory(status=Declaration.Status.SUBMITTED, headcount=10, on_site=10, telework=0)
    DeclarationRegionFactory(declaration=declaration, region=region("MA-06"), headcount=10, on_site=10, telework=0)
    url = f"/admin/measures/declaration/{declaration.pk}/change/"
    data = admin_form_data(staff_client.get(url), **{"regional_lines-TOTAL_FORMS": "10000", "headcount": "11"})

    response = staff_client.post(url, data)

    assert response.status_code == 400
    declaration.refresh_from_db()
    assert declaration.headcount == 10
    assert DeclarationRegion.objects.count() == 1
    assert not DeclarationMeasure.objects.exists()


def test_an_editable_list_refuses_ten_thousand_rows_with_a_400(staff_client):
    response = staff_client.post("/admin/measures/measure/", {"form-TOTAL_FORMS": "10000", "_save": "1"})

    assert response.status_code == 400


def test_too_many_fields_in_one_post_answer_400(declarant_a_client, draft, settings):
    fields = {f"champ{index}": "x" for index in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}

    response = declarant_a_client.post(f"/espace/declarations/{draft.pk}/", fields)

    assert response.status_code == 400
    assert _nothing_written(draft)


def _inline_formsets(staff_user):
    request = RequestFactory().get("/")
    request.user = staff_user
    for model, model_admin in admin.site._registry.items():
        for formset, inline in model_admin.get_formsets_with_inlines(request, None):
            yield f"{model._meta.label}.{type(inline).__name__}", formset


def test_every_admin_inline_builds_a_bounded_number_of_rows(staff_user, settings):
    unbounded = [
        name for name, formset in _inline_formsets(staff_user) if formset.absolute_max > settings.FORMSET_MAX_FORMS
    ]

    assert unbounded == []


def test_every_editable_list_builds_at_most_a_page_of_rows(staff_user, settings):
    request = RequestFactory().get("/")
    request.user = staff_user
    editable = [model_admin for model_admin in admin.site._registry.values() if model_admin.list_editable]

    assert editable
    for model_admin in editable:
        formset = model_admin.get_changelist_formset(request)
        assert formset.absolute_max <= min(model_admin.list_per_page, settings.FORMSET_MAX_FORMS)
