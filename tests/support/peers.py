"""Real OAI-PMH servers for harvester tests, on 127.0.0.1 with an ephemeral port, each in a thread.

- `FaultPeer`: our scripted provider (`tests.support.peer_catalogue`) with faults injected per request
  number or per list page (what a resumption token points at): HTTP errors with `Retry-After`, dropped
  connections, stalls, slow drip, truncated pages, HTML with status 200, OAI errors mid-list, hostile
  prologues. It logs every request it receives, so a test can assert that the harvester asked for
  nothing it was not sent to.
- `pyoai_peer(records)`: a third party's server, pyoai's `oaipmh.server.BatchingServer` (package
  `oaipmh` 4.x) behind a small WSGI wrapper, serving the same `PeerRecord`s as lxml elements.
- `Canary` (HTTP) and `FileCanary` (a named pipe): targets for external entities that record whether
  anything ever reached for them.

Threads rather than subprocesses: faults are scripted by the test while the peer runs, and the request
log is read directly.
"""
from __future__ import annotations

import copy
import gzip
import os
import socket
import socketserver
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from lxml import etree
from oaipmh import common as pyoai_common
from oaipmh import error as pyoai_error
from oaipmh.metadata import MetadataRegistry
from oaipmh.server import BatchingServer

from metadata import xmlsafe
from metadata.datestamps import SECONDS, parse_datestamp, utcnow
from tests.support.faults import (
    HTML_PAGE, Doctype, Drip, Drop, EmptyPage, Fault, Html, OAIError, Redirect, RepeatToken, Stall, Status, Truncate,
    entity_bomb, external_entity,
)
from tests.support.peer_catalogue import (
    IMSMD_FORMAT, LOM_FORMAT, OAI_DC_FORMAT, Catalogue, Format, PeerRecord, page_of, sample_records,
    with_illegal_characters,
)

__all__ = [
    "Canary", "Doctype", "Drip", "Drop", "EmptyPage", "FaultPeer", "FileCanary", "Html", "IMSMD_FORMAT",
    "LOM_FORMAT", "OAI_DC_FORMAT", "OAIError", "PeerRecord", "Received", "Redirect", "RepeatToken", "Stall",
    "Status", "Truncate", "entity_bomb", "external_entity", "pyoai_peer", "sample_records", "with_illegal_characters",
]


