"""A read built by the ORM once per process and run with each request's ids.

Building and compiling a query of a dozen subqueries costs Django several milliseconds, and
PostgreSQL most of a millisecond to parse and plan it: far more than answering it. Such a query,
run on every request of a page served from the cache, is built once with stand-in ids (negative,
so that no row could match them by chance) and compiled for the database in use. On PostgreSQL
it is also prepared once per connection (`PREPARE`), and each run only binds the ids; elsewhere
each run puts the ids in place of the stand-ins.

A prepared statement lives in its database session: behind a pooler that hands each transaction
to another session (PgBouncer's transaction mode) it would be missing. The platform connects to
PostgreSQL directly (docs/deploy.md).
"""

import itertools
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import QuerySet

# No table's id is negative.
_STAND_INS = (-70_000_001, -70_000_002, -70_000_003)
_names = itertools.count(1)
# The statements each PostgreSQL connection has prepared; a new connection prepares them again.
_prepared: "weakref.WeakKeyDictionary[object, set[str]]" = weakref.WeakKeyDictionary()
_prepared_lock = threading.Lock()


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    arity: int
    name: str


@cache
def _compiled(build: Callable[..., QuerySet], fields: tuple[str, ...], arity: int, vendor: str) -> _Compiled:
    queryset = build(*_STAND_INS[:arity])
    # Every annotation after the named fields, in the order they were made.
    queryset = queryset.values_list(*fields, *queryset.query.annotations)
    sql, params = queryset.query.sql_with_params()
    if not set(_STAND_INS[:arity]) <= {param for param in params if type(param) is int}:
        raise ValueError("An id given to the query does not reach the SQL as a parameter of its own.")
    return _Compiled(sql=sql, params=tuple(params), arity=arity, name=f"amrc_compiled_{next(_names)}")


def _statement_text(compiled: _Compiled, cursor) -> str:
    """The SQL with its constant parameters written in and $1, $2… for the ids."""
    text = cursor.cursor.mogrify(compiled.sql, compiled.params).decode()
    for number, stand_in in enumerate(_STAND_INS[: compiled.arity], start=1):
        text = text.replace(str(stand_in), f"${number}")
    return text


def _run_prepared(compiled: _Compiled, cursor, ids: tuple[int, ...]) -> list[tuple]:
    raw_connection = connection.connection
    with _prepared_lock:
        names = _prepared.setdefault(raw_connection, set())
    if compiled.name not in names:
        types = ", ".join(["bigint"] * compiled.arity)
        # Once per connection, like Django's own health check: on the driver's cursor, so that
        # no request's count of queries depends on whether its worker had prepared it already.
        cursor.cursor.execute(f"PREPARE {compiled.name} ({types}) AS {_statement_text(compiled, cursor)}")
        names.add(compiled.name)
    cursor.execute(f"EXECUTE {compiled.name} ({', '.join(['%s'] * len(ids))})", list(ids))
    return cursor.fetchall()


def run_compiled(build: Callable[..., QuerySet], *, fields: tuple[str, ...], ids: tuple[int, ...]) -> list[tuple]:
    """The rows of `build(*ids).values_list(*fields, *its annotations)`, the query compiled at
    its first run in the process."""
    compiled = _compiled(build, fields, len(ids), connection.vendor)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rows = _run_prepared(compiled, cursor, ids)
        else:
            by_stand_in = dict(zip(_STAND_INS, ids, strict=False))
            cursor.execute(
                compiled.sql,
                [by_stand_in.get(param, param) if type(param) is int else param for param in compiled.params],
            )
            rows = cursor.fetchall()
    return [tuple(row) for row in rows]
