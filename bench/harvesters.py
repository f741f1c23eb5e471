"""The client every server is measured with: requests and lxml, as a user's own script would harvest.

One `requests.Session` (connections kept alive where the server allows), one GET per page, the body
parsed whole with lxml, records counted, the resumption token followed until it comes back empty.
It is deliberately not Lectern's harvester: the figures should say what the servers cost, not what
our client adds. A 503 is flow control, not an error: the client waits the `Retry-After` seconds and
asks again, as Sickle and pyoai do. Every loop is bounded by a page count, a retry count and a
deadline.
"""
from __future__ import annotations

import concurrent.futures
import multiprocessing
import statistics
import time
from dataclasses import dataclass

import requests
from lxml import etree

OAI = "{http://www.openarchives.org/OAI/2.0/}"
_RECORDS = f"{OAI}ListRecords/{OAI}record"
_TOKEN = f"{OAI}ListRecords/{OAI}resumptionToken"
_ERROR = f"{OAI}error"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
"""Plain lxml, as a user's script would parse (entities off, no network); pages are ~1 MB."""
TIMEOUT_SECONDS = 600
MAX_BUSY_ANSWERS = 10_000
"""503 answers one harvest may wait out before it gives up."""
_MAX_RETRY_AFTER = 60


@dataclass(frozen=True)
class Harvest:
    """One complete (or abandoned) ListRecords harvest as the client saw it."""

    records: int
    pages: int
    seconds: float
    latencies: tuple[float, ...]
    """Per page, from sending the request to having the whole body (parsing excluded)."""
    busy: int
    """503 answers waited out."""
    error: str | None = None

    @property
    def rate(self) -> float:
        return self.records / self.seconds if self.seconds else 0.0

    def latency(self, part: str) -> float:
        """Median latency of the `first` or `last` tenth of the pages, in seconds."""
        tenth = max(1, len(self.latencies) // 10)
        chosen = self.latencies[:tenth] if part == "first" else self.latencies[-tenth:]
        return statistics.median(chosen) if chosen else 0.0


def _retry_after(response: requests.Response) -> float:
    try:
        return min(float(response.headers.get("Retry-After", "1")), _MAX_RETRY_AFTER)
    except ValueError:
        return 1.0


def harvest(url: str, prefix: str, *, max_pages: int, deadline_seconds: float,
            accept_encoding: str = "identity") -> Harvest:
    """Harvest `ListRecords` in `prefix` from `url` to the end of the list (or the first error)."""
    session = requests.Session()
    session.headers["Accept-Encoding"] = accept_encoding
    params = {"verb": "ListRecords", "metadataPrefix": prefix}
    records = pages = busy = 0
    latencies: list[float] = []
    started = time.perf_counter()
    deadline = started + deadline_seconds
    error = None
    while pages < max_pages:
        if time.perf_counter() > deadline:
            error = f"deadline of {deadline_seconds:.0f} s passed after {pages} pages"
            break
        sent = time.perf_counter()
        try:
            response = session.get(url, params=params, timeout=TIMEOUT_SECONDS)
            body = response.content
        except requests.RequestException as failure:
            error = f"page {pages + 1}: {failure}"
            break
        if response.status_code == 503 and busy < MAX_BUSY_ANSWERS:
            busy += 1
            time.sleep(_retry_after(response))
            continue
        if response.status_code != 200:
            error = f"page {pages + 1}: HTTP {response.status_code}"
            break
        latencies.append(time.perf_counter() - sent)
        root = etree.fromstring(body, _PARSER)
        pages += 1
        records += len(root.findall(_RECORDS))
        failure = root.find(_ERROR)
        if failure is not None:
            error = f"page {pages}: OAI error {failure.get('code')}"
            break
        token = root.find(_TOKEN)
        if token is None or not token.text:
            break
        params = {"verb": "ListRecords", "resumptionToken": token.text}
    else:
        error = f"gave up after {max_pages} pages"
    session.close()
    return Harvest(records, pages, time.perf_counter() - started, tuple(latencies), busy, error)


@dataclass(frozen=True)
class Load:
    """Many harvests of one list at once."""

    harvests: tuple[Harvest, ...]
    seconds: float

    @property
    def records(self) -> int:
        return sum(harvest.records for harvest in self.harvests)

    @property
    def errors(self) -> list[str]:
        return [harvest.error for harvest in self.harvests if harvest.error]


def _one(task: tuple[str, str, int, float]) -> Harvest:
    url, prefix, max_pages, deadline = task
    return harvest(url, prefix, max_pages=max_pages, deadline_seconds=deadline)


def load(url: str, prefix: str, harvesters: int, *, max_pages: int, deadline_seconds: float) -> Load:
    """`harvesters` complete harvests of the same list started together, one process each (a
    thread each would measure the GIL of this process more than the server)."""
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(max_workers=harvesters, mp_context=context) as pool:
        started = time.perf_counter()
        tasks = [(url, prefix, max_pages, deadline_seconds)] * harvesters
        harvests = tuple(pool.map(_one, tasks, timeout=deadline_seconds + 60))
        return Load(harvests, time.perf_counter() - started)
