"""`lectern validate` through click's CliRunner: real corpus files, folders, zip packages and stdin;
text, JSON and JUnit reports; exit codes 0 (all valid), 1 (invalid) and 2 (unusable input, usage)."""
from __future__ import annotations

import io
import json
import re
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from metadata import samples, xmlsafe
from tests.support.documents import BILLION_LAUGHS, oai_list_records
from web import validate_output
from web.cli import main

VALID_LOM = "lom/rustici-scorm-samples/scorm2004__ContentPackagingMetadata_SCORM20043rdEdition__metadata_course.xml"
LOMFR = "lom/apiscol-scolomfr/data__appel-hanovre-87451.xml"
BROKEN = "lom/apiscol-scolomfr/solution_aqueuse_imsld__mdata__lien_histoire.xml"
IDENTIFY = "oai/sickle/tests__sample_data__Identify.xml"
PROBLEM_LINE = re.compile(r"^(?P<file>[^:]+(?:!/[^:]+)?):(?P<line>\d+): (?P<path>[\w/\[\]]+): (?P<message>.+) \[(?P<rule>[\w:/-]+)\]$")
SUMMARY = re.compile(r"^\d+ files?, \d+ records?: \d+ valid, \d+ invalid; .*\(profile [\w-]+\)$")


def _validate(runner: CliRunner, *args: str, stdin: bytes | None = None) -> Result:
    return runner.invoke(main, ["validate", *args], input=stdin)


def _lines(result: Result) -> list[str]:
    return result.stdout.rstrip("\n").split("\n")


def test_valid_record_exits_0_with_a_summary(runner: CliRunner, corpus: Path) -> None:
    result = _validate(runner, str(corpus / VALID_LOM))
    assert result.exit_code == 0, result.output
    assert _lines(result) == ["1 file, 1 record: 1 valid, 0 invalid; 0 problems, 0 warnings (profile auto)"]


def test_invalid_record_exits_1_with_file_line_path_message_rule(runner: CliRunner, corpus: Path) -> None:
    result = _validate(runner, str(corpus / LOMFR))
    assert result.exit_code == 1
    *problems, summary = _lines(result)
    assert problems and all(PROBLEM_LINE.match(line) for line in problems), problems
    assert f"{corpus / LOMFR}:27: lom/educational/activity[1]: element 'activity' (namespace LOM-FR) is not allowed here" in result.stdout
    assert SUMMARY.match(summary) and "0 valid, 1 invalid" in summary


def test_loose_profile_accepts_the_extensions_strict_refuses(runner: CliRunner, corpus: Path) -> None:
    assert _validate(runner, "--profile", "lom-loose", str(corpus / LOMFR)).exit_code == 0


def test_not_well_formed_file_exits_2_with_its_line(runner: CliRunner, corpus: Path) -> None:
    result = _validate(runner, str(corpus / VALID_LOM), str(corpus / BROKEN))
    assert result.exit_code == 2
    assert f"{corpus / BROKEN}:283: not well-formed XML: Opening and ending tag mismatch" in result.stdout
    assert "1 file unreadable" in _lines(result)[-1]


def test_file_without_records_exits_1_naming_its_root(runner: CliRunner, corpus: Path) -> None:
    result = _validate(runner, str(corpus / IDENTIFY))
    assert result.exit_code == 1
    assert "no LOM or Dublin Core record found (root element 'OAI-PMH' in namespace" in result.stdout
    assert "1 file without records" in _lines(result)[-1]


def test_unknown_profile_is_a_usage_error_listing_the_profiles(runner: CliRunner, corpus: Path) -> None:
    result = _validate(runner, "--profile", "lom-stict", str(corpus / VALID_LOM))
    assert result.exit_code == 2
    assert "no profile named 'lom-stict'; known profiles: dc, lectern, lom-loose, lom-strict, or auto" in result.output


def test_missing_path_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = _validate(runner, str(tmp_path / "nothing.xml"))
    assert result.exit_code == 2 and "does not exist" in result.output


def test_folder_without_xml_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("no records here")
    result = _validate(runner, str(tmp_path))
    assert result.exit_code == 2 and "no XML files or zip packages found" in result.output


def test_folder_with_packages_is_searched_and_members_named(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "course.xml").write_bytes((corpus / VALID_LOM).read_bytes())
    with zipfile.ZipFile(tmp_path / "package.zip", "w") as package:
        package.writestr("meta/record.xml", (corpus / LOMFR).read_bytes())
        package.writestr("imsmanifest.xml", samples.generate_record(5))
    result = _validate(runner, str(tmp_path))
    assert result.exit_code == 1
    assert f"{tmp_path / 'package.zip'}!/meta/record.xml:27: lom/educational/activity[1]:" in result.stdout
    assert _lines(result)[-1].startswith("3 files, 3 records: 2 valid, 1 invalid;")


