"""No admin filter, search, date drill-down, ordering, page number or autocomplete term answers
500, whatever a staff member (or a script with their session) puts in the address: a NUL byte, a
year of 99999999999, a non-numeric id, a very long string. Every registered list is tried."""

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.test import Client
from django.urls import reverse

from tests.admin.builders import make_message
from tests.factories import CompanyFactory
from tests.login import log_in

NUL = "\x00"
BAD_VALUES = [NUL, f"a{NUL}b", "99999999999", "-99999999999999999999999", "abc", "2024-13-45", "x" * 5000]
ACCEPTED = {200, 302, 400, 403, 404}


@pytest.fixture
def staff(staff_user) -> Client:
    client = Client(raise_request_exception=False)
    return log_in(client, staff_user)


def _changelists():
    return [(model, model_admin) for model, model_admin in admin.site._registry.items()]


def _ids(items) -> list[str]:
    return [f"{model._meta.app_label}.{model._meta.model_name}" for model, _ in items]


def _filter_parameters(model_admin, rf, staff_user) -> list[str]:
    request = rf.get("/")
    request.user = staff_user
    changelist = model_admin.get_changelist_instance(request)
    assert isinstance(changelist, ChangeList)
    names = [name for spec in changelist.filter_specs for name in spec.expected_parameters()]
    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        names += [f"{field}__year", f"{field}__month", f"{field}__day"]
    return names


@pytest.mark.parametrize(("model", "model_admin"), _changelists(), ids=_ids(_changelists()))
def test_no_changelist_parameter_breaks_the_list(staff, staff_user, rf, model, model_admin):
    CompanyFactory()
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    broken = []
    for name in [*_filter_parameters(model_admin, rf, staff_user), "q", "o", "p"]:
        for value in BAD_VALUES:
            response = staff.get(url, {name: value})
            if response.status_code not in ACCEPTED:
                broken.append((name, value[:20], response.status_code))
    assert broken == []


def test_a_date_drill_down_to_year_99999999999_with_a_month_and_day_breaks_nothing(staff):
    for query in (
        "created_at__year=99999999999&created_at__month=1&created_at__day=1",
        "created_at__year=2024&created_at__month=99999999999",
        "created_at__year=2024&created_at__month=2&created_at__day=99999999999",
    ):
        assert staff.get(f"/admin/members/companymessage/?{query}").status_code in ACCEPTED, query


@pytest.mark.parametrize("term", BAD_VALUES)
def test_no_autocomplete_term_breaks_the_search(staff, term):
    make_message(company=CompanyFactory(trade_name="Atlas"))
    response = staff.get(
        "/admin/autocomplete/",
        {"term": term, "app_label": "members", "model_name": "companymessage", "field_name": "company"},
    )

    assert response.status_code in ACCEPTED


@pytest.mark.parametrize(
    "query",
    [
        {"app_label": NUL, "model_name": "companymessage", "field_name": "company"},
        {"app_label": "members", "model_name": NUL, "field_name": "company"},
        {"app_label": "members", "model_name": "companymessage", "field_name": NUL},
        {"app_label": "members", "model_name": "companymessage", "field_name": "company", "page": "abc"},
        {"app_label": "members", "model_name": "companymessage", "field_name": "company", "page": "99999999999"},
    ],
)
def test_no_autocomplete_parameter_breaks_it(staff, query):
    assert staff.get("/admin/autocomplete/", query).status_code in ACCEPTED


@pytest.mark.parametrize("object_id", ["abc", NUL, "99999999999999999999999", "-1", "1e309", "%00"])
@pytest.mark.parametrize("page", ["change", "history", "delete"])
def test_no_object_id_breaks_a_page(staff, object_id, page):
    response = staff.get(f"/admin/members/company/{object_id}/{page}/")

    assert response.status_code in ACCEPTED


@pytest.mark.parametrize("path", ["/admin/r/99999999999999999999/1/", "/admin/r/1/99999999999999999999/"])
def test_the_view_on_site_shortcut_breaks_on_no_id(staff, path):
    assert staff.get(path).status_code in ACCEPTED


@pytest.mark.parametrize("selected", [NUL, "abc", "99999999999999999999999"])
def test_no_selection_breaks_an_action(staff, selected):
    response = staff.post(
        "/admin/members/company/", {"action": "company_invite_contact", "_selected_action": [selected]}
    )

    assert response.status_code in ACCEPTED


@pytest.mark.parametrize("path", ["/?x=%00", "/bulletins/?q=a%00b", "/espace/%00/", "/admin/?%00=1"])
def test_a_nul_byte_anywhere_in_an_address_answers_400(staff, path):
    assert staff.get(path).status_code == 400
