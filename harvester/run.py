"""One harvest of one source: Identify, choose the format, walk each list, record the run.

The order of a run: take the source's lease; continue the source's unfinished run if its process
died, else start one; Identify (granularity, deletedRecord, earliestDatestamp, and the responseDate
that will start the next incremental harvest); ListMetadataFormats (IEEE LOM, else a legacy LOM
binding, else `oai_dc`); then one ListRecords per configured set (or one for the whole repository),
each from its checkpoint when one is left, else from the window after the last successful harvest.
A source that keeps no deletions (`deletedRecord` no or transient) gets a full refresh every
`refresh_every`: ListIdentifiers over the same sets, and whatever the source no longer lists becomes
a tombstone. Only when every list is complete does the source's incremental start move on and are
the checkpoints dropped.

How a run ends: `succeeded`; `rescheduled` when the partner asks us to come back later than we wait
(the next due time is then the partner's); `interrupted` on request (the checkpoints stand); `failed`
with the error and its request URL. A run killed outright stays `running` until the next run, which
continues it, and counts as one run however often it was resumed.
"""
from __future__ import annotations

import logging
import threading
from contextlib import closing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from catalogue import harvested, leases, runs, sources
from catalogue.db import Database
from catalogue.runs import Position, RunInfo
from catalogue.sources import SourceConfig
from metadata.datestamps import utcnow
from metadata.errors import NotWellFormedError, UnsafeXMLError
from metadata.profiles import Profile

from . import events, ingest, timetable, windows
from .errors import HarvestError, NotOAIResponse, RemoteOAIError, RetryLater
from .formats import choose_format
from .lists import IDENTIFIERS, RECORDS, Interrupted, RunLog, Walker, list_key, set_of
from .workers import Workers
from .workers import default_count as default_workers

logger = logging.getLogger(__name__)

KEEPS_NO_DELETIONS = frozenset({"no", "transient"})
FAILURES = (HarvestError, UnsafeXMLError, NotWellFormedError)
"""What ends a run as failed; anything else is a defect and propagates (the next run resumes)."""


@dataclass(frozen=True)
class Options:
    """How a run behaves; the defaults are the settings' defaults."""

    full: bool = False
    """Harvest everything again (no `from`), ignoring checkpoints and the last harvest."""
    refresh_every: timedelta = timedelta(days=7)
    max_pages: int = 1_000_000
    max_empty_pages: int = 20
    max_record_bytes: int = events.MAX_RECORD_BYTES
    token_restarts: int = 3
    lease_ttl: timedelta = leases.DEFAULT_TTL
    workers: int = field(default_factory=default_workers)
    """Worker processes checking pages (`harvester.workers`); 0 checks them in the harvesting process."""

    def __post_init__(self) -> None:
        if self.workers < 0:
            raise ValueError(f"harvest_workers must be 0 or more, not {self.workers}")


class Fetcher(Protocol):
    """What a run needs of `harvester.http.Fetcher`: one request → a page with `url` and `body`."""

    def fetch(self, base_url: str, params: Mapping[str, str]) -> Any:
        """The response to one request (`harvester.http.Page`)."""


def harvest(database: Database, name: str, fetcher: Fetcher, options: Options = Options(), *,
            clock: Callable[[], datetime] = utcnow, stop: threading.Event | None = None,
            on_page: Callable[[int], None] | None = None) -> RunInfo | None:
    """Harvest the source `name` now; None when another process is harvesting it (`NotFound` if unknown)."""
    with database.reading() as session:
        source = sources.get(session, name)
    with leases.held(database, source.id, ttl=options.lease_ttl, now=clock()) as lease:
        if lease is None:
            return None
        with database.reading() as session:
            source = sources.by_id(session, source.id)
        return Harvest(database, source, fetcher, lease, options, clock, stop, on_page).run()


