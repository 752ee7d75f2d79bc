import datetime
import zoneinfo

import time_machine
from django.urls import reverse

from members.models import Company, CompanyMembership, Region
from tests.admin.builders import admin_form_data
from tests.factories import CompanyFactory, SiteFactory, valid_ice

CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")
CHANGELIST = reverse("admin:members_company_changelist")


def _listed(response) -> set[str]:
    return {company.trade_name for company in response.context["cl"].result_list}


def _change_url(company: Company) -> str:
    return reverse("admin:members_company_change", args=[company.pk])


def test_staff_find_a_company_by_its_name(staff_client, company_a, company_b):
    response = staff_client.get(CHANGELIST, {"q": "atlas"})

    assert _listed(response) == {"Atlas Contact"}


def test_staff_find_a_company_by_its_ice(staff_client, company_a, company_b):
    response = staff_client.get(CHANGELIST, {"q": company_b.ice})

    assert _listed(response) == {"Bahia Relation Client"}


def test_staff_find_a_company_by_its_legal_name(staff_client):
    CompanyFactory(trade_name="Sahara Call", legal_name="Société Saharienne de Relation Client SA")

    response = staff_client.get(CHANGELIST, {"q": "Saharienne"})

    assert _listed(response) == {"Sahara Call"}


def test_staff_filter_companies_by_segment(staff_client):
    CompanyFactory(trade_name="Grand Membre", segment=Company.Segment.MEMBER)
    CompanyFactory(trade_name="Petit Plateau", segment=Company.Segment.SMALL)

    response = staff_client.get(CHANGELIST, {"segment__exact": Company.Segment.SMALL})

    assert _listed(response) == {"Petit Plateau"}


def test_staff_filter_companies_by_formality(staff_client):
    CompanyFactory(trade_name="Vérifiée", formality=Company.Formality.FORMAL)
    CompanyFactory(trade_name="Informelle", formality=Company.Formality.INFORMAL)

    response = staff_client.get(CHANGELIST, {"formality__exact": Company.Formality.INFORMAL})

    assert _listed(response) == {"Informelle"}


def test_staff_filter_companies_by_region(staff_client):
    CompanyFactory(trade_name="Casablancaise", region=Region.objects.get(code="MA-06"))
    fes = Region.objects.get(code="MA-03")
    CompanyFactory(trade_name="Fassie", region=fes)

    response = staff_client.get(CHANGELIST, {"region__id__exact": fes.pk})

    assert _listed(response) == {"Fassie"}


def test_staff_filter_companies_awaiting_registration(staff_client, company_a):
    CompanyFactory(trade_name="Nouvelle venue", registration_status=Company.RegistrationStatus.PENDING)

    response = staff_client.get(CHANGELIST, {"registration_status__exact": Company.RegistrationStatus.PENDING})

    assert _listed(response) == {"Nouvelle venue"}


def test_a_filter_value_that_does_not_exist_gives_no_error(staff_client, company_a):
    response = staff_client.get(CHANGELIST, {"region__id__exact": "pas-un-nombre"})

    # Django's admin answers a malformed filter by reloading the list with an error flag.
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@time_machine.travel(datetime.datetime(2020, 4, 2, 10, 30, tzinfo=CASABLANCA), tick=False)
def test_marking_companies_formal_records_who_verified_them_and_when(staff_client, staff_user):
    companies = CompanyFactory.create_batch(2, formality=Company.Formality.UNVERIFIED)

    staff_client.post(CHANGELIST, {"action": "mark_formal", "_selected_action": [c.pk for c in companies]})

    for company in companies:
        company.refresh_from_db()
        assert company.formality == Company.Formality.FORMAL
        assert company.formality_verified_by == staff_user
        assert company.formality_verified_at == datetime.datetime(2020, 4, 2, 10, 30, tzinfo=CASABLANCA)


def test_marking_a_company_informal_records_who_decided_it(staff_client, staff_user, company_a):
    staff_client.post(CHANGELIST, {"action": "mark_informal", "_selected_action": [company_a.pk]})

    company_a.refresh_from_db()
    assert company_a.formality == Company.Formality.INFORMAL
    assert company_a.formality_verified_by == staff_user


def test_the_formality_action_tells_how_many_companies_changed(staff_client, company_a, company_b):
    response = staff_client.post(
        CHANGELIST,
        {"action": "mark_formal", "_selected_action": [company_a.pk, company_b.pk]},
        follow=True,
    )

    assert "2 entreprises mises à jour." in response.content.decode()


