"""`catalogue.runs`: runs that survive their process, counters and checkpoints written with the pages."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from catalogue import runs, sources
from catalogue.db import Database
from catalogue.errors import NotFound
from catalogue.runs import Position
from catalogue.sources import SourceConfig

NOW = datetime(2025, 6, 1, 12, 0, 0)


@pytest.fixture
def source(catalogue: Database) -> SourceConfig:
    with catalogue.writing() as session:
        return sources.add(session, "edu", "http://partner.example.org/oai", now=NOW)


def _begin(catalogue: Database, source: SourceConfig) -> tuple[int, bool]:
    with catalogue.writing() as session:
        return runs.begin(session, source.id, now=NOW, due=NOW)


def test_a_new_run_starts_running_with_zero_counts(catalogue: Database, source: SourceConfig) -> None:
    run_id, resumed = _begin(catalogue, source)
    with catalogue.reading() as session:
        info = runs.get(session, run_id)
    assert (resumed, info.status, info.source, info.due) == (False, "running", "edu", NOW)
    assert set(info.counts.values()) == {0}


def test_an_unfinished_run_is_continued_not_started_again(catalogue: Database, source: SourceConfig) -> None:
    first, _ = _begin(catalogue, source)
    second, resumed = _begin(catalogue, source)
    with catalogue.reading() as session:
        assert (second, resumed, runs.get(session, first).resumed) == (first, True, 1)


def test_a_finished_run_is_not_continued(catalogue: Database, source: SourceConfig) -> None:
    first, _ = _begin(catalogue, source)
    with catalogue.writing() as session:
        runs.finish(session, first, runs.FAILED, now=NOW, next_due=None)
    second, resumed = _begin(catalogue, source)
    assert second != first and not resumed


def test_counters_alterations_and_errors_add_up(catalogue: Database, source: SourceConfig) -> None:
    run_id, _ = _begin(catalogue, source)
    with catalogue.writing() as session:
        runs.add_counts(session, run_id, {"pages": 1, "new": 3, "quarantined": 1})
        runs.add_counts(session, run_id, {"pages": 1, "new": 2, "deleted": 1})
        runs.add_alterations(session, run_id, {"renamed x": 2})
        runs.add_alterations(session, run_id, {"renamed x": 1, "dropped y": 1})
        runs.add_error(session, run_id, {"kind": "TransportError", "url": "http://p/oai?verb=Identify"})
    with catalogue.reading() as session:
        info = runs.get(session, run_id)
    assert {k: v for k, v in info.counts.items() if v} == {"pages": 2, "new": 5, "quarantined": 1, "deleted": 1}
    assert info.alterations == {"renamed x": 3, "dropped y": 1}
    assert info.errors == ({"kind": "TransportError", "url": "http://p/oai?verb=Identify"},)


def test_errors_kept_per_run_are_bounded(catalogue: Database, source: SourceConfig) -> None:
    run_id, _ = _begin(catalogue, source)
    with catalogue.writing() as session:
        for number in range(runs.MAX_ERRORS + 5):
            runs.add_error(session, run_id, {"kind": "record", "identifier": str(number)})
    with catalogue.reading() as session:
        assert len(runs.get(session, run_id).errors) == runs.MAX_ERRORS


def test_note_start_keeps_the_first_response_date(catalogue: Database, source: SourceConfig) -> None:
    run_id, _ = _begin(catalogue, source)
    with catalogue.writing() as session:
        runs.note_start(session, run_id, metadata_prefix="lom", response_date="2025-06-01T12:00:00Z")
        runs.note_start(session, run_id, metadata_prefix="lom", response_date="2025-06-01T13:00:00Z")
    with catalogue.reading() as session:
        assert runs.get(session, run_id).response_date == "2025-06-01T12:00:00Z"


def test_a_checkpoint_is_overwritten_per_list_and_cleared_with_the_harvest(catalogue: Database,
                                                                          source: SourceConfig) -> None:
    run_id, _ = _begin(catalogue, source)
    first = Position("ListRecords:a", "lom", "2025-01-01", None, "2025-06-01T12:00:00Z", "t1", 1)
    with catalogue.writing() as session:
        runs.save_checkpoint(session, source.id, run_id, first, now=NOW)
        runs.save_checkpoint(session, source.id, run_id, Position("ListRecords:b", "lom", None, None, None), now=NOW)
        runs.save_checkpoint(session, source.id, run_id, Position(**{**vars(first), "token": "t2", "pages": 2}), now=NOW)
    with catalogue.reading() as session:
        left = runs.positions(session, source.id)
    assert sorted(left) == ["ListRecords:a", "ListRecords:b"]
    assert (left["ListRecords:a"].token, left["ListRecords:a"].pages, left["ListRecords:a"].began) == (
        "t2", 2, "2025-06-01T12:00:00Z")
    with catalogue.writing() as session:
        runs.clear_checkpoints(session, source.id)
    with catalogue.reading() as session:
        assert runs.positions(session, source.id) == {}


def test_history_is_newest_first_and_per_source(catalogue: Database, source: SourceConfig) -> None:
    with catalogue.writing() as session:
        other = sources.add(session, "other", "http://other.example.org/oai", now=NOW)
    ids = []
    for owner in (source, other, source):
        run_id, _ = _begin(catalogue, owner)
        ids.append(run_id)
        with catalogue.writing() as session:
            runs.finish(session, run_id, runs.SUCCEEDED, now=NOW + timedelta(seconds=1), next_due=None)
    with catalogue.reading() as session:
        assert [run.id for run in runs.history(session, "edu")] == [ids[2], ids[0]]
        assert [run.id for run in runs.history(session, limit=2)] == [ids[2], ids[1]]
        with pytest.raises(NotFound):
            runs.get(session, 999)
