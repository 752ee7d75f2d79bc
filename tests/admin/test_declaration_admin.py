import datetime
import html
import zoneinfo

import pytest
from django.urls import reverse

from measures.models import Declaration, DeclarationRegion, Measure
from members.models import Company, Region
from tests.admin.builders import admin_form_data, make_event
from tests.factories import (
    CampaignFactory,
    CompanyFactory,
    DeclarationFactory,
    DeclarationMeasureFactory,
    DeclarationRegionFactory,
)

CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")
CHANGELIST = reverse("admin:measures_declaration_changelist")


def _masks() -> Measure:
    return Measure.objects.get(code="masks")


def _at(day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2020, 3, day, hour, 0, tzinfo=CASABLANCA)


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _listed(response) -> set[str]:
    return {declaration.company.trade_name for declaration in response.context["cl"].result_list}


def _change_url(declaration: Declaration) -> str:
    return reverse("admin:measures_declaration_change", args=[declaration.pk])


def _submitted(**fields) -> Declaration:
    """A submitted declaration whose single regional line matches its totals."""
    fields.setdefault("submitted_at", _at(25))
    declaration = DeclarationFactory(status=Declaration.Status.SUBMITTED, **fields)
    DeclarationRegionFactory(declaration=declaration)
    return declaration


@pytest.fixture
def declaration(company_a):
    return _submitted(company=company_a)


# The list: filters and search


def test_staff_filter_declarations_by_campaign(staff_client, company_a, company_b):
    week_1, week_2 = CampaignFactory(), CampaignFactory()
    DeclarationFactory(company=company_a, campaign=week_1)
    DeclarationFactory(company=company_b, campaign=week_2)

    response = staff_client.get(CHANGELIST, {"campaign__id__exact": week_2.pk})

    assert _listed(response) == {"Bahia Relation Client"}


def test_staff_filter_declarations_by_status(staff_client, company_a, company_b):
    DeclarationFactory(company=company_a, status=Declaration.Status.DRAFT)
    DeclarationFactory(company=company_b, status=Declaration.Status.APPROVED)

    response = staff_client.get(CHANGELIST, {"status__exact": Declaration.Status.APPROVED})

    assert _listed(response) == {"Bahia Relation Client"}


def test_staff_filter_declarations_by_company_segment(staff_client):
    DeclarationFactory(company=CompanyFactory(trade_name="Grand Membre", segment=Company.Segment.MEMBER))
    DeclarationFactory(company=CompanyFactory(trade_name="Petit Plateau", segment=Company.Segment.SMALL))

    response = staff_client.get(CHANGELIST, {"company__segment__exact": Company.Segment.SMALL})

    assert _listed(response) == {"Petit Plateau"}


def test_staff_filter_declarations_by_company_formality(staff_client):
    DeclarationFactory(company=CompanyFactory(trade_name="Vérifiée", formality=Company.Formality.FORMAL))
    DeclarationFactory(company=CompanyFactory(trade_name="Informelle", formality=Company.Formality.INFORMAL))

    response = staff_client.get(CHANGELIST, {"company__formality__exact": Company.Formality.INFORMAL})

    assert _listed(response) == {"Informelle"}


def test_staff_filter_declarations_by_company_region(staff_client):
    oujda = Region.objects.get(code="MA-02")
    DeclarationFactory(company=CompanyFactory(trade_name="Oriental Call", region=oujda))
    DeclarationFactory(company=CompanyFactory(trade_name="Casa Call", region=Region.objects.get(code="MA-06")))

    response = staff_client.get(CHANGELIST, {"company__region__id__exact": oujda.pk})

    assert _listed(response) == {"Oriental Call"}


def test_staff_filter_the_late_declarations(staff_client):
    # The factory's campaign is due on 26 March 2020.
    _submitted(company=CompanyFactory(trade_name="À l'heure"), submitted_at=_at(26, hour=23))
    _submitted(company=CompanyFactory(trade_name="En retard"), submitted_at=_at(27, hour=9))
    DeclarationFactory(company=CompanyFactory(trade_name="Brouillon"))

    response = staff_client.get(CHANGELIST, {"ponctualite": "late"})

    assert _listed(response) == {"En retard"}


def test_staff_filter_the_declarations_on_time(staff_client):
    _submitted(company=CompanyFactory(trade_name="À l'heure"), submitted_at=_at(26, hour=23))
    _submitted(company=CompanyFactory(trade_name="En retard"), submitted_at=_at(27, hour=9))
    DeclarationFactory(company=CompanyFactory(trade_name="Brouillon"))

    response = staff_client.get(CHANGELIST, {"ponctualite": "on_time"})

    assert _listed(response) == {"À l'heure"}


