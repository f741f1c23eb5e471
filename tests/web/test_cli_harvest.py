"""`lectern harvest ...` and `lectern records --source`, through click's runner, against a live provider."""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from catalogue import leases, sources
from catalogue.db import Database
from tests.support.provider_peer import fill, live_provider
from tests.support.servers import LiveServer
from web.cli import main

NOW = datetime(2025, 6, 1, 10, 0, 0)
COUNT = 12


@pytest.fixture(scope="module")
def peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`lectern serve` over twelve sample records, pages of five."""
    instance = tmp_path_factory.mktemp("peer")
    fill(f"sqlite:///{instance / 'lectern.sqlite'}", COUNT, now=NOW)
    with live_provider(instance, page_size=5) as server:
        yield server


def _run(runner: CliRunner, folder: Path, catalogue: Database, *args: str,
         env: dict[str, str] | None = None) -> Result:
    return runner.invoke(main, ["harvest", *args, "--instance", str(folder), "--database", catalogue.url], env=env)


def _records(runner: CliRunner, folder: Path, catalogue: Database, *args: str) -> list[list[str]]:
    result = runner.invoke(main, ["records", *args, "--instance", str(folder), "--database", catalogue.url])
    assert result.exit_code == 0, result.output
    return [line.split("\t") for line in result.stdout.splitlines()[1:]]


def test_add_prints_the_source_and_its_first_due_time(runner: CliRunner, instance_folder: Path,
                                                      catalogue: Database) -> None:
    result = _run(runner, instance_folder, catalogue, "add", "edu", "http://edu.example.org/oai", "--every", "6h",
                  "--set", "vo", "--set", "po", "--prefix", "lom", "--policy", "moderate", "--profile", "lectern")
    assert result.exit_code == 0, result.output
    name, due = result.stdout.strip().split("\t")
    assert name == "edu" and due.endswith("Z")
    listed = _run(runner, instance_folder, catalogue, "list").stdout.splitlines()
    assert listed[1].split("\t") == ["edu", "http://edu.example.org/oai", "lom", "vo,po", "every 21600s", "moderate",
                                     "lectern", due]


def test_a_source_without_schedule_is_harvested_by_hand(runner: CliRunner, instance_folder: Path,
                                                        catalogue: Database) -> None:
    assert _run(runner, instance_folder, catalogue, "add", "edu", "http://e.org/oai").stdout == "edu\tby hand\n"


@pytest.mark.parametrize("arguments,complaint", [
    (["Edu", "http://e.org/oai"], "source name"),
    (["edu", "http://e.org/oai", "--every", "soon"], "not an interval"),
    (["edu", "http://e.org/oai", "--cron", "61 * * * *"], "minute"),
    (["edu", "http://e.org/oai", "--every", "1h", "--cron", "0 * * * *"], "not both"),
    (["edu", "http://e.org/oai", "--profile", "nonesuch"], "nonesuch"),
])
def test_add_refuses_unusable_settings_with_exit_2(runner: CliRunner, instance_folder: Path, catalogue: Database,
                                                   arguments: list[str], complaint: str) -> None:
    result = _run(runner, instance_folder, catalogue, "add", *arguments)
    assert result.exit_code == 2 and complaint in result.stderr and "Nothing was added" in result.stderr


def test_a_name_taken_twice_is_refused(runner: CliRunner, instance_folder: Path, catalogue: Database) -> None:
    _run(runner, instance_folder, catalogue, "add", "edu", "http://e.org/oai")
    result = _run(runner, instance_folder, catalogue, "add", "edu", "http://other.org/oai")
    assert result.exit_code == 2 and "exists already" in result.stderr


def test_run_harvests_the_source_and_records_lists_it_by_its_own_identifiers(
        runner: CliRunner, instance_folder: Path, catalogue: Database, peer: LiveServer) -> None:
    _run(runner, instance_folder, catalogue, "add", "peer", peer.url + "/oai")
    result = _run(runner, instance_folder, catalogue, "run", "peer")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("harvest of peer (run 1): succeeded")
    assert "12 new, 0 updated, 0 unchanged, 0 deleted, 0 quarantined, 0 failed in 3 pages" in result.stdout
    lines = _records(runner, instance_folder, catalogue, "--source", "peer")
    assert [line[0] for line in lines] == [f"oai:peer.example.org:lectern-demo-{i:06d}" for i in range(COUNT)]
    assert {line[1] for line in lines} == {"2025-06-01T10:00:00Z"} and {line[2] for line in lines} == {"false"}
    ours = _records(runner, instance_folder, catalogue)
    assert ours[0][0] == "oai:lectern.local:peer:oai:peer.example.org:lectern-demo-000000"
    assert all("source:peer" in line[4].split(",") for line in ours)


def test_run_reports_as_json_and_status_shows_the_history(runner: CliRunner, instance_folder: Path,
                                                          catalogue: Database, peer: LiveServer) -> None:
    _run(runner, instance_folder, catalogue, "add", "peer", peer.url + "/oai")
    first = _run(runner, instance_folder, catalogue, "run", "peer", "--format", "json")
    (data,) = json.loads(first.stdout)
    assert (data["status"], data["counts"]["new"], data["metadata_prefix"]) == ("succeeded", COUNT, "lom")
    _run(runner, instance_folder, catalogue, "run", "peer")
    history = _run(runner, instance_folder, catalogue, "status", "peer").stdout.splitlines()
    assert history[0].startswith("#run\tsource\tstarted") and [line.split("\t")[0] for line in history[1:]] == ["2", "1"]
    assert history[1].split("\t")[4:7] == ["succeeded", "1", "0"]
    latest = _run(runner, instance_folder, catalogue, "status", "peer", "--report").stdout
    assert latest.startswith("harvest of peer (run 2): succeeded")


def test_a_failed_run_exits_1_with_the_error_and_its_url(runner: CliRunner, instance_folder: Path,
                                                         catalogue: Database, peer: LiveServer) -> None:
    _run(runner, instance_folder, catalogue, "add", "gone", peer.url + "/no-oai-here")
    result = _run(runner, instance_folder, catalogue, "run", "gone")
    assert result.exit_code == 1
    assert "failed" in result.stdout.splitlines()[0] and f"at {peer.url}/no-oai-here?verb=Identify" in result.stdout


def test_run_needs_exactly_one_of_name_all_due(runner: CliRunner, instance_folder: Path, catalogue: Database) -> None:
    assert _run(runner, instance_folder, catalogue, "run").exit_code == 2
    assert _run(runner, instance_folder, catalogue, "run", "x", "--all").exit_code == 2
    unknown = _run(runner, instance_folder, catalogue, "run", "nowhere")
    assert unknown.exit_code == 2 and "no source named 'nowhere'" in unknown.stderr


def test_run_due_harvests_only_due_sources(runner: CliRunner, instance_folder: Path, catalogue: Database,
                                           peer: LiveServer) -> None:
    _run(runner, instance_folder, catalogue, "add", "due", peer.url + "/oai", "--every", "1h")
    _run(runner, instance_folder, catalogue, "add", "manual", peer.url + "/oai")
    result = _run(runner, instance_folder, catalogue, "run", "--due", "--format", "json")
    assert [report["source"] for report in json.loads(result.stdout)] == ["due"]
    again = _run(runner, instance_folder, catalogue, "run", "--due", "--format", "json")
    assert json.loads(again.stdout) == []


def test_remove_tombstones_the_sources_records(runner: CliRunner, instance_folder: Path, catalogue: Database,
                                               peer: LiveServer) -> None:
    _run(runner, instance_folder, catalogue, "add", "peer", peer.url + "/oai")
    _run(runner, instance_folder, catalogue, "run", "peer")
    result = _run(runner, instance_folder, catalogue, "remove", "peer")
    assert result.stdout == f"peer\tremoved\t{COUNT} records tombstoned\n"
    assert {line[2] for line in _records(runner, instance_folder, catalogue)} == {"true"}
    with catalogue.reading() as session:
        assert sources.every_source(session) == []
    assert _run(runner, instance_folder, catalogue, "remove", "peer").exit_code == 2


def test_status_of_every_source_and_of_an_unknown_one(runner: CliRunner, instance_folder: Path,
                                                      catalogue: Database) -> None:
    assert _run(runner, instance_folder, catalogue, "status").stdout.startswith("#run\t")
    assert _run(runner, instance_folder, catalogue, "status", "nowhere").exit_code == 2


def test_run_of_a_source_harvested_elsewhere_exits_1_and_says_so(runner: CliRunner, instance_folder: Path,
                                                                 catalogue: Database, peer: LiveServer) -> None:
    _run(runner, instance_folder, catalogue, "add", "peer", peer.url + "/oai")
    with catalogue.reading() as session:
        source_id = sources.get(session, "peer").id
    elsewhere = Database(catalogue.url)
    try:
        with leases.held(elsewhere, source_id):
            result = _run(runner, instance_folder, catalogue, "run", "peer")
    finally:
        elsewhere.dispose()
    assert result.exit_code == 1 and "another process is harvesting this source" in result.stderr
    assert _records(runner, instance_folder, catalogue, "--source", "peer") == []
