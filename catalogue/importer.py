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
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import IO
from urllib.parse import quote

from lxml import etree
from sqlalchemy.orm import Session

from metadata import legacy, lom
from metadata.detect import MAX_DOCUMENT_BYTES, Found, find_records
from metadata.profiles import Profile
from metadata.validation import DOCUMENT_ERRORS, Problem, check, document_problem

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
    documents = list(_documents(paths))
    return _import(database, _judged(documents, chosen), now, batch)


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


def _judged(documents: list[tuple[str, Path, str | None]],
            profile: Profile) -> Iterator[tuple[Outcome, etree._Element | None]]:
    """Each record as IEEE LOM with its verdict; the element is None for a rejected record."""
    for name, path, member in documents:
        try:
            with _opened(path, member) as stream:
                for found in find_records(stream, MAX_DOCUMENT_BYTES):
                    yield _judge(name, found, profile)
        except (*DOCUMENT_ERRORS, zipfile.BadZipFile) as error:
            problem = document_problem(name, error if isinstance(error, DOCUMENT_ERRORS) else OSError(str(error)))
            yield Outcome(name, None, REJECTED, problems=(problem,)), None


def _judge(name: str, found: Found, profile: Profile) -> tuple[Outcome, etree._Element | None]:
    line = found.element.sourceline
    if found.kind != "lom":
        problem = Problem(name, line, "dc", "record-kind",
                          "a Dublin Core record: the catalogue imports IEEE LOM records", found.index)
        return Outcome(name, found.index, REJECTED, problems=(problem,)), None
    normalised = legacy.normalise(found.element)
    fragment = etree.tostring(normalised.lom, encoding="utf-8")
    (result,) = check(fragment, profile, name)
    problems = tuple(_in_file(problem, line, found.index) for problem in result.problems)
    if not result.valid:
        return Outcome(name, found.index, REJECTED, problems=problems, notes=normalised.notes), None
    outcome = Outcome(name, found.index, _ACCEPTED, local_id_for(normalised.lom), problems, normalised.notes)
    return outcome, normalised.lom


def _in_file(problem: Problem, record_line: int | None, index: int) -> Problem:
    """Move a problem found in the record's fragment to where the record sits in its file."""
    line = problem.line + record_line - 1 if problem.line and record_line else record_line
    return Problem(problem.file, line, problem.path, problem.rule, problem.message, index, problem.severity)


def _documents(paths: Iterable[Path]) -> Iterator[tuple[str, Path, str | None]]:
    """(name for reports, path, zip member or None) for every XML document under `paths`."""
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".xml", ".zip"))
            yield from _documents(found)
        elif path.is_file() and zipfile.is_zipfile(path):
            yield from _members(path)
        elif path.is_file():
            yield str(path), path, None
        else:
            raise ImportInputError(f"{path} is not a file or folder")


def _members(path: Path) -> Iterator[tuple[str, Path, str]]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = sorted(info.filename for info in archive.infolist()
                           if not info.is_dir() and info.filename.lower().endswith(".xml"))
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportInputError(f"{path} is not a readable zip archive: {error}") from error
    for name in names:
        yield f"{path}!{name}", path, name


@contextmanager
def _opened(path: Path, member: str | None) -> Iterator[IO[bytes]]:
    """The document as a binary stream: the file itself, or one member of a zip archive."""
    if member is None:
        with open(path, "rb") as stream:
            yield stream
        return
    with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
        yield stream
