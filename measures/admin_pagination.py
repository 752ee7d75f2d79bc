"""Pagination of the admin's lists of declarations and of their rows, which grow by hundreds of
thousands a year: counting every row of a list costs more than showing a page of it."""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# A list is counted up to this many rows (200 pages of 50): a filter is for narrowing down, and
# nobody pages further. A whole table above it is counted by PostgreSQL's estimate instead.
COUNT_LIMIT = 10_000


class LargeTablePaginator(Paginator):
    """Counts a whole large table by PostgreSQL's own estimate (pg_class.reltuples, which
    autovacuum keeps up to date: a catalogue read instead of a scan), and any other list exactly
    up to COUNT_LIMIT rows; one query either way, whatever the size of the table. `is_estimate`
    and `is_capped` tell the page (templates/admin/measures/pagination.html) to say "about" or
    "more than"."""

    is_estimate = False
    is_capped = False

    @cached_property
    def count(self) -> int:
        if not isinstance(self.object_list, QuerySet):
            return super().count
        if self._is_whole_table():
            estimate, counted = self._estimate_or_count()
            if counted is None:
                self.is_estimate = True
                return estimate
        else:
            # Unordered: the count stops at the first rows found, in any order.
            counted = self.object_list.order_by()[: COUNT_LIMIT + 1].count()
        if counted > COUNT_LIMIT:
            self.is_capped = True
            return COUNT_LIMIT
        return counted

    def _is_whole_table(self) -> bool:
        query = self.object_list.query
        return (
            connections[self.object_list.db].vendor == "postgresql"
            and not query.where
            and not query.distinct
            and not query.combinator
            and not query.is_sliced
        )

    def _estimate_or_count(self) -> tuple[int, int | None]:
        """The table's estimated size and, when that is below COUNT_LIMIT (or unknown before its
        first analysis), its count up to COUNT_LIMIT + 1 rows, in one query."""
        connection = connections[self.object_list.db]
        table = connection.ops.quote_name(self.object_list.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT reltuples::bigint, CASE WHEN reltuples >= %s THEN NULL
                    ELSE (SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT %s) AS counted) END
                    FROM pg_class WHERE oid = %s::regclass""",
                [COUNT_LIMIT, COUNT_LIMIT + 1, table],
            )
            return cursor.fetchone()


class LargeListAdminMixin:
    """For the admin of a table that grows by hundreds of thousands of rows a year: no count of
    the whole table beside a filtered list's, and the count above."""

    paginator = LargeTablePaginator
    show_full_result_count = False
