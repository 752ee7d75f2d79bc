"""A read compiled once per process and run with each request's ids (amrc.lib.compiled_query)
answers exactly what the ORM would, whoever asks, on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.test.utils import CaptureQueriesContext

from amrc.lib.compiled_query import run_compiled
from members.models import Company, Site
from tests.factories import CompanyFactory, MembershipFactory, SiteFactory, UserFactory


def _companies_with_sites(user_id: int) -> QuerySet:
    sites = Site.objects.filter(company=OuterRef("pk")).order_by().values("company").annotate(n=Count("pk"))
    return Company.objects.filter(memberships__user=user_id).annotate(sites_count=Subquery(sites.values("n")))


def _company_of_user(user_id: int, company_id: int) -> QuerySet:
    return Company.objects.filter(Q(memberships__user=user_id) & Q(pk=company_id))


@pytest.fixture
def two_members(db):
    first, second = UserFactory(), UserFactory()
    one, other = CompanyFactory(trade_name="Atlas"), CompanyFactory(trade_name="Sahara")
    SiteFactory(company=one)
    SiteFactory(company=one)
    MembershipFactory(user=first, company=one)
    MembershipFactory(user=second, company=other)
    return first, second, one, other


def test_each_user_gets_the_rows_the_orm_gives_them(two_members):
    first, second, *_companies = two_members

    for user in (first, second, first):
        expected = list(_companies_with_sites(user.pk).values_list("trade_name", "sites_count"))
        assert run_compiled(_companies_with_sites, fields=("trade_name",), ids=(user.pk,)) == expected


def test_several_ids_each_take_their_place(two_members):
    first, _second, one, other = two_members

    assert run_compiled(_company_of_user, fields=("trade_name",), ids=(first.pk, one.pk)) == [("Atlas",)]
    assert run_compiled(_company_of_user, fields=("trade_name",), ids=(first.pk, other.pk)) == []


def test_the_query_is_one_round_trip_once_compiled(two_members):
    first, *_ = two_members
    run_compiled(_companies_with_sites, fields=("trade_name",), ids=(first.pk,))

    with CaptureQueriesContext(connection) as queries:
        run_compiled(_companies_with_sites, fields=("trade_name",), ids=(first.pk,))

    assert len(queries) == 1


def _companies_of_user(user_id: int) -> QuerySet:
    # Run by one test only: its first run in the process compiles and prepares it.
    return Company.objects.filter(memberships__user=user_id)


def test_the_first_run_counts_as_one_query_like_the_others(two_members):
    first, *_ = two_members

    with CaptureQueriesContext(connection) as queries:
        rows = run_compiled(_companies_of_user, fields=("trade_name",), ids=(first.pk,))

    # A page's query count must not depend on whether its worker had prepared the query already.
    assert (rows, len(queries)) == ([("Atlas",)], 1)


@pytest.mark.django_db(transaction=True)
def test_a_new_database_connection_prepares_it_again(reference_data, two_members):
    first, *_ = two_members
    run_compiled(_companies_with_sites, fields=("trade_name",), ids=(first.pk,))
    # What a restart of the database, or CONN_MAX_AGE, does to a worker's connection.
    connection.close()

    assert run_compiled(_companies_with_sites, fields=("trade_name",), ids=(first.pk,)) == [("Atlas", 2)]


def _id_turned_into_text(user_id: int) -> QuerySet:
    return Company.objects.filter(trade_name=str(user_id))


@pytest.mark.django_db
def test_an_id_that_does_not_reach_the_sql_as_a_parameter_is_refused():
    with pytest.raises(ValueError, match="parameter of its own"):
        run_compiled(_id_turned_into_text, fields=("pk",), ids=(1,))
