"""The quality flags in the declarations' admin: badges and a filter in the list, and the review
page with this week's figures beside the previous declaration's and each flag explained."""

import html

import pytest
from django.urls import reverse

from measures.models import Campaign, Declaration
from quality.flags import FlagKind
from tests.factories import CompanyFactory
from tests.quality.builders import QUIET_REVENUE, QUIET_TELEWORK, declare, series, weeks

CHANGELIST = reverse("admin:measures_declaration_changelist")


def _change_url(declaration: Declaration) -> str:
    return reverse("admin:measures_declaration_change", args=[declaration.pk])


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _listed(response) -> set[str]:
    return {declaration.company.trade_name for declaration in response.context["cl"].result_list}


@pytest.fixture
def week_under_review(db):
    """Nine weeks; this week Atlas's telework jumps, Bahia's export revenue is ten times off,
    Calme declares as usual."""
    campaigns = weeks(9)
    jumped = series(CompanyFactory(trade_name="Atlas"), campaigns, telework=[*QUIET_TELEWORK, 94])[-1]
    typo = series(CompanyFactory(trade_name="Bahia"), campaigns, export_revenue=[*QUIET_REVENUE, 1_005_000])[-1]
    quiet = series(CompanyFactory(trade_name="Calme"), campaigns, telework=[*QUIET_TELEWORK, 53])[-1]
    return jumped, typo, quiet


def test_the_list_shows_a_badge_for_each_flag(staff_client, week_under_review):
    response = staff_client.get(CHANGELIST)

    content = _text(response)
    assert 'class="quality-badge quality-badge--share_jump"' in content
    assert "Part en télétravail : Saut de répartition" in content
    assert "Chiffre d'affaires à l'export : Inhabituel pour l'entreprise" in content


def test_a_badge_explains_itself_on_hover(staff_client, week_under_review):
    response = staff_client.get(CHANGELIST)

    assert 'title="Part en télétravail : +42 points en une semaine ;' in _text(response)


def test_staff_filter_the_flagged_declarations(staff_client, week_under_review):
    response = staff_client.get(CHANGELIST, {"qualite": "flagged"})

    assert _listed(response) == {"Atlas", "Bahia"}


def test_staff_filter_the_declarations_without_flags(staff_client, week_under_review):
    campaign = week_under_review[0].campaign

    response = staff_client.get(CHANGELIST, {"qualite": "clear", "campaign__id__exact": campaign.pk})

    assert _listed(response) == {"Calme"}


def test_staff_filter_the_declarations_by_kind_of_flag(staff_client, week_under_review):
    response = staff_client.get(CHANGELIST, {"qualite": FlagKind.SHARE_JUMP})

    assert _listed(response) == {"Atlas"}


@pytest.fixture
def approved_last_month(week_under_review):
    """A flagged declaration of a closed campaign, approved long ago."""
    jumped = week_under_review[0]
    old = Declaration.objects.get(company=jumped.company, campaign__title="Semaine 8")
    old.telework, old.on_site = 5, 95
    old.save()
    return old


def test_without_a_campaign_chosen_the_filter_leaves_the_approved_history_out(
    staff_client, week_under_review, approved_last_month
):
    response = staff_client.get(CHANGELIST, {"qualite": "flagged"})

    assert approved_last_month.pk not in {declaration.pk for declaration in response.context["cl"].result_list}
    assert "qualité des données (campagnes ouvertes et déclarations à vérifier)" in _text(response)


def test_with_its_campaign_chosen_the_filter_finds_an_approved_flagged_declaration(
    staff_client, week_under_review, approved_last_month
):
    response = staff_client.get(
        CHANGELIST, {"qualite": "flagged", "campaign__id__exact": approved_last_month.campaign_id}
    )

    assert [declaration.pk for declaration in response.context["cl"].result_list] == [approved_last_month.pk]
    assert "campagnes ouvertes et déclarations à vérifier" not in _text(response)


def test_without_a_campaign_chosen_the_filter_looks_at_the_open_campaigns(staff_client, week_under_review):
    campaign = week_under_review[0].campaign
    campaign.status = Campaign.Status.OPEN
    campaign.save()
    Declaration.objects.filter(campaign=campaign).update(status=Declaration.Status.APPROVED)

    response = staff_client.get(CHANGELIST, {"qualite": "flagged"})

    assert _listed(response) == {"Atlas", "Bahia"}