class LoopbackServer:
    """A socketserver serving in a daemon thread; a context manager that gives `url`."""

    def __init__(self, server: socketserver.TCPServer, path: str = "") -> None:
        self.server = server
        self.path = path
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{self.path}"

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=10)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A harvester hanging up on a stalled or dripping answer is expected, not an error."""


def _loopback(handler: type[BaseHTTPRequestHandler]) -> _QuietServer:
    return _QuietServer(("127.0.0.1", 0), handler)


@dataclass(frozen=True)
class Received:
    """One request as the peer saw it."""

    number: int
    method: str
    path: str
    params: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class _Injection:
    fault: Fault
    request: int | None
    page: int | None
    remaining: int | None


class FaultPeer(LoopbackServer):
    """The scripted provider; `url` is its OAI-PMH base URL (`.../oai`)."""

    def __init__(self, records: Iterable[PeerRecord] = (), *, page_size: int = 10, granularity: str = SECONDS,
                 formats: Iterable[Format] = (LOM_FORMAT, OAI_DC_FORMAT), deleted_record: str = "persistent",
                 compress: bool = False, clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(_loopback(_FaultHandler), "/oai")
        self.server.peer = self  # type: ignore[attr-defined]
        self.catalogue = Catalogue(records, formats=formats, page_size=page_size, granularity=granularity,
                                   deleted_record=deleted_record, clock=clock)
        self.catalogue.base_url = self.url
        self.compress = compress
        self.received: list[Received] = []
        self._injections: list[_Injection] = []
        self._lock = threading.Lock()

    def inject(self, fault: Fault, *, request: int | None = None, page: int | None = None,
               times: int | None = 1) -> None:
        """Answer request number `request` (from 1), or requests for list page `page`, with `fault`;
        `times` limits how often it fires (None: always)."""
        with self._lock:
            self._injections.append(_Injection(fault, request, page, times))

    def unexpected(self) -> list[Received]:
        """Requests the peer never sent the harvester to: another path, or a token it did not issue."""
        return [received for received in self.received
                if received.path != "/oai" or any(token not in self.catalogue.issued
                                                  for token in received.params.get("resumptionToken", []))]

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        params = self._params(handler)
        with self._lock:
            number = len(self.received) + 1
            self.received.append(Received(number, handler.command, urlsplit(handler.path).path, params,
                                          dict(handler.headers.items())))
            fault = self._take(number, params)
        status, headers, body = self._plan(params, fault)
        if status == 200 and self.compress:
            headers, body = _compressed(handler.headers.get("Accept-Encoding", ""), headers, body)
        _send(handler, status, headers, body, fault)

    @staticmethod
    def _params(handler: BaseHTTPRequestHandler) -> dict[str, list[str]]:
        query = urlsplit(handler.path).query
        if handler.command == "POST":
            query = handler.rfile.read(int(handler.headers.get("Content-Length") or 0)).decode("utf-8")
        return parse_qs(query, keep_blank_values=True)

    def _take(self, number: int, params: dict[str, list[str]]) -> Fault | None:
        page = self._page(params)
        for injection in self._injections:
            matches = injection.request == number or (injection.page is not None and injection.page == page)
            if matches and injection.remaining != 0:
                if injection.remaining is not None:
                    injection.remaining -= 1
                return injection.fault
        return None

    def _page(self, params: dict[str, list[str]]) -> int | None:
        if params.get("verb", [""])[0] not in ("ListRecords", "ListIdentifiers"):
            return None
        tokens = params.get("resumptionToken")
        if tokens and tokens[0] not in self.catalogue.issued:
            return None
        return page_of(tokens[0] if tokens else None, self.catalogue.page_size)

    def _plan(self, params: dict[str, list[str]], fault: Fault | None) -> tuple[int, dict[str, str], bytes]:
        if isinstance(fault, Status):
            return fault.code, {"Retry-After": fault.retry_after} if fault.retry_after else {}, b""
        if isinstance(fault, Html):
            return fault.status, {"Content-Type": "text/html; charset=utf-8"}, HTML_PAGE
        if isinstance(fault, Redirect):
            return fault.status, {"Location": fault.location}, b""
        if isinstance(fault, OAIError):
            body = self.catalogue.error(fault.code, fault.message, params)
        else:
            body = self.catalogue.answer(params, empty_page=isinstance(fault, EmptyPage),
                                         repeat_token=isinstance(fault, RepeatToken))
        if isinstance(fault, Doctype):
            body = fault.apply(body)
        if isinstance(fault, Truncate):
            body = body[: int(len(body) * fault.keep)]
        return 200, {"Content-Type": "text/xml; charset=utf-8"}, body


def _compressed(accepted: str, headers: dict[str, str], body: bytes) -> tuple[dict[str, str], bytes]:
    if "gzip" in accepted:
        return {**headers, "Content-Encoding": "gzip"}, gzip.compress(body)
    if "deflate" in accepted:
        return {**headers, "Content-Encoding": "deflate"}, zlib.compress(body)
    return headers, body


def _send(handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes,
          fault: Fault | None) -> None:
    """Write the answer the way the fault says; a harvester that hangs up is fine."""
    try:
        if isinstance(fault, Stall) and fault.after is None:
            time.sleep(fault.seconds)
        handler.send_response(status)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            handler.send_header(name, value)
        handler.end_headers()
        _write_body(handler, body, fault)
    except (BrokenPipeError, ConnectionResetError):
        handler.close_connection = True


def _write_body(handler: BaseHTTPRequestHandler, body: bytes, fault: Fault | None) -> None:
    out = handler.wfile
    if isinstance(fault, Drop):
        out.write(body[: fault.after])
        out.flush()
        handler.connection.shutdown(socket.SHUT_RDWR)
        handler.close_connection = True
    elif isinstance(fault, Stall) and fault.after is not None:
        out.write(body[: fault.after])
        out.flush()
        time.sleep(fault.seconds)
        out.write(body[fault.after:])
    elif isinstance(fault, Drip):
        for start in range(0, len(body), fault.size):
            out.write(body[start:start + fault.size])
            out.flush()
            time.sleep(fault.interval)
    else:
        out.write(body)


class _FaultHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.server.peer.handle(self)  # type: ignore[attr-defined]

    do_POST = do_GET

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the peer's own request log is what tests read."""


