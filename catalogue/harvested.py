"""Harvested records: stored, replaced and deleted by source and original identifier.

**Local identifier of a harvested record**: `<source name>:<original identifier>`, with every
character outside the OAI-PMH local-identifier alphabet percent-encoded (the importer's rule), so
`oai:edu.example:42` from source `edu` becomes `edu:oai:edu.example:42`. An identifier longer than
`MAX_LOCAL_ID` once encoded becomes `<source name>:sha-<hash>`. The item is always found by
(source, original identifier) first, so a record keeps its local identifier for good.

**Provenance**: `harvestDate` is when the current version (the partner's datestamp) was first
harvested, so harvesting an unchanged record again leaves it byte for byte as it was (no new
datestamp for our own harvesters). **Moderation**: a new or changed record gets the status the
source's policy names; an unchanged one keeps the status an editor gave it.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import quote

from lxml import etree
from sqlalchemy import delete as delete_rows
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from metadata.provenance import Origin

from . import records
from .errors import Conflict
from .models import Item, Quarantined, Seen, Source

MAX_LOCAL_ID = 200
_SAFE = "-_.!~*'();/?:@&=+$,"  # the OAI-PMH local-identifier characters besides letters and digits
STREAM_BATCH = 1000


@dataclass(frozen=True)
class Reason:
    """Why a record is in quarantine: where in it (path, line), which rule, and what is wrong."""

    path: str
    line: int | None
    rule: str
    message: str


@dataclass(frozen=True)
class QuarantineRow:
    """A quarantined record as the report lists it."""

    source: str
    identifier: str
    datestamp: str | None
    received: datetime
    reasons: tuple[Reason, ...]
    raw: bytes | None


@dataclass(frozen=True)
class OriginalSummary:
    """A harvested record in the source's own terms, with its state here."""

    identifier: str
    datestamp: str
    deleted: bool
    title: str
    set_specs: tuple[str, ...]
    local_id: str


def local_id_for(source_name: str, original_identifier: str) -> str:
    """The local identifier a new record from this source gets; the rule is in the module docstring."""
    encoded = quote(original_identifier, safe=_SAFE)
    if len(encoded) > MAX_LOCAL_ID:
        encoded = "sha-" + hashlib.sha256(original_identifier.encode("utf-8")).hexdigest()[:24]
    return f"{source_name}:{encoded}"


def _item(session: Session, source_id: int, original_identifier: str) -> Item | None:
    query = select(Item).where(Item.source_id == source_id, Item.original_identifier == original_identifier)
    return session.execute(query).scalar_one_or_none()


