"""Real harvesters against a real server: Sickle, oaipmh-scythe and pyoai (`oaipmh` 4.x) over HTTP.

The server runs as a subprocess on a loopback port, once as `lectern serve` (Werkzeug, threaded)
and once under gunicorn with the documented production command, over a catalogue of sample
records with deletions and derived sets. Each client harvests ListRecords and ListIdentifiers in
both formats and one set through resumption tokens (page size 5); the identifiers it collects
must be exactly the catalogue's, deleted records reported as deleted. Every response a client
receives is checked against the official OAI-PMH schema on the way in.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
import requests
from oaipmh.client import Client
from oaipmh.metadata import MetadataReader, MetadataRegistry, oai_dc_reader
from oaipmh_scythe import Scythe
from sickle import Sickle

from catalogue import migrate, summaries
from catalogue.db import Database
from metadata.namespaces import LOM
from tests.support.catalogue import delete_samples, store_samples
from tests.support.oai import assert_oai_valid, header_identifiers, resumption_token
from tests.support.servers import LiveServer

pytestmark = pytest.mark.slow

RECORDS = 23
PAGE = 5
SET = "lang:nl"
REPOSITORY = "clients.example.org"
NOW = datetime(2025, 6, 1, 10, 0, 0)
LATER = datetime(2025, 6, 2, 10, 0, 0)
SERVERS = {
    "lectern-serve": [str(Path(sys.executable).with_name("lectern")), "serve", "--port", "0"],
    "gunicorn": [sys.executable, "-m", "gunicorn", "-w", "2", "--bind", "127.0.0.1:0", "web:create_app()"],
}


@dataclass(frozen=True)
class Expected:
    """What a complete harvest must find: every identifier, and which of them are deleted."""

    identifiers: frozenset[str]
    deleted: frozenset[str]

    def of_set(self, members: frozenset[str]) -> Expected:
        return Expected(self.identifiers & members, self.deleted & members)


@dataclass(frozen=True)
class Site:
    instance: Path
    everything: Expected
    in_set: Expected


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """An instance folder with settings and a catalogue: samples, some deleted, some in `SET`."""
    instance = tmp_path_factory.mktemp("clients-instance")
    (instance / "lectern.toml").write_text(
        f'page_size = {PAGE}\nrepository_identifier = "{REPOSITORY}"\nlog_format = "text"\n', encoding="utf-8")
    database = Database(f"sqlite:///{instance / 'lectern.sqlite'}")
    migrate.upgrade(database)
    store_samples(database, range(RECORDS), now=NOW)
    with database.reading() as session:
        members = frozenset(f"oai:{REPOSITORY}:{line.local_id}" for line in summaries.every(session)
                            if SET in line.set_specs)
    in_set = sorted(int(identifier.rsplit("-", 1)[1]) for identifier in members)
    assert 3 <= len(in_set) < RECORDS, "the sample set should be a real subset"
    gone = [in_set[0], in_set[-1], next(i for i in range(RECORDS) if i not in in_set)]
    delete_samples(database, gone, now=LATER)
    with database.reading() as session:
        lines = list(summaries.every(session))
    database.dispose()
    everything = Expected(frozenset(f"oai:{REPOSITORY}:{line.local_id}" for line in lines),
                          frozenset(f"oai:{REPOSITORY}:{line.local_id}" for line in lines if line.deleted))
    yield Site(instance, everything, everything.of_set(members))


@pytest.fixture(scope="module", params=sorted(SERVERS))
def live_oai(request: pytest.FixtureRequest, site: Site) -> Iterator[LiveServer]:
    """The server, started once per module and kind; its log is attached to failing tests."""
    with LiveServer(SERVERS[request.param], env={"LECTERN_INSTANCE": str(site.instance)}) as server:
        yield server


class _CheckedSickle(Sickle):
    def harvest(self, **kwargs):  # type: ignore[no-untyped-def]
        response = super().harvest(**kwargs)
        assert_oai_valid(response.http_response.content)
        return response


class _CheckedScythe(Scythe):
    def harvest(self, query):  # type: ignore[no-untyped-def]
        response = super().harvest(query)
        assert_oai_valid(response.http_response.content)
        return response


class _CheckedPyoai(Client):
    def makeRequest(self, **kw):  # type: ignore[no-untyped-def]
        body = super().makeRequest(**kw)
        assert_oai_valid(body)
        return body


Harvested = list[tuple[str, bool, bool]]
"""(identifier, deleted, carries metadata) per item, in the order the client returned them."""


def _sickle(url: str, verb: str, prefix: str, set_spec: str | None) -> Harvested:
    client = _CheckedSickle(url, timeout=30)
    arguments = {"metadataPrefix": prefix, **({"set": set_spec} if set_spec else {})}
    if verb == "ListIdentifiers":
        return [(header.identifier, header.deleted, False) for header in client.ListIdentifiers(**arguments)]
    return [(record.header.identifier, record.deleted, bool(getattr(record, "metadata", None)))
            for record in client.ListRecords(**arguments)]


def _scythe(url: str, verb: str, prefix: str, set_spec: str | None) -> Harvested:
    with _CheckedScythe(url) as client:
        if verb == "ListIdentifiers":
            return [(header.identifier, header.deleted, False)
                    for header in client.list_identifiers(metadata_prefix=prefix, set_=set_spec)]
        return [(record.header.identifier, record.deleted, bool(getattr(record, "metadata", None)))
                for record in client.list_records(metadata_prefix=prefix, set_=set_spec)]


_LOM_READER = MetadataReader(fields={"title": ("textList", "lom:lom/lom:general/lom:title/lom:string/text()")},
                             namespaces={"lom": LOM})


def _pyoai(url: str, verb: str, prefix: str, set_spec: str | None) -> Harvested:
    registry = MetadataRegistry()
    registry.registerReader("oai_dc", oai_dc_reader)
    registry.registerReader("lom", _LOM_READER)
    client = _CheckedPyoai(url, registry)
    arguments = {"metadataPrefix": prefix, **({"set": set_spec} if set_spec else {})}
    if verb == "ListIdentifiers":
        return [(header.identifier(), header.isDeleted(), False) for header in client.listIdentifiers(**arguments)]
    return [(header.identifier(), header.isDeleted(), bool(metadata and metadata.getField("title")))
            for header, metadata, _ in client.listRecords(**arguments)]


CLIENTS: dict[str, Callable[[str, str, str, str | None], Harvested]] = {
    "sickle": _sickle, "oaipmh-scythe": _scythe, "pyoai": _pyoai}


def _check(harvested: Harvested, expected: Expected, verb: str) -> None:
    identifiers = [identifier for identifier, _, _ in harvested]
    assert len(identifiers) == len(set(identifiers)), "an unchanged record was harvested twice"
    assert set(identifiers) == expected.identifiers
    assert {identifier for identifier, deleted, _ in harvested if deleted} == expected.deleted
    if verb == "ListRecords":
        assert all(has_metadata for _, deleted, has_metadata in harvested if not deleted)


@pytest.mark.parametrize("prefix", ["oai_dc", "lom"])
@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_client_harvests_the_whole_catalogue(live_oai: LiveServer, site: Site, client: str, verb: str,
                                             prefix: str) -> None:
    harvested = CLIENTS[client](f"{live_oai.url}/oai", verb, prefix, None)
    _check(harvested, site.everything, verb)


@pytest.mark.parametrize("verb,prefix", [("ListRecords", "oai_dc"), ("ListIdentifiers", "lom")])
@pytest.mark.parametrize("client", sorted(CLIENTS))
def test_client_harvests_one_set(live_oai: LiveServer, site: Site, client: str, verb: str, prefix: str) -> None:
    harvested = CLIENTS[client](f"{live_oai.url}/oai", verb, prefix, SET)
    _check(harvested, site.in_set, verb)


def test_the_server_pages_with_resumption_tokens(live_oai: LiveServer) -> None:
    response = requests.get(f"{live_oai.url}/oai", params={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
                            timeout=30)
    root = assert_oai_valid(response.content)
    token = resumption_token(root)
    assert token is not None and token.value and token.complete_list_size == RECORDS
    assert len(header_identifiers(root)) == PAGE
