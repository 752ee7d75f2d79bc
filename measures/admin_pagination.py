"""Pagination of the admin's lists of declarations and of their rows, which grow by hundreds of
thousands a year: counting every row of a list costs more than showing a page of it."""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Below this many rows a whole table is counted exactly; above, PostgreSQL's estimate is as good.
ESTIMATE_FROM = 100_000
# A filtered list is counted up to this many rows (200 pages of 50); a filter is for narrowing
# down, and nobody pages further than that.
COUNT_LIMIT = 10_000


class LargeTablePaginator(Paginator):
    """Counts a whole large table by PostgreSQL's own estimate (pg_class.reltuples, which
    autovacuum keeps up to date: one catalogue read instead of a scan), and a filtered list
    exactly up to COUNT_LIMIT rows only. `is_estimate` and `is_capped` tell the page
    (templates/admin/measures/pagination.html) to say "about" or "more than"."""

    is_estimate = False
    is_capped = False

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        estimate = self._estimated_table_size()
        if estimate is not None and estimate >= ESTIMATE_FROM:
            self.is_estimate = True
            return estimate
        # Unordered: the count stops at the first COUNT_LIMIT + 1 rows found, in any order.
        counted = self.object_list.order_by()[: COUNT_LIMIT + 1].count()
        if counted > COUNT_LIMIT:
            self.is_capped = True
            return COUNT_LIMIT
        return counted

    def _estimated_table_size(self) -> int | None:
        query = self.object_list.query
        if query.where or query.distinct or query.combinator or query.is_sliced:
            return None
        connection = connections[self.object_list.db]
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [connection.ops.quote_name(self.object_list.model._meta.db_table)],
            )
            row = cursor.fetchone()
        # -1 (or 0) until the table was first analysed: counted then.
        return row[0] if row and row[0] > 0 else None


class LargeListAdminMixin:
    """For the admin of a table that grows by hundreds of thousands of rows a year: no count of
    the whole table beside a filtered list's, and the count above."""

    paginator = LargeTablePaginator
    show_full_result_count = False
