"""Exporting the registry and the declarations dataset from the admin, as CSV and XLSX, with
cells that a spreadsheet would run as formulas neutralised; and files that go back in unchanged."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.models import Declaration, DeclarationMeasure, Measure
from members.models import Company, Region
from tests.factories import (
    CompanyFactory,
    DeclarationFactory,
    DeclarationMeasureFactory,
    DeclarationRegionFactory,
    MembershipFactory,
    SiteFactory,
    UserFactory,
    region,
)
from tests.spreadsheets.files import (
    CSV_FORMAT,
    HEADERS,
    XLSX_FORMAT,
    confirm,
    csv_file,
    preview,
    read_csv,
    read_xlsx,
    xlsx_file,
)

pytestmark = pytest.mark.django_db

COMPANY_EXPORT = reverse("admin:members_company_export")
DECLARATION_EXPORT = reverse("admin:measures_declaration_export")


def _export(client, url: str, file_format: str, **filters):
    query = "?" + "&".join(f"{key}={value}" for key, value in filters.items()) if filters else ""
    return client.post(url + query, {"format": file_format, "resource": "0"})


@pytest.fixture
def registry(db):
    atlas = CompanyFactory(trade_name="Atlas Contact", segment=Company.Segment.MEMBER, registered_headcount=900)
    SiteFactory(company=atlas, name="Plateau Anfa", city="Casablanca", region=region("MA-06"), workstations=300)
    SiteFactory(company=atlas, name="Plateau Fès", city="Fès", region=region("MA-03"), workstations=120)
    MembershipFactory(company=atlas, user=UserFactory(email="declarant@atlas.ma"))
    CompanyFactory(
        trade_name='=HYPERLINK("http://evil.example","clic")', legal_name="@SUM(A1)", segment=Company.Segment.SMALL
    )
    return atlas


def test_the_registry_exports_as_csv_with_sites_and_contacts(staff_client, registry):
    response = _export(staff_client, COMPANY_EXPORT, CSV_FORMAT)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    atlas = next(row for row in read_csv(response.content) if row["nom_commercial"] == "Atlas Contact")
    assert atlas["ice"] == registry.ice
    assert atlas["region"] == "MA-06"
    assert atlas["segment"] == "member"
    assert atlas["regions_des_sites"] == "MA-03; MA-06"
    assert atlas["sites"] == "Plateau Anfa (Casablanca, MA-06, 300); Plateau Fès (Fès, MA-03, 120)"
    assert atlas["contacts"] == "declarant@atlas.ma (Déclarant)"


def test_a_csv_export_neutralises_cells_that_would_run_as_formulas(staff_client, registry):
    rows = read_csv(_export(staff_client, COMPANY_EXPORT, CSV_FORMAT).content)

    names = {row["nom_commercial"] for row in rows}
    assert '\'=HYPERLINK("http://evil.example","clic")' in names
    assert "'@SUM(A1)" in {row["raison_sociale"] for row in rows}
    assert not any(value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())


def test_an_xlsx_export_holds_text_not_formulas(staff_client, registry):
    response = _export(staff_client, COMPANY_EXPORT, XLSX_FORMAT)

    rows = read_xlsx(response.content)
    assert '\'=HYPERLINK("http://evil.example","clic")' in {row["nom_commercial"] for row in rows}
    assert next(row for row in rows if row["nom_commercial"] == "Atlas Contact")["effectif_enregistre"] == 900


def test_the_export_follows_the_list_s_filters(staff_client, registry):
    rows = read_csv(_export(staff_client, COMPANY_EXPORT, CSV_FORMAT, segment__exact="member").content)

    assert [row["nom_commercial"] for row in rows] == ["Atlas Contact"]


@pytest.mark.parametrize("file_format", [CSV_FORMAT, XLSX_FORMAT], ids=["csv", "xlsx"])
def test_an_exported_registry_goes_back_in_unchanged(staff_client, registry, file_format):
    exported = _export(staff_client, COMPANY_EXPORT, file_format)
    before = list(Company.objects.order_by("pk").values())
    upload = SimpleUploadedFile("registre." + ("csv" if file_format == CSV_FORMAT else "xlsx"), exported.content)

    checked = preview(staff_client, upload, file_format)
    assert checked.context["result"].has_validation_errors() is False
    confirm(staff_client, checked)

    assert list(Company.objects.order_by("pk").values()) == before


@pytest.mark.parametrize("file_format", [CSV_FORMAT, XLSX_FORMAT], ids=["csv", "xlsx"])
def test_an_exported_registry_edited_in_a_spreadsheet_updates_the_company(staff_client, registry, file_format):
    read = read_csv if file_format == CSV_FORMAT else read_xlsx
    rows = read(_export(staff_client, COMPANY_EXPORT, file_format).content)
    atlas = next(row for row in rows if row["nom_commercial"] == "Atlas Contact")
    atlas["effectif_enregistre"] = 950
    if file_format == CSV_FORMAT:
        upload = csv_file([{key: atlas[key] for key in HEADERS}])
    else:
        upload = xlsx_file([[atlas[key] for key in HEADERS]])

    confirm(staff_client, preview(staff_client, upload, file_format))

    registry.refresh_from_db()
    assert registry.registered_headcount == 950


# The declarations dataset


def _declaration_with_details() -> Declaration:
    declaration = DeclarationFactory(
        company=CompanyFactory(trade_name="Atlas Contact"), status=Declaration.Status.APPROVED
    )
    DeclarationRegionFactory(declaration=declaration, region=region("MA-06"), headcount=70, on_site=30, telework=35)
    DeclarationRegionFactory(declaration=declaration, region=region("MA-03"), headcount=30, on_site=10, telework=15)
    DeclarationMeasureFactory(
        declaration=declaration,
        measure=Measure.objects.get(code="cnss-allowance"),
        status=DeclarationMeasure.Status.IN_PLACE,
        employees_concerned=5,
    )
    return declaration


def test_the_declarations_export_one_row_per_declaration_with_regions_and_measures(staff_client):
    declaration = _declaration_with_details()

    rows = read_xlsx(_export(staff_client, DECLARATION_EXPORT, XLSX_FORMAT).content)

    (row,) = rows
    assert row["id"] == declaration.pk
    assert row["nom_commercial"] == "Atlas Contact"
    assert row["headcount"] == 100
    assert float(row["export_revenue"]) == 1_500_000
    assert (row["MA-06_effectif"], row["MA-06_sur_site"], row["MA-06_teletravail"]) == (70, 30, 35)
    assert row["MA-03_effectif"] == 30
    assert row["MA-01_effectif"] is None
    assert row["mesure_cnss-allowance"] == "in_place"
    assert row["mesure_cnss-allowance_salaries"] == 5
    assert len([name for name in row if name.endswith("_effectif")]) == Region.objects.count()


def test_the_declarations_export_as_csv_neutralises_free_text(staff_client):
    DeclarationFactory(difficulties="-1+1 clients perdus")

    (row,) = read_csv(_export(staff_client, DECLARATION_EXPORT, CSV_FORMAT).content)

    assert row["difficulties"] == "'-1+1 clients perdus"


@pytest.mark.parametrize("count", [3, 30])
def test_the_declarations_export_takes_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, count):
    for _ in range(count):
        _declaration_with_details()

    with django_assert_max_num_queries(12):
        response = _export(staff_client, DECLARATION_EXPORT, CSV_FORMAT)

    assert len(read_csv(response.content)) == count