def _source(session: Session, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        raise Conflict(f"source {source_id} was removed during the harvest")
    return source


def _claim(session: Session, source: Source, original_identifier: str) -> str:
    """The local identifier for a record new from `source`; `Conflict` if a record from elsewhere has it.

    A record left by a removed source of the same name (detached, with an original identifier) may
    be taken over: it is the same record coming back.
    """
    local_id = local_id_for(source.name, original_identifier)
    holder = session.execute(select(Item.source_id, Item.original_identifier).where(Item.local_id == local_id)).first()
    if holder is not None and (holder.source_id is not None or holder.original_identifier is None):
        raise Conflict(f"local identifier {local_id!r} belongs to a record from elsewhere")
    return local_id


def store(session: Session, source_id: int, record: etree._Element, origin: Origin, *,
          status: str, now: datetime) -> records.Stored:
    """Store one valid harvested LOM record, replacing the source's earlier version of it.

    `Conflict` when its local identifier is taken by a record from elsewhere (an import, another
    source); nothing is written then.
    """
    source = _source(session, source_id)
    item = _item(session, source_id, origin.identifier)
    if item is None:
        local_id = _claim(session, source, origin.identifier)
        harvested = now
    else:
        local_id = item.local_id
        same_version = not item.deleted and item.original_datestamp == origin.datestamp
        harvested = item.harvested if same_version and item.harvested else now
        status = item.status if same_version else status
    stored = records.store(session, record, local_id, status=status, source=source,
                           origin=replace(origin, harvest_date=harvested), now=now)
    if stored.change != records.UNCHANGED:
        records.find(session, local_id).harvested = harvested
    release(session, source_id, origin.identifier)
    return stored


def delete(session: Session, source_id: int, original_identifier: str, *, now: datetime,
           datestamp: str | None = None) -> records.Stored | None:
    """Tombstone the source's record and drop it from quarantine.

    A deletion of a record never harvested still leaves a tombstone, unexposed (our harvesters never
    saw the record), so the catalogue holds every identifier the source listed. `datestamp` is the
    deletion's datestamp in the source's header. None when the local identifier belongs elsewhere.
    """
    release(session, source_id, original_identifier)
    item = _item(session, source_id, original_identifier)
    if item is None:
        return _new_tombstone(session, source_id, original_identifier, datestamp, now)
    stored = records.delete(session, item.local_id, now=now)
    if datestamp is not None:
        item.original_datestamp = datestamp
    return stored


def _new_tombstone(session: Session, source_id: int, original_identifier: str, datestamp: str | None,
                   now: datetime) -> records.Stored | None:
    try:
        local_id = _claim(session, _source(session, source_id), original_identifier)
    except Conflict:
        return None
    item = session.execute(select(Item).where(Item.local_id == local_id)).scalar_one_or_none()
    if item is not None:  # left by a removed source of the same name: attach it again
        item.source_id, item.original_datestamp = source_id, datestamp
        return records.delete(session, local_id, now=now)
    item = Item(local_id=local_id, created=now, status="published", exposed=False, deleted=True, title="",
                set_specs="", source_id=source_id, original_identifier=original_identifier,
                original_datestamp=datestamp)
    records.touch(session, item, now)
    return records.Stored(local_id, records.DELETED, now)


def quarantine(session: Session, source_id: int, run_id: int | None, identifier: str, datestamp: str | None,
               raw: bytes | None, reasons: Iterable[Reason], *, now: datetime) -> None:
    """Keep an invalid record with its reasons, replacing an earlier quarantined version of it."""
    row = session.execute(select(Quarantined).where(
        Quarantined.source_id == source_id, Quarantined.original_identifier == identifier)).scalar_one_or_none()
    if row is None:
        row = Quarantined(source_id=source_id, original_identifier=identifier)
        session.add(row)
    row.run_id, row.original_datestamp, row.received, row.raw = run_id, datestamp, now, raw
    row.reasons = json.dumps([vars(reason) for reason in reasons], ensure_ascii=False)


def release(session: Session, source_id: int, identifier: str) -> None:
    """Take a record out of quarantine (a valid version arrived, or the source deleted it)."""
    session.execute(delete_rows(Quarantined).where(
        Quarantined.source_id == source_id, Quarantined.original_identifier == identifier))


def quarantined(session: Session, source_name: str | None = None, run_id: int | None = None) -> list[QuarantineRow]:
    """Quarantined records, of one source or one run when given, by source and identifier."""
    query = select(Quarantined, Source.name).join(Source, Source.id == Quarantined.source_id)
    if source_name is not None:
        query = query.where(Source.name == source_name)
    if run_id is not None:
        query = query.where(Quarantined.run_id == run_id)
    rows = session.execute(query.order_by(Source.name, Quarantined.original_identifier)).all()
    return [
        QuarantineRow(name, row.original_identifier, row.original_datestamp, row.received,
                      tuple(Reason(**reason) for reason in json.loads(row.reasons)), row.raw)
        for row, name in rows
    ]


def mark_seen(session: Session, source_id: int, identifiers: Iterable[str]) -> None:
    """Remember identifiers a full refresh listed (idempotent, so a resumed page may repeat)."""
    wanted = set(identifiers)
    if not wanted:
        return
    known = set(session.execute(select(Seen.original_identifier).where(
        Seen.source_id == source_id, Seen.original_identifier.in_(wanted))).scalars())
    session.add_all(Seen(source_id=source_id, original_identifier=value) for value in wanted - known)


def tombstone_unseen(session: Session, source_id: int, *, now: datetime) -> int:
    """End a full refresh: tombstone the source's records it did not list; returns how many."""
    seen = exists().where(Seen.source_id == source_id, Seen.original_identifier == Item.original_identifier)
    gone = session.execute(select(Item.original_identifier).where(
        Item.source_id == source_id, Item.deleted.is_(False), ~seen)).scalars().all()
    for identifier in gone:
        delete(session, source_id, identifier, now=now)
    stale = ~exists().where(Seen.source_id == source_id, Seen.original_identifier == Quarantined.original_identifier)
    session.execute(delete_rows(Quarantined).where(Quarantined.source_id == source_id, stale))
    forget_seen(session, source_id)
    return len(gone)


def forget_seen(session: Session, source_id: int) -> None:
    """Drop a refresh's marks (when it completes, or is abandoned for a fresh one)."""
    session.execute(delete_rows(Seen).where(Seen.source_id == source_id))


def every_from(session: Session, source_name: str) -> Iterator[OriginalSummary]:
    """Every record harvested from the source (any status, tombstones too), by original identifier."""
    query = (
        select(Item.original_identifier, Item.original_datestamp, Item.deleted, Item.title, Item.set_specs,
               Item.local_id)
        .join(Source, Source.id == Item.source_id)
        .where(Source.name == source_name)
        .order_by(Item.original_identifier)
    )
    for identifier, datestamp, deleted, title, specs, local_id in session.execute(
            query.execution_options(yield_per=STREAM_BATCH)):
        yield OriginalSummary(identifier or "", datestamp or "", bool(deleted), title or "",
                              tuple(specs.split()) if specs else (), local_id)
