"""Fixtures for the web package: an instance folder with a catalogue, the CLI runner, the app."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogue import migrate, records
from catalogue.db import Database
from metadata import xmlsafe
from tests.support.records import generate_record, record_id


@pytest.fixture
def instance_folder(tmp_path: Path) -> Path:
    """An empty instance folder of its own for each test."""
    folder = tmp_path / "instance"
    folder.mkdir()
    return folder


@pytest.fixture
def catalogue(instance_folder: Path) -> Iterator[Database]:
    """The instance's embedded catalogue, created and empty."""
    database = Database(f"sqlite:///{instance_folder / 'lectern.sqlite'}")
    migrate.upgrade(database)
    yield database
    database.dispose()


@pytest.fixture
def runner() -> CliRunner:
    """Click's runner; stdout and stderr are kept apart (`result.stdout`, `result.stderr`)."""
    return CliRunner()


def store_samples(database: Database, count: int, *, deleted: Iterable[int] = ()) -> list[str]:
    """Store sample records 0..count-1 under their sample identifiers, then delete the `deleted` ones."""
    local_ids = [record_id(index) for index in range(count)]
    with database.writing() as session:
        for index, local_id in enumerate(local_ids):
            records.store(session, xmlsafe.fromstring(generate_record(index)), local_id)
        for index in deleted:
            records.delete(session, local_ids[index])
    return local_ids
