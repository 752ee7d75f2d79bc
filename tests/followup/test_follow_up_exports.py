"""The follow-up exported for staff to work from: the non-respondents as CSV, the whole follow-up
as XLSX; no cell a spreadsheet would run."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from members.models import CompanyMembership
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.followup.builders import submitted


@pytest.fixture
def non_respondent(open_campaign, company_b):
    submitted(open_campaign, company_b)
    company = CompanyFactory(trade_name='=HYPERLINK("http://evil")', registered_headcount=250)
    MembershipFactory(
        company=company,
        role=CompanyMembership.Role.ADMIN,
        user=UserFactory(email="nadia@centre.ma", full_name="@Nadia", phone="+212 600 11 22 33"),
    )
    return company


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_lists_the_non_respondents_with_their_contacts(staff_client, open_campaign, non_respondent):
    response = staff_client.get(reverse("admin:followup_campaignfollowup_csv", args=[open_campaign.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="non-repondants-campagne-{open_campaign.pk}.csv"' in response["Content-Disposition"]
    header, *rows = _csv_rows(response)
    assert header[:3] == ["Entreprise", "ICE", "Segment"]
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["E-mails"] == "nadia@centre.ma"
    assert row["Effectif enregistré"] == "250"


def test_the_csv_neutralises_what_a_spreadsheet_would_run(staff_client, open_campaign, non_respondent):
    response = staff_client.get(reverse("admin:followup_campaignfollowup_csv", args=[open_campaign.pk]))

    header, row = _csv_rows(response)
    values = dict(zip(header, row, strict=True))
    assert values["Entreprise"] == '\'=HYPERLINK("http://evil")'
    assert values["Contacts"].startswith("'@Nadia")
    assert values["Téléphones"] == "'+212 600 11 22 33"


def test_the_csv_keeps_the_page_s_filters(staff_client, open_campaign, non_respondent):
    url = reverse("admin:followup_campaignfollowup_csv", args=[open_campaign.pk])

    response = staff_client.get(url, {"segment": "small"})

    assert len(_csv_rows(response)) == 1


def test_the_xlsx_holds_the_non_respondents_and_the_response(staff_client, open_campaign, non_respondent):
    response = staff_client.get(reverse("admin:followup_campaignfollowup_xlsx", args=[open_campaign.pk]))

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Non-répondants", "Réponse"]
    missing = list(workbook["Non-répondants"].values)
    assert missing[0][0] == "Entreprise"
    assert missing[1][5] == 250
    response_sheet = list(workbook["Réponse"].values)
    assert response_sheet[1][:5] == ("Total", "Total", 2, 1, 0.5)


def test_the_xlsx_holds_no_formula(staff_client, open_campaign, non_respondent):
    response = staff_client.get(reverse("admin:followup_campaignfollowup_xlsx", args=[open_campaign.pk]))

    workbook = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert workbook["Non-répondants"]["A2"].value == '\'=HYPERLINK("http://evil")'


def test_the_xlsx_survives_control_characters_in_a_name(staff_client, open_campaign):
    CompanyFactory(trade_name="Centre\x07 Sonore")

    response = staff_client.get(reverse("admin:followup_campaignfollowup_xlsx", args=[open_campaign.pk]))

    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content))["Non-répondants"]["A2"].value == "Centre Sonore"


@pytest.mark.parametrize("rows", [3, 30])
def test_the_exports_run_in_a_fixed_number_of_queries(staff_client, open_campaign, rows, django_assert_max_num_queries):
    for company in CompanyFactory.create_batch(rows):
        MembershipFactory(company=company)

    with django_assert_max_num_queries(7):
        staff_client.get(reverse("admin:followup_campaignfollowup_csv", args=[open_campaign.pk]))
    with django_assert_max_num_queries(9):
        staff_client.get(reverse("admin:followup_campaignfollowup_xlsx", args=[open_campaign.pk]))