# -- canaries ---------------------------------------------------------------------------------

class _CanaryHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.server.hits.append(self.path)  # type: ignore[attr-defined]
        body = b"<!ENTITY leaked 'canary'>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet."""


class Canary(LoopbackServer):
    """An HTTP server that only records who called it (`hits`): the target of an external entity."""

    def __init__(self) -> None:
        super().__init__(_loopback(_CanaryHandler), "/secret.dtd")
        self.hits: list[str] = []
        self.server.hits = self.hits  # type: ignore[attr-defined]


class FileCanary:
    """A named pipe standing in for a local file: `opened` turns true if anything opens it to read.

    A writer thread blocks opening the pipe until a reader does; the harvester's parser would be
    that reader. On exit the canary opens it itself (after noting it is doing so) to free the thread.
    """

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="file-canary-")
        self.path = Path(self._folder.name) / "passwd"
        os.mkfifo(self.path)
        self.opened = False
        self._closing = False
        self._thread = threading.Thread(target=self._wait_for_reader, daemon=True)

    @property
    def url(self) -> str:
        return self.path.as_uri()

    def _wait_for_reader(self) -> None:
        descriptor = os.open(self.path, os.O_WRONLY)
        if not self._closing:
            self.opened = True
            os.write(descriptor, b"root:x:0:0:canary\n")
        os.close(descriptor)

    def __enter__(self) -> FileCanary:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._closing = True
        reader = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        self._thread.join(timeout=10)
        os.close(reader)
        self._folder.cleanup()


# -- the pyoai peer ---------------------------------------------------------------------------

