"""The servers Lectern's provider is measured against, as WSGI applications for gunicorn.

`pyoai_app`: the ready-made Python provider a user would otherwise pick, pyoai's
`oaipmh.server.BatchingServer` (the `oaipmh` 4.x package) behind the smallest WSGI wrapper, over the
same SQLite catalogue. Its interface hands the implementation a cursor and a batch size, so the
natural implementation pages with OFFSET (written so that SQLite skips along the `(exposed, seq)`
index: with `WHERE exposed` it would read every skipped row, 250 ms a page at the end of 100,000
records instead of 6 ms); each record's stored bytes are parsed into an element,
and a metadata writer appends it to the response tree, which pyoai serialises at the end. It reads
the file through `sqlite3` directly, which is cheaper than SQLAlchemy: the peer gets the benefit of
every doubt.

`pages_app`: the limit. Every page of the list is rendered by Lectern's provider at start-up and
kept in memory; a request is one dictionary lookup. What a client reaches against it is what the
client itself can take.

Both are started by gunicorn from a call with literal arguments, e.g.
`gunicorn 'bench.peers:pyoai_app("/tmp/x.sqlite", 200)'`.
"""
from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from urllib.parse import parse_qs

from oaipmh import common, error, metadata, server

from catalogue.db import Database
from metadata.xmlsafe import fromstring
from oai import provider
from oai.formats import FORMATS
from oai.settings import ProviderSettings

REPOSITORY_IDENTIFIER = "bench.lectern.example.org"
ADMIN = "bench@lectern.example.org"
_COLUMNS = {fmt.prefix: fmt.stored_as for fmt in FORMATS.values()}
"""metadataPrefix → items column (both keys are our own constants, never the request's text)."""
_TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]*)</resumptionToken>")

WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def _respond(start_response: Callable, status: str, body: bytes) -> list[bytes]:
    start_response(status, [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


def _arguments(environ: dict) -> dict[str, list[str]]:
    return parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)


class _CatalogueOAI:
    """pyoai's `IBatchingOAI` over our SQLite file (the method names are pyoai's interface)."""

    def __init__(self, path: str, base_url: str) -> None:
        self._path = path
        self._local = threading.local()  # a sqlite3 connection serves the thread that opened it
        self._identify = common.Identify("pyoai peer", base_url, "2.0", [ADMIN], datetime(2000, 1, 1),
                                         "persistent", "YYYY-MM-DDThh:mm:ssZ", ["identity"])

    def _connection(self) -> sqlite3.Connection:
        if not hasattr(self._local, "connection"):
            self._local.connection = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True)
        return self._local.connection

    def identify(self) -> common.Identify:
        return self._identify

    def listMetadataFormats(self, identifier: str | None = None) -> list[tuple[str, str, str]]:  # noqa: N802
        return [(fmt.prefix, fmt.schema, fmt.namespace) for fmt in FORMATS.values()]

    def listSets(self, cursor: int = 0, batch_size: int = 10) -> list:  # noqa: N802
        raise error.NoSetHierarchyError("the peer serves no sets")

    def _rows(self, prefix: str, cursor: int, batch_size: int) -> Iterator[tuple]:
        if prefix not in _COLUMNS:
            raise error.CannotDisseminateFormatError(prefix)
        query = (f"SELECT local_id, datestamp, deleted, set_specs, {_COLUMNS[prefix]} FROM items "
                 "WHERE exposed = 1 ORDER BY seq LIMIT ? OFFSET ?")  # OFFSET skips along an index: 6 ms at 100,000
        for local_id, stamp, deleted, specs, body in self._connection().execute(query, (batch_size, cursor)):
            header = common.Header(None, f"oai:{REPOSITORY_IDENTIFIER}:{local_id}", datetime.fromisoformat(stamp),
                                   specs.split(), bool(deleted))
            yield header, None if deleted else fromstring(body), None

    def listRecords(self, metadataPrefix: str, set: str | None = None, from_: datetime | None = None,  # noqa: N802,N803,A002
                    until: datetime | None = None, cursor: int = 0, batch_size: int = 10) -> list[tuple]:
        return list(self._rows(metadataPrefix, cursor, batch_size))

    def listIdentifiers(self, metadataPrefix: str, set: str | None = None, from_: datetime | None = None,  # noqa: N802,N803,A002
                        until: datetime | None = None, cursor: int = 0, batch_size: int = 10) -> list:
        return [header for header, _, _ in self._rows(metadataPrefix, cursor, batch_size)]

    def getRecord(self, metadataPrefix: str, identifier: str) -> tuple:  # noqa: N802,N803
        raise error.IdDoesNotExistError(identifier)


def _append_stored(element, stored) -> None:  # type: ignore[no-untyped-def]
    """pyoai metadata writer: the record's stored element goes under `<metadata>` as it is."""
    element.append(stored)


def pyoai_app(path: str, page_size: int) -> WSGIApp:
    """pyoai's BatchingServer over the SQLite catalogue at `path`, `page_size` records a page."""
    registry = metadata.MetadataRegistry()
    for prefix in _COLUMNS:
        registry.registerWriter(prefix, _append_stored)
    oai_server = server.BatchingServer(_CatalogueOAI(path, "http://127.0.0.1/oai"), metadata_registry=registry,
                                       resumption_batch_size=page_size)

    def app(environ: dict, start_response: Callable) -> list[bytes]:
        arguments = {name: values[0] for name, values in _arguments(environ).items()}
        return _respond(start_response, "200 OK", oai_server.handleRequest(arguments))

    return app


def prerendered_pages(database_url: str, prefix: str, page_size: int) -> dict[str, bytes]:
    """Every page of `ListRecords` in `prefix`, as Lectern serves it, by the token that asks for it
    ('' for the first page)."""
    settings = ProviderSettings(repository_name="limit", base_url="http://127.0.0.1/oai", admin_emails=(ADMIN,),
                                repository_identifier=REPOSITORY_IDENTIFIER, token_secret="limit",
                                page_size=page_size)
    database = Database(database_url)
    pages: dict[str, bytes] = {}
    token = ""
    arguments = {"verb": ["ListRecords"], "metadataPrefix": [prefix]}
    try:
        while token not in pages:
            pages[token] = b"".join(provider.handle(arguments, database, settings).body_iter)
            found = _TOKEN.search(pages[token])
            if not found or not found.group(1):
                break
            token = found.group(1).decode("ascii")
            arguments = {"verb": ["ListRecords"], "resumptionToken": [token]}
    finally:
        database.dispose()
    return pages


def pages_app(database_url: str, prefix: str, page_size: int) -> WSGIApp:
    """The limit: the list's pages rendered once, then handed out from memory."""
    pages = prerendered_pages(database_url, prefix, page_size)

    def app(environ: dict, start_response: Callable) -> list[bytes]:
        body = pages.get(_arguments(environ).get("resumptionToken", [""])[0])
        if body is None:
            return _respond(start_response, "404 Not Found", b"<unknown/>")
        return _respond(start_response, "200 OK", body)

    return app
