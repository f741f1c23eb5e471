"""Our own OAI-PMH provider as the peer of harvest tests, in process or on a loopback port.

In process (`ProviderFetcher`), the harvester's requests go through the interface of
`harvester.http.Fetcher` to `oai.provider.handle` over a source catalogue, every answer
schema-checked (`tests.support.oai.Endpoint`). No socket, no sleep: the provider's clock is the
test's, so datestamps, windows and responseDates are exact. Live (`live_provider`), it is
`lectern serve` on a loopback port, for tests of the real HTTP path and of `lectern harvest`
processes.
"""
from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

from catalogue import bulk, records
from catalogue.db import Database
from catalogue.migrate import upgrade
from metadata.samples import generate_record, record_id
from metadata.xmlsafe import fromstring
from tests.support.oai import Endpoint
from tests.support.servers import LiveServer

BASE_URL = "http://peer.example.org/oai"


@dataclass(frozen=True)
class Page:
    """A response as `harvester.http.Fetcher.fetch` returns it: the body a stream at its start."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: io.BytesIO

    def close(self) -> None:
        self.body.close()


@dataclass
class ProviderFetcher:
    """Answers each request with the provider; `change` may rewrite a request or a body on its way."""

    endpoint: Endpoint
    clock: Callable[[], datetime]
    change_request: Callable[[dict[str, str]], dict[str, str]] = lambda params: params
    change_body: Callable[[dict[str, str], bytes], bytes] = lambda params, body: body
    requests: list[dict[str, str]] = field(default_factory=list)

    def fetch(self, base_url: str, params: Mapping[str, str]) -> Page:
        sent = self.change_request(dict(params))
        self.requests.append(sent)
        _, body = self.endpoint.raw(sent, now=self.clock())
        return Page(f"{base_url}?{urlencode(sent)}", 200, {"Content-Type": "text/xml"},
                    io.BytesIO(self.change_body(sent, body)))

    def verbs(self) -> list[str]:
        """The verbs requested so far, in order (a resumed list request shows as `verb+token`)."""
        return [p["verb"] + ("+token" if "resumptionToken" in p else "") for p in self.requests]


LECTERN = str(Path(sys.executable).with_name("lectern"))


def fill(database_url: str, count: int, *, now: datetime, seed: int = 0) -> None:
    """A catalogue of sample records 0 to `count` - 1, inserted in bulk (the rendering `store` uses)."""
    database = Database(database_url)
    try:
        upgrade(database)
        batch = []
        for index in range(count):
            record = fromstring(generate_record(index, seed))
            batch.append((record_id(index), records.render(record, records.content(record))))
        with database.writing() as session:
            bulk.insert_new(session, batch, now)
    finally:
        database.dispose()


@contextmanager
def live_provider(instance: Path, *, page_size: int = 10, repository: str = "peer.example.org",
                  env: Mapping[str, str] | None = None) -> Iterator[LiveServer]:
    """`lectern serve` on a loopback port over the instance's catalogue (`<instance>/lectern.sqlite`)."""
    instance.mkdir(parents=True, exist_ok=True)
    (instance / "lectern.toml").write_text(
        f'page_size = {page_size}\nrepository_identifier = "{repository}"\nlog_format = "text"\n', encoding="utf-8")
    with LiveServer([LECTERN, "serve", "--port", "0", "--instance", str(instance)], env=env) as server:
        yield server
