"""`lectern validate --oai URL` through click's CliRunner against our provider on loopback: the
report in text, JSON and JUnit, exit codes 0 (every check passed), 1 (some failed), 2 (endpoint
unusable, bad usage), and the options that only go with --oai."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from catalogue.db import Database
from oai.settings import ProviderSettings
from tests.support import mutated_oai
from web.cli import main

SETTINGS = ProviderSettings(repository_name="CLI", base_url="set per server", admin_emails=("oai@example.org",),
                            repository_identifier="cli.example.org", token_secret="secret", page_size=4)
SUMMARY = re.compile(r"^(\d+) checks: (\d+) passed, (\d+) failed, (\d+) skipped$")


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = mutated_oai.sample_catalogue(tmp_path_factory.mktemp("cli-oai") / "catalogue.sqlite")
    yield database
    database.dispose()


def validate_oai(runner: CliRunner, samples: Database, *args: str, faults: frozenset[str] = frozenset()) -> Result:
    with mutated_oai.serve(samples, SETTINGS, faults) as (base_url, _):
        return runner.invoke(main, ["validate", "--oai", base_url, *args])


def test_a_conforming_endpoint_exits_0_and_ends_with_the_counts(runner: CliRunner, samples: Database) -> None:
    result = validate_oai(runner, samples)
    assert result.exit_code == 0, result.output
    lines = result.stdout.rstrip("\n").split("\n")
    assert lines[0].startswith("OAI-PMH conformance of http://127.0.0.1:")
    total, passed, failed, skipped = map(int, SUMMARY.match(lines[-1]).groups())
    assert total == passed > 300 and failed == skipped == 0
    assert "errors: 24 passed, 0 failed, 0 skipped (error conditions)" in lines


def test_a_failing_check_exits_1_naming_request_expectation_and_answer(runner: CliRunner, samples: Database) -> None:
    result = validate_oai(runner, samples, faults=frozenset({"no-final-token"}))
    assert result.exit_code == 1
    text = result.stdout
    failure = re.search(r"  FAIL paging\.final-token: (http://\S+)\n       expected (.+)\n       got (.+)\n", text)
    assert failure is not None, text
    assert "verb=ListIdentifiers&resumptionToken=" in failure.group(1)
    assert failure.group(2) == "an empty resumptionToken on the last page of an incomplete list"
    assert failure.group(3) == "no resumptionToken element"
    assert "paging: " in text and " 5 failed, " in text


def test_json_report_keeps_one_shape(runner: CliRunner, samples: Database) -> None:
    result = validate_oai(runner, samples, "--format", "json", faults=frozenset({"errors-404"}))
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert set(report) == {"summary", "kinds", "findings"}
    summary = report["summary"]
    assert summary["exit_code"] == 1 and summary["unusable"] is None
    assert summary["checks"] == summary["passed"] + summary["failed"] + summary["skipped"] == len(report["findings"])
    failed = [finding for finding in report["findings"] if finding["outcome"] == "fail"]
    assert {finding["check"] for finding in failed} == {"http.status"} and summary["failed"] == len(failed)
    assert failed[0] == {"check": "http.status", "kind": "http", "outcome": "fail", "url": failed[0]["url"],
                         "expected": "HTTP status 200 (OAI-PMH errors included)", "found": "HTTP status 404"}
    assert report["kinds"]["http"]["failed"] == len(failed)


def test_junit_report_has_a_suite_per_kind_and_a_case_per_finding(runner: CliRunner, samples: Database) -> None:
    result = validate_oai(runner, samples, "--format", "junit", faults=frozenset({"ignores-sets"}))
    assert result.exit_code == 1
    root = etree.fromstring(result.stdout.encode("utf-8"))
    suites = {suite.get("name").split(":")[0]: suite for suite in root.iter("testsuite")}
    assert suites["sets"].get("failures") == "1" and suites["errors"].get("failures") == "1"
    assert int(root.get("tests")) > 300 and root.get("failures") == "2"
    failure = suites["sets"].find("testcase/failure")
    assert failure.get("type") == "sets.selective" and "others, e.g. oai:cli.example.org:" in failure.text


def test_an_unusable_endpoint_exits_2(runner: CliRunner, samples: Database) -> None:
    result = validate_oai(runner, samples, faults=frozenset({"html-page"}))
    assert result.exit_code == 2
    assert "endpoint unusable: Identify gave no usable OAI-PMH answer" in result.stdout
    assert "got an HTML page (root element html" in result.stdout


def test_prefix_and_set_choose_what_is_harvested(runner: CliRunner, samples: Database) -> None:
    result = validate_oai(runner, samples, "--prefix", "oai_dc", "--set", "lang:fr", "--format", "json")
    assert result.exit_code == 0, result.output
    judged = [finding for finding in json.loads(result.stdout)["findings"] if finding["check"] == "records.valid"]
    assert judged and all("verb=ListRecords&metadataPrefix=oai_dc&set=lang%3Afr" in finding["url"] or
                          "resumptionToken" in finding["url"] for finding in judged)
    assert {finding["expected"] for finding in judged} == {"a record valid under the dc profile"}


def test_max_records_bounds_the_records_judged(runner: CliRunner, samples: Database) -> None:
    result = validate_oai(runner, samples, "--max-records", "3", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert len([finding for finding in findings if finding["check"] == "records.valid"]) == 3


def test_files_and_an_endpoint_together_are_bad_usage(runner: CliRunner, tmp_path: Path) -> None:
    record = tmp_path / "record.xml"
    record.write_bytes(b"<lom xmlns='http://ltsc.ieee.org/xsd/LOM'/>")
    result = runner.invoke(main, ["validate", str(record), "--oai", "http://127.0.0.1:9/oai"])
    assert result.exit_code == 2 and "check files or an endpoint (--oai), not both at once" in result.stderr


@pytest.mark.parametrize("args", [["--prefix", "lom"], ["--set", "a"], ["--max-records", "5"]])
def test_endpoint_options_without_oai_are_bad_usage(runner: CliRunner, tmp_path: Path, args: list[str]) -> None:
    result = runner.invoke(main, ["validate", *args, str(tmp_path)])
    assert result.exit_code == 2 and "--prefix, --set and --max-records go with --oai URL" in result.stderr


def test_nothing_to_check_is_bad_usage(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 2 and "name the files to check, or an OAI-PMH endpoint with --oai URL" in result.stderr


def test_a_base_url_that_is_not_http_is_bad_usage(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--oai", "ftp://example.org/oai"])
    assert result.exit_code == 2 and "is not an http:// or https:// base URL" in result.stderr
