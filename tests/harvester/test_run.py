"""`harvester.run`: whole runs against our own provider, in process and on the test's clock.

The source is a second catalogue served by `oai.provider` (see `tests.support.provider_peer`), with
pages of five records, so a dozen records already make a list of three pages.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import delete as delete_rows

from catalogue import harvested, leases, listing, runs, sources
from catalogue.db import Database
from catalogue.migrate import upgrade
from catalogue.models import Item
from harvester import ingest
from harvester.run import Options, harvest
from metadata.namespaces import LOM, OAI_DC
from metadata.samples import record_id
from metadata.xmlsafe import fromstring
from oai.settings import ProviderSettings
from tests.support.catalogue import delete_samples, store_samples
from tests.support.oai import Endpoint, harvest as list_all, xpath
from tests.support.provider_peer import BASE_URL, ProviderFetcher

START = datetime(2025, 3, 1, 9, 0, 0)
REPOSITORY = "peer.example.org"


@dataclass
class Clock:
    """The time of the harvester and of the peer; tests move it."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def source_catalogue(tmp_path: Path) -> Iterator[Database]:
    """The peer's catalogue: twelve sample records, two of them deleted."""
    database = Database(f"sqlite:///{tmp_path / 'peer.db'}")
    upgrade(database)
    store_samples(database, range(12), now=START - timedelta(days=30))
    delete_samples(database, [2, 7], now=START - timedelta(days=20))
    yield database
    database.dispose()


@pytest.fixture
def endpoint(source_catalogue: Database) -> Endpoint:
    return Endpoint(source_catalogue, ProviderSettings(
        repository_name="Peer", base_url=BASE_URL, admin_emails=("oai@peer.example.org",),
        repository_identifier=REPOSITORY, token_secret="peer secret", page_size=5))


@pytest.fixture
def peer(endpoint: Endpoint, clock: Clock) -> ProviderFetcher:
    return ProviderFetcher(endpoint, clock)


def _add(catalogue: Database, **settings: object) -> sources.SourceConfig:
    with catalogue.writing() as session:
        return sources.add(session, "peer", BASE_URL, now=START, **settings)


def _run(catalogue: Database, peer: ProviderFetcher, clock: Clock, **options: object) -> runs.RunInfo:
    info = harvest(catalogue, "peer", peer, Options(**options), clock=clock)
    assert info is not None
    return info


def _source_state(endpoint: Endpoint, clock: Clock, **selection: str) -> list[tuple[str, str, bool]]:
    """(identifier, datestamp, deleted) of every record the peer lists, by identifier."""
    pages = list_all(endpoint, {"verb": "ListIdentifiers", "metadataPrefix": "lom", **selection}, now=clock())
    headers = [header for page in pages for header in xpath(page, "//oai:header")]
    return sorted((xpath(h, "oai:identifier/text()")[0], xpath(h, "oai:datestamp/text()")[0],
                   h.get("status") == "deleted") for h in headers)


def _mirror(catalogue: Database) -> list[tuple[str, str, bool]]:
    with catalogue.reading() as session:
        return [(line.identifier, line.datestamp, line.deleted) for line in harvested.every_from(session, "peer")]


def _canonical(element: etree._Element) -> str:
    return etree.canonicalize(etree.tostring(element, encoding="unicode"), strip_text=True)


def _assert_same_metadata(catalogue: Database, endpoint: Endpoint, clock: Clock) -> None:
    """Each live record stored is the peer's record as ingest makes it LOM (normalisation included)."""
    pages = list_all(endpoint, {"verb": "ListRecords", "metadataPrefix": "lom"}, now=clock())
    with catalogue.reading() as session:
        for record in (r for page in pages for r in xpath(page, "//oai:record[oai:metadata]")):
            identifier = xpath(record, "oai:header/oai:identifier/text()")[0]
            expected = ingest.prepare(xpath(record, "oai:metadata/lom:lom")[0]).lom
            stored = listing.get(session, harvested.local_id_for("peer", identifier), "lom")
            assert _canonical(fromstring(stored.metadata)) == _canonical(expected), identifier


def _oai_id(index: int) -> str:
    return f"oai:{REPOSITORY}:{record_id(index)}"


def test_a_first_harvest_mirrors_the_source(catalogue: Database, endpoint: Endpoint, peer: ProviderFetcher,
                                            clock: Clock) -> None:
    _add(catalogue)
    info = _run(catalogue, peer, clock)
    assert info.status == "succeeded" and info.metadata_prefix == "lom"
    assert {k: v for k, v in info.counts.items() if v} == {"pages": 3, "new": 10, "deleted": 2}
    assert peer.verbs() == ["Identify", "ListMetadataFormats", "ListRecords", "ListRecords+token", "ListRecords+token"]
    assert "from" not in peer.requests[2]
    assert _mirror(catalogue) == _source_state(endpoint, clock)
    _assert_same_metadata(catalogue, endpoint, clock)


