"""catalogue/bulk.py: a bulk load writes exactly the rows `records.store` writes."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue import bulk, migrate, records
from catalogue.db import Database
from catalogue.errors import Conflict
from catalogue.models import Counter, Item, Membership, Source
from metadata.provenance import Origin
from metadata.samples import generate_record, record_id
from metadata.xmlsafe import fromstring

NOW = datetime(2025, 4, 1, 9, 30)
LATER = datetime(2025, 4, 2, 9, 30)
HARVESTED = range(3, 5)
"""Sample records stored as harvested from a partner: provenance, source set and origin columns."""
ORIGIN = Origin("https://partner.example.org/oai", "oai:partner:0", "2025-01-01T00:00:00Z",
                "http://ltsc.ieee.org/xsd/LOM", datetime(2025, 3, 31))


def _source(session: Session) -> Source:
    source = session.execute(select(Source)).scalar_one_or_none()
    if source is None:
        source = Source(name="partner", base_url=ORIGIN.base_url)
        session.add(source)
        session.flush()
    return source


def _how(index: int, source: Source) -> dict:
    origin = dataclasses.replace(ORIGIN, identifier=f"oai:partner:{index}")
    return {"source": source, "origin": origin} if index in HARVESTED else {}


def _stored_one_by_one(database: Database, indexes: range) -> None:
    with database.writing() as session:
        source = _source(session)
        for index in indexes:
            record = fromstring(generate_record(index))
            records.store(session, record, record_id(index), now=NOW, **_how(index, source))


def _loaded_in_bulk(database: Database, indexes: range, now: datetime = NOW) -> int:
    with database.writing() as session:
        source = _source(session)
        renderings = []
        for index in indexes:
            record = fromstring(generate_record(index))
            facts = records.content(record, **_how(index, source))
            renderings.append((record_id(index), records.render(record, facts, **_how(index, source))))
        return bulk.insert_new(session, renderings, now)


def _snapshot(database: Database) -> tuple[list, list, list]:
    """Every stored column of every item, membership and counter, in change order."""
    columns = list(Item.__table__.columns)
    with database.reading() as session:
        items = [tuple(row) for row in session.execute(select(*columns).order_by(Item.seq))]
        members = [tuple(row) for row in session.execute(
            select(Item.local_id, Membership.spec, Membership.active).join(Item, Item.id == Membership.item_id)
            .order_by(Item.local_id, Membership.spec))]
        counters = [tuple(row) for row in session.execute(select(Counter.name, Counter.value))]
    return items, members, counters


@pytest.fixture
def reference(tmp_path: Path) -> Iterator[Database]:
    """A catalogue of sample records 0-6 written by `records.store`, one at a time."""
    database = Database(f"sqlite:///{tmp_path / 'reference.db'}")
    migrate.upgrade(database)
    _stored_one_by_one(database, range(7))
    yield database
    database.dispose()


def test_bulk_load_writes_the_rows_store_writes(catalogue: Database, reference: Database) -> None:
    assert _loaded_in_bulk(catalogue, range(7)) == 7
    loaded, expected = _snapshot(catalogue), _snapshot(reference)
    assert any(row[-1] for row in expected[1]), "the samples should belong to sets"
    assert loaded == expected


def test_bulk_load_after_stored_records_continues_the_change_sequence(catalogue: Database) -> None:
    _stored_one_by_one(catalogue, range(2))
    _loaded_in_bulk(catalogue, range(2, 5), LATER)
    items, _, counters = _snapshot(catalogue)
    seqs = [row[Item.__table__.columns.keys().index("seq")] for row in items]
    assert seqs == [1, 2, 3, 4, 5] and counters == [(records.CHANGES, 5)]


def test_bulk_load_of_a_stored_local_id_is_a_conflict(catalogue: Database) -> None:
    _stored_one_by_one(catalogue, range(2))
    with pytest.raises(Conflict):
        _loaded_in_bulk(catalogue, range(1, 3))
    assert len(_snapshot(catalogue)[0]) == 2


def test_bulk_load_of_nothing_takes_no_change_number(catalogue: Database) -> None:
    assert _loaded_in_bulk(catalogue, range(0)) == 0
    assert _snapshot(catalogue) == ([], [], [])
