"""The conformance battery against real endpoints on loopback.

Our own `/oai` (`lectern serve` over sample records, paged in fours, some deleted) must pass every
check. Our provider behind `tests.support.mutated_oai`, broken in one known way at a time, must
fail exactly the checks that name that fault, with messages that say where and what. pyoai's
server, a third party's, fails exactly its known deviations.
"""
from __future__ import annotations

import socket
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from catalogue.db import Database
from harvester.checks.findings import FAIL, SKIP, Finding
from harvester.checks.probe import Transport
from harvester.checks.transport import fetcher_transport
from harvester.conformance import Options, Report, check_endpoint
from harvester.http import Fetcher
from metadata.datestamps import DAY, format_datestamp, parse_datestamp
from oai.settings import ProviderSettings
from tests.support import mutated_oai
from tests.support.peers import FaultPeer, pyoai_peer, sample_records
from tests.support.servers import LiveServer

pytestmark = pytest.mark.slow

PAGE = 4
REPOSITORY = "conformance.example.org"
LIVE_RECORDS = mutated_oai.RECORDS - len(mutated_oai.DELETED)

EVERY_CHECK_OF_A_SECONDS_REPOSITORY_WITH_SETS = {
    "http.status", "http.oai", "schema.valid", "response.date", "response.request",
    "verbs.Identify", "verbs.ListMetadataFormats", "verbs.ListSets", "verbs.ListIdentifiers", "verbs.ListRecords",
    "verbs.GetRecord",
    "identify.required", "identify.protocol-version", "identify.base-url", "identify.granularity",
    "identify.earliest-datestamp", "identify.deleted-record", "identify.admin-email", "identify.oai-identifier",
    "formats.oai-dc", "formats.item",
    "records.get-record", "records.identifiers", "records.deleted", "records.namespace", "records.valid",
    "dates.granularity", "dates.earliest", "dates.window", "dates.day", "sets.declared", "sets.selective",
    "paging.cursor", "paging.list-size", "paging.expiration", "paging.resume", "paging.unique", "paging.final-token",
    "errors.no-verb", "errors.bad-verb", "errors.repeated-verb", "errors.illegal-argument", "errors.missing-argument",
    "errors.repeated-argument", "errors.exclusive-token", "errors.bad-date", "errors.mixed-granularity",
    "errors.no-records", "errors.bad-token", "errors.unknown-prefix", "errors.unknown-identifier", "errors.unknown-set",
    "post.same",
}


@pytest.fixture(scope="module")
def transport() -> Iterator[Transport]:
    """The battery's transport, over a Fetcher whose sleep returns at once (no test waits a backoff)."""
    with Fetcher(max_retries=2, sleep=lambda seconds: None) as fetcher:
        yield fetcher_transport(fetcher)


def failures(report: Report) -> list[Finding]:
    return [finding for finding in report.findings if finding.outcome == FAIL]


def failed_checks(report: Report) -> set[str]:
    return {finding.check for finding in failures(report)}


