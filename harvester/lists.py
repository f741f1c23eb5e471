"""Walking one OAI-PMH list, page by page, each page stored with its checkpoint in one transaction.

A page is downloaded whole by the fetcher (its size is bounded) before the transaction opens, so a
slow partner never holds the catalogue's write lock: a thread fetches the next pages while this one
is stored (`harvester.ahead`), and a worker process checks each page's records as it arrives
(`harvester.checking`, `harvester.workers`; without one, they are checked here as the parser hands
them out of the local spool). In one transaction: every checked record is filed, the list's new
position (resumption token, pages done, the responseDate that began the list) is written, the run's
counters are added and the lease renewed.
Broken XML in the middle of a page, or a stop rule that fires, rolls all of it back: the page is
either stored with its checkpoint or not at all, which is why a killed harvest neither loses nor
repeats records.
"""
from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import datetime
from io import SEEK_END
from itertools import islice
from typing import Any

from catalogue import harvested, runs
from catalogue.db import Database, Session
from catalogue.leases import Lease
from catalogue.runs import Position

from . import checking, events, ingest
from .ahead import TAIL_BYTES, Ahead
from .errors import HarvestError, RemoteOAIError, Stalled
from .guards import Guards
from .workers import Workers

logger = logging.getLogger(__name__)

RECORDS, IDENTIFIERS = "ListRecords", "ListIdentifiers"
NO_RECORDS, BAD_TOKEN = "noRecordsMatch", "badResumptionToken"
LOOKUP_BATCH = 100
"""Records parsed ahead and looked up in the catalogue with one query."""
WORKER_PAGE_BYTES = (64 * 1024, 16 * 1024 * 1024)
"""Pages checked by a worker process: smaller ones are not worth the trip, larger ones are read here
as a stream, so no process holds all of a huge page (a page goes to a worker as bytes, and the
pages fetched ahead wait whole)."""


class RunLog(logging.LoggerAdapter):
    """Log lines of one run: `source` and `run_id` on every line, plus the `url` a call passes in `extra`
    (a plain adapter would drop the call's own fields)."""

    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        kwargs["extra"] = {**(self.extra or {}), **kwargs.get("extra", {})}
        return msg, kwargs


class Interrupted(HarvestError):
    """The operator asked the harvest to stop (SIGTERM, SIGINT); the last page's checkpoint stands."""


class _TokenRejected(Exception):
    """The partner refused our resumption token: the list restarts from its window."""


def _chunks(items: Iterable[events.Event], size: int) -> Iterator[list[events.Event]]:
    """Consecutive runs of `size` items, so a page's records are looked up together while only a
    bounded number of them is held parsed at once."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@dataclass
class _Fetched:
    """A fetched page of a list, and its checking (`checking.check_page`) when a worker took it."""

    page: Any
    """`harvester.http.Page`: `url`, `body` (a seekable binary stream at its start), `close()`."""
    job: checking.PageJob
    checked: Future | None

    def items(self) -> Iterable[checking.Item]:
        """The page's checked events: the worker's, else read here as a stream (a page too small or
        too large for a worker, or one the worker could not read, to fail here the usual way)."""
        if self.checked is not None:
            try:
                found = self.checked.result()
            except Exception as error:  # noqa: BLE001 (a worker died, or its answer did not travel)
                logger.warning("a worker could not check %s (%s: %s); checking it in the harvesting process",
                               self.page.url, type(error).__name__, error)
                found = None
            if found is not None:
                return found
        return checking.parse(self.page.body, self.job)

    def close(self) -> None:
        if self.checked is not None:
            self.checked.cancel()
        self.page.close()


def _tail(fetched: _Fetched) -> bytes:
    """The last bytes of a fetched page, where its resumption token is."""
    body = fetched.page.body
    body.seek(max(0, body.seek(0, SEEK_END) - TAIL_BYTES))
    tail = body.read()
    body.seek(0)
    return tail


def _identifier(item: checking.Item) -> str | None:
    """The original identifier of a record the page writes (to look them up together)."""
    if isinstance(item, ingest.Accepted):
        return item.origin.identifier
    if isinstance(item, events.Header) and item.deleted:
        return item.identifier
    return None


def list_key(verb: str, set_spec: str | None) -> str:
    """The checkpoint key of one list: the verb and the set (empty for the whole repository)."""
    return f"{verb}:{set_spec or ''}"


def set_of(position: Position) -> str | None:
    """The set spec a list's checkpoint key names, None for the whole repository."""
    return position.list_key.partition(":")[2] or None


def verb_of(position: Position) -> str:
    """The list verb a checkpoint key names."""
    return position.list_key.partition(":")[0]


