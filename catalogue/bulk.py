"""Bulk load: many new records in two statements per batch, written exactly as `records.store` writes them.

`store` looks each record up, compares fingerprints and flushes an ORM object per record: about
3.5 ms a record, an hour for a million. A catalogue built from scratch (a benchmark, a migration
from another system) needs none of that: its records are all new. Here the rendering is
`records.content` and `records.render`, the functions `store` itself calls, and it needs no
database, so callers can run it in worker processes; what remains is one INSERT of the items and
one of their set memberships, with change numbers taken from the same counter in one step.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, select
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
        session.execute(insert(Item.__table__), rows)
    except IntegrityError as err:
        raise Conflict("a bulk load may only add new records; one of these local ids is already stored") from err
    ids = dict(session.execute(select(Item.seq, Item.id).where(Item.seq.between(first, first + len(rows) - 1))).all())
    members = [(ids[row["seq"]], spec, True) for row, (_, rendering) in zip(rows, renderings)
               for spec in rendering.content.specs]
    if members:
        _insert_memberships(session, members)
    return len(rows)


def _insert_memberships(session: Session, members: list[tuple[int, str, bool]]) -> None:
    """(item id, spec, active) rows straight to the driver: five a record, and SQLAlchemy's handling
    of each parameter took longer than the driver's insert (integers, strings and booleans need no
    conversion on SQLite or PostgreSQL)."""
    connection = session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    table = Membership.__table__
    columns = ", ".join(column.name for column in (table.c.item_id, table.c.spec, table.c.active))
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({columns}) VALUES ({mark}, {mark}, {mark})", members)
