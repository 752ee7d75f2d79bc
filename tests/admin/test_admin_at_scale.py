"""The declaration and campaign lists, and a declaration's page, cost the same whatever the history
held: pages read from indexes, no count of the whole table, counts by subquery, no widget per
measure. Their speed on 400,000 declarations is measured in bench/admin_changelists.py."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures import admin_pagination
from measures.admin_pagination import LargeTablePaginator
from measures.models import Campaign, Declaration, DeclarationMeasure, Measure
from tests.factories import CampaignFactory, CompanyFactory, DeclarationFactory, DeclarationMeasureFactory

DECLARATIONS = reverse("admin:measures_declaration_changelist")
CAMPAIGNS = reverse("admin:measures_campaign_changelist")
PAGE_QUERY = 'SELECT "measures_declaration"."id"'
STATUSES = [Declaration.Status.DRAFT, Declaration.Status.SUBMITTED, Declaration.Status.APPROVED]


def _history(*, campaigns: int, companies: int) -> list[Campaign]:
    """`campaigns` weekly campaigns in which each of `companies` companies declared."""
    registry = CompanyFactory.create_batch(companies)
    weeks = CampaignFactory.create_batch(campaigns, status=Campaign.Status.CLOSED)
    for week in weeks:
        for n, company in enumerate(registry):
            DeclarationFactory(campaign=week, company=company, status=STATUSES[n % len(STATUSES)])
    return weeks


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


# Session, user, the staff member's second factor, the filters' campaigns and regions, the count,
# the page; for declarations, the quality flags of the page's rows with an empty cache (the rows'
# history, the campaigns' state, the segments' references: quality/reads.py); for campaigns, no
# filter to list but the date hierarchy's first and last dates (unless a year is chosen).
LISTS = [
    (DECLARATIONS, 13),
    (f"{DECLARATIONS}?status__exact=submitted", 13),
    (f"{DECLARATIONS}?ponctualite=late", 13),
    (f"{DECLARATIONS}?q=centre", 13),
    (CAMPAIGNS, 7),
    (f"{CAMPAIGNS}?period_start__year=2020", 6),
]


@pytest.mark.parametrize(("url", "ceiling"), LISTS)
def test_a_list_runs_a_fixed_number_of_queries(staff_client, django_assert_max_num_queries, url, ceiling):
    _history(campaigns=2, companies=3)

    with django_assert_max_num_queries(ceiling):
        assert staff_client.get(url).status_code == 200


@pytest.mark.parametrize("url", [url for url, _ceiling in LISTS])
def test_a_list_costs_the_same_queries_with_a_longer_history(staff_client, url):
    _history(campaigns=1, companies=2)
    short = _queries(staff_client, url)
    _history(campaigns=6, companies=12)

    assert _queries(staff_client, url) == short


def test_the_declarations_are_listed_in_the_order_of_their_unique_index(staff_client):
    _history(campaigns=2, companies=3)

    with CaptureQueriesContext(connection) as queries:
        staff_client.get(DECLARATIONS)

    page = next(sql for sql in (query["sql"] for query in queries.captured_queries) if sql.startswith(PAGE_QUERY))
    assert page.endswith('ORDER BY "measures_declaration"."campaign_id" DESC, "measures_declaration"."company_id" DESC')


def test_the_latest_campaigns_declarations_come_first(staff_client):
    older, newer = _history(campaigns=2, companies=3)

    listed = staff_client.get(DECLARATIONS).context["cl"].result_list

    assert [declaration.campaign_id for declaration in listed] == [newer.pk] * 3 + [older.pk] * 3


def test_the_list_does_not_count_the_whole_table_beside_the_filtered_rows(staff_client):
    _history(campaigns=1, companies=3)

    changelist = staff_client.get(f"{DECLARATIONS}?status__exact=draft").context["cl"]

    assert changelist.result_count == 1
    assert changelist.full_result_count is None


def test_the_campaign_list_counts_each_status_from_a_subquery(staff_client):
    _history(campaigns=1, companies=3)

    with CaptureQueriesContext(connection) as queries:
        staff_client.get(CAMPAIGNS)

    page = next(query["sql"] for query in queries.captured_queries if 'FROM "measures_campaign"' in query["sql"])
    assert "JOIN" not in page
    assert "GROUP BY" not in page.split('FROM "measures_campaign"')[-1]


def test_the_campaign_list_shows_zero_for_a_status_without_declarations(staff_client):
    campaign = CampaignFactory()

    listed = staff_client.get(CAMPAIGNS).context["cl"].result_list

    assert [(row.pk, row.n_draft, row.n_approved) for row in listed] == [(campaign.pk, 0, 0)]


# Counting a whole large table


@pytest.fixture
def limit_of_two(monkeypatch):
    monkeypatch.setattr(admin_pagination, "COUNT_LIMIT", 2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's estimate of a table's size")
def test_a_whole_large_table_is_counted_by_postgresql_s_estimate(db, limit_of_two):
    _history(campaigns=1, companies=3)
    with connection.cursor() as cursor:
        cursor.execute('ANALYZE "measures_declaration"')
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'measures_declaration'")
        estimate = cursor.fetchone()[0]
    paginator = LargeTablePaginator(Declaration.objects.all(), 50)

    assert paginator.count == estimate
    assert paginator.is_estimate


def test_a_filtered_list_is_counted_exactly_up_to_the_limit(db, limit_of_two):
    _history(campaigns=2, companies=3)

    assert LargeTablePaginator(Declaration.objects.filter(status=Declaration.Status.DRAFT), 50).count == 2


def test_a_list_longer_than_the_limit_says_so(db, limit_of_two):
    _history(campaigns=2, companies=3)
    paginator = LargeTablePaginator(Declaration.objects.exclude(status=Declaration.Status.DRAFT), 50)

    assert paginator.count == 2
    assert paginator.is_capped


def test_a_small_table_is_counted_exactly(db):
    _history(campaigns=2, companies=3)

    assert LargeTablePaginator(Declaration.objects.all(), 50).count == 6


def test_the_page_says_when_the_count_stops_at_the_limit(staff_client, limit_of_two):
    _history(campaigns=2, companies=3)

    page = staff_client.get(f"{DECLARATIONS}?q=centre").content.decode()

    assert "plus de 2 déclarations" in page


# A declaration's page


@pytest.fixture
def answered(db):
    declaration = DeclarationFactory(status=Declaration.Status.SUBMITTED)
    for measure in Measure.objects.filter(is_active=True):
        DeclarationMeasureFactory(declaration=declaration, measure=measure)
    return declaration


def _change_url(declaration: Declaration) -> str:
    return reverse("admin:measures_declaration_change", args=[declaration.pk])


def test_a_declarations_page_shows_the_answers_without_a_widget_each(staff_client, answered):
    page = staff_client.get(_change_url(answered)).content.decode()

    assert "measure_answers-" not in page
    assert "Masques fournis aux salariés sur site" in page


def test_a_declarations_page_costs_the_same_queries_with_more_answers_and_history(staff_client, answered):
    few = DeclarationFactory(status=Declaration.Status.SUBMITTED)
    DeclarationMeasureFactory(declaration=few, measure=Measure.objects.first())
    _history(campaigns=3, companies=4)

    assert _queries(staff_client, _change_url(answered)) == _queries(staff_client, _change_url(few))
    assert DeclarationMeasure.objects.filter(declaration=answered).count() > 20