def test_common_cartridge_package_reports_its_legacy_lom(runner: CliRunner, corpus: Path, tmp_path: Path) -> None:
    cartridge = tmp_path / "course.imscc"
    with zipfile.ZipFile(cartridge, "w") as package:
        package.writestr("imsmanifest.xml", (corpus / "lom/canvas-common-cartridge/latex__imsmanifest.xml").read_bytes())
    result = _validate(runner, str(cartridge))
    assert result.exit_code == 1
    assert f"{cartridge}!/imsmanifest.xml:" in result.stdout
    assert "is IMS Common Cartridge 1.1 LOM (namespace http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest)" in result.stdout
    assert "[ieee-lom-namespace]" in result.stdout


def test_stdin_oai_response_is_validated_record_by_record(runner: CliRunner) -> None:
    page = oai_list_records([samples.generate_record(index) for index in range(4)])
    result = _validate(runner, "-", stdin=page)
    assert result.exit_code == 0, result.output
    assert _lines(result) == ["1 file, 4 records: 4 valid, 0 invalid; 0 problems, 0 warnings (profile auto)"]


def test_hostile_input_on_stdin_is_refused_with_exit_2(runner: CliRunner) -> None:
    result = _validate(runner, "-", stdin=BILLION_LAUGHS)
    assert result.exit_code == 2
    assert result.stdout.startswith("<stdin>: refused: document declares XML entities")


def test_lectern_profile_admits_the_demo_records(runner: CliRunner, tmp_path: Path) -> None:
    samples.write_demo(tmp_path, count=5)
    result = _validate(runner, "--profile", "lectern", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "5 records: 5 valid" in result.stdout


def test_warnings_are_labelled_and_keep_exit_0(runner: CliRunner, corpus: Path) -> None:
    result = _validate(runner, str(corpus / "dc/openarchives-spec/OAI__2.0__ex-sec5b.xml"))
    assert result.exit_code == 0
    warnings = [line for line in _lines(result)[:-1] if ": warning: " in line]
    assert warnings and len(warnings) == len(_lines(result)) - 1


def test_json_report_has_the_documented_shape(runner: CliRunner, corpus: Path) -> None:
    result = _validate(runner, "--format", "json", str(corpus / LOMFR), str(corpus / BROKEN), str(corpus / VALID_LOM))
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["summary"] == {
        "profile": "auto", "files": 3, "records": 2, "valid": 1, "invalid": 1,
        "problems": report["summary"]["problems"], "warnings": 0, "unreadable": 1, "without_records": 0,
        "exit_code": 2,
    }
    lomfr, broken, valid = report["files"]
    (record,) = lomfr["records"]
    assert set(record) == {"index", "kind", "profile", "line", "valid", "problems"}
    assert (record["kind"], record["profile"], record["valid"]) == ("lom", "lom-strict", False)
    assert set(record["problems"][0]) == {"line", "path", "rule", "message", "severity"}
    assert report["summary"]["problems"] == len(record["problems"]) + 1
    assert (broken["readable"], broken["records"], broken["problems"][0]["rule"]) == (False, [], "well-formed")
    assert (valid["readable"], valid["problems"], valid["records"][0]["problems"]) == (True, [], [])


def test_junit_report_has_a_case_per_record_and_failures_with_messages(runner: CliRunner, corpus: Path) -> None:
    result = _validate(runner, "--format", "junit", str(corpus / LOMFR), str(corpus / VALID_LOM), str(corpus / IDENTIFY))
    assert result.exit_code == 1
    suites = xmlsafe.fromstring(result.stdout.encode())
    assert (suites.tag, suites.get("tests"), suites.get("failures"), suites.get("errors")) == ("testsuites", "3", "2", "0")
    failure = suites.find("testsuite/testcase/failure")
    assert failure.get("type") == "xsd:extension"
    assert failure.get("message").startswith("element 'activity' (namespace LOM-FR) is not allowed here")
    assert f"{corpus / LOMFR}:27: lom/educational/activity[1]:" in failure.text
    assert [case.get("name") for case in suites.iter("testcase")] == ["record 1 (line 2)", "record 1 (line 4)", "document"]


@pytest.mark.parametrize("output_format", ["text", "json", "junit"])
def test_every_format_reports_the_same_exit_code(runner: CliRunner, corpus: Path, output_format: str) -> None:
    assert _validate(runner, "--format", output_format, str(corpus / LOMFR)).exit_code == 1


def test_help_has_a_summary_and_an_example(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", "--help"])
    assert result.exit_code == 0
    assert "Check LOM and Dublin Core records against a profile." in result.output
    assert "Example:" in result.output and "Exit status: 0" in result.output


def test_progress_bar_goes_to_stderr_only_when_asked_for_many_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    samples.write_demo(tmp_path, count=validate_output.PROGRESS_FROM)
    for show in (False, True):
        code = validate_output.run((str(tmp_path),), "auto", "text", io.BytesIO(), sys.stdout, show)
        captured = capsys.readouterr()
        assert code == 0 and captured.out.startswith(f"{validate_output.PROGRESS_FROM} files")
        assert ("validating" in captured.err) is show