class Harvest:
    """One run of one source, under its lease."""

    def __init__(self, database: Database, source: SourceConfig, fetcher: Fetcher, lease: leases.Lease,
                 options: Options, clock: Callable[[], datetime], stop: threading.Event | None = None,
                 on_page: Callable[[int], None] | None = None, due: datetime | None = None) -> None:
        self.database, self.source, self.fetcher, self.lease = database, source, fetcher, lease
        self.options, self.clock, self.stop, self.on_page, self.due = options, clock, stop, on_page, due
        self.run_id = 0
        self.url = source.base_url
        self.log = RunLog(logger, {"source": source.name, "run_id": None})

    def run(self) -> RunInfo:
        """Do the harvest and record how it ended; returns the run as recorded."""
        with self.database.writing() as session:
            self.run_id, resumed = runs.begin(session, self.source.id, now=self.clock(), due=self.due)
        self.log = RunLog(logger, {"source": self.source.name, "run_id": self.run_id})
        self.log.info("harvest of %s (%s) %s", self.source.name, self.source.base_url,
                      "resumed" if resumed else "started", extra={"url": self.source.base_url})
        try:
            self._harvest()
        except RetryLater as error:
            return self._end(runs.RESCHEDULED, error, self.clock() + timedelta(seconds=error.seconds))
        except Interrupted as error:
            return self._end(runs.INTERRUPTED, error, self.source.next_due)
        except FAILURES as error:
            return self._end(runs.FAILED, error, self._next_due())
        return self._end(runs.SUCCEEDED, None, self._next_due())

    def _next_due(self) -> datetime | None:
        return timetable.next_due(self.source.every_seconds, self.source.cron, after=self.clock(),
                                  previous=self.source.next_due)

    # -- requests ---------------------------------------------------------------------------------

    def _request(self, verb: str, **arguments: str | None) -> Any:
        """The page answering one request (its body downloaded whole; close it when done)."""
        self.url = self.source.base_url
        page = self.fetcher.fetch(self.source.base_url, events.arguments(verb, **arguments))
        self.url = page.url
        return page

    def _fetch_list(self, verb: str, position: Position) -> Any:
        if position.token:
            return self._request(verb, resumption_token=position.token)
        return self._request(verb, metadata_prefix=position.metadata_prefix, from_date=position.from_date,
                             until_date=position.until_date, set_spec=set_of(position))

    def _ask(self, verb: str, **arguments: str | None) -> list[events.Event]:
        """A small response (Identify, ListMetadataFormats) as its events; an OAI error raises."""
        with closing(self._request(verb, **arguments)) as page:
            found = list(events.parse(page.body, url=page.url))
        for event in found:
            if isinstance(event, events.ErrorEvent):
                raise RemoteOAIError(event.code, event.message, self.url)
        return found

    # -- the harvest ------------------------------------------------------------------------------

    def _identify(self) -> tuple[events.IdentifyInfo, str | None]:
        found = self._ask("Identify")
        info = next((event for event in found if isinstance(event, events.IdentifyInfo)), None)
        if info is None:
            raise NotOAIResponse("Identify answered without an Identify element", self.url)
        response = next((event.value for event in found if isinstance(event, events.ResponseDate)), None)
        with self.database.writing() as session:
            sources.learn(session, self.source.id, granularity=info.granularity,
                          deleted_record=info.deleted_record, earliest_datestamp=info.earliest_datestamp)
        return info, response

    def _harvest(self) -> None:
        info, response_date = self._identify()
        formats = [event for event in self._ask("ListMetadataFormats") if isinstance(event, events.MetadataFormat)]
        chosen = choose_format(formats, self.source.prefix, self.url)
        with self.database.writing() as session:
            runs.note_start(session, self.run_id, metadata_prefix=chosen.prefix, response_date=response_date)
            if self.options.full:
                runs.clear_checkpoints(session, self.source.id)
                harvested.forget_seen(session, self.source.id)
            left = runs.positions(session, self.source.id)
        refreshed = self._refresh_due(info, left)
        with Workers(self.options.workers) as workers:
            self._walk_lists(info, chosen.prefix, left, refreshed, self._walker(workers))
        self._succeed(response_date, refreshed)

    def _walk_lists(self, info: events.IdentifyInfo, prefix: str, left: dict[str, Position], refreshed: bool,
                    walker: Walker) -> None:
        """The records lists, then, for a full refresh, the identifiers lists."""
        window = windows.next_window(None if self.options.full else self.source.last_response_date,
                                     info.granularity, info.earliest_datestamp or None)
        for position in self._plan(RECORDS, prefix, window, left):
            walker.walk(position)
        if refreshed:
            for position in self._plan(IDENTIFIERS, prefix, windows.Window(None, None), left):
                walker.walk(position)

    def _walker(self, workers: Workers) -> Walker:
        target = ingest.Target(self.source.id, self.source.name, self.source.base_url, Profile.load(self.source.profile),
                               ingest.POLICY_STATUS[self.source.policy], self.run_id)
        return Walker(self.database, self._fetch_list, target, self.lease, self.clock, self.options.max_pages,
                      self.options.max_empty_pages, self.options.max_record_bytes, self.options.token_restarts,
                      workers, self.stop, self.on_page, self.log)

    def _plan(self, verb: str, prefix: str, window: windows.Window, left: dict[str, Position]) -> Iterable[Position]:
        """The lists of one verb still to walk: checkpointed ones where they stopped, the others afresh."""
        for set_spec in self.source.set_specs or (None,):
            key = list_key(verb, set_spec)
            yield left.get(key) or Position(key, prefix, window.from_date, window.until_date, None)

    def _refresh_due(self, info: events.IdentifyInfo, left: dict[str, Position]) -> bool:
        """Whether this run compares identifier sets (see the module docstring)."""
        if any(key.startswith(IDENTIFIERS) for key in left):
            return True
        if info.deleted_record not in KEEPS_NO_DELETIONS or self.source.last_response_date is None:
            return False
        last = self.source.last_full_refresh
        return self.options.full or last is None or self.clock() - last >= self.options.refresh_every

    def _succeed(self, response_date: str | None, refreshed: bool) -> None:
        now = self.clock()
        with self.database.writing() as session:
            started = [p.began for p in runs.positions(session, self.source.id).values() if p.began]
            first = runs.get(session, self.run_id).response_date or response_date
            if refreshed:
                gone = harvested.tombstone_unseen(session, self.source.id, now=now)
                runs.add_counts(session, self.run_id, {"deleted": gone})
            first_harvest = self.source.last_response_date is None
            sources.succeeded(session, self.source.id, min([*started, *([first] if first else [])], default=None),
                              full_refresh=now if refreshed or first_harvest else None)
            runs.clear_checkpoints(session, self.source.id)

    def _end(self, status: str, error: BaseException | None, next_due: datetime | None) -> RunInfo:
        now = self.clock()
        with self.database.writing() as session:
            if error is not None:
                runs.add_error(session, self.run_id, describe(error, self.url))
            runs.finish(session, self.run_id, status, now=now, next_due=next_due)
            sources.schedule(session, self.source.id, next_due)
            info = runs.get(session, self.run_id)
        level = logging.INFO if status == runs.SUCCEEDED else logging.WARNING
        self.log.log(level, "harvest of %s %s%s", self.source.name, status, f": {error}" if error else "",
                     extra={"url": self.url})
        return info


def describe(error: BaseException, url: str) -> dict[str, object]:
    """An error as the run records it: what kind, what it says, and the request it came from."""
    kind = type(error).__name__
    if isinstance(error, RemoteOAIError):
        kind = f"{kind} {error.code}"
    rule = getattr(error, "rule", None)
    return {"kind": f"{kind} {rule}" if rule else kind, "message": str(error),
            "url": getattr(error, "url", None) or url}

