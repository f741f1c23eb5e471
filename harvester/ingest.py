"""One harvested record into the catalogue: as IEEE LOM, judged by the source's profile, stored or quarantined.

The metadata a partner sends becomes IEEE LOM first: a legacy LOM binding through
`metadata.legacy.normalise`, `oai_dc` through the DC→LOM crosswalk, and every LOM record through
`harvester.quirks`. Each change is a note; a record with notes is marked `altered` in its
provenance. The LOM record is then judged against the source's profile: a valid one is stored (as
published, or as submitted under a `moderate` policy) with its origin, an invalid one, or one that
cannot be read as LOM at all, goes to quarantine as received, with every reason (a valid one whose
local identifier a record from elsewhere holds, as the LOM it would have been stored as).

Checking a record (`check`) needs no database, so worker processes do it (`harvester.checking`);
filing it (`file`) does not commit: the caller's page (`catalogue.harvested.PageWriter`, in the
page's transaction) holds the records, and the caller writes the checkpoint in the same transaction.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Union

from lxml import etree

from catalogue.errors import Conflict
from catalogue.harvested import PageWriter, Reason
from catalogue.records import Rendering
from catalogue.records import prepare as prepare_rendering
from metadata import legacy
from metadata.crosswalk import dc_to_lom
from metadata.dc import read_dc
from metadata.detect import Found
from metadata.errors import MetadataError, UnknownFormatError
from metadata.namespaces import LOM, OAI_DC, clark, split_clark
from metadata.profiles import Profile
from metadata.provenance import Origin
from metadata.validation import judge

from . import quirks

QUARANTINED, FAILED = "quarantined", "failed"
_LOM_ROOT, _DC_ROOT = clark(LOM, "lom"), clark(OAI_DC, "dc")
POLICY_STATUS = {"publish": "published", "moderate": "submitted"}
_TIMES = re.compile(r" \(×\d+\)\Z")


@dataclass(frozen=True)
class Target:
    """What ingesting needs to know about the source and the run."""

    source_id: int
    source_name: str
    base_url: str
    profile: Profile
    status: str
    """Status of a new or changed record: `published`, or `submitted` under a moderate policy."""
    run_id: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What happened to one record: `change` is new, updated, unchanged, deleted, quarantined or failed."""

    identifier: str
    change: str
    local_id: str | None = None
    reasons: tuple[Reason, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Prepared:
    """A record made IEEE LOM, and what was changed to get there."""

    lom: etree._Element
    notes: tuple[str, ...]


def prepare(metadata: etree._Element) -> Prepared:
    """The IEEE LOM record for harvested metadata (never modified); `UnknownFormatError` for other formats."""
    if metadata.tag == _DC_ROOT:
        lom, notes = dc_to_lom(read_dc(metadata)), ("crosswalked from oai_dc to IEEE LOM",)
    elif legacy.variant_of(metadata) is not None:
        normalised = legacy.normalise(metadata)
        lom, notes = normalised.lom, normalised.notes
    elif metadata.tag == _LOM_ROOT:
        lom, notes = copy.deepcopy(metadata), ()
        etree.cleanup_namespaces(lom)
    else:
        raise UnknownFormatError(f"<{metadata.tag}> is neither LOM (in any binding Lectern knows) nor oai_dc")
    return Prepared(lom, notes + quirks.normalise(lom))


def note_kind(note: str) -> str:
    """A note without its count (`renamed langstring to string (×3)` → `renamed langstring to string`),
    for tallying how many records each kind of change touched."""
    return _TIMES.sub("", note)


@dataclass(frozen=True)
class Accepted:
    """A valid record, rendered as the new version harvested at the page's time (`records.prepare`)."""

    origin: Origin
    rendering: Rendering
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Rejected:
    """A record that cannot be stored: its metadata as received, and why."""

    identifier: str
    datestamp: str
    raw: bytes
    reasons: tuple[Reason, ...]
    notes: tuple[str, ...] = ()


Checked = Union[Accepted, Rejected, Outcome]
"""What `check` makes of one record: an `Outcome` only for a record that fails outright."""


@dataclass(frozen=True)
class _SourceKey:
    id: int
    name: str


def check(target: Target, identifier: str, datestamp: str, metadata: etree._Element | None, *, now: datetime,
          notes: tuple[str, ...] = ()) -> Checked:
    """Everything about one live record of the source that needs no database: made IEEE LOM, judged,
    rendered. `notes` are changes made before (e.g. by the parser's recovery), which also mark the
    record altered."""
    if metadata is None:
        return Outcome(identifier, FAILED, reasons=(Reason("", None, "metadata", "the record carries no metadata"),))
    try:
        prepared = prepare(metadata)
    except MetadataError as error:
        reason = Reason(metadata.tag, metadata.sourceline, "format", str(error))
        return Rejected(identifier, datestamp, _raw(metadata), (reason,))
    notes += prepared.notes
    verdict = judge(Found(prepared.lom, "lom", 1, None), target.profile, identifier)
    if not verdict.valid:
        reasons = tuple(Reason(p.path, p.line, p.rule, p.message) for p in verdict.problems if p.severity == "error")
        return Rejected(identifier, datestamp, _raw(metadata), reasons, notes)
    origin = Origin(target.base_url, identifier, datestamp, split_clark(metadata.tag)[0], now, bool(notes))
    rendering = prepare_rendering(prepared.lom, status=target.status, origin=origin,
                                  source=_SourceKey(target.source_id, target.source_name))
    return Accepted(origin, rendering, notes)


def file(writer: PageWriter, checked: Checked) -> Outcome:
    """Store a checked record in the page (`writer`), or quarantine it with its reasons."""
    if isinstance(checked, Outcome):
        return checked
    if isinstance(checked, Rejected):
        writer.quarantine(checked.identifier, checked.datestamp, checked.raw, checked.reasons)
        return Outcome(checked.identifier, QUARANTINED, reasons=checked.reasons, notes=checked.notes)
    origin = checked.origin
    try:
        stored = writer.store_rendered(checked.rendering, origin)
    except Conflict as error:  # kept as it would have been stored: serialising every record as received
        reasons = (Reason("", None, "local-identifier", str(error)),)  # for this rare case costs 5% of a harvest
        rejected = Rejected(origin.identifier, origin.datestamp, checked.rendering.content.lom, reasons, checked.notes)
        return file(writer, rejected)
    return Outcome(origin.identifier, stored.change, stored.local_id, notes=checked.notes)


def ingest(writer: PageWriter, target: Target, identifier: str, datestamp: str,
           metadata: etree._Element | None, *, notes: tuple[str, ...] = ()) -> Outcome:
    """Store or quarantine one live record of the source: `check`, then `file`."""
    return file(writer, check(target, identifier, datestamp, metadata, now=writer.now, notes=notes))


def ingest_deletion(writer: PageWriter, identifier: str, datestamp: str) -> Outcome:
    """Turn the source's deleted record into a tombstone (see `catalogue.harvested.PageWriter.delete`)."""
    stored = writer.delete(identifier, datestamp)
    if stored is None:
        return Outcome(identifier, FAILED, reasons=(Reason("", None, "local-identifier",
                                                           "its local identifier belongs to a record from elsewhere"),))
    return Outcome(identifier, stored.change, stored.local_id)


def _raw(metadata: etree._Element) -> bytes:
    return etree.tostring(metadata, encoding="utf-8")
