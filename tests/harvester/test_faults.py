"""Whole harvests through the fault peer: each fault ends in the right catalogue state with a clear report.

The harvester runs with the real `http.Fetcher` over loopback; its sleeps are recorded instead of
slept and its backoff jitter is zero, so retries cost no time. After every scenario the peer's log
must show no request it did not send the harvester to (no other path, no token it never issued).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from catalogue import harvested, listing, runs, sources
from catalogue.db import Database
from harvester.http import Fetcher
from harvester.run import Options, harvest
from metadata.datestamps import utcnow
from metadata.namespaces import LOM
from metadata.xmlsafe import fromstring
from tests.support.harvest_records import ims_record, invalid_lom_record
from tests.support.peers import (
    IMSMD_FORMAT, OAI_DC_FORMAT, Canary, Drop, EmptyPage, FaultPeer, FileCanary, Html, OAIError, PeerRecord,
    Redirect, RepeatToken, Stall, Status, Truncate, entity_bomb, external_entity, sample_records,
)

pytestmark = pytest.mark.slow

PAGE = 10
COUNT = 25


class Sleeps(list):
    """The waits the fetcher asked for, in order (nothing is slept)."""


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def fetcher(sleeps: Sleeps) -> Iterator[Fetcher]:
    with Fetcher(from_email="harvest@lectern.test", read_timeout=0.5, max_retries=3, max_retry_after=30,
                 sleep=sleeps.append, random=lambda: 0.0) as client:
        yield client


@contextmanager
def _serving(records: list[PeerRecord], **settings: object) -> Iterator[FaultPeer]:
    """A fault peer that, when the scenario ends, must have been asked only what it sent the harvester to."""
    with FaultPeer(records, **settings) as server:
        yield server
        assert server.unexpected() == []


@pytest.fixture
def peer() -> Iterator[FaultPeer]:
    with _serving(sample_records(COUNT), page_size=PAGE) as server:
        yield server


def _run(catalogue: Database, url: str, fetcher: Fetcher, **settings: object) -> runs.RunInfo:
    with catalogue.writing() as session:
        if not any(source.name == "peer" for source in sources.every_source(session)):
            sources.add(session, "peer", url, **settings)
    info = harvest(catalogue, "peer", fetcher, Options(max_empty_pages=3))
    assert info is not None
    return info


def _state(catalogue: Database) -> list[tuple[str, str, bool]]:
    with catalogue.reading() as session:
        return [(line.identifier, line.datestamp, line.deleted) for line in harvested.every_from(session, "peer")]


def _peer_state(peer: FaultPeer) -> list[tuple[str, str, bool]]:
    return sorted((record.identifier, record.datestamp, record.deleted) for record in peer.catalogue.records())


def _list_requests(peer: FaultPeer) -> list[dict[str, list[str]]]:
    return [received.params for received in peer.received if received.params.get("verb") == ["ListRecords"]]


def test_a_clean_peer_is_mirrored_and_asked_only_what_it_offered(catalogue: Database, peer: FaultPeer,
                                                                  fetcher: Fetcher) -> None:
    info = _run(catalogue, peer.url, fetcher)
    assert (info.status, info.counts["new"], info.counts["pages"]) == ("succeeded", COUNT, 3)
    assert _state(catalogue) == _peer_state(peer)
    assert {received.headers.get("From") for received in peer.received} == {"harvest@lectern.test"}
    assert all(received.headers["User-Agent"].startswith("Lectern/") for received in peer.received)


@pytest.mark.parametrize("retry_after", ["2", "HTTP-date"])
def test_a_503_with_a_short_retry_after_is_waited_out(catalogue: Database, peer: FaultPeer, fetcher: Fetcher,
                                                      sleeps: Sleeps, retry_after: str) -> None:
    if retry_after == "HTTP-date":
        retry_after = (datetime.now().astimezone() + timedelta(seconds=20)).strftime("%a, %d %b %Y %H:%M:%S %z")
    peer.inject(Status(503, retry_after), page=2)
    info = _run(catalogue, peer.url, fetcher)
    assert info.status == "succeeded" and _state(catalogue) == _peer_state(peer)
    assert len(sleeps) == 1 and 0 < sleeps[0] <= 20


def test_a_503_asking_for_a_long_wait_reschedules_the_run_and_the_next_run_resumes(
        catalogue: Database, peer: FaultPeer, fetcher: Fetcher) -> None:
    peer.inject(Status(503, "3600"), page=2)
    before = utcnow()
    info = _run(catalogue, peer.url, fetcher)
    assert (info.status, info.counts["new"]) == ("rescheduled", PAGE)
    assert before + timedelta(seconds=3590) <= info.next_due <= utcnow() + timedelta(seconds=3610)
    assert "RetryLater" in info.errors[0]["kind"] and "verb=ListRecords" in info.errors[0]["url"]
    with catalogue.reading() as session:
        assert sources.get(session, "peer").next_due == info.next_due
    resumed = _run(catalogue, peer.url, fetcher)
    assert (resumed.status, resumed.counts["new"], resumed.counts["pages"]) == ("succeeded", COUNT - PAGE, 2)
    assert "resumptionToken" in _list_requests(peer)[-2] and _state(catalogue) == _peer_state(peer)


@pytest.mark.parametrize("fault", [Status(500), Status(502), Drop(after=300), Stall(2.0, after=100)],
                         ids=["500", "502", "dropped", "stalled"])
def test_transient_failures_are_retried(catalogue: Database, peer: FaultPeer, fetcher: Fetcher, fault: object) -> None:
    peer.inject(fault, page=2, times=2)
    info = _run(catalogue, peer.url, fetcher)
    assert info.status == "succeeded" and _state(catalogue) == _peer_state(peer)
    assert sum(1 for params in _list_requests(peer) if "resumptionToken" in params) == 2 + 2


def test_failures_that_outlast_the_retries_fail_the_run_with_the_url(catalogue: Database, peer: FaultPeer,
                                                                     fetcher: Fetcher) -> None:
    peer.inject(Status(500), page=3, times=None)
    info = _run(catalogue, peer.url, fetcher)
    (error,) = info.errors
    assert (info.status, info.counts["new"]) == ("failed", 2 * PAGE)
    assert error["kind"] == "TransportError" and "resumptionToken=" in error["url"] and "HTTP 500" in error["message"]
    with catalogue.reading() as session:
        assert sources.get(session, "peer").last_response_date is None


def test_a_truncated_page_is_not_stored_and_the_next_run_resumes_before_it(catalogue: Database, peer: FaultPeer,
                                                                          fetcher: Fetcher) -> None:
    peer.inject(Truncate(keep=0.6), page=2)
    info = _run(catalogue, peer.url, fetcher)
    assert (info.status, info.counts["new"], info.counts["pages"]) == ("failed", PAGE, 1)
    assert info.errors[0]["kind"] == "NotWellFormedError"
    assert len(_state(catalogue)) == PAGE
    again = _run(catalogue, peer.url, fetcher)
    assert (again.status, again.counts["new"]) == ("succeeded", COUNT - PAGE)
    assert _state(catalogue) == _peer_state(peer)


def test_an_html_page_with_status_200_fails_the_run_as_not_oai(catalogue: Database, peer: FaultPeer,
                                                               fetcher: Fetcher) -> None:
    peer.inject(Html(200), request=1)
    info = _run(catalogue, peer.url, fetcher)
    (error,) = info.errors
    assert info.status == "failed" and error["kind"] == "NotOAIResponse"
    assert "an HTML page" in error["message"] and error["url"].endswith("verb=Identify")
    assert _state(catalogue) == []


def test_a_redirect_to_a_local_file_is_refused_without_reading_it(catalogue: Database, peer: FaultPeer,
                                                                  fetcher: Fetcher) -> None:
    with FileCanary() as canary:
        peer.inject(Redirect(canary.url), page=2)
        info = _run(catalogue, peer.url, fetcher)
        opened = canary.opened
    assert info.status == "failed" and info.errors[0]["kind"] == "TransportError" and not opened
    assert "resumptionToken=" in info.errors[0]["url"] and len(_state(catalogue)) == PAGE


def test_a_refused_token_in_mid_list_restarts_the_list_and_changes_nothing_stored(
        catalogue: Database, peer: FaultPeer, fetcher: Fetcher) -> None:
    peer.inject(OAIError("badResumptionToken", "expired"), page=3)
    info = _run(catalogue, peer.url, fetcher)
    assert (info.status, info.counts["new"], info.counts["unchanged"]) == ("succeeded", COUNT, 2 * PAGE)
    assert [("resumptionToken" in params) for params in _list_requests(peer)] == [False, True, True, False, True, True]
    assert _state(catalogue) == _peer_state(peer)


def test_a_token_refused_again_and_again_stops_the_run(catalogue: Database, peer: FaultPeer, fetcher: Fetcher) -> None:
    peer.inject(OAIError("badResumptionToken"), page=2, times=None)
    info = _run(catalogue, peer.url, fetcher)
    assert info.status == "failed" and info.errors[0]["kind"] == "Stalled bad-resumption-token"


@pytest.mark.parametrize("fault,rule", [(RepeatToken(), "repeated-token"), (EmptyPage(), "empty-pages")])
def test_a_looping_provider_is_stopped_by_a_named_rule(catalogue: Database, peer: FaultPeer, fetcher: Fetcher,
                                                       fault: object, rule: str) -> None:
    peer.inject(fault, page=2, times=None)
    info = _run(catalogue, peer.url, fetcher)
    assert info.status == "failed" and info.errors[0]["kind"] == f"Stalled {rule}"
    assert len(peer.received) < 20


def test_illegal_characters_are_removed_and_the_record_marked_altered(catalogue: Database, fetcher: Fetcher) -> None:
    records = sample_records(3, formats=("lom",))
    broken = records[1].formats["lom"].replace(b"</string>", b"\x01\x02</string>", 1)
    with _serving([records[0], replace(records[1], formats={"lom": broken}), records[2]]) as peer:
        info = _run(catalogue, peer.url, fetcher)
    assert (info.status, info.counts["new"]) == ("succeeded", 3)
    assert info.alterations["removed characters XML does not allow"] == 1
    with catalogue.reading() as session:
        stored = listing.get(session, harvested.local_id_for("peer", records[1].identifier), "lom")
    assert b"\x01" not in stored.metadata
    assert fromstring(stored.about).find("{*}originDescription").get("altered") == "true"


@pytest.mark.parametrize("target", ["file", "http"])
def test_external_entities_are_refused_without_reaching_for_them(catalogue: Database, peer: FaultPeer,
                                                                 fetcher: Fetcher, target: str) -> None:
    canary = FileCanary() if target == "file" else Canary()
    with canary:
        peer.inject(external_entity(canary.url), page=1)
        info = _run(catalogue, peer.url, fetcher)
        reached = canary.opened if target == "file" else canary.hits
    assert info.status == "failed" and info.errors[0]["kind"] == "UnsafeXMLError"
    assert not reached and _state(catalogue) == []


def test_an_entity_expansion_bomb_is_refused(catalogue: Database, peer: FaultPeer, fetcher: Fetcher) -> None:
    peer.inject(entity_bomb(), page=1)
    info = _run(catalogue, peer.url, fetcher)
    assert info.status == "failed" and info.errors[0]["kind"] == "UnsafeXMLError" and _state(catalogue) == []


def test_a_day_granularity_source_is_harvested_incrementally_by_date(catalogue: Database, fetcher: Fetcher) -> None:
    with _serving(sample_records(5), granularity="YYYY-MM-DD") as peer:
        _run(catalogue, peer.url, fetcher)
        today = utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")
        peer.catalogue.put(replace(sample_records(6)[5], datestamp=today))
        second = _run(catalogue, peer.url, fetcher)
        last_list = _list_requests(peer)[-1]
    assert last_list["from"] == [today[:10]] and second.counts["new"] == 1
    assert [datestamp for _, datestamp, _ in _state(catalogue)] == ["2024-01-01"] * 5 + [today[:10]]


def test_a_dc_only_source_is_crosswalked(catalogue: Database, fetcher: Fetcher) -> None:
    with _serving(sample_records(4, formats=("oai_dc",)), formats=(OAI_DC_FORMAT,)) as peer:
        info = _run(catalogue, peer.url, fetcher)
    assert (info.status, info.metadata_prefix, info.counts["new"]) == ("succeeded", "oai_dc", 4)
    assert info.alterations["crosswalked from oai_dc to IEEE LOM"] == 4


def test_a_legacy_lom_namespace_is_normalised(catalogue: Database, fetcher: Fetcher) -> None:
    records = [PeerRecord(f"oai:peer:{i}", f"2024-01-0{i + 1}T00:00:00Z", {"lom": ims_record(f"Golf {i}")})
               for i in range(3)]
    with _serving(records, formats=(IMSMD_FORMAT,)) as peer:
        info = _run(catalogue, peer.url, fetcher)
    assert (info.status, info.counts["new"]) == ("succeeded", 3)
    assert info.alterations["converted from IMS Meta-data 1.2 to IEEE LOM"] == 3
    with catalogue.reading() as session:
        stored = listing.get(session, harvested.local_id_for("peer", "oai:peer:0"), "lom")
    assert fromstring(stored.metadata).tag == f"{{{LOM}}}lom"


def test_deletions_updates_and_additions_between_two_runs_reach_the_catalogue(catalogue: Database,
                                                                              peer: FaultPeer,
                                                                              fetcher: Fetcher) -> None:
    _run(catalogue, peer.url, fetcher)
    later = (utcnow() + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    updated = sample_records(COUNT, seed=1)[3]
    peer.catalogue.put(replace(updated, datestamp=later))
    peer.catalogue.put(replace(sample_records(COUNT + 1)[COUNT], datestamp=later))
    peer.catalogue.delete(sample_records(COUNT)[7].identifier, later)
    second = _run(catalogue, peer.url, fetcher)
    assert {k: v for k, v in second.counts.items() if v} == {"pages": 1, "new": 1, "updated": 1, "deleted": 1}
    assert _state(catalogue) == _peer_state(peer)


def test_an_invalid_record_is_quarantined_and_listed_in_the_report(catalogue: Database, fetcher: Fetcher) -> None:
    records = sample_records(3, formats=("lom",))
    with _serving([records[0], replace(records[1], formats={"lom": invalid_lom_record()}), records[2]]) as peer:
        info = _run(catalogue, peer.url, fetcher)
    assert (info.status, info.counts["new"], info.counts["quarantined"]) == ("succeeded", 2, 1)
    with catalogue.reading() as session:
        (row,) = harvested.quarantined(session, run_id=info.id)
    assert row.identifier == records[1].identifier and row.reasons


def test_an_empty_source_is_a_successful_run_with_nothing_stored(catalogue: Database, fetcher: Fetcher) -> None:
    with _serving([]) as peer:
        info = _run(catalogue, peer.url, fetcher)
    assert (info.status, info.counts["pages"], info.counts["new"]) == ("succeeded", 1, 0)
