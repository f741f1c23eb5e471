"""Bulk load: many new records in two statements per batch, written exactly as `records.store` writes them.

`store` looks each record up, compares fingerprints and flushes an ORM object per record: about
3.5 ms a record, an hour for a million. A catalogue built from scratch (a benchmark, a migration
from another system) needs none of that: its records are all new. Here the rendering is
`records.content` and `records.render`, the functions `store` itself calls, and it needs no
database, so callers can run it in worker processes; what remains is one INSERT of the items and
one of their set memberships, with change numbers taken from the same counter in one step.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Table, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import records
from .errors import Conflict
from .models import Item, Membership


def insert_new(session: Session, renderings: Sequence[tuple[str, records.Rendering]], now: datetime) -> int:
    """Insert records that are not stored yet, as (local id, rendering) pairs; returns how many.

    They get `now` as datestamp and consecutive change numbers in the order given. A local id that
    is already stored raises `Conflict` (use `records.store` to update records).
    """
    if not renderings:
        return 0
    first = records.next_seq(session, len(renderings)) - len(renderings) + 1
    rows = [
        {**rendering.columns(), "local_id": local_id, "created": now, "datestamp": now, "seq": first + offset,
         "exposed": rendering.content.status == "published", "set_specs": " ".join(sorted(set(rendering.content.specs)))}
        for offset, (local_id, rendering) in enumerate(renderings)
    ]
    try:
        _insert_rows(session, Item.__table__, list(rows[0]), [tuple(row.values()) for row in rows])
    except IntegrityError as err:
        raise Conflict("a bulk load may only add new records; one of these local ids is already stored") from err
    ids = dict(session.execute(select(Item.seq, Item.id).where(Item.seq.between(first, first + len(rows) - 1))).all())
    members = [(ids[row["seq"]], spec, True) for row, (_, rendering) in zip(rows, renderings)
               for spec in rendering.content.specs]
    if members:
        _insert_rows(session, Membership.__table__, ["item_id", "spec", "active"], members)
    return len(rows)


def _insert_rows(session: Session, table: Table, names: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Rows straight to the driver's executemany.

    SQLAlchemy's handling of each parameter took longer than the driver's insert. Integers, strings,
    bytes and booleans need no conversion on SQLite or PostgreSQL; timestamps are converted as
    SQLAlchemy binds them (text on SQLite), once per distinct value: a page's records share them.
    """
    connection = session.connection()
    dialect = connection.dialect
    converters = {}
    for index, name in enumerate(names):
        kind = table.c[name].type
        process = kind.dialect_impl(dialect).bind_processor(dialect) if isinstance(kind, DateTime) else None
        if process is not None:
            converters[index] = functools.lru_cache(maxsize=64)(process)
    if converters:
        rows = [_converted(row, converters) for row in rows]
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
    connection.exec_driver_sql(sql, rows)


def _converted(row: tuple[Any, ...], converters: dict[int, Callable[[Any], Any]]) -> tuple[Any, ...]:
    values = list(row)
    for index, convert in converters.items():
        values[index] = convert(values[index])
    return tuple(values)
