"""The catalogue commands of `lectern`, run through click's runner against a temporary instance."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalogue import migrate, summaries
from catalogue.db import Database
from tests.support.records import generate_record, record_id
from web.cli import main

from tests.support.catalogue import delete_samples, store_samples

NOW = datetime(2025, 1, 2, 3, 4, 5)


def _run(runner: CliRunner, folder: Path, *args: str, env: dict[str, str] | None = None,
         database: Database | None = None):  # type: ignore[no-untyped-def]
    """Run `lectern ARGS` against the instance `folder` and, when given, the catalogue `database`."""
    chosen = ["--database", database.url] if database is not None else []
    return runner.invoke(main, [*args, "--instance", str(folder), *chosen], env=env)


def test_init_creates_the_catalogue(runner: CliRunner, instance_folder: Path) -> None:
    result = _run(runner, instance_folder, "init")
    assert result.exit_code == 0, result.output
    database = Database(f"sqlite:///{instance_folder / 'lectern.sqlite'}")
    assert migrate.current_revision(database) is not None
    assert "catalogue ready at schema revision" in result.stderr
    assert result.stdout == ""


def test_init_run_again_keeps_the_records(runner: CliRunner, instance_folder: Path, catalogue: Database) -> None:
    store_samples(catalogue, range(2), now=NOW)
    result = _run(runner, instance_folder, "init", database=catalogue)
    assert result.exit_code == 0, result.output
    with catalogue.reading() as session:
        assert summaries.count_live(session) == 2


def test_init_uses_the_database_flag_over_the_instance_file(runner: CliRunner, instance_folder: Path,
                                                             tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.sqlite"
    result = _run(runner, instance_folder, "init", "--database", f"sqlite:///{elsewhere}")
    assert result.exit_code == 0, result.output
    assert elsewhere.is_file()
    assert not (instance_folder / "lectern.sqlite").exists()


def test_settings_prints_each_setting_with_its_origin(runner: CliRunner, instance_folder: Path) -> None:
    (instance_folder / "lectern.toml").write_text('repository_name = "Open Shelf"\n')
    result = _run(runner, instance_folder, "settings", env={"LECTERN_PAGE_SIZE": "50"})
    assert result.exit_code == 0, result.output
    header, *lines = result.stdout.splitlines()
    rows = {line.split("\t")[0]: line.split("\t")[1:] for line in lines}
    assert header == "#name\tvalue\torigin"
    assert rows["repository_name"] == ["Open Shelf", "instance file"]
    assert rows["page_size"] == ["50", "environment"]
    assert rows["retry_after_seconds"] == ["10", "default"]
    assert rows["database_url"] == [f"sqlite:///{instance_folder / 'lectern.sqlite'}", "derived from the instance folder"]


def test_settings_masks_the_secret_key(runner: CliRunner, instance_folder: Path) -> None:
    result = _run(runner, instance_folder, "settings", env={"LECTERN_SECRET_KEY": "hunter2-hunter2"})
    assert "hunter2" not in result.output
    assert "secret_key\t********\tenvironment" in result.stdout


def test_settings_with_a_bad_value_is_a_usage_error(runner: CliRunner, instance_folder: Path) -> None:
    result = _run(runner, instance_folder, "settings", env={"LECTERN_PAGE_SIZE": "lots"})
    assert result.exit_code == 2
    assert "page_size" in result.stderr


def test_records_prints_a_header_then_one_line_per_record(runner: CliRunner, instance_folder: Path,
                                                          catalogue: Database) -> None:
    store_samples(catalogue, range(3), now=NOW)
    delete_samples(catalogue, [1], now=NOW)
    local_ids = [record_id(index) for index in range(3)]
    result = _run(runner, instance_folder, "records", database=catalogue)
    assert result.exit_code == 0, result.output
    header, *lines = result.stdout.splitlines()
    assert header == "#identifier\tdatestamp\tdeleted\ttitle\tsets"
    fields = [line.split("\t") for line in lines]
    assert [row[0] for row in fields] == [f"oai:lectern.local:{local_id}" for local_id in local_ids]
    assert [row[2] for row in fields] == ["false", "true", "false"]
    assert all(len(row) == 5 for row in fields)


def test_records_line_carries_datestamp_title_and_sets(runner: CliRunner, instance_folder: Path,
                                                       catalogue: Database) -> None:
    store_samples(catalogue, range(1), now=NOW)
    with catalogue.reading() as session:
        (expected,) = summaries.every(session)
    _, line = _run(runner, instance_folder, "records", database=catalogue).stdout.splitlines()
    identifier, datestamp, deleted, title, sets = line.split("\t")
    assert datestamp == expected.datestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert title == expected.title != ""
    assert sets.split(",") == list(expected.set_specs)
    assert any(spec.startswith("lang:") for spec in sets.split(","))


def test_records_uses_the_configured_repository_identifier(runner: CliRunner, instance_folder: Path,
                                                           catalogue: Database) -> None:
    store_samples(catalogue, range(1), now=NOW)
    result = _run(runner, instance_folder, "records", env={"LECTERN_REPOSITORY_IDENTIFIER": "oer.example.org"}, database=catalogue)
    assert result.stdout.splitlines()[1].startswith("oai:oer.example.org:lectern-demo-000000\t")


def test_records_of_an_unknown_source_prints_only_the_header(runner: CliRunner, instance_folder: Path,
                                                             catalogue: Database) -> None:
    store_samples(catalogue, range(2), now=NOW)
    result = _run(runner, instance_folder, "records", "--source", "nowhere", database=catalogue)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["#identifier\tdatestamp\tdeleted\ttitle\tsets"]


@pytest.mark.parametrize("form", ["lectern-demo-000001", "oai:lectern.local:lectern-demo-000001"])
def test_delete_accepts_a_local_or_full_identifier(runner: CliRunner, instance_folder: Path,
                                                   catalogue: Database, form: str) -> None:
    store_samples(catalogue, range(2), now=NOW)
    result = _run(runner, instance_folder, "delete", form, database=catalogue)
    assert result.exit_code == 0, result.output
    with catalogue.reading() as session:
        gone = {line.local_id for line in summaries.every(session) if line.deleted}
    assert gone == {"lectern-demo-000001"}


def test_delete_of_an_unknown_identifier_exits_1_and_says_so(runner: CliRunner, instance_folder: Path,
                                                            catalogue: Database) -> None:
    result = _run(runner, instance_folder, "delete", "oai:lectern.local:nothing-here", database=catalogue)
    assert result.exit_code == 1
    assert "no record with identifier 'nothing-here'" in result.stderr
    assert "lectern records" in result.stderr


@pytest.mark.parametrize("command", ["init", "settings", "records", "delete", "serve", "import"])
def test_command_help_has_a_summary_and_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert "--database URL" in result.stdout and "--instance DIR" in result.stdout


def _sample_folder(folder: Path, count: int) -> Path:
    folder.mkdir()
    for index in range(count):
        (folder / f"{record_id(index)}.xml").write_bytes(generate_record(index))
    return folder


def test_import_prints_the_counts_and_publishes(runner: CliRunner, instance_folder: Path, catalogue: Database,
                                                tmp_path: Path) -> None:
    folder = _sample_folder(tmp_path / "in", 3)
    result = _run(runner, instance_folder, "import", str(folder), database=catalogue)
    assert result.exit_code == 0, result.output
    assert result.stdout == "#new\tupdated\tunchanged\trejected\n3\t0\t0\t0\n"
    with catalogue.reading() as session:
        assert summaries.count_live(session) == 3


def test_import_run_again_reports_everything_unchanged(runner: CliRunner, instance_folder: Path,
                                                       catalogue: Database, tmp_path: Path) -> None:
    folder = _sample_folder(tmp_path / "in", 2)
    _run(runner, instance_folder, "import", str(folder), database=catalogue)
    result = _run(runner, instance_folder, "import", str(folder), database=catalogue)
    assert result.stdout.splitlines()[1] == "0\t0\t2\t0"


def test_import_with_a_rejected_record_says_why_and_exits_1(runner: CliRunner, instance_folder: Path,
                                                            catalogue: Database, tmp_path: Path) -> None:
    folder = _sample_folder(tmp_path / "in", 2)
    (folder / "broken.xml").write_text("<lom xmlns='http://ltsc.ieee.org/xsd/LOM'>\n<general>\n</lom>\n")
    result = _run(runner, instance_folder, "import", str(folder), database=catalogue)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == "2\t0\t0\t1"
    assert f"{folder / 'broken.xml'}:3: error: document: not well-formed XML" in result.stderr


def test_import_with_an_unknown_profile_is_a_usage_error(runner: CliRunner, instance_folder: Path,
                                                         catalogue: Database, tmp_path: Path) -> None:
    folder = _sample_folder(tmp_path / "in", 1)
    result = _run(runner, instance_folder, "import", str(folder), "--profile", "gold", database=catalogue)
    assert result.exit_code == 2
    assert "no profile named 'gold'" in result.stderr and "Nothing was imported" in result.stderr


def test_import_of_a_missing_path_is_a_usage_error(runner: CliRunner, instance_folder: Path,
                                                   catalogue: Database, tmp_path: Path) -> None:
    result = _run(runner, instance_folder, "import", str(tmp_path / "missing"), database=catalogue)
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_demo_publishes_its_records_in_the_catalogue(runner: CliRunner, instance_folder: Path) -> None:
    result = _run(runner, instance_folder, "demo", "--count", "4")
    assert result.exit_code == 0, result.output
    assert "catalogue: 4 new" in result.stderr
    listed = _run(runner, instance_folder, "records").stdout.splitlines()[1:]
    assert [line.split("\t")[0] for line in listed] == [f"oai:lectern.local:{record_id(i)}" for i in range(4)]


def test_demo_run_again_leaves_the_catalogue_unchanged(runner: CliRunner, instance_folder: Path) -> None:
    _run(runner, instance_folder, "demo", "--count", "2")
    result = _run(runner, instance_folder, "demo", "--count", "2")
    assert "catalogue: 2 unchanged" in result.stderr