class _PyoaiCatalogue:
    """pyoai's `IBatchingOAI` over `PeerRecord`s, whose metadata it holds as lxml elements."""

    def __init__(self, records: Iterable[PeerRecord], formats: Iterable[Format]) -> None:
        self.records = sorted(records, key=lambda record: (record.datestamp, record.identifier))
        self.elements = {(record.identifier, prefix): xmlsafe.fromstring(data)
                         for record in self.records for prefix, data in record.formats.items()}
        self.formats = {item.prefix: item for item in formats}
        self.base_url = ""

    def identify(self) -> pyoai_common.Identify:
        earliest = parse_datestamp(self.records[0].datestamp) if self.records else datetime(2000, 1, 1)
        return pyoai_common.Identify("pyoai peer", self.base_url, "2.0", ["peer@example.org"], earliest,
                                     "persistent", SECONDS, ["identity"], toolkit_description=False)

    def listMetadataFormats(self, identifier: str | None = None) -> list[tuple[str, str, str]]:  # noqa: N802
        prefixes = self.formats if identifier is None else self._record(identifier).formats
        return [(item.prefix, item.schema, item.namespace) for item in self.formats.values() if item.prefix in prefixes]

    def listSets(self, cursor: int = 0, batch_size: int = 10) -> list[tuple[str, str, None]]:  # noqa: N802
        specs = sorted({spec for record in self.records for spec in record.sets})
        if not specs:
            raise pyoai_error.NoSetHierarchyError("this repository has no sets")
        return [(spec, spec, None) for spec in specs][cursor:cursor + batch_size]

    def getRecord(self, metadataPrefix: str, identifier: str) -> tuple:  # noqa: N802, N803
        record = self._record(identifier)
        if not record.deleted and metadataPrefix not in record.formats:
            raise pyoai_error.CannotDisseminateFormatError(metadataPrefix)
        return self._item(record, metadataPrefix)

    def listIdentifiers(self, metadataPrefix: str, set: str | None = None, from_: datetime | None = None,  # noqa: N802, N803, A002
                        until: datetime | None = None, cursor: int = 0, batch_size: int = 10) -> list:
        chosen = self._select(metadataPrefix, set, from_, until)[cursor:cursor + batch_size]
        return [self._header(record) for record in chosen]

    def listRecords(self, metadataPrefix: str, set: str | None = None, from_: datetime | None = None,  # noqa: N802, N803, A002
                    until: datetime | None = None, cursor: int = 0, batch_size: int = 10) -> list:
        chosen = self._select(metadataPrefix, set, from_, until)[cursor:cursor + batch_size]
        return [self._item(record, metadataPrefix) for record in chosen]

    def _select(self, prefix: str, set_spec: str | None, start: datetime | None, end: datetime | None) -> list:
        if prefix not in self.formats:
            raise pyoai_error.CannotDisseminateFormatError(prefix)
        return [record for record in self.records
                if (record.deleted or prefix in record.formats)
                and (start is None or parse_datestamp(record.datestamp) >= start)
                and (end is None or parse_datestamp(record.datestamp) <= end)
                and (set_spec is None or any(s == set_spec or s.startswith(set_spec + ":") for s in record.sets))]

    def _record(self, identifier: str) -> PeerRecord:
        for record in self.records:
            if record.identifier == identifier:
                return record
        raise pyoai_error.IdDoesNotExistError(identifier)

    def _header(self, record: PeerRecord) -> pyoai_common.Header:
        return pyoai_common.Header(None, record.identifier, parse_datestamp(record.datestamp), list(record.sets),
                                   record.deleted)

    def _item(self, record: PeerRecord, prefix: str) -> tuple:
        if record.deleted:
            return self._header(record), None, None
        return self._header(record), pyoai_common.Metadata(self.elements[record.identifier, prefix], {}), None


def _copy_writer(container: etree._Element, metadata: pyoai_common.Metadata) -> None:
    """pyoai's writer hook: put a copy of the stored element under `<metadata>`."""
    container.append(copy.deepcopy(metadata.element()))


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietWSGIHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet."""


def pyoai_peer(records: Iterable[PeerRecord], *, page_size: int = 10,
               formats: Iterable[Format] = (LOM_FORMAT, OAI_DC_FORMAT)) -> LoopbackServer:
    """pyoai's own server over `records`; use as a context manager and harvest `url`."""
    catalogue = _PyoaiCatalogue(records, formats)
    registry = MetadataRegistry()
    for item in catalogue.formats:
        registry.registerWriter(item, _copy_writer)
    server = BatchingServer(catalogue, registry, resumption_batch_size=page_size)

    def application(environ: dict, start_response: Callable) -> list[bytes]:
        query = environ.get("QUERY_STRING", "")
        if environ["REQUEST_METHOD"] == "POST":
            query = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)).decode("utf-8")
        arguments = {name: values[0] for name, values in parse_qs(query, keep_blank_values=True).items()}
        body = server.handleRequest(arguments)
        start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(body)))])
        return [body]

    wsgi = make_server("127.0.0.1", 0, application, server_class=_ThreadingWSGIServer,
                       handler_class=_QuietWSGIHandler)
    peer = LoopbackServer(wsgi, "/oai")
    catalogue.base_url = peer.url
    return peer
