"""One line per record for people and scripts: the `lectern records` listing and the web root.

The OAI read path (`listing.py`) pages on the change sequence and returns stored bytes; these
queries return only header facts and the title, which is what a listing, a browse page or a shell
script needs, and stream so a million-record listing stays small in memory.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Item, Source

STREAM_BATCH = 1000


@dataclass(frozen=True)
class Summary:
    """A record's header facts and title."""

    local_id: str
    datestamp: datetime
    deleted: bool
    title: str
    set_specs: tuple[str, ...]


_COLUMNS = (Item.local_id, Item.datestamp, Item.deleted, Item.title, Item.set_specs)


def _summary(row: tuple) -> Summary:
    local_id, datestamp, deleted, title, specs = row
    return Summary(local_id, datestamp, bool(deleted), title or "", tuple(specs.split()) if specs else ())


def every(session: Session, source: str | None = None) -> Iterator[Summary]:
    """Every record the provider exposes (tombstones too), by local identifier.

    `source` keeps only the records harvested from the source of that name.
    """
    query = select(*_COLUMNS).where(Item.exposed.is_(True)).order_by(Item.local_id)
    if source is not None:
        query = query.join(Source, Source.id == Item.source_id).where(Source.name == source)
    for row in session.execute(query.execution_options(yield_per=STREAM_BATCH)):
        yield _summary(row)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_")
    return f"%{escaped}%"


def latest(session: Session, limit: int, title_contains: str | None = None) -> list[Summary]:
    """The most recently changed live records, newest first, optionally only titles containing a text."""
    query = select(*_COLUMNS).where(Item.exposed.is_(True), Item.deleted.is_(False))
    if title_contains:
        query = query.where(Item.title.ilike(_like(title_contains), escape="\\"))
    return [_summary(row) for row in session.execute(query.order_by(Item.seq.desc()).limit(limit))]


def count_live(session: Session) -> int:
    """How many exposed records are not deleted."""
    query = select(func.count()).select_from(Item).where(Item.exposed.is_(True), Item.deleted.is_(False))
    return session.execute(query).scalar_one()
