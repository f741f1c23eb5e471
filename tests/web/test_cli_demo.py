"""`lectern demo`: seeded sample LOM records written as files, for `make run` and for trying things out."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from tests.support.records import generate_record
from web.cli import main


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_demo_writes_count_records_and_prints_the_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "lom"), "--count", "3",
                                       "--instance", str(tmp_path / "instance")])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{tmp_path / 'lom'}\n"
    assert _names(tmp_path / "lom") == ["lectern-demo-000000.xml", "lectern-demo-000001.xml",
                                        "lectern-demo-000002.xml"]
    assert (tmp_path / "lom" / "lectern-demo-000002.xml").read_bytes() == generate_record(2)


def test_demo_reports_what_it_wrote_on_stderr(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "lom"), "--count", "3",
                                       "--instance", str(tmp_path / "instance")])
    assert "wrote 3 demo LOM records" in result.stderr
    assert "lectern-demo-000000.xml ... lectern-demo-000002.xml" in result.stderr


def test_demo_writes_200_records_into_the_instance_folder_by_default(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo"], env={"LECTERN_INSTANCE": str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{tmp_path / 'demo'}\n"
    assert len(_names(tmp_path / "demo")) == 200


def test_demo_run_twice_leaves_the_same_files(tmp_path: Path) -> None:
    runner = CliRunner()
    arguments = ["demo", "--out", str(tmp_path / "lom"), "--count", "5", "--instance", str(tmp_path / "instance")]
    runner.invoke(main, arguments)
    first = {path.name: path.read_bytes() for path in (tmp_path / "lom").iterdir()}
    result = runner.invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert {path.name: path.read_bytes() for path in (tmp_path / "lom").iterdir()} == first


def test_demo_into_a_path_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("not a folder")
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path / "taken" / "demo"),
                                       "--instance", str(tmp_path / "instance")])
    assert result.exit_code == 2
    assert "choose a folder you can write to" in result.stderr


def test_demo_refuses_a_negative_count(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path), "--count", "-1",
                                       "--instance", str(tmp_path / "instance")])
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_demo_help_has_a_summary_and_an_example() -> None:
    result = CliRunner().invoke(main, ["demo", "--help"])
    assert result.exit_code == 0
    assert "Write N seeded sample LOM records" in result.stdout
    assert "Example:\n    lectern demo --count 50 --out /tmp/lom" in result.stdout