def shown(findings: list[Finding]) -> str:
    return "\n".join(f"{finding.check} {finding.url}: expected {finding.expected}; got {finding.found}"
                     for finding in findings)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An instance folder: settings with a small page, and the sample catalogue."""
    instance = tmp_path_factory.mktemp("conformance-instance")
    (instance / "lectern.toml").write_text(
        f'page_size = {PAGE}\nrepository_identifier = "{REPOSITORY}"\nlog_format = "text"\n', encoding="utf-8")
    mutated_oai.sample_catalogue(instance / "lectern.sqlite").dispose()
    return instance


@pytest.fixture(scope="module")
def own_oai(site: Path) -> Iterator[str]:
    """Base URL of `lectern serve` over the site."""
    command = [str(Path(sys.executable).with_name("lectern")), "serve", "--port", "0"]
    with LiveServer(command, env={"LECTERN_INSTANCE": str(site)}) as server:
        yield server.url + "/oai"


@pytest.fixture(scope="module")
def own_report(own_oai: str, transport: Transport) -> Report:
    return check_endpoint(own_oai, transport)


def test_our_endpoint_passes_every_check(own_report: Report) -> None:
    assert failures(own_report) == [], shown(failures(own_report))
    assert own_report.exit_code == 0 and own_report.unusable is None


def test_against_our_endpoint_every_check_is_made_and_none_skipped(own_report: Report) -> None:
    assert {finding.check for finding in own_report.findings} == EVERY_CHECK_OF_A_SECONDS_REPOSITORY_WITH_SETS
    assert [finding for finding in own_report.findings if finding.outcome == SKIP] == []


def test_every_live_record_of_our_endpoint_is_judged_once(own_report: Report) -> None:
    judged = [finding.url for finding in own_report.findings if finding.check == "records.valid"]
    assert len(judged) == len(set(judged)) == LIVE_RECORDS


def test_every_response_is_schema_checked(own_report: Report) -> None:
    answered = [finding.url for finding in own_report.findings if finding.check == "http.oai"]
    schema_checked = [finding.url for finding in own_report.findings if finding.check == "schema.valid"]
    assert answered == schema_checked and len(answered) > 40


def test_record_bound_stops_the_lists_and_skips_their_end_checks(own_oai: str, transport: Transport) -> None:
    report = check_endpoint(own_oai, transport, Options(max_records=5))
    judged = [finding for finding in report.findings if finding.check == "records.valid"]
    skipped = {finding.found for finding in report.findings if finding.check == "paging.final-token" and finding.outcome == SKIP}
    assert len(judged) == 5
    assert skipped == {f"stopped after {2 * PAGE} items (the limit is 5)"}
    assert failures(report) == [], shown(failures(report))


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The sample catalogue the mutated endpoint serves."""
    database = mutated_oai.sample_catalogue(tmp_path_factory.mktemp("mutated") / "catalogue.sqlite")
    yield database
    database.dispose()


SETTINGS = ProviderSettings(repository_name="Mutated", base_url="set per server", admin_emails=("oai@example.org",),
                            repository_identifier=REPOSITORY, token_secret="secret", page_size=PAGE)


Run = Callable[..., tuple[Report, mutated_oai.Faults]]


@pytest.fixture(scope="module")
def run_against(samples: Database, transport: Transport) -> Run:
    """Run the battery against the mutated endpoint with the given faults; the report and request log."""
    def run(*faults: str, options: Options = Options()) -> tuple[Report, mutated_oai.Faults]:
        with mutated_oai.serve(samples, SETTINGS, frozenset(faults)) as (base_url, log):
            return check_endpoint(base_url, transport, options), log
    return run


def test_the_unbroken_mutated_endpoint_passes_and_is_asked_nothing_but_its_base_url(run_against: Run) -> None:
    report, log = run_against()
    assert failures(report) == [], shown(failures(report))
    assert {exchange.path for exchange in log.log} == {mutated_oai.PATH}
    assert {exchange.method for exchange in log.log} == {"GET", "POST"}


# fault → (the checks that must fail, and only they; a check and a fragment of what its failure says)
BROKEN = {
    "errors-404": ({"http.status"}, ("http.status", "HTTP status 404")),
    "no-final-token": ({"paging.final-token"}, ("paging.final-token", "no resumptionToken element")),
    "repeated-identifiers": ({"paging.unique", "paging.cursor", "paging.list-size"},
                             ("paging.unique", f"repeated across pages, e.g. oai:{REPOSITORY}:lectern-demo-0000")),
    "day-granularity": ({"identify.earliest-datestamp", "dates.granularity", "errors.unsupported-granularity"},
                        ("dates.granularity", f"others, e.g. oai:{REPOSITORY}:lectern-demo-000000 2025-01-01T08:00:00Z")),
    "broken-get-record": ({"http.oai", "verbs.GetRecord"}, ("http.oai", "not well-formed XML (Premature end of data")),
    "post-refused": ({"http.status", "http.oai"}, ("http.oai", "an HTML page (root element html")),
    "ignores-dates": ({"dates.window", "dates.day", "errors.bad-date", "errors.mixed-granularity", "errors.no-records",
                       "schema.valid"}, ("dates.window", "outside, e.g.")),
    "ignores-sets": ({"sets.selective", "errors.unknown-set"}, ("sets.selective", "others, e.g.")),
    "misnamed-lom-element": ({"records.valid"}, ("records.valid", "lom/general/shape: element 'shape' is not allowed")),
}


