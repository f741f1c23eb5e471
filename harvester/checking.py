"""A page's records checked apart from the catalogue, so that worker processes can do it while the
catalogue writes the page before.

Checking is everything about a record that needs no database: parsing it out of the page, making it
IEEE LOM, judging it against the source's profile and rendering what would be stored
(`harvester.ingest.check`). What comes out is plain data that crosses a process boundary: the
page's events, with each live record replaced by its verdict. Writing it is the walker's part
(`harvester.lists`), in the page's transaction.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Union

from . import events, ingest


@dataclass(frozen=True)
class Skipped:
    """A record the page carried but that cannot be used (`events.SkippedRecord`, as plain data)."""

    identifier: str
    kind: str
    message: str


Item = Union[events.Event, Skipped, ingest.Accepted, ingest.Rejected, ingest.Outcome]
"""A page's events with every record checked: a deleted record is its `events.Header`."""


@dataclass(frozen=True)
class PageJob:
    """What checking one page needs besides its bytes."""

    target: ingest.Target
    now: datetime
    """The page's time: the harvestDate of the records it stores."""
    max_record_bytes: int
    url: str


def checked(parsed: Iterable[events.Event], job: PageJob) -> Iterator[Item]:
    """The page's events as the walker stores them (see `Item`)."""
    for event in parsed:
        if isinstance(event, events.Record):
            yield _record(event, job)
        elif isinstance(event, events.SkippedRecord):
            yield Skipped(event.header.identifier, type(event.error).__name__, str(event.error))
        else:
            yield event


def _record(record: events.Record, job: PageJob) -> Item:
    header = record.header
    if header.deleted:
        return header
    notes = (f"removed characters XML does not allow (×{record.illegal_characters})",) \
        if record.illegal_characters else ()
    return ingest.check(job.target, header.identifier, header.datestamp, record.metadata, now=job.now, notes=notes)


def parse(body: bytes | IO[bytes], job: PageJob) -> Iterator[Item]:
    """A page's checked events, read as a stream (`events.parse` in its recovering mode)."""
    return checked(events.parse(body, max_record_bytes=job.max_record_bytes, url=job.url, strip_illegal=True), job)


def check_page(body: bytes, job: PageJob) -> list[Item] | None:
    """A worker process's task: the whole page checked; None when the page cannot be read to the end
    (broken, hostile, not OAI-PMH), which the walker then reads itself to fail the page the usual way."""
    try:
        return list(parse(body, job))
    except Exception:  # noqa: BLE001 (the walker's own reading of the page raises it properly)
        return None