def test_harvested_records_are_served_with_provenance_in_the_source_set(catalogue: Database, peer: ProviderFetcher,
                                                                        clock: Clock) -> None:
    _add(catalogue)
    _run(catalogue, peer, clock)
    with catalogue.reading() as session:
        row = listing.get(session, harvested.local_id_for("peer", _oai_id(0)), "lom")
    origin = fromstring(row.about).find("{*}originDescription")
    assert "source:peer" in row.set_specs
    assert (origin.findtext("{*}baseURL"), origin.findtext("{*}identifier")) == (BASE_URL, _oai_id(0))
    assert origin.findtext("{*}metadataNamespace") == LOM
    assert origin.get("harvestDate") == "2025-03-01T09:00:00Z"


def test_a_second_harvest_asks_only_for_changes_since_the_first_requests_response_date(
        catalogue: Database, endpoint: Endpoint, source_catalogue: Database, peer: ProviderFetcher,
        clock: Clock) -> None:
    _add(catalogue)
    first = _run(catalogue, peer, clock)
    clock.advance(hours=1)
    store_samples(source_catalogue, [3], now=clock(), seed=1)
    store_samples(source_catalogue, [12], now=clock())
    delete_samples(source_catalogue, [4], now=clock())
    clock.advance(hours=1)
    second = _run(catalogue, peer, clock)
    (listed,) = [request for request in peer.requests[len(peer.requests) - 1:]]
    assert listed["from"] == first.response_date == "2025-03-01T09:00:00Z"
    assert {k: v for k, v in second.counts.items() if v} == {"pages": 1, "new": 1, "updated": 1, "deleted": 1}
    assert _mirror(catalogue) == _source_state(endpoint, clock)
    _assert_same_metadata(catalogue, endpoint, clock)


def test_harvesting_an_unchanged_source_again_changes_nothing(catalogue: Database, peer: ProviderFetcher,
                                                             clock: Clock) -> None:
    _add(catalogue)
    _run(catalogue, peer, clock)
    with catalogue.reading() as session:
        before = listing.page(session, listing.Selection(), 0, 100, "lom")
    clock.advance(days=1)
    again = _run(catalogue, peer, clock, full=True)
    assert {k: v for k, v in again.counts.items() if v} == {"pages": 3, "unchanged": 12}
    with catalogue.reading() as session:
        assert listing.page(session, listing.Selection(), 0, 100, "lom") == before


def test_a_stopped_run_is_resumed_from_its_checkpoint(catalogue: Database, endpoint: Endpoint,
                                                      peer: ProviderFetcher, clock: Clock) -> None:
    _add(catalogue)
    stop = threading.Event()
    stopped = harvest(catalogue, "peer", peer, Options(), clock=clock, stop=stop, on_page=lambda items: stop.set())
    assert (stopped.status, stopped.counts["pages"], stopped.counts["new"]) == ("interrupted", 1, 5)
    with catalogue.reading() as session:
        (left,) = runs.positions(session, sources.get(session, "peer").id).values()
    assert left.pages == 1 and left.token
    sent = len(peer.requests)
    resumed = _run(catalogue, peer, clock)
    assert peer.verbs()[sent:] == ["Identify", "ListMetadataFormats", "ListRecords+token", "ListRecords+token"]
    assert peer.requests[sent + 2]["resumptionToken"] == left.token
    assert resumed.counts["new"] + stopped.counts["new"] == 10 and resumed.counts["pages"] == 2
    assert _mirror(catalogue) == _source_state(endpoint, clock)


def test_a_refused_resumption_token_restarts_the_list_from_its_window(catalogue: Database, endpoint: Endpoint,
                                                                      peer: ProviderFetcher, clock: Clock) -> None:
    tampered: list[str] = []

    def spoil_first_token(params: dict[str, str]) -> dict[str, str]:
        if "resumptionToken" in params and not tampered:
            tampered.append(params["resumptionToken"])
            return {**params, "resumptionToken": "spoilt"}
        return params

    peer.change_request = spoil_first_token
    _add(catalogue)
    info = _run(catalogue, peer, clock)
    assert info.status == "succeeded" and tampered
    assert peer.verbs()[2:] == ["ListRecords", "ListRecords+token", "ListRecords", "ListRecords+token",
                                "ListRecords+token"]
    assert (info.counts["new"], info.counts["unchanged"], info.counts["deleted"]) == (10, 5, 2)
    assert _mirror(catalogue) == _source_state(endpoint, clock)


def test_one_list_per_configured_set(catalogue: Database, endpoint: Endpoint, peer: ProviderFetcher,
                                     clock: Clock) -> None:
    _add(catalogue, set_specs=["lang:fr", "lang:de"])
    info = _run(catalogue, peer, clock)
    assert [request.get("set") for request in peer.requests if request["verb"] == "ListRecords"] == ["lang:fr", "lang:de"]
    expected = sorted({*_source_state(endpoint, clock, set="lang:fr"), *_source_state(endpoint, clock, set="lang:de")})
    assert _mirror(catalogue) == expected
    assert info.counts["new"] + info.counts["deleted"] == len(expected) > 0


