"""Harvesting real servers over loopback: a third party's (pyoai's `oaipmh.server`, serving the LOM records
of the shared corpus) and our own (`lectern serve`); afterwards the catalogue equals the source.

"Equals" means: every identifier the source lists is in the catalogue with the source's datestamp and
deleted flag, or, for a record the `lom-loose` profile refuses, in quarantine with its reasons; and
every stored record's metadata is the source's, as ingest makes it IEEE LOM (the same normalisation
applied to the source's own bytes gives the stored bytes, canonically compared).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree

from catalogue import harvested, listing, sources, summaries
from catalogue.db import Database
from harvester import ingest
from harvester.http import Fetcher
from harvester.run import Options, harvest
from metadata.detect import MAX_DOCUMENT_BYTES, find_records
from metadata.validation import DOCUMENT_ERRORS
from metadata.xmlsafe import fromstring
from tests.support.catalogue import delete_samples
from tests.support.peers import LOM_FORMAT, PeerRecord, pyoai_peer
from tests.support.provider_peer import fill, live_provider

pytestmark = pytest.mark.slow

NOW = datetime(2025, 6, 1, 10, 0, 0)


@dataclass(frozen=True)
class Source:
    """What the peer serves: identifier → (datestamp, deleted, LOM bytes or None)."""

    records: dict[str, tuple[str, bool, bytes | None]]


def _corpus_records(corpus: Path) -> list[bytes]:
    """Every LOM record (IEEE or a legacy binding) found in the corpus, serialised, in file order."""
    found = []
    for path in sorted(corpus.rglob("*.xml")):
        try:
            found += [etree.tostring(record.element) for record in find_records(path, MAX_DOCUMENT_BYTES)
                      if record.kind == "lom"]
        except DOCUMENT_ERRORS:
            continue  # the corpus keeps some broken and record-less files on purpose
    return found


@pytest.fixture(scope="module")
def corpus_source(corpus: Path) -> Source:
    lom = _corpus_records(corpus)
    assert len(lom) > 100
    start = datetime(2024, 1, 1)
    records = {f"oai:corpus.example.org:{n:04d}": ((start + timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                                     n % 25 == 7, None if n % 25 == 7 else data)
               for n, data in enumerate(lom)}
    return Source(records)


def _add(catalogue: Database, url: str) -> None:
    with catalogue.writing() as session:
        sources.add(session, "peer", url, now=NOW)


def _harvest(catalogue: Database) -> None:
    with Fetcher(from_email="test@lectern.test") as fetcher:
        info = harvest(catalogue, "peer", fetcher, Options())
    assert info is not None and info.status == "succeeded", info


def _canonical(element: etree._Element) -> str:
    return etree.canonicalize(etree.tostring(element, encoding="unicode"), strip_text=True)


def _assert_catalogue_equals(catalogue: Database, source: Source) -> None:
    with catalogue.reading() as session:
        stored = {line.identifier: line for line in harvested.every_from(session, "peer")}
        quarantined = {row.identifier for row in harvested.quarantined(session, "peer")}
        assert not stored.keys() & quarantined
        assert stored.keys() | quarantined == source.records.keys()
        for identifier, line in stored.items():
            datestamp, deleted, data = source.records[identifier]
            assert (line.datestamp, line.deleted) == (datestamp, deleted), identifier
            if not deleted:
                expected = ingest.prepare(fromstring(data)).lom
                row = listing.get(session, line.local_id, "lom")
                assert _canonical(fromstring(row.metadata)) == _canonical(expected), identifier
    assert all(not source.records[identifier][1] for identifier in quarantined)


def test_pyoai_serving_the_corpus_is_mirrored(catalogue: Database, corpus_source: Source) -> None:
    records = [PeerRecord(identifier, datestamp, {} if deleted else {"lom": data}, deleted=deleted)
               for identifier, (datestamp, deleted, data) in corpus_source.records.items()]
    with pyoai_peer(records, page_size=20, formats=(LOM_FORMAT,)) as peer:
        _add(catalogue, peer.url)
        _harvest(catalogue)
    _assert_catalogue_equals(catalogue, corpus_source)
    with catalogue.reading() as session:
        assert len(harvested.quarantined(session, "peer")) < len(corpus_source.records) // 5


@pytest.fixture(scope="module")
def lectern_peer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Source]]:
    """`lectern serve` over 57 sample records, five of them deleted, pages of ten."""
    instance = tmp_path_factory.mktemp("lectern-peer")
    url = f"sqlite:///{instance / 'lectern.sqlite'}"
    fill(url, 57, now=NOW)
    database = Database(url)
    delete_samples(database, [3, 10, 11, 40, 56], now=NOW + timedelta(hours=1))
    with database.reading() as session:
        records = {
            f"oai:peer.example.org:{line.local_id}": (
                line.datestamp.strftime("%Y-%m-%dT%H:%M:%SZ"), line.deleted,
                None if line.deleted else listing.get(session, line.local_id, "lom").metadata)
            for line in summaries.every(session)
        }
    database.dispose()
    with live_provider(instance, page_size=10) as server:
        yield server.url + "/oai", Source(records)


def test_our_own_provider_is_mirrored(catalogue: Database, lectern_peer: tuple[str, Source]) -> None:
    url, source = lectern_peer
    _add(catalogue, url)
    _harvest(catalogue)
    _assert_catalogue_equals(catalogue, source)
    with catalogue.reading() as session:
        assert harvested.quarantined(session) == []
