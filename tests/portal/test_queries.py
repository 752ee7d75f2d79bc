"""The declaration page, its autosave and its "start blank" run in a fixed number of queries
whatever the number of regional lines and measures: twelve lines and the whole catalogue cost no
more than one line and two measures."""

import datetime

import pytest

from measures.models import Campaign, Declaration, DeclarationMeasure, Measure
from members.models import Region
from tests.factories import (
    CampaignFactory,
    DeclarationFactory,
    DeclarationMeasureFactory,
    DeclarationRegionFactory,
    SiteFactory,
)
from tests.portal.declaration_data import declaration_post_data

# Session, user, the page's state (portal.page_state); the declaration (with campaign, company
# and the declaration it was prefilled from), its events; the previous declaration (for the
# headcount warning), regions, catalogue, the regions of the company's sites (the kept body's
# key); its lines and answers when the body is rendered. Measured: 11 for both sizes; 3 once the
# whole page is kept (tests/portal/test_rendered_once.py).
GET_CEILING = 11
# The page's reads, the form's two check constraints (each in a savepoint), then the service:
# lock, the same checks, regions and measures cited, the previous declaration, the save and its
# history, each list read then bulk-written with its history, the event, the session's messages.
# Measured: 35 for a draft, 37 for a submission, for both sizes.
POST_CEILING = 37
# The same reads and save as a draft, without the previous declaration or a session message.
# Measured: 34 for both sizes.
AUTOSAVE_CEILING = 34
# The declaration with its details, the lock, the check constraints, the save and its history,
# the lines and answers read then removed with their history, the session's message.
# Measured: 23 for both sizes.
START_BLANK_CEILING = 23


def _spread(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


@pytest.fixture(params=["small", "large"])
def sized_declaration(request, campaign, company_a):
    """One regional line and two measures, or twelve lines and the whole catalogue answered."""
    regions = list(Region.objects.all())
    measures = list(Measure.objects.all())
    if request.param == "small":
        regions, kept = regions[:1], measures[:2]
        Measure.objects.exclude(pk__in=[measure.pk for measure in kept]).update(is_active=False)
        measures = kept
    earlier = CampaignFactory(period_start=datetime.date(2020, 3, 9), status=Campaign.Status.CLOSED)
    previous = DeclarationFactory(campaign=earlier, company=company_a, status=Declaration.Status.APPROVED)
    declaration = Declaration.objects.create(campaign=campaign, company=company_a, prefilled_from=previous)
    for region, headcount, on_site, telework in zip(
        regions, _spread(100, len(regions)), _spread(40, len(regions)), _spread(50, len(regions)), strict=True
    ):
        DeclarationRegionFactory(
            declaration=declaration, region=region, headcount=headcount, on_site=on_site, telework=telework
        )
        SiteFactory(company=company_a, region=region)
    for measure in measures:
        DeclarationMeasureFactory(declaration=declaration, measure=measure, status="planned")
    return declaration


def _changed_post(declaration: Declaration, action: str) -> dict:
    """Every line and every answer changed, so that each bulk write runs."""
    lines = [
        (line.region_id, line.headcount, line.telework, line.on_site)
        for line in declaration.regional_lines.order_by("region__code")
    ]
    measures = list(Measure.objects.filter(is_active=True).values_list("pk", flat=True))
    answers = dict.fromkeys(measures, ("in_place", ""))
    return declaration_post_data(
        declaration,
        action=action,
        figures={"on_site": 50, "telework": 40},
        lines=lines,
        answers=answers,
        measures=measures,
    )


def test_the_form_page_runs_in_a_fixed_number_of_queries(
    declarant_a_client, sized_declaration, django_assert_max_num_queries
):
    with django_assert_max_num_queries(GET_CEILING):
        response = declarant_a_client.get(f"/espace/declarations/{sized_declaration.pk}/")
    assert response.status_code == 200


@pytest.mark.parametrize("action", ["save", "submit"])
def test_saving_runs_in_a_fixed_number_of_queries(
    declarant_a_client, sized_declaration, django_assert_max_num_queries, action
):
    data = _changed_post(sized_declaration, action)

    with django_assert_max_num_queries(POST_CEILING):
        response = declarant_a_client.post(f"/espace/declarations/{sized_declaration.pk}/", data)

    assert response.status_code == 302
    assert set(DeclarationMeasure.objects.values_list("status", flat=True)) == {"in_place"}


def test_the_read_only_page_runs_in_a_fixed_number_of_queries(
    declarant_a_client, sized_declaration, django_assert_max_num_queries
):
    Declaration.objects.filter(pk=sized_declaration.pk).update(status=Declaration.Status.SUBMITTED)

    # Session, user, the page's state, the declaration, its lines, answers and events.
    with django_assert_max_num_queries(7):
        response = declarant_a_client.get(f"/espace/declarations/{sized_declaration.pk}/")
    assert response.status_code == 200


def test_an_autosave_runs_in_a_fixed_number_of_queries(
    declarant_a_client, sized_declaration, django_assert_max_num_queries
):
    data = _changed_post(sized_declaration, "save")

    with django_assert_max_num_queries(AUTOSAVE_CEILING):
        response = declarant_a_client.post(f"/espace/declarations/{sized_declaration.pk}/brouillon/", data)

    assert response.json()["saved"] is True


def test_starting_blank_runs_in_a_fixed_number_of_queries(
    declarant_a_client, sized_declaration, django_assert_max_num_queries
):
    with django_assert_max_num_queries(START_BLANK_CEILING):
        response = declarant_a_client.post(
            f"/espace/declarations/{sized_declaration.pk}/vider/", {"version": sized_declaration.version}
        )

    assert response.status_code == 302
    assert not sized_declaration.regional_lines.exists()
