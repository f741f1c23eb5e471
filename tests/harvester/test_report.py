"""`harvester.report`: a run told as text, as JSON, as a history line, and live on a terminal."""
from __future__ import annotations

import io
import json
from datetime import datetime

from catalogue.harvested import QuarantineRow, Reason
from catalogue.runs import RunInfo
from harvester import report

STARTED = datetime(2025, 3, 1, 9, 0, 0)
RUN = RunInfo(
    7, "edurep", STARTED, datetime(2025, 3, 1, 9, 0, 42), "failed", "lom", "2025-03-01T09:00:00Z",
    {"pages": 3, "new": 10, "updated": 1, "unchanged": 0, "deleted": 2, "quarantined": 1, "failed": 1}, 1,
    ({"kind": "TransportError", "message": "503 after 5 retries", "url": "http://p.org/oai?verb=ListRecords"},
     {"kind": "RecordTooLarge", "message": "too large", "identifier": "oai:p:9", "url": "http://p.org/oai?x"}),
    {"renamed langstring to string": 4}, next_due=datetime(2025, 3, 1, 15, 0),
)
QUARANTINED = [QuarantineRow("edurep", "oai:p:3", "2025-02-01", STARTED,
                             (Reason("lom/general/colour", 4, "xsd", "element 'colour' is not allowed"),), b"<lom/>")]


def test_the_text_report_names_outcome_counts_changes_errors_and_quarantine() -> None:
    text = report.as_text(RUN, QUARANTINED)
    assert text.splitlines()[0] == "harvest of edurep (run 7): failed in 42 s, resumed 1×, format lom"
    assert "10 new, 1 updated, 0 unchanged, 2 deleted, 1 quarantined, 1 failed in 3 pages" in text
    assert "next due 2025-03-01T15:00:00Z" in text
    assert "4  renamed langstring to string" in text
    assert "TransportError: 503 after 5 retries — at http://p.org/oai?verb=ListRecords" in text
    assert "RecordTooLarge: too large — record oai:p:9 — at http://p.org/oai?x" in text
    assert "oai:p:3 (2025-02-01)" in text
    assert "lom/general/colour: element 'colour' is not allowed [xsd]" in text


def test_the_json_report_carries_the_same_facts() -> None:
    data = json.loads(json.dumps(report.as_json(RUN, QUARANTINED)))
    assert (data["run"], data["status"], data["started"], data["finished"]) == (
        7, "failed", "2025-03-01T09:00:00Z", "2025-03-01T09:00:42Z")
    assert data["counts"]["new"] == 10 and data["errors"][0]["url"] == "http://p.org/oai?verb=ListRecords"
    assert data["quarantined"] == [{"identifier": "oai:p:3", "datestamp": "2025-02-01", "reasons": [
        {"path": "lom/general/colour", "line": 4, "rule": "xsd", "message": "element 'colour' is not allowed"}]}]


def test_a_history_line_has_a_column_per_header_field() -> None:
    line = report.history_line(RUN).split("\t")
    assert len(line) == len(report.HISTORY_HEADER.split("\t"))
    assert line[:5] == ["7", "edurep", "2025-03-01T09:00:00Z", "2025-03-01T09:00:42Z", "failed"]
    assert line[-1] == "2"


def test_progress_shows_records_per_second_and_redraws_sparingly() -> None:
    ticks = iter([0.0, 0.1, 0.15, 0.5, 2.0])
    stream = io.StringIO()
    progress = report.Progress(stream, "edurep", every=0.2, clock=lambda: next(ticks))
    progress.advance(100)  # t=0.1: first drawing
    progress.advance(100)  # t=0.15: too soon
    progress.advance(100)  # t=0.5: drawn
    progress.close()       # t=2.0
    drawings = stream.getvalue().split("\r")[1:]
    assert len(drawings) == 3
    assert drawings[-1] == "edurep: 300 records, 3 pages, 150 records/s\n"