@pytest.mark.parametrize("fault", sorted(BROKEN))
def test_a_broken_endpoint_fails_exactly_the_checks_of_its_fault(run_against: Run, fault: str) -> None:
    expected, (check, fragment) = BROKEN[fault]
    report, _ = run_against(fault)
    assert failed_checks(report) == expected, shown(failures(report))
    assert any(fragment in finding.found for finding in failures(report) if finding.check == check), \
        shown(failures(report))
    assert report.exit_code == 1


def test_schema_errors_outside_records_say_where_and_what(run_against: Run) -> None:
    report, _ = run_against("ignores-dates")
    [invalid] = [finding for finding in failures(report) if finding.check == "schema.valid"
                 and finding.url.endswith("&from=not-a-date")]
    assert invalid.found == ("line 4: Element 'request', attribute 'from': 'not-a-date' is not a valid value "
                             "of the union type 'Datestamp'.")


def test_a_payload_without_a_schema_here_is_noted_not_failed(run_against: Run) -> None:
    report, _ = run_against("foreign-description")
    noted = [finding for finding in report.findings if finding.check == "schema.payload"]
    assert [(finding.outcome, finding.found) for finding in noted] == [
        (SKIP, "no schema for namespace http://www.openarchives.org/OAI/2.0/branding/ here; payloads in it are not checked")]
    assert failures(report) == [], shown(failures(report))


def test_error_served_with_404_names_the_request(run_against: Run) -> None:
    report, _ = run_against("errors-404")
    urls = {finding.url for finding in failures(report)}
    assert f"{report.base_url}?verb=NoSuchVerb" in urls and f"POST {report.base_url} with body verb=NoSuchVerb" in urls


def test_posts_refused_fail_only_post_requests(run_against: Run) -> None:
    report, _ = run_against("post-refused")
    assert all(finding.url.startswith(f"POST {report.base_url} with body ") for finding in failures(report))


def test_invalid_records_are_reported_as_records_not_as_schema_errors(run_against: Run) -> None:
    report, _ = run_against("misnamed-lom-element")
    invalid = [finding for finding in failures(report) if finding.check == "records.valid"]
    assert len(invalid) == LIVE_RECORDS
    assert invalid[0].expected == "a record valid under the lom-strict profile"
    assert invalid[0].url.endswith(f"(record oai:{REPOSITORY}:lectern-demo-000000)")


def test_loose_profile_is_used_when_asked(run_against: Run) -> None:
    report, _ = run_against(options=Options(profile="lom-loose"))
    judged = [finding for finding in report.findings if finding.check == "records.valid"]
    assert failures(report) == [] and len(judged) == LIVE_RECORDS


def test_a_given_set_restricts_the_harvest(run_against: Run) -> None:
    report, log = run_against(options=Options(set_spec="lang:fr"))
    firsts = [exchange.arguments for exchange in log.log if exchange.arguments.get("verb") == ["ListRecords"]
              and "metadataPrefix" in exchange.arguments]
    assert firsts[0]["set"] == ["lang:fr"]
    assert failures(report) == [], shown(failures(report))


def test_a_prefix_the_endpoint_does_not_offer_fails_and_stops_the_record_checks(run_against: Run) -> None:
    report, _ = run_against(options=Options(prefix="marc21"))
    assert failed_checks(report) == {"formats.prefix"}
    assert [finding.found for finding in report.findings if finding.check == "records.valid"] == \
        ["the endpoint offers no format to harvest"]


def test_an_html_page_for_identify_makes_the_endpoint_unusable(run_against: Run) -> None:
    report, _ = run_against("html-page")
    assert report.exit_code == 2 and report.unusable == "Identify gave no usable OAI-PMH answer"
    assert failed_checks(report) == {"http.oai", "verbs.Identify"}


def test_an_endpoint_nobody_listens_on_is_unusable(transport: Transport) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    report = check_endpoint(f"http://127.0.0.1:{port}/oai", transport)
    assert report.exit_code == 2
    assert failed_checks(report) == {"http.answer", "verbs.Identify"}


def test_a_busy_endpoint_is_waited_for_as_its_retry_after_asks(samples: Database) -> None:
    slept: list[float] = []
    with mutated_oai.serve(samples, SETTINGS, frozenset({"busy-at-first"})) as (base_url, log), \
            Fetcher(sleep=slept.append) as fetcher:
        report = check_endpoint(base_url, fetcher_transport(fetcher))
    assert slept == [2.0]
    assert [exchange.arguments for exchange in log.log[:2]] == [{"verb": ["Identify"]}] * 2
    assert failures(report) == [], shown(failures(report))


