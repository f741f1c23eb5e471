"""Validation: verdicts per record, profile choice, legacy and foreign records, document problems, and
hostile input refused in bounded time without touching the network or the file system."""
from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from metadata import samples
from metadata.errors import UnknownProfileError, UnsafeXMLError
from metadata.namespaces import LOM
from metadata.validation import check, document_problem, validate
from tests.support.documents import BILLION_LAUGHS, oai_list_records


def _lom(body: str, attributes: str = "") -> bytes:
    return f'<lom xmlns="{LOM}"{attributes}>{body}</lom>'.encode()


def test_valid_record_has_no_problems() -> None:
    (result,) = check(samples.generate_record(3), "lom-strict", "sample.xml")
    assert (result.valid, result.problems, result.kind, result.profile, result.index) == (
        True, (), "lom", "lom-strict", 1
    )


@pytest.mark.parametrize("profile", ["lom-strict", "lom-loose", "lectern"])
def test_sample_records_pass_every_lom_profile(profile: str) -> None:
    results = [result for record in samples.generate_records(25, seed=4) for result in check(record, profile)]
    assert [problem for result in results for problem in result.problems] == []


def test_each_record_of_a_document_gets_its_own_result() -> None:
    records = [samples.generate_record(0), _lom("<general><titel/></general>"), samples.generate_record(1)]
    results = list(check(oai_list_records(records), "lom-strict", "page.xml"))
    assert [(result.index, result.valid) for result in results] == [(1, True), (2, False), (3, True)]
    (problem,) = results[1].problems
    assert (problem.file, problem.record, problem.path, problem.rule) == (
        "page.xml", 2, "lom/general/titel", "xsd:unexpected"
    )


def test_auto_profile_judges_each_kind_by_its_own_profile(corpus: Path) -> None:
    dc = next(check(corpus / "dc/openarchives-spec/OAI__2.0__ex-sec5a.xml"))
    lom = next(check(samples.generate_record(0)))
    assert (dc.kind, dc.profile, lom.kind, lom.profile) == ("dc", "dc", "lom", "lom-strict")


def test_record_of_the_other_kind_is_not_judged_by_a_lom_profile(corpus: Path) -> None:
    (result,) = check(corpus / "dc/openarchives-spec/OAI__2.0__ex-sec5a.xml", "lectern")
    (problem,) = result.problems
    assert problem.rule == "record-kind" and "Dublin Core record" in problem.message and not result.valid


def test_legacy_record_is_invalid_under_lom_profiles_naming_namespace_and_import(corpus: Path) -> None:
    (result,) = check(corpus / "lom/kennisnet-phpnllom/tests__result.xml", "lom-loose")
    (problem,) = result.problems
    assert problem.rule == "ieee-lom-namespace" and problem.line == 2 and problem.path == "lom"
    assert "IMS Meta-data 1.2" in problem.message
    assert "http://www.imsglobal.org/xsd/imsmd_v1p2" in problem.message and "import converts it" in problem.message


def test_unknown_profile_is_refused_before_reading() -> None:
    with pytest.raises(UnknownProfileError):
        check("/nonexistent/file.xml", "lom-strictest")


def test_not_well_formed_document_is_one_problem_with_its_line(corpus: Path) -> None:
    path = corpus / "lom/apiscol-scolomfr/solution_aqueuse_imsld__mdata__lien_histoire.xml"
    (problem,) = validate(path)
    assert (problem.rule, problem.line, problem.record) == ("well-formed", 283, None)
    assert problem.message.startswith("not well-formed XML: Opening and ending tag mismatch")


def test_document_without_records_is_one_problem_naming_its_root(corpus: Path) -> None:
    (problem,) = validate(corpus / "oai/sickle/tests__sample_data__Identify.xml")
    assert problem.rule == "has-record" and "root element 'OAI-PMH'" in problem.message


def test_missing_file_is_one_unreadable_problem(tmp_path: Path) -> None:
    (problem,) = validate(tmp_path / "gone.xml")
    assert problem.rule == "readable" and "No such file" in problem.message


def test_value_rule_does_not_repeat_what_the_schema_said(corpus: Path) -> None:
    problems = list(validate(corpus / "lom/apiscol-scolomfr/data__scolomfr2__atome.xml", "lectern"))
    at_title = [problem.rule for problem in problems if problem.path == "lom/general/title/string"]
    assert at_title == ["xsd:language"]


