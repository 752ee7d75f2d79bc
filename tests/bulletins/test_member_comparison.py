"""The private panel "Mon entreprise face au secteur" on the member's dashboard."""

import pytest

from bulletins.services import bulletin_create, bulletin_publish
from measures.models import DeclarationMeasure, Measure
from tests.bulletins.publication_data import approve_declarations, closed_campaign, registry
from tests.factories import DeclarationMeasureFactory

PANEL = 'id="sector-comparison-title"'


@pytest.fixture
def published(staff_user, company_a, company_b):
    campaign = closed_campaign(week=1)
    approve_declarations(campaign, registry(members=6, small=0), telework=50)
    [declaration_a] = approve_declarations(campaign, [company_a], telework=73)
    for code in ("masks", "hygiene-protocol"):
        DeclarationMeasureFactory(declaration=declaration_a, measure=Measure.objects.get(code=code))
    bulletin = bulletin_create(campaign=campaign, user=staff_user, title="Semaine du 23 mars 2020")
    return bulletin_publish(bulletin=bulletin, user=staff_user)


def _panel(client) -> str:
    response = client.get("/espace/")
    assert response.status_code == 200
    page = response.content.decode()
    return page.split(PANEL)[1].split("</section>")[0] if PANEL in page else ""


def test_a_member_sees_their_company_against_the_sector(declarant_a_client, published):
    panel = _panel(declarant_a_client)

    assert "Atlas Contact" in panel
    assert "73,0 %" in panel  # the company's own telework share
    assert "Secteur" in panel


def test_the_panel_compares_with_the_members_segment(declarant_a_client, published):
    panel = _panel(declarant_a_client)

    segment_share = next(t for t in published.snapshot["tables"] if t["id"] == "by_segment")["rows"][0]["cells"][
        "telework_share"
    ]["value"]
    assert "Segment : Membre AMRC" in panel
    assert f"{segment_share * 100:.1f} %".replace(".", ",") in panel


def test_the_panel_counts_the_measures_the_company_has_in_place(declarant_a_client, published):
    panel = _panel(declarant_a_client)
    in_place = panel.split("Mesures en place (nombre)")[1].split("</tr>")[0]

    assert '<td class="text-end fw-semibold"><bdi dir="ltr" class="num">2</bdi></td>' in in_place


def test_the_panel_compares_each_measure_with_the_members_segment(declarant_a_client, published):
    panel = _panel(declarant_a_client)
    masks = panel.split(Measure.objects.get(code="masks").name_fr)[1].split("</tr>")[0]

    # Company A is the only one of the seven responding members with masks in place.
    assert "14,3 %" in masks
    assert "Le bulletin ne publie pas les autres mesures par segment" not in panel


def test_the_panel_lists_the_companys_own_answer_for_each_measure(declarant_a_client, published):
    panel = _panel(declarant_a_client)

    assert f"<strong>{DeclarationMeasure.Status.IN_PLACE.label}</strong>" in panel


def test_another_companys_user_never_sees_the_panel_of_company_a(declarant_b_client, published):
    panel = _panel(declarant_b_client)

    assert "Atlas Contact" not in panel
    assert "73,0 %" not in panel


def test_another_companys_user_sees_only_their_own_company(declarant_b_client, published):
    panel = _panel(declarant_b_client)

    assert "Bahia Relation Client" in panel
    assert "pas de déclaration validée" in panel


def test_the_panel_is_absent_before_any_bulletin_is_published(declarant_a_client, company_a):
    assert _panel(declarant_a_client) == ""


def test_the_panel_never_shows_a_suppressed_sector_figure(declarant_a_client, company_a, staff_user):
    # Two companies only: every published figure of the sector is confidential.
    campaign = closed_campaign(week=1)
    approve_declarations(campaign, [company_a, *registry(members=1, small=0)], telework=40)
    bulletin_publish(bulletin=bulletin_create(campaign=campaign, user=staff_user, title="Semaine"), user=staff_user)

    panel = _panel(declarant_a_client)
    telework = panel.split("effectif en télétravail</th>")[1].split("</tr>")[0]

    own, segment, sector = telework.split("</td>")[:3]
    assert "40,0 %" in own
    assert '<a class="cell-c"' in segment
    assert '<a class="cell-c"' in sector


def test_the_dashboard_with_the_panel_runs_in_a_fixed_number_of_queries(
    declarant_a_client, published, django_assert_max_num_queries
):
    # The dashboard's own queries (its state included), then the latest revision, the
    # declarations, their measures and the measure names.
    with django_assert_max_num_queries(12):
        response = declarant_a_client.get("/espace/")

    assert response.status_code == 200
