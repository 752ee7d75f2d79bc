"""Importing the registry from a spreadsheet in the admin: a dry run first, with each row's
problems, then all or nothing, with the history of each company written in the importer's name."""

import html

import pytest
from django.contrib.admin.models import LogEntry

from members.models import Company
from tests.factories import CompanyFactory, valid_ice
from tests.spreadsheets.files import IMPORT_URL, XLSX_FORMAT, company_row, confirm, csv_file, preview, xlsx_file

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _imported() -> set[str]:
    return set(Company.objects.filter(trade_name__startswith="Plateau Import").values_list("trade_name", flat=True))


def test_the_preview_lists_the_new_companies_and_writes_nothing(staff_client):
    response = preview(staff_client, csv_file([company_row(1), company_row(2)]))

    assert response.status_code == 200
    assert response.context["confirm_form"] is not None
    assert "Plateau Import 2" in _text(response)
    assert _imported() == set()


def test_confirming_a_clean_preview_creates_the_companies(staff_client):
    response = confirm(staff_client, preview(staff_client, csv_file([company_row(1), company_row(2)])))

    assert response.status_code == 302
    assert _imported() == {"Plateau Import 1", "Plateau Import 2"}
    company = Company.objects.get(trade_name="Plateau Import 1")
    assert company.region.code == "MA-06"
    assert company.segment == Company.Segment.SMALL
    assert company.registered_headcount == 40


def test_an_import_writes_history_rows_in_the_name_of_the_staff_member(staff_client, staff_user):
    confirm(staff_client, preview(staff_client, csv_file([company_row(1)])))

    company = Company.objects.get(trade_name="Plateau Import 1")
    (record,) = company.history.all()
    assert record.history_type == "+"
    assert record.history_user == staff_user
    assert LogEntry.objects.filter(object_id=str(company.pk), user=staff_user).exists()


def test_an_imported_formality_is_recorded_as_verified_by_the_importer(staff_client, staff_user):
    confirm(staff_client, preview(staff_client, csv_file([company_row(1, formalite="formal")])))

    company = Company.objects.get(trade_name="Plateau Import 1")
    assert company.formality_verified_by == staff_user
    assert company.formality_verified_at is not None


def test_a_row_with_an_id_updates_that_company_and_its_history(staff_client, staff_user):
    company = CompanyFactory(trade_name="Plateau Import 7", registered_headcount=100)
    row = company_row(7, id=str(company.pk), ice=company.ice, effectif_enregistre="180")

    confirm(staff_client, preview(staff_client, csv_file([row])))

    company.refresh_from_db()
    assert company.registered_headcount == 180
    assert company.history.first().history_user == staff_user


def test_labels_are_accepted_for_choices(staff_client):
    row = company_row(1, segment="Membre AMRC", formalite="informelle")

    confirm(staff_client, preview(staff_client, csv_file([row])))

    company = Company.objects.get(trade_name="Plateau Import 1")
    assert (company.segment, company.formality) == (Company.Segment.MEMBER, Company.Formality.INFORMAL)


# The dry run's errors, row by row


def _errors(response) -> dict[int, str]:
    """Each invalid row's number and its errors, as one text."""
    result = response.context["result"]
    return {
        row.number: " ".join(
            [str(e) for errors in row.field_specific_errors.values() for e in errors]
            + [str(e) for e in row.non_field_specific_errors]
        )
        for row in result.invalid_rows
    }


def test_a_wrong_ice_checksum_is_reported_on_its_row(staff_client):
    bad_ice = valid_ice(900_002)[:-1] + ("0" if valid_ice(900_002)[-1] != "0" else "1")

    response = preview(staff_client, csv_file([company_row(1), company_row(2, ice=bad_ice)]))

    assert list(_errors(response)) == [2]
    assert "ICE invalide" in _errors(response)[2]
    assert response.context.get("confirm_form") is None


def test_an_unknown_region_is_reported_on_its_row(staff_client):
    response = preview(staff_client, csv_file([company_row(1, region="MA-99")]))

    assert "Région inconnue : « MA-99 »" in _errors(response)[1]


def test_an_ice_twice_in_the_file_is_reported_on_both_rows(staff_client):
    rows = [company_row(1), company_row(2), company_row(3, ice=valid_ice(900_001))]

    errors = _errors(preview(staff_client, csv_file(rows)))

    assert "Cet ICE figure aussi à la ligne 3 du fichier." in errors[1]
    assert "Cet ICE figure aussi à la ligne 1 du fichier." in errors[3]
    assert 2 not in errors