def test_the_formality_action_is_in_the_company_history_with_its_author(staff_client, staff_user, company_a):
    staff_client.post(CHANGELIST, {"action": "mark_informal", "_selected_action": [company_a.pk]})

    latest = company_a.history.latest()
    assert latest.formality == Company.Formality.INFORMAL
    assert latest.history_user == staff_user


def test_the_formality_action_reports_a_company_it_cannot_save(staff_client, company_a):
    broken = CompanyFactory(trade_name="Fiche cassée")
    # An ICE entered before the check existed: the service refuses to save the record as is.
    Company.objects.filter(pk=broken.pk).update(ice="123")

    response = staff_client.post(
        CHANGELIST, {"action": "mark_formal", "_selected_action": [company_a.pk, broken.pk]}, follow=True
    )

    broken.refresh_from_db()
    assert broken.formality_verified_by is None
    assert "Fiche cassée" in response.content.decode()
    assert "1 entreprise mise à jour." in response.content.decode()


@time_machine.travel(datetime.datetime(2020, 4, 3, 9, 0, tzinfo=CASABLANCA), tick=False)
def test_changing_the_formality_by_hand_records_who_and_when(staff_client, staff_user, company_a):
    page = staff_client.get(_change_url(company_a))

    staff_client.post(_change_url(company_a), admin_form_data(page, formality=Company.Formality.INFORMAL))

    company_a.refresh_from_db()
    assert company_a.formality == Company.Formality.INFORMAL
    assert company_a.formality_verified_by == staff_user
    assert company_a.formality_verified_at == datetime.datetime(2020, 4, 3, 9, 0, tzinfo=CASABLANCA)


def test_editing_other_fields_leaves_the_formality_verification_alone(staff_client, company_a):
    page = staff_client.get(_change_url(company_a))

    staff_client.post(_change_url(company_a), admin_form_data(page, city="Rabat"))

    company_a.refresh_from_db()
    assert company_a.city == "Rabat"
    assert company_a.formality_verified_by is None


def test_adding_a_formal_company_records_who_verified_it(staff_client, staff_user):
    page = staff_client.get(reverse("admin:members_company_add"))
    data = admin_form_data(
        page,
        trade_name="Nouveau Centre",
        city="Tanger",
        region=str(Region.objects.get(code="MA-01").pk),
        formality=Company.Formality.FORMAL,
        ice=valid_ice(424242),
    )

    staff_client.post(reverse("admin:members_company_add"), data)

    company = Company.objects.get(trade_name="Nouveau Centre")
    assert company.formality_verified_by == staff_user


def test_an_ice_pasted_with_spaces_is_saved_compacted(staff_client, company_a):
    ice = valid_ice(987654)
    spaced = f"{ice[:3]} {ice[3:6]} {ice[6:9]} {ice[9:12]} {ice[12:]}"
    page = staff_client.get(_change_url(company_a))

    staff_client.post(_change_url(company_a), admin_form_data(page, ice=spaced))

    company_a.refresh_from_db()
    assert company_a.ice == ice


def test_a_wrong_ice_is_refused_with_a_french_message(staff_client, company_a):
    page = staff_client.get(_change_url(company_a))
    wrong = company_a.ice[:-1] + str((int(company_a.ice[-1]) + 1) % 10)

    response = staff_client.post(_change_url(company_a), admin_form_data(page, ice=wrong))

    assert response.status_code == 200
    assert "ICE invalide" in str(response.context["adminform"].form.errors["ice"])


def test_an_ice_already_registered_is_refused_with_a_french_message(staff_client, company_a, company_b):
    page = staff_client.get(_change_url(company_a))

    response = staff_client.post(_change_url(company_a), admin_form_data(page, ice=company_b.ice))

    assert response.status_code == 200
    assert "Une entreprise portant cet ICE est déjà enregistrée." in response.content.decode()


def test_staff_edit_a_site_on_the_company_page(staff_client, company_a):
    site = SiteFactory(company=company_a, workstations=50)
    page = staff_client.get(_change_url(company_a))

    staff_client.post(_change_url(company_a), admin_form_data(page, **{"sites-0-workstations": "120"}))

    site.refresh_from_db()
    assert site.workstations == 120


def test_staff_make_a_declarant_company_administrator_on_the_company_page(staff_client, company_a, declarant_a):
    page = staff_client.get(_change_url(company_a))

    staff_client.post(_change_url(company_a), admin_form_data(page, **{"memberships-0-role": "admin"}))

    assert declarant_a.memberships.get().role == CompanyMembership.Role.ADMIN
