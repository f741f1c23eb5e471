"""`lectern collection ...` through click's runner against a test catalogue."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from click.testing import CliRunner, Result

from catalogue import records
from catalogue.db import Database
from metadata.samples import record_id
from tests.support.catalogue import store_samples
from web.cli import main

NOW = datetime(2025, 1, 2, 3, 4, 5)


def _run(runner: CliRunner, folder: Path, catalogue: Database, *args: str) -> Result:
    return runner.invoke(main, [*args, "--instance", str(folder), "--database", catalogue.url])


def _sets(catalogue: Database, index: int) -> list[str]:
    with catalogue.reading() as session:
        return records.find(session, record_id(index)).set_specs.split()


def test_create_add_and_remove_records_of_a_collection(runner: CliRunner, instance_folder: Path,
                                                       catalogue: Database) -> None:
    store_samples(catalogue, range(2), now=NOW)
    created = _run(runner, instance_folder, catalogue, "collection", "create", "Climate week")
    assert created.exit_code == 0, created.output
    assert created.stdout == "collection:climate-week\n"
    added = _run(runner, instance_folder, catalogue, "collection", "add", "collection:climate-week",
                 record_id(0), f"oai:lectern.local:{record_id(1)}")
    assert added.exit_code == 0, added.output
    assert added.stdout.splitlines() == [f"{record_id(0)}\tadded", f"{record_id(1)}\tadded"]
    assert "collection:climate-week" in _sets(catalogue, 1)
    removed = _run(runner, instance_folder, catalogue, "collection", "remove", "collection:climate-week", record_id(1))
    assert removed.stdout.splitlines() == [f"{record_id(1)}\tremoved"]
    assert "collection:climate-week" not in _sets(catalogue, 1)


def test_an_unknown_record_changes_nothing_and_exits_1(runner: CliRunner, instance_folder: Path,
                                                       catalogue: Database) -> None:
    store_samples(catalogue, range(1), now=NOW)
    _run(runner, instance_folder, catalogue, "collection", "create", "Picks")
    result = _run(runner, instance_folder, catalogue, "collection", "add", "collection:picks", record_id(0), "nope")
    assert result.exit_code == 1
    assert "no record with identifier 'nope'. Nothing was changed." in result.stderr
    assert "collection:picks" not in _sets(catalogue, 0)
