"""Bulk writes matched on natural keys, so that seeding twice leaves exactly the same rows."""

from collections.abc import Sequence
from typing import TypeVar

from django.db import models

ModelT = TypeVar("ModelT", bound=models.Model)
Key = tuple


def natural_key(obj: models.Model, key: Sequence[str]) -> Key:
    return tuple(getattr(obj, attname) for attname in key)


def upsert(
    rows: Sequence[ModelT],
    *,
    key: Sequence[str],
    fields: Sequence[str],
    existing: models.QuerySet,
    prune: bool = False,
) -> dict[Key, ModelT]:
    """Create the rows missing from `existing`, update those whose `fields` differ, and return
    every row (with its primary key) by natural key.

    `key` and `fields` are attribute names (`company_id`, not `company`). Rows that already match
    are not written at all: their `updated_at` stays, and a second run writes nothing. With
    `prune`, rows of `existing` that are not in `rows` are deleted (children of seeded rows that
    an earlier run made and this one no longer wants).
    """
    current = {natural_key(obj, key): obj for obj in existing}
    wanted: dict[Key, ModelT] = {}
    to_create: list[ModelT] = []
    to_update: list[ModelT] = []
    for row in rows:
        row_key = natural_key(row, key)
        if row_key in wanted:
            raise ValueError(f"Two demo rows of {type(row).__name__} share the key {row_key}.")
        saved = current.get(row_key)
        if saved is None:
            to_create.append(row)
            wanted[row_key] = row
            continue
        changed = [name for name in fields if getattr(saved, name) != getattr(row, name)]
        for name in changed:
            setattr(saved, name, getattr(row, name))
        if changed:
            to_update.append(saved)
        wanted[row_key] = saved

    if to_create:
        model = type(to_create[0])
        model.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        type(to_update[0]).objects.bulk_update(to_update, fields, batch_size=500)
    if prune:
        stale = [obj.pk for row_key, obj in current.items() if row_key not in wanted]
        if stale:
            existing.model.objects.filter(pk__in=stale).delete()

    if any(obj.pk is None for obj in to_create):
        # Backends that cannot return ids from a bulk insert: read the new rows back.
        fresh = {natural_key(obj, key): obj for obj in existing.all()}
        wanted = {row_key: fresh[row_key] for row_key in wanted}
    return wanted
