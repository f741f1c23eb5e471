"""Which sources are due, and running each once per due time, from any number of schedulers.

A scheduler polls for due sources (`catalogue.sources.due`), takes a source's lease, and only then
reads the source again: if its due time has moved on, another scheduler ran it in the meantime and
this one lets it be. The run writes the next due time before the lease is given back, so two
schedulers sharing one PostgreSQL (or one SQLite file) can never both run the same due time, and
never run one source twice at once. A run that was killed keeps its due time, so the next scheduler
to look resumes it at once.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from catalogue import leases, sources
from catalogue.db import Database
from catalogue.errors import NotFound
from catalogue.runs import RunInfo
from metadata.datestamps import utcnow

from .run import Fetcher, Harvest, Options

logger = logging.getLogger(__name__)

DEFAULT_POLL_SECONDS = 60.0


def run_if_due(database: Database, source_id: int, fetcher: Fetcher, options: Options = Options(), *,
               clock: Callable[[], datetime] = utcnow, stop: threading.Event | None = None,
               on_page: Callable[[int], None] | None = None) -> RunInfo | None:
    """Run the source if it is still due once its lease is held; None if busy or no longer due."""
    lease = leases.acquire(database, source_id, ttl=options.lease_ttl, now=clock())
    if lease is None:
        return None
    try:
        with database.reading() as session:
            source = sources.by_id(session, source_id)
        if source.next_due is None or source.next_due > clock():
            return None
        return Harvest(database, source, fetcher, lease, options, clock, stop, on_page, due=source.next_due).run()
    except NotFound:
        return None  # removed while we waited for it
    finally:
        leases.release(database, lease)


def run_due(database: Database, fetcher: Fetcher, options: Options = Options(), *,
            clock: Callable[[], datetime] = utcnow, stop: threading.Event | None = None) -> list[RunInfo]:
    """Run every source that is due now, longest waiting first; returns the runs this call made."""
    with database.reading() as session:
        due = sources.due(session, clock())
    done = []
    for source in due:
        if stop is not None and stop.is_set():
            break
        ran = run_if_due(database, source.id, fetcher, options, clock=clock, stop=stop)
        if ran is not None:
            done.append(ran)
    return done


def serve(database: Database, fetcher: Fetcher, options: Options = Options(), *, stop: threading.Event,
          poll_seconds: float = DEFAULT_POLL_SECONDS, clock: Callable[[], datetime] = utcnow) -> int:
    """Run due sources until `stop` is set (SIGTERM, SIGINT); returns how many runs were made.

    A run in progress when `stop` is set ends after its current page, as `interrupted`, with its
    checkpoints kept. A defect in one source's run is logged and does not stop the others.
    """
    made = 0
    logger.info("scheduler started, polling every %s s", poll_seconds)
    while not stop.is_set():
        try:
            made += len(run_due(database, fetcher, options, clock=clock, stop=stop))
        except Exception:  # noqa: BLE001 - the scheduler outlives any one run's defect; it is logged in full
            logger.exception("a scheduled harvest failed unexpectedly; the scheduler carries on")
        stop.wait(poll_seconds)
    logger.info("scheduler stopped after %d runs", made)
    return made