def test_an_unknown_filter_value_lists_everything(staff_client, week_under_review):
    response = staff_client.get(CHANGELIST, {"qualite": "n-importe-quoi"})

    assert response.status_code == 200
    assert len(_listed(response)) == 3


@pytest.mark.parametrize("companies", [3, 30])
def test_the_flagged_list_takes_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, companies):
    campaigns = weeks(9)
    for _ in range(companies):
        series(CompanyFactory(), campaigns, telework=[*QUIET_TELEWORK, 94])

    # The filter: which campaigns, then its declarations' kinds of flags (three reads, four more
    # for what the cache lacks); the page's flags (three reads); the list.
    with django_assert_max_num_queries(18):
        response = staff_client.get(CHANGELIST, {"qualite": "flagged", "status__exact": "submitted"})

    assert response.context["cl"].result_count == companies


def test_the_review_page_shows_this_week_beside_the_previous_declaration(staff_client, week_under_review):
    jumped, _, _ = week_under_review

    content = _text(staff_client.get(_change_url(jumped)))

    assert "Semaine 9 comparée à Semaine 8" in content
    # Telework: 94 this week, 52 last week, +42 people, +81 %.
    assert '<td class="numeric">94</td>' in content
    assert '<td class="numeric">52</td>' in content
    assert '<td class="numeric">+42</td>' in content
    assert '<td class="numeric">+81 %</td>' in content
    # On site: 6 this week, 48 last week.
    assert '<td class="numeric">−42</td>' in content


def test_the_review_page_gives_share_changes_in_points(staff_client, week_under_review):
    jumped, _, _ = week_under_review

    content = _text(staff_client.get(_change_url(jumped)))

    assert "+42 points" in content


def test_the_review_page_explains_each_flag(staff_client, week_under_review):
    _, typo, _ = week_under_review

    content = _text(staff_client.get(_change_url(typo)))

    assert "Chiffre d'affaires à l'export : +905 % en une semaine ; l'entreprise varie habituellement de" in content
    assert 'class="quality-flagged"' in content


def test_the_review_page_says_when_nothing_is_flagged(staff_client, week_under_review):
    _, _, quiet = week_under_review

    content = _text(staff_client.get(_change_url(quiet)))

    assert "Aucun signalement" in content


def test_the_review_page_says_when_there_is_nothing_to_compare_with(staff_client, company_a):
    (first_week,) = weeks(1)
    first = declare(company_a, first_week, status=Declaration.Status.SUBMITTED)

    content = _text(staff_client.get(_change_url(first)))

    assert "Aucune déclaration reçue auparavant de cette entreprise" in content


def test_the_review_page_of_a_draft_has_no_comparison(staff_client, company_a):
    last_week, this_week = weeks(2)
    declare(company_a, last_week)
    draft = declare(company_a, this_week, status=Declaration.Status.DRAFT)

    content = _text(staff_client.get(_change_url(draft)))

    assert "Cette semaine et la déclaration précédente" not in content


def test_the_review_page_says_when_the_history_is_too_short(staff_client, company_a):
    *_, current = series(company_a, weeks(3), telework=[50, 52, 90])

    content = _text(staff_client.get(_change_url(current)))

    assert "Historique trop court pour juger l'entreprise sur ses habitudes : 1 variation dans l'année." in content


@pytest.mark.parametrize("weeks_count", [3, 30])
def test_the_review_page_takes_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, weeks_count):
    *_, current = series(CompanyFactory(), weeks(weeks_count), telework=[50] * (weeks_count - 1) + [90])

    # The page itself, and the flags: three reads, three or four more while the campaign's segment
    # references are not cached.
    with django_assert_max_num_queries(22):
        response = staff_client.get(_change_url(current))

    assert response.status_code == 200


def test_a_member_cannot_open_the_review_page(declarant_a_client, company_a):
    last_week, this_week = weeks(2)
    declare(company_a, last_week)
    own = declare(company_a, this_week, status=Declaration.Status.SUBMITTED)

    response = declarant_a_client.get(_change_url(own))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_a_member_cannot_filter_the_flagged_declarations(declarant_a_client):
    response = declarant_a_client.get(CHANGELIST, {"qualite": "flagged"})

    assert response.status_code == 302
