"""Harvest runs and their checkpoints.

A run's counters and a list's checkpoint are written in the transaction that stores the page they
describe (`add_counts`, `save_checkpoint` take the caller's session), so after a crash the
catalogue, the counters and the position agree: the next run continues the unfinished run where
its last committed page ended, and nothing is stored twice or lost.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete as delete_rows
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .errors import NotFound
from .models import Checkpoint, Run, Source

RUNNING, SUCCEEDED, FAILED, RESCHEDULED, INTERRUPTED = "running", "succeeded", "failed", "rescheduled", "interrupted"
COUNTERS = ("pages", "new", "updated", "unchanged", "deleted", "quarantined", "failed")
"""What a run counts; `failed` are records that could not be read or stored at all."""
MAX_ERRORS = 200
"""Errors kept per run: enough to diagnose, bounded when a partner sends thousands of bad records."""


@dataclass(frozen=True)
class RunInfo:
    """A run as `lectern harvest status` and the report show it."""

    id: int
    source: str
    started: datetime
    finished: datetime | None
    status: str
    metadata_prefix: str | None
    response_date: str | None
    counts: Mapping[str, int]
    resumed: int
    errors: tuple[Mapping[str, object], ...]
    alterations: Mapping[str, int]
    due: datetime | None = None
    next_due: datetime | None = None


@dataclass(frozen=True)
class Position:
    """Where one list of a harvest stands (see `models.Checkpoint`)."""

    list_key: str
    metadata_prefix: str
    from_date: str | None
    until_date: str | None
    began: str | None
    token: str = ""
    pages: int = 0
    done: bool = False


def _info(run: Run, source: str) -> RunInfo:
    counts = {name: getattr(run, name) for name in COUNTERS}
    return RunInfo(run.id, source, run.started, run.finished, run.status, run.metadata_prefix,
                   run.response_date, counts, run.resumed, tuple(json.loads(run.errors)),
                   json.loads(run.alterations), run.due, run.next_due)


def begin(session: Session, source_id: int, *, now: datetime, due: datetime | None = None) -> tuple[int, bool]:
    """The run to work in: the source's unfinished run if there is one (its process died), else a new one.

    Returns (run id, resumed). Call it holding the source's lease, so an unfinished run is a dead one.
    """
    unfinished = session.execute(
        select(Run).where(Run.source_id == source_id, Run.status == RUNNING).order_by(Run.id.desc()).limit(1)
    ).scalar_one_or_none()
    if unfinished is not None:
        unfinished.resumed += 1
        return unfinished.id, True
    run = Run(source_id=source_id, started=now, due=due, status=RUNNING, errors="[]", alterations="{}",
              **{name: 0 for name in COUNTERS}, resumed=0)
    session.add(run)
    session.flush()
    return run.id, False


def note_start(session: Session, run_id: int, *, metadata_prefix: str, response_date: str | None) -> None:
    """Record the chosen format and, once only, the responseDate of the run's first request."""
    run = session.get(Run, run_id)
    run.metadata_prefix = metadata_prefix
    run.response_date = run.response_date or response_date


def add_counts(session: Session, run_id: int, counts: Mapping[str, int]) -> None:
    """Add page counters to the run, in the caller's (page) transaction."""
    values = {name: getattr(Run, name) + amount for name, amount in counts.items() if amount and name in COUNTERS}
    if values:
        session.execute(update(Run).where(Run.id == run_id).values(**values))


def add_alterations(session: Session, run_id: int, notes: Mapping[str, int]) -> None:
    """Add what normalising changed in a page's records (note → records) to the run's tally."""
    if not notes:
        return
    run = session.get(Run, run_id)
    tally = json.loads(run.alterations)
    for note, count in notes.items():
        tally[note] = tally.get(note, 0) + count
    run.alterations = json.dumps(tally, ensure_ascii=False)


def add_error(session: Session, run_id: int, error: Mapping[str, object]) -> None:
    """Keep one error (kind, message, request URL, record identifier) with the run, up to `MAX_ERRORS`."""
    run = session.get(Run, run_id)
    kept = json.loads(run.errors)
    if len(kept) < MAX_ERRORS:
        run.errors = json.dumps([*kept, dict(error)], ensure_ascii=False, default=str)


def finish(session: Session, run_id: int, status: str, *, now: datetime, next_due: datetime | None) -> None:
    """Close the run with its outcome and the source's next due time."""
    session.execute(update(Run).where(Run.id == run_id).values(status=status, finished=now, next_due=next_due))


def get(session: Session, run_id: int) -> RunInfo:
    """One run, or `NotFound`."""
    found = session.execute(select(Run, Source.name).join(Source).where(Run.id == run_id)).first()
    if found is None:
        raise NotFound(f"no harvest run {run_id}")
    return _info(*found)


def history(session: Session, source_name: str | None = None, limit: int = 20) -> list[RunInfo]:
    """The latest runs, newest first, of one source or of all."""
    query = select(Run, Source.name).join(Source)
    if source_name is not None:
        query = query.where(Source.name == source_name)
    return [_info(run, name) for run, name in session.execute(query.order_by(Run.id.desc()).limit(limit))]


def positions(session: Session, source_id: int) -> dict[str, Position]:
    """The source's checkpoints by list key (left by an unfinished harvest)."""
    rows = session.execute(select(Checkpoint).where(Checkpoint.source_id == source_id)).scalars()
    return {
        row.list_key: Position(row.list_key, row.metadata_prefix, row.from_date, row.until_date, row.began,
                               row.token, row.pages, row.done)
        for row in rows
    }


def save_checkpoint(session: Session, source_id: int, run_id: int, position: Position, *, now: datetime) -> None:
    """Write where a list stands, in the transaction that stored its page."""
    row = session.get(Checkpoint, (source_id, position.list_key))
    if row is None:
        row = Checkpoint(source_id=source_id, list_key=position.list_key)
        session.add(row)
    row.run_id, row.metadata_prefix, row.updated = run_id, position.metadata_prefix, now
    row.from_date, row.until_date, row.began = position.from_date, position.until_date, position.began
    row.token, row.pages, row.done = position.token, position.pages, position.done


def clear_checkpoints(session: Session, source_id: int) -> None:
    """Forget every position of the source: its harvest completed (or starts from scratch)."""
    session.execute(delete_rows(Checkpoint).where(Checkpoint.source_id == source_id))
