"""Harvested records: stored, replaced and deleted by source and original identifier.

**Local identifier of a harvested record**: `<source name>:<original identifier>`, with every
character outside the OAI-PMH local-identifier alphabet percent-encoded (the importer's rule), so
`oai:edu.example:42` from source `edu` becomes `edu:oai:edu.example:42`. An identifier longer than
`MAX_LOCAL_ID` once encoded becomes `<source name>:sha-<hash>`. The two together determine the
local identifier, so an updated record is found, and replaced, under the identifier it always had;
one held by a record from elsewhere (an import) is a `Conflict`, never overwritten.

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
from metadata.xmlsafe import fromstring

from . import bulk, records
from .errors import Conflict
from .models import Item, Quarantined, Seen, Source

MAX_LOCAL_ID = 200
RELEASE_BATCH = 500
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


def _source(session: Session, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        raise Conflict(f"source {source_id} was removed during the harvest")
    return source


class PageWriter:
    """The writes of one harvested page, in the caller's transaction; call `finish` before it commits.

    A new record (every record of a first harvest) is rendered as it comes and inserted with the
    page's other new records when the page ends (`catalogue.bulk`: two statements, instead of a
    lookup, a flush and a membership query per record); a record already stored goes through
    `records.store`. Taking records out of quarantine is one statement per page as well.
    """

    def __init__(self, session: Session, source_id: int, *, now: datetime, run_id: int | None = None) -> None:
        self.session, self.now, self.run_id = session, now, run_id
        self.source = _source(session, source_id)
        self._new: dict[str, records.Rendering] = {}
        self._settled: dict[str, bool] = {}
        """Original identifier → whether the page leaves it out of quarantine (stored or deleted)."""
        self._looked_up: dict[str, Item | None] = {}
        """Local identifier → its item as the last `expect` found it, used by the record's first write."""

    def expect(self, original_identifiers: Iterable[str]) -> None:
        """Look up the items of records about to be written in one query, instead of one per record
        (a fifth of a first harvest's time went to those queries)."""
        wanted = {local_id_for(self.source.name, identifier) for identifier in original_identifiers}
        wanted -= self._new.keys()
        if not wanted:
            return
        found = self.session.execute(select(Item).where(Item.local_id.in_(wanted))).scalars()
        self._looked_up = dict.fromkeys(wanted) | {item.local_id: item for item in found}

    def _stored_item(self, original_identifier: str) -> tuple[str, Item | None]:
        """The record's local identifier and its item, if stored; `Conflict` if that item is not ours.

        A record left by a removed source of the same name (detached, with an original identifier)
        is ours again: it is the same record coming back.
        """
        local_id = local_id_for(self.source.name, original_identifier)
        if local_id in self._new:  # the page names the record twice: let the second see the first
            self._insert_new()
        if local_id in self._looked_up:
            item = self._looked_up.pop(local_id)
        else:
            item = self.session.execute(select(Item).where(Item.local_id == local_id)).scalar_one_or_none()
        if item is not None and item.source_id != self.source.id and (
                item.source_id is not None or item.original_identifier is None):
            raise Conflict(f"local identifier {local_id!r} belongs to a record from elsewhere")
        return local_id, item

    def store(self, record: etree._Element, origin: Origin, *, status: str) -> records.Stored:
        """Store one valid record, replacing the source's earlier version; `Conflict` if its local
        identifier is taken by a record from elsewhere (nothing is written then)."""
        origin = replace(origin, harvest_date=self.now)
        rendering = records.prepare(record, status=status, source=self.source, origin=origin)
        return self.store_rendered(rendering, origin, record)

    def store_rendered(self, rendering: records.Rendering, origin: Origin,
                       record: etree._Element | None = None) -> records.Stored:
        """`store` for a record rendered ahead (`records.prepare`, in a worker process) as the new
        version harvested now, under `origin`.

        That rendering is what is written, unless the stored record is this same version of it: then
        its first harvestDate and the status an editor gave it stand, and it is rendered again with them,
        from `record` when the caller still has it, else from the rendering's LOM bytes.
        """
        local_id, item = self._stored_item(origin.identifier)
        self._settled[origin.identifier] = True
        if item is None:
            self._new[local_id] = rendering
            return records.Stored(local_id, records.NEW, self.now)
        if item.source_id == self.source.id and not item.deleted and item.original_datestamp == origin.datestamp:
            record = record if record is not None else fromstring(rendering.content.lom)
            return records.store(self.session, record, local_id, status=item.status, source=self.source,
                                 origin=replace(origin, harvest_date=item.harvested or self.now), now=self.now)
        return records.write(self.session, item, local_id, rendering, now=self.now)

    def delete(self, original_identifier: str, datestamp: str | None = None) -> records.Stored | None:
        """Tombstone the source's record; the module docstring says what a never harvested one leaves.

        `datestamp` is the deletion's datestamp in the source's header. None when the local
        identifier belongs to a record from elsewhere.
        """
        try:
            local_id, item = self._stored_item(original_identifier)
        except Conflict:
            return None
        self._settled[original_identifier] = True
        if item is None:
            item = Item(local_id=local_id, created=self.now, status="published", exposed=False, deleted=True,
                        title="", set_specs="", source_id=self.source.id, original_identifier=original_identifier)
            records.touch(self.session, item, self.now)
            stored = records.Stored(local_id, records.DELETED, self.now)
        else:
            item.source_id = self.source.id
            stored = records.delete(self.session, local_id, now=self.now)
        item.original_datestamp = datestamp or item.original_datestamp
        return stored

    def quarantine(self, identifier: str, datestamp: str | None, raw: bytes | None, reasons: Iterable[Reason]) -> None:
        """Keep an invalid record with its reasons, replacing an earlier quarantined version of it."""
        self._settled[identifier] = False
        row = self.session.execute(select(Quarantined).where(
            Quarantined.source_id == self.source.id, Quarantined.original_identifier == identifier,
        )).scalar_one_or_none()
        if row is None:
            row = Quarantined(source_id=self.source.id, original_identifier=identifier)
            self.session.add(row)
        row.run_id, row.original_datestamp, row.received, row.raw = self.run_id, datestamp, self.now, raw
        row.reasons = json.dumps([vars(reason) for reason in reasons], ensure_ascii=False)

    def finish(self) -> None:
        """Insert the page's new records and take its stored and deleted records out of quarantine."""
        self._insert_new()
        released = [identifier for identifier, out in self._settled.items() if out]
        for start in range(0, len(released), RELEASE_BATCH):
            self.session.execute(delete_rows(Quarantined).where(
                Quarantined.source_id == self.source.id,
                Quarantined.original_identifier.in_(released[start:start + RELEASE_BATCH])))
        self._settled.clear()

    def _insert_new(self) -> None:
        if self._new:
            bulk.insert_new(self.session, list(self._new.items()), self.now)
            self._new.clear()


def store(session: Session, source_id: int, record: etree._Element, origin: Origin, *,
          status: str, now: datetime) -> records.Stored:
    """Store one harvested record on its own (see `PageWriter.store`)."""
    writer = PageWriter(session, source_id, now=now)
    stored = writer.store(record, origin, status=status)
    writer.finish()
    return stored


def delete(session: Session, source_id: int, original_identifier: str, *, now: datetime,
           datestamp: str | None = None) -> records.Stored | None:
    """Tombstone one harvested record on its own (see `PageWriter.delete`)."""
    writer = PageWriter(session, source_id, now=now)
    stored = writer.delete(original_identifier, datestamp)
    writer.finish()
    return stored


def quarantine(session: Session, source_id: int, run_id: int | None, identifier: str, datestamp: str | None,
               raw: bytes | None, reasons: Iterable[Reason], *, now: datetime) -> None:
    """Quarantine one harvested record on its own (see `PageWriter.quarantine`)."""
    PageWriter(session, source_id, now=now, run_id=run_id).quarantine(identifier, datestamp, raw, reasons)


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
