"""`Largest(expression, n)`: an aggregate giving the n largest non-null values of each group,
largest first, as a tuple (empty for a group without any, and for an empty selection).

Disclosure control needs the few largest contributions of every group beside its sum. Read by a
window per figure, each figure sorted every row of the campaign; as an aggregate, the figures of
a group come with its sums from one GROUP BY. PostgreSQL sorts each group's values alone
(ARRAY_AGG … ORDER BY, then a slice); SQLite, which has no ordered aggregate before 3.44, calls
a function registered on each connection (`register_on_sqlite`) that keeps the n largest seen.
"""

import heapq
import json

from django.db.models import Aggregate, Field


class Largest(Aggregate):
    name = "Largest"
    SQLITE_FUNCTION = "AMRC_LARGEST"
    # What Django answers without asking the database, for a selection known to be empty.
    empty_result_set_value = ()

    def __init__(self, expression, *, n: int, filter=None):
        if not isinstance(n, int) or n < 1:
            raise ValueError("Largest needs a whole number n of at least 1.")
        self.n = n
        super().__init__(expression, filter=filter, output_field=Field())

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.source_expressions[0]!r}, n={self.n}, filter={self.filter!r})"

    def _condition(self, compiler, value_sql: str, value_params) -> tuple[str, list]:
        sql, params = f"{value_sql} IS NOT NULL", [*value_params]
        if self.filter is not None:
            filter_sql, filter_params = compiler.compile(self.filter)
            sql, params = f"{sql} AND ({filter_sql})", [*params, *filter_params]
        return sql, params

    def as_sql(self, compiler, connection, **extra_context):
        raise NotImplementedError(f"Largest is not implemented on {connection.vendor}.")

    def as_postgresql(self, compiler, connection, **extra_context):
        value_sql, value_params = compiler.compile(self.source_expressions[0])
        condition_sql, condition_params = self._condition(compiler, value_sql, value_params)
        sql = f"(ARRAY_AGG({value_sql} ORDER BY {value_sql} DESC) FILTER (WHERE {condition_sql}))[1:{self.n:d}]"
        return sql, (*value_params, *value_params, *condition_params)

    def as_sqlite(self, compiler, connection, **extra_context):
        value_sql, value_params = compiler.compile(self.source_expressions[0])
        condition_sql, condition_params = self._condition(compiler, value_sql, value_params)
        sql = f"{self.SQLITE_FUNCTION}({value_sql}, {self.n:d}) FILTER (WHERE {condition_sql})"
        return sql, (*value_params, *condition_params)

    def convert_value(self, value, expression, connection):
        if value is None:
            return ()
        if isinstance(value, str):  # SQLite's function answers in JSON
            value = json.loads(value)
        # Each value as its column reads (a Decimal for money on SQLite, where it comes as a float).
        source = self.source_expressions[0]
        converters = connection.ops.get_db_converters(source) + source.get_db_converters(connection)
        values = []
        for item in value:
            for converter in converters:
                item = converter(item, source, connection)
            values.append(item)
        return tuple(values)


class _LargestOnSqlite:
    """SQLite's side of Largest: the n largest values stepped through, as a JSON list."""

    def __init__(self):
        self.heap: list = []

    def step(self, value, n) -> None:
        if value is None:
            return
        if len(self.heap) < n:
            heapq.heappush(self.heap, value)
        elif value > self.heap[0]:
            heapq.heapreplace(self.heap, value)

    def finalize(self) -> str | None:
        if not self.heap:
            return None
        return json.dumps(sorted(self.heap, reverse=True))


def register_on_sqlite(sender, connection, **kwargs) -> None:
    """A `connection_created` receiver: gives each SQLite connection Largest's function."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate(Largest.SQLITE_FUNCTION, 2, _LargestOnSqlite)
