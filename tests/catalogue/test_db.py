"""catalogue/db.py: how a new SQLite catalogue is laid out."""
from __future__ import annotations

from pathlib import Path

from catalogue import migrate
from catalogue.db import SQLITE_PAGE_SIZE, Database


def test_new_sqlite_catalogue_uses_pages_that_hold_a_whole_stored_record(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'new.db'}")
    try:
        migrate.upgrade(database)
        with database.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA page_size").scalar_one() == SQLITE_PAGE_SIZE == 16_384
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    finally:
        database.dispose()
