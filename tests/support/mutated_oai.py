"""Our own provider behind a loopback HTTP server that can be told to break the protocol.

The conformance battery must notice each way an endpoint goes wrong, so the tests need endpoints
that go wrong in one known way each. This server answers from `oai.provider.handle` over a real
catalogue and then applies the named faults to the answer (status, arguments or bytes). It records
every request it receives, so a test can show the battery asked nothing but the base URL.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from catalogue import migrate
from catalogue.db import Database
from oai.envelope import quote
from oai.provider import handle
from oai.settings import ProviderSettings
from tests.support.catalogue import delete_samples, store_samples

PATH = "/oai"
RECORDS = 13
DELETED = (2, 7)
FIRST_STORED = datetime(2025, 1, 1, 8, 0, 0)
"""Sample record i is stored at FIRST_STORED + 5 i hours, so date windows have something to select."""
_EMPTY_TOKEN = re.compile(rb"<resumptionToken[^>]*></resumptionToken>\n?")
_ISSUED_TOKEN = re.compile(rb"<resumptionToken[^>]*>([^<]+)</resumptionToken>")
_LAST_ITEM = re.compile(rb"(<record>(?:(?!<record>).)*?</record>\n?|<header>(?:(?!<header>).)*?</header>\n?)"
                        rb"(?=<resumptionToken)", re.DOTALL)
_LIST_OPENING = re.compile(rb"<(ListIdentifiers|ListRecords)>\n?")

Arguments = dict[str, list[str]]


@dataclass
class Exchange:
    """One request as the server saw it, and the answer's status and body after the faults."""

    method: str
    path: str
    arguments: Arguments
    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Faults:
    """Which faults to apply; see `FAULTS` for what each does."""

    names: frozenset[str]
    log: list[Exchange] = field(default_factory=list)
    carried_items: dict[str, bytes] = field(default_factory=dict)
    """Last item of each page, by the token that page issued (for `repeated-identifiers`)."""


def _errors_404(exchange: Exchange, faults: Faults) -> None:
    if b"<error " in exchange.body:
        exchange.status = 404


def _no_final_token(exchange: Exchange, faults: Faults) -> None:
    if "resumptionToken" in exchange.arguments:
        exchange.body = _EMPTY_TOKEN.sub(b"", exchange.body)


def _repeated_identifiers(exchange: Exchange, faults: Faults) -> None:
    """Each resumed page starts again with the last item of the page before."""
    token = exchange.arguments.get("resumptionToken", [""])[0]
    if token in faults.carried_items:
        carried = faults.carried_items[token]
        exchange.body = _LIST_OPENING.sub(lambda opening: opening.group(0) + carried, exchange.body, count=1)
    issued, last = _ISSUED_TOKEN.search(exchange.body), _LAST_ITEM.search(exchange.body)
    if issued and last:
        faults.carried_items[issued.group(1).decode()] = last.group(1)


def _day_granularity(exchange: Exchange, faults: Faults) -> None:
    """Identify declares day granularity while everything else stays in seconds."""
    exchange.body = exchange.body.replace(b"<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>",
                                          b"<granularity>YYYY-MM-DD</granularity>")