@dataclass
class _Tally:
    """What one page did, added to the run when the page commits."""

    counts: Counter[str] = field(default_factory=Counter)
    notes: Counter[str] = field(default_factory=Counter)
    errors: list[dict[str, object]] = field(default_factory=list)
    items: int = 0
    token: str = ""
    response_date: str | None = None
    seen: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Walker:
    """Everything walking a list needs: where to fetch, where to store, how to stop."""

    database: Database
    fetch: Callable[[str, Position], Any]
    """(verb, position) → the page answering the list's next request (`url`, `body`, `close()`)."""
    target: ingest.Target
    lease: Lease
    clock: Callable[[], datetime]
    max_pages: int
    max_empty_pages: int
    max_record_bytes: int
    token_restarts: int
    workers: Workers = Workers(0)
    stop: threading.Event | None = None
    on_page: Callable[[int], None] | None = None
    log: RunLog | None = None

    def walk(self, position: Position) -> Position:
        """Fetch and store pages until the list is complete; returns its final position."""
        guards, restarts = Guards(self.max_pages, self.max_empty_pages), 0
        with Ahead(self._fetch_page, _tail, _Fetched.close, depth=self.workers.count + 1) as ahead:
            while not position.done:
                if self.stop is not None and self.stop.is_set():
                    raise Interrupted(f"stopped by request after page {position.pages} of {position.list_key}")
                fetched = ahead.take(position)
                try:
                    with closing(fetched):
                        position = self._store(position, fetched, guards)
                except _TokenRejected:
                    restarts += 1
                    if restarts > self.token_restarts:
                        raise Stalled("bad-resumption-token", f"the partner refused {restarts} resumption tokens "
                                                              f"of {position.list_key} in a row") from None
                    self._log("warning", "resumption token refused; restarting the list from its window",
                              fetched.page.url)
                    guards = Guards(self.max_pages, self.max_empty_pages)
                    position = replace(position, token="")
        return position

    def _fetch_page(self, position: Position) -> _Fetched:
        """The page answering `position`, its checking under way in a worker when it is worth one
        (called by the thread fetching ahead)."""
        page = self.fetch(verb_of(position), position)
        try:
            job = checking.PageJob(self.target, self.clock(), self.max_record_bytes, page.url)
            size = page.body.seek(0, SEEK_END)
            page.body.seek(0)
            if not (self.workers and WORKER_PAGE_BYTES[0] <= size <= WORKER_PAGE_BYTES[1]):
                return _Fetched(page, job, None)
            data = page.body.read()
            page.body.seek(0)
            return _Fetched(page, job, self.workers.submit(checking.check_page, data, job))
        except BaseException:
            page.close()
            raise

    def _log(self, level: str, message: str, url: str) -> None:
        if self.log is not None:
            getattr(self.log, level)(message, extra={"url": url})

    def _store(self, position: Position, fetched: _Fetched, guards: Guards) -> Position:
        tally, url = _Tally(), fetched.page.url
        with self.database.writing() as session:
            now = self.clock()
            writer = harvested.PageWriter(session, self.target.source_id, now=now, run_id=self.target.run_id)
            for chunk in _chunks(fetched.items(), LOOKUP_BATCH):
                writer.expect(filter(None, map(_identifier, chunk)))
                for item in chunk:
                    self._handle(writer, item, tally, url)
            writer.finish()
            if tally.seen:
                harvested.mark_seen(session, self.target.source_id, tally.seen)
            after = replace(position, token=tally.token, pages=position.pages + 1, done=not tally.token,
                            began=position.began or tally.response_date)
            guards.observe(after.pages, tally.token, tally.items)
            self._commit_page(session, after, tally, now)
        self._log("debug", f"stored page {after.pages} of {after.list_key}: {tally.items} items", url)
        if self.on_page is not None:
            self.on_page(tally.items)
        return after

    def _commit_page(self, session: Session, after: Position, tally: _Tally, now: datetime) -> None:
        run_id = self.target.run_id
        runs.save_checkpoint(session, self.target.source_id, run_id, after, now=now)
        runs.add_counts(session, run_id, {**tally.counts, "pages": 1})
        runs.add_alterations(session, run_id, tally.notes)
        for error in tally.errors:
            runs.add_error(session, run_id, error)
        self.lease.renew(session, now)

    def _handle(self, writer: harvested.PageWriter, item: checking.Item, tally: _Tally, url: str) -> None:
        match item:
            case events.ResponseDate(value=value):
                tally.response_date = value
            case ingest.Accepted() | ingest.Rejected() | ingest.Outcome():
                tally.items += 1
                self._count(ingest.file(writer, item), tally, url)
            case events.Header(identifier=identifier, deleted=False):
                tally.items += 1
                tally.seen.append(identifier)
            case events.Header(identifier=identifier, datestamp=datestamp):
                tally.items += 1
                self._count(ingest.ingest_deletion(writer, identifier, datestamp), tally, url)
            case checking.Skipped(identifier=identifier, kind=kind, message=message):
                tally.items += 1
                tally.counts[ingest.FAILED] += 1
                tally.errors.append({"kind": kind, "message": message, "identifier": identifier, "url": url})
            case events.Token(value=value):
                tally.token = value
            case events.ErrorEvent(code=code) if code == NO_RECORDS:
                pass
            case events.ErrorEvent(code=code) if code == BAD_TOKEN:
                raise _TokenRejected()
            case events.ErrorEvent(code=code, message=message):
                raise RemoteOAIError(code, message, url)

    def _count(self, outcome: ingest.Outcome, tally: _Tally, url: str) -> None:
        tally.counts[outcome.change] += 1
        for note in outcome.notes:
            tally.notes[ingest.note_kind(note)] += 1
        if outcome.change == ingest.FAILED:
            tally.errors.append({"kind": "record", "message": "; ".join(r.message for r in outcome.reasons),
                                 "identifier": outcome.identifier, "url": url})
