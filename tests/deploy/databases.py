"""Throwaway PostgreSQL databases beside the one DATABASE_URL names (amrc → amrc_pair, amrc_fault…),
for tests that run the app in other processes: the test database of pytest-django lives in a
transaction those processes cannot see."""

import contextlib
import os
import re
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

_NAME = re.compile(r"[a-z0-9_]{1,63}")


def uses_postgres() -> bool:
    return urlsplit(os.environ.get("DATABASE_URL", "")).scheme in {"postgres", "postgresql", "pgsql"}


def base_name() -> str:
    return urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/")


def url_for(name: str) -> str:
    """DATABASE_URL with another database name (and the same server, user and options)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


@contextlib.contextmanager
def connect(name: str) -> Iterator[psycopg2.extensions.connection]:
    connection = psycopg2.connect(url_for(name))
    connection.autocommit = True
    try:
        yield connection
    finally:
        connection.close()


def create(name: str, *, template: str | None = None) -> str:
    """A fresh database `name` (dropped first if a previous run left it), copied from `template`."""
    _check(name)
    drop(name)
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(_check(template)))
    with connect("postgres") as connection, connection.cursor() as cursor:
        cursor.execute(statement)
    return url_for(name)


def drop(name: str) -> None:
    with connect("postgres") as connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(_check(name))))


def exists(name: str) -> bool:
    with connect("postgres") as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def query(name: str, statement: str, params: list | None = None) -> list[tuple]:
    with connect(name) as connection, connection.cursor() as cursor:
        cursor.execute(statement, params or [])
        return cursor.fetchall()


def _check(name: str) -> str:
    if not _NAME.fullmatch(name) or name == base_name():
        raise ValueError(f"Refusing to create or drop the database {name!r}.")
    return name
