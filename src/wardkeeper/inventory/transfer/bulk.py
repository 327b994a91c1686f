"""Inserting and updating many rows fast.

Django's ``bulk_create`` prepares every value through several layers of
calls, and ``bulk_update`` sends one ``CASE`` per field with a branch per
row; for a hundred thousand assets either costs far more than the database
does.
This inserts with ``COPY`` (PostgreSQL) or ``executemany`` (SQLite),
converting only the values whose type needs it (dates, decimals, addresses,
JSON), then reads back the new ids by natural key. Callers fill every field first: no ``save()`` or ``pre_save``
runs here.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.db import connection, models

BATCH = 1000
# Databases cap the parameters of one query; lookups by key go in chunks.
IN_CHUNK = 900

# Values of these field types go to the database as Python holds them.
PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
)


def chunks(items: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    """``items`` in consecutive slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _getter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    if isinstance(field, PLAIN):
        return operator.attrgetter(field.attname)
    attname = field.attname
    # Dates, costs and timestamps repeat across rows; converting each distinct
    # value once saves most of the cost of this path.
    memo: dict[Any, Any] = {}

    def prepared(obj: Any) -> Any:
        value = getattr(obj, attname)
        try:
            return memo[value]
        except KeyError:
            result = memo[value] = field.get_db_prep_save(value, connection)
            return result
        except TypeError:  # unhashable (a JSON value)
            return field.get_db_prep_save(value, connection)

    return prepared


def _link_saved_relations(
    objs: Sequence[models.Model], fields: Sequence[models.Field[Any, Any]]
) -> None:
    """Copy the ids of related records saved after they were assigned."""
    relations = [f for f in fields if f.is_relation and f.many_to_one]
    for obj in objs:
        for field in relations:
            if field.is_cached(obj):  # type: ignore[attr-defined]
                related = getattr(obj, field.name)
                setattr(obj, field.attname, None if related is None else related.pk)


def insert(model: type[models.Model], objs: Sequence[Any], key: str) -> None:
    """Insert ``objs`` and give each its new primary key, read back by the
    unique field ``key``."""
    if not objs:
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    getters = [_getter(f) for f in fields]
    quote = connection.ops.quote_name
    target = "{} ({})".format(
        quote(meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    placeholders = ", ".join(["%s"] * len(fields))
    _link_saved_relations(objs, fields)
    by_key = {getattr(obj, key): obj for obj in objs}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path: several times faster than inserts.
            with cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
                for obj in objs:
                    copy.write_row([get(obj) for get in getters])
        else:
            for part in chunks(objs, BATCH):
                rows = [[get(obj) for get in getters] for obj in part]
                cursor.executemany(
                    f"INSERT INTO {target} VALUES ({placeholders})", rows
                )
    manager = model._default_manager
    for part in chunks(list(by_key), BATCH):
        for value, pk in manager.filter(**{f"{key}__in": part}).values_list(key, "pk"):
            obj = by_key[value]
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = connection.alias


def update(
    model: type[models.Model], objs: Sequence[Any], names: Sequence[str]
) -> None:
    """Write the fields ``names`` of ``objs`` (already saved), one
    parameterised ``UPDATE … WHERE id = %s`` sent for all rows at once."""
    if not objs:
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    concrete = [f for f in fields if isinstance(f, models.Field) and f.concrete]
    getters: list[Callable[[Any], Any]] = [_getter(f) for f in concrete]
    getters.append(operator.attrgetter("pk"))
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in concrete),
        quote(meta.pk.column) if meta.pk else "id",
    )
    _link_saved_relations(objs, concrete)
    with connection.cursor() as cursor:
        for part in chunks(objs, BATCH):
            cursor.executemany(sql, [[get(obj) for get in getters] for obj in part])
