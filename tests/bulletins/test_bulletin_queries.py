"""The public pages and files read stored snapshots: their number of queries, when they are
rendered, stays fixed whatever the size of the registry and of the series (once rendered, they
are served from the cache without any: tests/public/test_page_cache.py)."""

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from bulletins.services import bulletin_create, bulletin_publish
from tests.bulletins.publication_data import approve_declarations, closed_campaign, registry

# Bulletin pages: the revision with its bulletin, the history, the series, the names of regions and
# measures. The home page: the sector figures, the latest revision, the series, the list.
PAGES = [
    ("/", 4),
    ("/bulletins/", 1),
    ("/bulletins/{slug}/", 5),
    ("/bulletins/{slug}/revisions/1/", 5),
    ("/bulletins/{slug}/revisions/1/bulletin.csv", 1),
    ("/bulletins/{slug}/revisions/1/bulletin.json", 1),
    ("/bulletins/serie.csv", 1),
    ("/bulletins/atom.xml", 1),
]


def _publish_weeks(staff_user, *, companies: int, weeks: int) -> str:
    members = registry(members=companies, small=companies // 2)
    slug = ""
    for week in range(weeks):
        campaign = closed_campaign(week=week)
        approve_declarations(campaign, members, telework=20 + 10 * week)
        bulletin = bulletin_create(campaign=campaign, user=staff_user, title=f"Semaine {week + 1}")
        # Committed, as in production: the public pages cached so far are then rendered anew.
        with TestCase.captureOnCommitCallbacks(execute=True):
            bulletin_publish(bulletin=bulletin, user=staff_user)
        slug = bulletin.slug
    return slug


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize(("url", "ceiling"), PAGES)
def test_a_public_page_stays_under_its_query_ceiling(
    anonymous_client, staff_user, django_assert_max_num_queries, url, ceiling
):
    slug = _publish_weeks(staff_user, companies=12, weeks=3)

    with django_assert_max_num_queries(ceiling):
        response = anonymous_client.get(url.format(slug=slug))

    assert response.status_code == 200


@pytest.mark.parametrize(("url", "_ceiling"), PAGES)
def test_a_public_page_costs_the_same_for_a_larger_registry_and_series(anonymous_client, staff_user, url, _ceiling):
    small_slug = _publish_weeks(staff_user, companies=4, weeks=1)
    small = _count(anonymous_client, url.format(slug=small_slug))
    large_slug = _publish_weeks(staff_user, companies=30, weeks=4)

    assert _count(anonymous_client, url.format(slug=large_slug)) == small
