"""Fill a test catalogue with the seeded sample records (`metadata.samples`)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from catalogue import records
from catalogue.db import Database
from metadata.provenance import Origin
from metadata.samples import generate_record, record_id
from metadata.xmlsafe import fromstring


def store_samples(catalogue: Database, indexes: Iterable[int], *, now: datetime, seed: int = 0,
                  origin: Origin | None = None) -> None:
    """Store sample records `indexes` (their content drawn with `seed`) under their sample identifiers."""
    with catalogue.writing() as session:
        for index in indexes:
            records.store(session, fromstring(generate_record(index, seed)), record_id(index), origin=origin, now=now)


def delete_samples(catalogue: Database, indexes: Iterable[int], *, now: datetime) -> None:
    """Turn sample records `indexes` into tombstones."""
    with catalogue.writing() as session:
        for index in indexes:
            records.delete(session, record_id(index), now=now)