def test_a_name_twice_in_the_file_is_reported_whatever_its_case(staff_client):
    rows = [company_row(1), company_row(2, nom_commercial="plateau  IMPORT 1")]

    errors = _errors(preview(staff_client, csv_file(rows)))

    assert "Ce nom figure aussi à la ligne 2 du fichier." in errors[1]


def test_an_ice_already_in_the_registry_is_reported(staff_client):
    CompanyFactory(ice=valid_ice(900_001))

    errors = _errors(preview(staff_client, csv_file([company_row(1)])))

    assert "Une entreprise portant cet ICE est déjà enregistrée." in errors[1]


def test_a_name_already_in_the_registry_is_reported(staff_client):
    CompanyFactory(trade_name="Plateau Import 1")

    errors = _errors(preview(staff_client, csv_file([company_row(1)])))

    assert "Une autre entreprise du registre porte déjà ce nom." in errors[1]


def test_a_cell_that_would_run_as_a_formula_is_refused(staff_client):
    row = company_row(1, raison_sociale='=HYPERLINK("http://example.com","x")')

    errors = _errors(preview(staff_client, csv_file([row])))

    assert "commence par un caractère de formule" in errors[1]


def test_a_formula_character_marked_as_text_is_accepted_without_its_mark(staff_client):
    row = company_row(1, raison_sociale="'+Plus Services SARL")

    confirm(staff_client, preview(staff_client, csv_file([row])))

    assert Company.objects.get(trade_name="Plateau Import 1").legal_name == "+Plus Services SARL"


def test_an_unknown_id_is_refused_rather_than_created(staff_client):
    errors = _errors(preview(staff_client, csv_file([company_row(1, id="987654")])))

    assert "Aucune entreprise n'a l'identifiant 987654" in errors[1]
    assert not Company.objects.filter(pk=987654).exists()


def test_a_missing_city_is_reported(staff_client):
    errors = _errors(preview(staff_client, csv_file([company_row(1, ville="")])))

    assert 1 in errors


# All or nothing


def test_one_bad_row_and_nothing_is_offered_for_import(staff_client):
    rows = [company_row(1), company_row(2), company_row(3, region="Atlantide")]

    response = preview(staff_client, csv_file(rows))

    assert response.context.get("confirm_form") is None
    assert _imported() == set()


def test_a_row_that_breaks_between_preview_and_confirmation_rolls_the_whole_import_back(staff_client):
    checked = preview(staff_client, csv_file([company_row(1), company_row(2)]))
    # Meanwhile a colleague registers a company with the second row's ICE.
    CompanyFactory(trade_name="Arrivée entre-temps", ice=valid_ice(900_002))

    response = confirm(staff_client, checked)

    assert response.status_code == 302
    assert _imported() == set()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("Rien n'a été importé" in message for message in messages)


# XLSX


def test_an_xlsx_file_is_imported(staff_client):
    row = list(company_row(1).values())

    confirm(staff_client, preview(staff_client, xlsx_file([row]), XLSX_FORMAT))

    assert _imported() == {"Plateau Import 1"}


def test_an_ice_that_a_spreadsheet_turned_into_a_number_gets_its_zeros_back(staff_client):
    ice = "000012345000091"
    ice = ice[:13] + f"{(-int(ice[:13]) * 100) % 97:02d}"
    row = list(company_row(1, ice=int(ice)).values())

    confirm(staff_client, preview(staff_client, xlsx_file([row]), XLSX_FORMAT))

    assert Company.objects.get(trade_name="Plateau Import 1").ice == ice


def test_the_import_page_names_the_columns_it_reads(staff_client):
    response = staff_client.get(IMPORT_URL)

    ((_, columns),) = response.context["fields_list"]
    assert "nom_commercial" in columns
    assert "contacts" not in columns
    assert "de MA-01 à MA-12" in _text(response)


def test_the_preview_shows_each_row_s_errors_to_the_staff_member(staff_client):
    response = preview(staff_client, csv_file([company_row(1, region="MA-99")]))

    assert "Région inconnue : « MA-99 »" in _text(response)


def test_a_new_company_left_unverified_has_no_verifier(staff_client):
    confirm(staff_client, preview(staff_client, csv_file([company_row(1, formalite="unverified")])))

    assert Company.objects.get(trade_name="Plateau Import 1").formality_verified_by is None
