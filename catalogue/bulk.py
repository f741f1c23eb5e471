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

from sqlalchemy import Table, select
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
    """Rows straight to the driver's executemany, each value converted as SQLAlchemy would bind it.

    SQLAlchemy's own handling of each parameter took longer than the driver's insert. Here each
    column's conversion (a datetime to SQLite's text, say) runs once per distinct value: a page's
    records share their timestamps, so three conversions a record become three a page.
    """
    connection = session.connection()
    dialect = connection.dialect
    converters = [_converter(table.c[name].type.dialect_impl(dialect).bind_processor(dialect)) for name in names]
    if any(converters):
        rows = [tuple(convert(value) if convert else value for convert, value in zip(converters, row))
                for row in rows]
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
    connection.exec_driver_sql(sql, rows)


def _converter(process: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    """`process` remembering its results: the columns that have one hold timestamps and flags."""
    if process is None:
        return None
    return functools.lru_cache(maxsize=64)(process)