def _broken_get_record(exchange: Exchange, faults: Faults) -> None:
    if exchange.arguments.get("verb") == ["GetRecord"] and b"<error " not in exchange.body:
        exchange.body = exchange.body[: len(exchange.body) // 2]


def _misnamed_lom_element(exchange: Exchange, faults: Faults) -> None:
    """Every LOM record's general/structure becomes `shape`, which no LOM schema allows."""
    exchange.body = re.sub(rb"<(/?)structure>", rb"<\1shape>", exchange.body)


def _html_page(exchange: Exchange, faults: Faults) -> None:
    exchange.body = b"<!DOCTYPE html>\n<html><body><p>Our catalogue moved.</p></body></html>"


def _foreign_description(exchange: Exchange, faults: Faults) -> None:
    """Identify gains a description in a namespace Lectern has no schema for (branding)."""
    exchange.body = exchange.body.replace(b"</Identify>", b'<description><branding xmlns="http://www.openarchives.org'
                                          b'/OAI/2.0/branding/"><collectionIcon/></branding></description></Identify>')


def _busy_at_first(exchange: Exchange, faults: Faults) -> None:
    """The first request is turned away with 503 and Retry-After, as a busy server does."""
    if len(faults.log) == 1:
        exchange.status, exchange.body = 503, b"Busy; retry in 2 seconds.\n"
        exchange.headers.append(("Retry-After", "2"))


def _post_refused(exchange: Exchange, faults: Faults) -> None:
    if exchange.method == "POST":
        exchange.status, exchange.body = 405, b"<html><body>Method Not Allowed</body></html>"


FAULTS: dict[str, Callable[[Exchange, Faults], None]] = {
    "errors-404": _errors_404,
    "no-final-token": _no_final_token,
    "repeated-identifiers": _repeated_identifiers,
    "day-granularity": _day_granularity,
    "broken-get-record": _broken_get_record,
    "post-refused": _post_refused,
    "misnamed-lom-element": _misnamed_lom_element,
    "html-page": _html_page,
    "busy-at-first": _busy_at_first,
    "foreign-description": _foreign_description,
}
"""Faults applied to an answer after the provider made it."""

IGNORED_ARGUMENTS = {"ignores-dates": ("from", "until"), "ignores-sets": ("set",)}
"""Faults that make the provider ignore arguments (the request echo still shows them)."""


def _app(catalogue: Database, settings: ProviderSettings, faults: Faults, now: Callable[[], datetime] | None):
    def application(environ: dict, start_response: Callable) -> list[bytes]:
        method = environ["REQUEST_METHOD"]
        if method == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            query = environ["wsgi.input"].read(size).decode("utf-8")
        else:
            query = environ.get("QUERY_STRING", "")
        arguments = parse_qs(query, keep_blank_values=True)
        exchange = Exchange(method, environ.get("PATH_INFO", ""), arguments)
        faults.log.append(exchange)
        asked = {name: values for name, values in arguments.items()
                 if not any(name in IGNORED_ARGUMENTS.get(fault, ()) for fault in faults.names)}
        reply = handle(asked, catalogue, settings, now=now() if now else None)
        exchange.body = b"".join(reply.body_iter)
        if asked != arguments:
            exchange.body = re.sub(rb"<request[^>]*>", _echo_of(arguments), exchange.body, count=1)
        for name in sorted(faults.names & FAULTS.keys()):
            FAULTS[name](exchange, faults)
        start_response(f"{exchange.status} {'OK' if exchange.status == 200 else 'Fault'}",
                       [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(exchange.body))),
                        *exchange.headers])
        return [exchange.body]

    return application


def _echo_of(arguments: Arguments) -> bytes:
    attributes = "".join(f' {name}="{quote(values[0])}"' for name, values in sorted(arguments.items()))
    return f"<request{attributes}>".encode("utf-8")


def sample_catalogue(path: Path) -> Database:
    """A SQLite catalogue at `path` with `RECORDS` samples five hours apart, `DELETED` deleted later."""
    database = Database(f"sqlite:///{path}")
    migrate.upgrade(database)
    for index in range(RECORDS):
        store_samples(database, [index], now=FIRST_STORED + timedelta(hours=5 * index))
    delete_samples(database, DELETED, now=FIRST_STORED + timedelta(days=10))
    return database


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
        """Requests are in `Faults.log`; the test output stays clean."""


@contextmanager
def serve(catalogue: Database, settings: ProviderSettings, faults: frozenset[str] = frozenset(),
          now: Callable[[], datetime] | None = None) -> Iterator[tuple[str, Faults]]:
    """Serve the provider on 127.0.0.1 (ephemeral port) with `faults`; yield its base URL and log."""
    unknown = faults - FAULTS.keys() - IGNORED_ARGUMENTS.keys()
    if unknown:
        raise ValueError(f"unknown faults: {', '.join(sorted(unknown))}")
    state = Faults(frozenset(faults))
    server = make_server("127.0.0.1", 0, lambda environ, start: None, WSGIServer, _QuietHandler)
    base_url = f"http://127.0.0.1:{server.server_port}{PATH}"
    server.set_app(_app(catalogue, replace(settings, base_url=base_url), state, now))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield base_url, state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