def test_the_list_flags_a_late_declaration(staff_client):
    _submitted(submitted_at=_at(27))

    response = staff_client.get(CHANGELIST)

    assert 'alt="True"' in _text(response)


def test_staff_find_a_declaration_by_company_name(staff_client, company_a, company_b):
    DeclarationFactory(company=company_a)
    DeclarationFactory(company=company_b)

    response = staff_client.get(CHANGELIST, {"q": "bahia"})

    assert _listed(response) == {"Bahia Relation Client"}


def test_staff_find_a_declaration_by_company_ice(staff_client, company_a, company_b):
    DeclarationFactory(company=company_a)
    DeclarationFactory(company=company_b)

    response = staff_client.get(CHANGELIST, {"q": company_a.ice})

    assert _listed(response) == {"Atlas Contact"}


# Editing: every save goes through the figure rules


def test_staff_correct_a_declaration_and_its_version_moves_on(staff_client, declaration):
    page = staff_client.get(_change_url(declaration))

    response = staff_client.post(_change_url(declaration), admin_form_data(page, hires="7"))

    declaration.refresh_from_db()
    assert response.status_code == 302
    assert declaration.hires == 7
    assert declaration.version == 2


def test_staff_cannot_save_parts_that_do_not_add_up(staff_client, declaration):
    page = staff_client.get(_change_url(declaration))

    response = staff_client.post(_change_url(declaration), admin_form_data(page, other_absence="15"))

    declaration.refresh_from_db()
    assert response.status_code == 200
    assert "doivent totaliser l'effectif" in response.context["adminform"].form.errors["headcount"][0]
    assert declaration.other_absence == 5


def test_staff_cannot_make_an_approved_declaration_inconsistent(staff_client, company_a):
    approved = _submitted(company=company_a)
    Declaration.objects.filter(pk=approved.pk).update(status=Declaration.Status.APPROVED)
    page = staff_client.get(_change_url(approved))

    response = staff_client.post(_change_url(approved), admin_form_data(page, telework="60"))

    assert response.status_code == 200
    assert "doivent totaliser l'effectif" in _text(response)
    approved.refresh_from_db()
    assert approved.telework == 50


def test_staff_may_save_an_inconsistent_draft_as_the_member_may(staff_client, company_a):
    draft = DeclarationFactory(company=company_a)
    page = staff_client.get(_change_url(draft))

    response = staff_client.post(_change_url(draft), admin_form_data(page, other_absence="15"))

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.other_absence == 15


def test_staff_cannot_save_more_dismissals_than_separations(staff_client, declaration):
    page = staff_client.get(_change_url(declaration))

    response = staff_client.post(_change_url(declaration), admin_form_data(page, dismissals="9"))

    assert response.status_code == 200
    assert "Les licenciements font partie des départs" in _text(response)


def test_a_save_from_a_stale_page_is_refused_and_the_newer_figures_stay(staff_client, declaration):
    page = staff_client.get(_change_url(declaration))
    # Meanwhile the member saved new figures.
    Declaration.objects.filter(pk=declaration.pk).update(hires=11, version=2)

    response = staff_client.post(_change_url(declaration), admin_form_data(page, hires="7"))

    declaration.refresh_from_db()
    assert response.status_code == 200
    assert "modifiée par quelqu'un d'autre" in _text(response)
    assert declaration.hires == 11


def test_a_post_without_the_loaded_version_is_refused(staff_client, declaration):
    page = staff_client.get(_change_url(declaration))

    response = staff_client.post(_change_url(declaration), admin_form_data(page, hires="7", loaded_version=None))

    declaration.refresh_from_db()
    assert response.status_code == 200
    assert declaration.hires == 2


def test_the_status_cannot_be_changed_by_hand(staff_client, declaration):
    page = staff_client.get(_change_url(declaration))

    staff_client.post(_change_url(declaration), admin_form_data(page, status=Declaration.Status.APPROVED))

    declaration.refresh_from_db()
    assert declaration.status == Declaration.Status.SUBMITTED


def test_a_declaration_stays_with_its_company(staff_client, declaration, company_b):
    page = staff_client.get(_change_url(declaration))

    staff_client.post(_change_url(declaration), admin_form_data(page, company=str(company_b.pk)))

    declaration.refresh_from_db()
    assert declaration.company.trade_name == "Atlas Contact"