def test_warnings_leave_a_record_valid(corpus: Path) -> None:
    (result,) = check(corpus / "dc/openarchives-spec/OAI__2.0__ex-sec5b.xml", "dc")
    assert result.valid and all(problem.severity == "warning" for problem in result.problems)


def test_schema_problems_come_with_rules_and_the_record_index(corpus: Path) -> None:
    problems = list(validate(corpus / "lom/apiscol-scolomfr/data__bare_manifest.xml", "lom-strict"))
    assert problems and {problem.record for problem in problems} == {1, 2}
    assert all(problem.rule.startswith("xsd:") and problem.line for problem in problems)


# Hostile input: refused with a clear problem, quickly, with nothing fetched or read on its behalf.

def _refusal(document: bytes) -> tuple[str, str, float]:
    started = time.monotonic()
    problems = list(validate(document, "lectern", "hostile.xml"))
    assert len(problems) == 1, problems
    return problems[0].rule, problems[0].message, time.monotonic() - started


def test_billion_laughs_is_refused_quickly() -> None:
    rule, message, seconds = _refusal(BILLION_LAUGHS)
    assert rule == "safe-xml" and "entities" in message and seconds < 2


def test_external_entity_to_a_local_file_is_refused_without_reading_it() -> None:
    document = (
        b'<?xml version="1.0"?><!DOCTYPE lom [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b'<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general><title><string>&secret;</string></title>'
        b"</general></lom>"
    )
    rule, message, _ = _refusal(document)
    assert rule == "safe-xml" and "root:" not in message


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the name http.server dispatches to)
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY secret "fetched">')

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def loopback() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 that records every request it gets."""
    handler = type("Recorder", (_Recorder,), {"requests": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.requests
    finally:
        server.shutdown()
        server.server_close()


def test_external_entity_to_a_url_is_refused_and_nothing_is_fetched(loopback: tuple[str, list[str]]) -> None:
    url, requests = loopback
    document = (
        f'<?xml version="1.0"?><!DOCTYPE lom [<!ENTITY secret SYSTEM "{url}/secret">]>'
        f'<lom xmlns="{LOM}"><general><title><string>&secret;</string></title></general></lom>'
    ).encode()
    rule, _, _ = _refusal(document)
    assert rule == "safe-xml" and requests == []


def test_external_dtd_is_not_fetched(loopback: tuple[str, list[str]]) -> None:
    url, requests = loopback
    document = f'<!DOCTYPE lom SYSTEM "{url}/lom.dtd"><lom xmlns="{LOM}"><general><titel/></general></lom>'
    problems = list(validate(document.encode(), "lom-strict"))
    assert [problem.rule for problem in problems] == ["xsd:unexpected"] and requests == []


def test_schema_location_hint_is_not_fetched_while_explaining(loopback: tuple[str, list[str]]) -> None:
    url, requests = loopback
    hint = (
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xsi:schemaLocation="{LOM} {url}/lom.xsd urn:x {url}/x.xsd"'
    )
    problems = list(validate(_lom('<general><x:titel xmlns:x="urn:x"/></general>', hint), "lom-strict"))
    assert [problem.rule for problem in problems] == ["xsd:extension"] and requests == []


def test_deep_nesting_is_refused_quickly() -> None:
    document = _lom("<general>" + "<a>" * 100_000 + "</a>" * 100_000 + "</general>")
    rule, message, seconds = _refusal(document)
    assert rule == "safe-xml" and "depth" in message and seconds < 2


def test_huge_text_node_is_refused() -> None:
    document = _lom("<general><title><string>" + "x" * 11_000_000 + "</string></title></general>")
    rule, message, _ = _refusal(document)
    assert rule == "safe-xml" and "limit" in message


def test_huge_stream_is_refused_at_the_limit_given() -> None:
    document = oai_list_records([samples.generate_record(index) for index in range(100)])
    with pytest.raises(UnsafeXMLError) as raised:
        list(check(document, "lom-strict", "big.xml", max_bytes=100_000))
    problem = document_problem("big.xml", raised.value)
    assert problem.rule == "safe-xml" and "larger than 100000 bytes" in problem.message
