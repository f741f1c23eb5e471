"""What a run did, for the person who reads it (text), for scripts (JSON), and live on a terminal.

A report is built from what the catalogue recorded (`catalogue.runs.RunInfo` and the run's
quarantined records), never from the harvester's memory, so a run that was killed and resumed
reports every page it stored, and `lectern harvest status` can print any past run the same way.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import IO, Any

from catalogue.harvested import QuarantineRow
from catalogue.runs import COUNTERS, RunInfo
from metadata.datestamps import format_datestamp

RECORD_COUNTERS = ("new", "updated", "unchanged", "deleted", "quarantined", "failed")


def _when(moment: datetime | None) -> str | None:
    return format_datestamp(moment) if moment is not None else None


def _duration(run: RunInfo) -> str:
    if run.finished is None:
        return "still running (or killed; the next run resumes it)"
    return f"in {(run.finished - run.started).total_seconds():.0f} s"


def as_text(run: RunInfo, quarantined: Iterable[QuarantineRow] = ()) -> str:
    """The report a person reads: outcome, counters, alterations, errors with URLs, quarantined records."""
    counts = run.counts
    lines = [
        f"harvest of {run.source} (run {run.id}): {run.status} {_duration(run)}"
        + (f", resumed {run.resumed}×" if run.resumed else "")
        + (f", format {run.metadata_prefix}" if run.metadata_prefix else ""),
        "  " + ", ".join(f"{counts[name]} {name}" for name in RECORD_COUNTERS) + f" in {counts['pages']} pages",
    ]
    if run.next_due is not None:
        lines.append(f"  next due {format_datestamp(run.next_due)}")
    if run.alterations:
        lines.append("  normalised (records affected):")
        lines += [f"    {count:>6}  {note}" for note, count in sorted(run.alterations.items(), key=lambda i: -i[1])]
    if run.errors:
        lines.append("  errors:")
        lines += [f"    {_error_line(error)}" for error in run.errors]
    rows = list(quarantined)
    if rows:
        lines.append(f"  quarantined ({len(rows)}; kept, not published):")
        for row in rows:
            lines.append(f"    {row.identifier} ({row.datestamp or 'no datestamp'})")
            lines += [f"      {reason.path or 'record'}: {reason.message} [{reason.rule}]" for reason in row.reasons]
    return "\n".join(lines)


def _error_line(error: Mapping[str, object]) -> str:
    parts = [f"{error.get('kind', 'error')}: {error.get('message', '')}"]
    if error.get("identifier"):
        parts.append(f"record {error['identifier']}")
    if error.get("url"):
        parts.append(f"at {error['url']}")
    return " — ".join(parts)


def as_json(run: RunInfo, quarantined: Iterable[QuarantineRow] = ()) -> dict[str, Any]:
    """The same report as a JSON-ready mapping (datestamps in ISO 8601 UTC)."""
    return {
        "run": run.id, "source": run.source, "status": run.status, "started": _when(run.started),
        "finished": _when(run.finished), "due": _when(run.due), "next_due": _when(run.next_due),
        "metadata_prefix": run.metadata_prefix, "response_date": run.response_date, "resumed": run.resumed,
        "counts": {name: run.counts[name] for name in COUNTERS}, "alterations": dict(run.alterations),
        "errors": [dict(error) for error in run.errors],
        "quarantined": [
            {"identifier": row.identifier, "datestamp": row.datestamp,
             "reasons": [vars(reason) for reason in row.reasons]}
            for row in quarantined
        ],
    }


def history_line(run: RunInfo) -> str:
    """One TSV line of `lectern harvest status NAME`."""
    fields = [str(run.id), run.source, _when(run.started) or "", _when(run.finished) or "", run.status,
              *(str(run.counts[name]) for name in COUNTERS), str(len(run.errors))]
    return "\t".join(fields)


HISTORY_HEADER = "#run\tsource\tstarted\tfinished\tstatus\t" + "\t".join(COUNTERS) + "\terrors"


class Progress:
    """A one-line progress display with records per second, redrawn at most `every` seconds.

    The caller decides whether to show it (on a terminal only); `clock` is injectable for tests.
    """

    def __init__(self, stream: IO[str], label: str, *, every: float = 0.2,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream, self.label, self.every, self.clock = stream, label, every, clock
        self.started = clock()
        self.shown_at: float | None = None
        self.records = self.pages = 0

    def line(self, now: float) -> str:
        """What the display shows at `now` (a reading of `clock`)."""
        elapsed = max(now - self.started, 1e-9)
        return f"{self.label}: {self.records} records, {self.pages} pages, {self.records / elapsed:.0f} records/s"

    def advance(self, records: int, pages: int = 1) -> None:
        """Count a stored page and redraw if the last drawing is old enough."""
        self.records += records
        self.pages += pages
        now = self.clock()
        if self.shown_at is None or now - self.shown_at >= self.every:
            self.shown_at = now
            self.stream.write("\r" + self.line(now))
            self.stream.flush()

    def close(self) -> None:
        """End the display with its final figures on a line of its own."""
        self.stream.write("\r" + self.line(self.clock()) + "\n")
        self.stream.flush()