def test_regional_lines_of_a_submitted_declaration_must_match_its_totals(staff_client, declaration):
    page = staff_client.get(_change_url(declaration))

    response = staff_client.post(
        _change_url(declaration), admin_form_data(page, **{"regional_lines-0-headcount": "90"})
    )

    assert response.status_code == 200
    assert "La répartition régionale (l'effectif) totalise 90 au lieu de 100." in _text(response)
    assert DeclarationRegion.objects.get(declaration=declaration).headcount == 100


def test_a_draft_may_keep_a_partial_regional_breakdown(staff_client, company_a):
    draft = DeclarationFactory(company=company_a)
    DeclarationRegionFactory(declaration=draft)
    page = staff_client.get(_change_url(draft))

    response = staff_client.post(_change_url(draft), admin_form_data(page, **{"regional_lines-0-headcount": "90"}))

    assert response.status_code == 302
    assert DeclarationRegion.objects.get(declaration=draft).headcount == 90


def test_a_region_cannot_appear_twice(staff_client, declaration):
    page = staff_client.get(_change_url(declaration))
    casablanca = Region.objects.get(code="MA-06")
    data = admin_form_data(
        page,
        **{
            "regional_lines-0-headcount": "50",
            "regional_lines-0-on_site": "20",
            "regional_lines-0-telework": "25",
            "regional_lines-TOTAL_FORMS": "2",
            "regional_lines-1-region": str(casablanca.pk),
            "regional_lines-1-headcount": "50",
            "regional_lines-1-on_site": "20",
            "regional_lines-1-telework": "25",
            "regional_lines-1-declaration": str(declaration.pk),
        },
    )

    response = staff_client.post(_change_url(declaration), data)

    assert "Une région apparaît deux fois dans la répartition régionale." in _text(response)
    assert DeclarationRegion.objects.filter(declaration=declaration).count() == 1


def test_a_regional_line_cannot_count_more_on_site_and_telework_than_its_headcount(staff_client, declaration):
    page = staff_client.get(_change_url(declaration))

    response = staff_client.post(_change_url(declaration), admin_form_data(page, **{"regional_lines-0-on_site": "60"}))

    assert response.status_code == 200
    assert "ne peuvent dépasser l'effectif" in _text(response)


def test_the_headcount_cannot_be_corrected_below_the_employees_a_measure_concerns(staff_client, declaration):
    DeclarationMeasureFactory(
        declaration=declaration, measure=Measure.objects.get(code="masks"), employees_concerned=80
    )
    page = staff_client.get(_change_url(declaration))
    smaller = {"headcount": "60", "on_site": "20", "telework": "30"}
    line = {"regional_lines-0-headcount": "60", "regional_lines-0-on_site": "20", "regional_lines-0-telework": "30"}

    response = staff_client.post(_change_url(declaration), admin_form_data(page, **smaller, **line))

    assert response.status_code == 200
    assert "80 salariés concernés, plus que l'effectif (60)" in _text(response)
    declaration.refresh_from_db()
    assert declaration.headcount == 100


def test_the_measure_answers_are_shown_as_the_member_gave_them(staff_client, declaration):
    DeclarationMeasureFactory(
        declaration=declaration, measure=Measure.objects.get(code="masks"), employees_concerned=80
    )

    page = _text(staff_client.get(_change_url(declaration)))

    assert "Masques fournis aux salariés sur site : En place (80 salariés concernés)" in page


def test_staff_add_a_draft_declaration_for_a_company(staff_client, company_a):
    campaign = CampaignFactory()
    page = staff_client.get(reverse("admin:measures_declaration_add"))

    response = staff_client.post(
        reverse("admin:measures_declaration_add"),
        admin_form_data(page, campaign=str(campaign.pk), company=str(company_a.pk)),
    )

    assert response.status_code == 302
    assert Declaration.objects.get(company=company_a).status == Declaration.Status.DRAFT


def test_a_second_declaration_for_the_same_campaign_is_refused(staff_client, declaration):
    page = staff_client.get(reverse("admin:measures_declaration_add"))

    response = staff_client.post(
        reverse("admin:measures_declaration_add"),
        admin_form_data(page, campaign=str(declaration.campaign_id), company=str(declaration.company_id)),
    )

    assert response.status_code == 200
    assert Declaration.objects.filter(company=declaration.company).count() == 1


def test_the_declaration_page_shows_its_review_trail(staff_client, declaration, declarant_a):
    make_event(declaration, actor=declarant_a)

    response = staff_client.get(_change_url(declaration))

    assert "Amina Declarante" in _text(response)
