"""An operator's import: LOM records from files, folders and zip archives, published at once.

Each document is searched for records wherever they sit (a lone `<lom>`, an OAI-PMH response, an IMS
manifest; `metadata.detect`). A LOM record in a legacy binding (IMS Metadata 1.2, Common Cartridge,
...) is rewritten as IEEE LOM first and the rewrite is reported as notes. The IEEE LOM record is then
judged against the chosen profile; a valid record is stored as published (so `/oai` serves it at
once), an invalid one is rejected with every problem (file, line, path, message). Storing is
idempotent: re-importing an unchanged record changes nothing, a changed one gets a new datestamp
(`catalogue.records`).

**Which local identifier a record gets** (the `<id>` in `oai:<repository>:<id>`), in this order:

1. the entry of the record's first `general/identifier`, with every character outside the
   OAI-PMH local-identifier alphabet percent-encoded (`lectern-demo-000042` stays as it is,
   `urn:isbn:978 0` becomes `urn:isbn:978%200`) — the same record imported again, or from another
   file, updates the same catalogue entry;
2. else (no identifier, or an entry longer than `MAX_LOCAL_ID` once encoded) `loc-` and a hash of
   the first `technical/location`, so a record that describes one URL stays one entry;
3. else `sha-` and a hash of the record's canonical form: such a record has nothing stable to be
   known by, so a changed copy becomes a new entry.
"""
from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from urllib.parse import quote

from lxml import etree
from sqlalchemy.orm import Session

from metadata import legacy, lom
from metadata.detect import MAX_DOCUMENT_BYTES, Found, find_records
from metadata.profiles import Profile
from metadata.documents import Document, find_documents
from metadata.validation import DOCUMENT_ERRORS, Problem, document_problem, judge

from . import migrate, records
from .db import Database
from .errors import CatalogueError

logger = logging.getLogger(__name__)

DEFAULT_PROFILE = "lectern"
"""The catalogue's admission profile: what a published record must carry for people to use it."""
REJECTED = "rejected"
_ACCEPTED = "accepted"  # judged valid, not yet stored: `_stored` replaces it with what the write did
BATCH = 500
"""Records stored per transaction: few enough to keep SQLite's write lock short, many enough to be fast."""
MAX_LOCAL_ID = 200
_SAFE = "-_.!~*'();/?:@&=+$,"  # the OAI-PMH local-identifier characters besides letters and digits
_HASH_CHARS = 24


class ImportInputError(CatalogueError, ValueError):
    """A path given to the import does not exist or is not a file, folder or readable zip archive."""


@dataclass(frozen=True)
class Outcome:
    """What happened to one record, or to a whole document that could not be used (`index` None)."""

    file: str
    index: int | None
    change: str
    """`new`, `updated`, `unchanged` or `rejected`."""
    local_id: str | None = None
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()


def local_id_for(record: etree._Element) -> str:
    """The local identifier a LOM record is stored under; the rule is in the module docstring."""
    for identifier in lom.identifiers(record)[:1]:
        candidate = quote(identifier.entry, safe=_SAFE)
        if len(candidate) <= MAX_LOCAL_ID:
            return candidate
    for location in lom.locations(record)[:1]:
        return "loc-" + hashlib.sha256(location.encode("utf-8")).hexdigest()[:_HASH_CHARS]
    canonical = etree.canonicalize(etree.tostring(record, encoding="unicode"), strip_text=True)
    return "sha-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:_HASH_CHARS]


def import_paths(
    database: Database,
    paths: Iterable[Path],
    profile: str = DEFAULT_PROFILE,
    *,
    now: datetime | None = None,
    batch: int = BATCH,
) -> Iterator[Outcome]:
    """Import every record under `paths`, yielding one `Outcome` per record as it is stored or rejected.

    Records are committed `batch` at a time, so an interrupted import keeps what it yielded. Raises
    `UnknownProfileError` at once for an unknown profile and `ImportInputError` at once for a path
    that does not exist; documents that cannot be read become rejected outcomes.
    """
    chosen = Profile.load(profile)
    paths = [str(path) for path in paths]
    for path in paths:
        if not Path(path).exists():
            raise ImportInputError(f"{path} is not a file or folder")
    return _import(database, _judged(find_documents(paths), chosen), now, batch)


def publish(database: Database, paths: Iterable[Path], profile: str = DEFAULT_PROFILE) -> Counter[str]:
    """Create or upgrade the catalogue, import `paths`, and count the outcomes by change.

    One call that leaves a catalogue ready to serve, for `lectern demo` (and `make run`).
    """
    migrate.upgrade(database)
    return Counter(outcome.change for outcome in import_paths(database, paths, profile))


def _import(database: Database, pending: Iterator[tuple[Outcome, etree._Element | None]],
            now: datetime | None, size: int) -> Iterator[Outcome]:
    while True:
        with database.writing() as session:
            done = list(islice(_stored(session, pending, now), size))
        yield from done
        if len(done) < size:
            return


def _stored(session: Session, judged: Iterator[tuple[Outcome, etree._Element | None]],
            now: datetime | None) -> Iterator[Outcome]:
    for outcome, record in judged:
        if record is None:
            yield outcome
            continue
        stored = records.store(session, record, outcome.local_id, now=now)
        yield Outcome(outcome.file, outcome.index, stored.change, stored.local_id, outcome.problems, outcome.notes)


def _judged(documents: Iterator[Document],
            profile: Profile) -> Iterator[tuple[Outcome, etree._Element | None]]:
    """Each record as IEEE LOM with its verdict; the element is None for a rejected record."""
    for document in documents:
        try:
            with document.open() as stream:
                for found in find_records(stream, MAX_DOCUMENT_BYTES):
                    yield _judge(document.name, found, profile)
        except DOCUMENT_ERRORS as error:
            yield Outcome(document.name, None, REJECTED, problems=(document_problem(document.name, error),)), None


def _judge(name: str, found: Found, profile: Profile) -> tuple[Outcome, etree._Element | None]:
    """Judge one record; a legacy binding is converted first (its problems then point at the record)."""
    if found.kind != "lom":
        problem = Problem(name, found.element.sourceline, "dc", "record-kind",
                          "a Dublin Core record: the catalogue imports IEEE LOM records", found.index)
        return Outcome(name, found.index, REJECTED, problems=(problem,)), None
    notes: tuple[str, ...] = ()
    if found.variant is not None:
        normalised = legacy.normalise(found.element)
        notes = normalised.notes
        found = Found(normalised.lom, "lom", found.index, None)
    result = judge(found, profile, name)
    if not result.valid:
        return Outcome(name, found.index, REJECTED, problems=result.problems, notes=notes), None
    outcome = Outcome(name, found.index, _ACCEPTED, local_id_for(found.element), result.problems, notes)
    return outcome, found.element