def test_a_moderated_source_keeps_its_records_from_our_harvesters(catalogue: Database, peer: ProviderFetcher,
                                                                   clock: Clock) -> None:
    _add(catalogue, policy="moderate")
    assert _run(catalogue, peer, clock).counts["new"] == 10
    with catalogue.reading() as session:
        assert listing.page(session, listing.Selection(), 0, 100, None) == []
        assert len(list(harvested.every_from(session, "peer"))) == 12


def test_a_dc_source_is_crosswalked_and_marked_altered(catalogue: Database, peer: ProviderFetcher,
                                                       clock: Clock) -> None:
    _add(catalogue, prefix="oai_dc")
    info = _run(catalogue, peer, clock)
    assert (info.metadata_prefix, info.counts["new"]) == ("oai_dc", 10)
    assert info.alterations["crosswalked from oai_dc to IEEE LOM"] == 10
    with catalogue.reading() as session:
        about = fromstring(listing.get(session, harvested.local_id_for("peer", _oai_id(0)), "lom").about)
    assert about.findtext("{*}originDescription/{*}metadataNamespace") == OAI_DC
    assert about.find("{*}originDescription").get("altered") == "true"


def test_a_source_that_keeps_no_deletions_is_refreshed_by_comparing_identifiers(
        catalogue: Database, source_catalogue: Database, endpoint: Endpoint, peer: ProviderFetcher,
        clock: Clock) -> None:
    peer.change_body = lambda params, body: body.replace(b"<deletedRecord>persistent<", b"<deletedRecord>no<")
    _add(catalogue)
    _run(catalogue, peer, clock)
    with source_catalogue.writing() as session:  # gone without a trace, as such a source forgets records
        session.execute(delete_rows(Item).where(Item.local_id == record_id(5)))
    clock.advance(days=1)
    within = _run(catalogue, peer, clock)
    assert "ListIdentifiers" not in peer.verbs() and within.counts["deleted"] == 0
    clock.advance(days=7)
    refreshed = _run(catalogue, peer, clock)
    assert "ListIdentifiers" in peer.verbs() and refreshed.counts["deleted"] == 1
    assert (_oai_id(5), True) in {(identifier, deleted) for identifier, _, deleted in _mirror(catalogue)}
    with catalogue.reading() as session:
        assert sources.get(session, "peer").last_full_refresh == clock()


def test_an_oai_error_fails_the_run_with_the_request_url(catalogue: Database, peer: ProviderFetcher,
                                                         clock: Clock) -> None:
    peer.change_request = lambda params: {**params, "metadataPrefix": "marc"} if "metadataPrefix" in params else params
    _add(catalogue)
    info = _run(catalogue, peer, clock)
    (error,) = info.errors
    assert info.status == "failed"
    assert error["kind"] == "RemoteOAIError cannotDisseminateFormat" and "metadataPrefix=marc" in error["url"]
    with catalogue.reading() as session:
        assert sources.get(session, "peer").last_response_date is None


def test_an_empty_source_is_harvested_without_records(catalogue: Database, source_catalogue: Database,
                                                      peer: ProviderFetcher, clock: Clock) -> None:
    with source_catalogue.writing() as session:
        session.execute(delete_rows(Item))
    _add(catalogue)
    info = _run(catalogue, peer, clock)
    assert (info.status, info.counts["pages"], info.counts["new"]) == ("succeeded", 1, 0)


def test_a_source_harvested_by_another_process_is_left_alone(catalogue: Database, peer: ProviderFetcher,
                                                             clock: Clock) -> None:
    added = _add(catalogue)
    elsewhere = Database(catalogue.url)
    try:
        with leases.held(elsewhere, added.id, now=clock()) as lease:
            assert lease is not None
            assert harvest(catalogue, "peer", peer, Options(), clock=clock) is None
    finally:
        elsewhere.dispose()
    assert peer.requests == []


def test_a_scheduled_source_gets_its_next_due_time(catalogue: Database, peer: ProviderFetcher, clock: Clock) -> None:
    _add(catalogue, every_seconds=3600, next_due=START)
    clock.advance(minutes=10)
    info = _run(catalogue, peer, clock)
    assert info.next_due == START + timedelta(hours=1)
    with catalogue.reading() as session:
        assert sources.get(session, "peer").next_due == START + timedelta(hours=1)


def test_log_lines_carry_source_run_and_request_url(catalogue: Database, peer: ProviderFetcher, clock: Clock,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    _add(catalogue)
    with caplog.at_level("DEBUG", logger="harvester"):
        info = _run(catalogue, peer, clock)
    ours = [record for record in caplog.records if record.name.startswith("harvester.")]
    assert ours and all(record.source == "peer" and record.run_id == info.id for record in ours)
    assert all(record.url.startswith(BASE_URL) for record in ours)
    assert any("resumptionToken=" in record.url for record in ours)
