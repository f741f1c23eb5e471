"""catalogue/listing.py: how the read path uses the database."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from catalogue import listing, migrate
from catalogue.db import Database


@pytest.fixture
def sqlite_catalogue(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'plan.db'}")
    migrate.upgrade(database)
    yield database
    database.dispose()


def _query_plan(database: Database, run) -> str:  # type: ignore[no-untyped-def]
    """SQLite's plan for the one SELECT that `run(session)` sends."""
    sent: list[tuple[str, tuple]] = []

    def capture(_connection, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, tuple(parameters)))

    event.listen(database.engine, "before_cursor_execute", capture)
    try:
        with database.reading() as session:
            run(session)
            (statement, parameters), = sent
            rows = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            return " | ".join(str(row[-1]) for row in rows)
    finally:
        event.remove(database.engine, "before_cursor_execute", capture)


def test_counting_a_whole_list_reads_only_an_index(sqlite_catalogue: Database) -> None:
    """completeListSize of a full harvest must not read every stored record (a million of them)."""
    plan = _query_plan(sqlite_catalogue, lambda session: listing.count(session, listing.Selection()))
    assert "COVERING INDEX ix_items_exposed_seq" in plan, plan


def test_a_list_page_is_a_range_scan_in_change_order(sqlite_catalogue: Database) -> None:
    """Keyset paging: page 5,000 starts at its key in an index and sorts nothing."""
    plan = _query_plan(sqlite_catalogue, lambda session: listing.page(session, listing.Selection(), 10, 200, "lom"))
    assert "seq>?" in plan and "TEMP B-TREE" not in plan and "SCAN" not in plan, plan