@pytest.fixture(scope="module")
def pyoai_report(transport: Transport) -> Report:
    """The battery against pyoai's server: 13 records in two sets, two deleted, pages of four."""
    records = sample_records(13, sets=lambda index: ("lang:fr",) if index % 2 else ("lang:en",))
    records = [replace(record, deleted=True, formats={}) if index in (2, 7) else record
               for index, record in enumerate(records)]
    with pyoai_peer(records, page_size=PAGE) as peer:
        return check_endpoint(peer.url, transport)


def test_pyoai_fails_exactly_its_known_deviations(pyoai_report: Report) -> None:
    assert failed_checks(pyoai_report) == {
        "paging.final-token",        # the last page of a list has no empty <resumptionToken/>
        "response.request",          # day-granularity from/until echoed as seconds
        "errors.repeated-verb",      # handleRequest takes a dict: a repeated verb or argument goes unseen
        "errors.repeated-argument",
    }, shown(failures(pyoai_report))
    assert pyoai_report.exit_code == 1


def test_pyoai_leaves_every_list_without_a_final_token(pyoai_report: Report) -> None:
    final = [finding for finding in pyoai_report.findings if finding.check == "paging.final-token"]
    assert final and all(finding.outcome == FAIL and finding.found == "no resumptionToken element" for finding in final)


def test_pyoai_echoes_a_day_window_in_seconds(pyoai_report: Report) -> None:
    [echo] = [finding for finding in failures(pyoai_report) if finding.check == "response.request"]
    assert echo.url.endswith("verb=ListIdentifiers&metadataPrefix=lom&from=2024-01-01&until=2024-01-01")
    assert echo.found == ('request attributes from="2024-01-01T00:00:00Z" metadataPrefix="lom" '
                          'until="2024-01-01T23:59:59Z" verb="ListIdentifiers", expected from="2024-01-01" '
                          'metadataPrefix="lom" until="2024-01-01" verb="ListIdentifiers"')


def test_pyoai_records_pass_and_its_missing_identifier_scheme_is_noted(pyoai_report: Report) -> None:
    judged = [finding for finding in pyoai_report.findings if finding.check == "records.valid"]
    assert len(judged) == 11 and all(finding.outcome != FAIL for finding in judged)
    assert {finding.check for finding in pyoai_report.findings if finding.outcome == SKIP} == \
        {"identify.oai-identifier", "records.identifiers"}


def test_pyoai_without_sets_answers_set_requests_with_no_records_instead_of_no_set_hierarchy(transport: Transport) -> None:
    with pyoai_peer(sample_records(6), page_size=PAGE) as peer:
        report = check_endpoint(peer.url, transport)
    [list_sets] = [finding for finding in report.findings if finding.check == "verbs.ListSets"]
    [wrong] = [finding for finding in failures(report) if finding.check == "errors.no-set-hierarchy"]
    assert list_sets.outcome != FAIL and wrong.url.endswith("&set=lectern-no-such-set")
    assert (wrong.expected, wrong.found) == ("error noSetHierarchy", "error noRecordsMatch")


DAY_CHECKS = {"identify.granularity", "identify.earliest-datestamp", "dates.granularity", "dates.window", "dates.day",
              "errors.unsupported-granularity", "errors.mixed-granularity"}


def test_a_day_granularity_endpoint_is_asked_in_days_and_refuses_seconds(transport: Transport) -> None:
    records = [replace(record, datestamp=format_datestamp(parse_datestamp(record.datestamp).replace(day=1 + index)))
               for index, record in enumerate(sample_records(9))]
    with FaultPeer(records, page_size=PAGE, granularity=DAY) as peer:
        report = check_endpoint(peer.url, transport)
    day_findings = [finding for finding in report.findings if finding.check in DAY_CHECKS]
    assert {finding.check for finding in day_findings} == DAY_CHECKS
    assert [finding for finding in day_findings if finding.outcome != "pass"] == []
    windows = [finding.url for finding in day_findings if finding.check == "dates.window"]
    assert all("from=2024-01-0" in url and "T" not in url.split("from=")[1] for url in windows)
