"""How fast Lectern harvests into its catalogue, against Sickle and a bare requests+lxml loop, in one run.

    .venv/bin/python -m bench.harvest --records 100000 --memory 100000,1000000

A trivial OAI-PMH server on 127.0.0.1 (its own process, threaded `http.server`) serves `--records`
generated LOM records (`metadata.samples`, ~5 KB each) as ListRecords pages of `--page` records with
resumption tokens. Pages are rendered before the clock starts when they fit in `--prerender-mb`,
else each on request from its record numbers alone (`samples.generate_record`), so a million
records never sit in memory. Each client then harvests the whole list in a fresh process, one after
the other:

- **Lectern**: `lectern harvest add` and `lectern harvest run` (the CLI commands, into a fresh
  SQLite catalogue): fetch, parse, normalise, validate against the source's profile, render and
  store, a transaction per page with its checkpoint;
- **Sickle** (the peer): `Sickle(url).ListRecords(metadataPrefix='lom')` iterated to the end:
  fetch and parse only;
- **requests + lxml**: one GET per page, parsed whole, records counted: the floor of any Python
  harvester, for context;
- **validate + store floor**: the least a harvester that validates and stores must do, on both
  cores: pages parsed and every record validated against `lom-loose` by libxml2 in a worker process
  per core while this process fetches ahead and inserts the valid records into SQLite. Its rate says
  how much time 2x Sickle leaves for everything else Lectern does to a record, and the report
  prints that budget beside what Lectern spends.

Rates are wall-clock records/s of each client (the server's work is in another process and the same
for all); CPU seconds beside them count the client and its worker processes. Then Lectern's peak
memory (`VmHWM` of the harvesting process and of its worker processes) at each `--memory` size.
Target: Lectern >= 2x Sickle's records/s, and the same peak memory at every size.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import requests
from lxml import etree

from metadata import samples

from . import common

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
REPOSITORY = "bench.lectern.example.org"
DATESTAMP = "2024-01-01T00:00:00Z"
SOURCE = "bench"
_HEAD = (f'<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="{OAI_NS}">'
         f"<responseDate>{DATESTAMP}</responseDate>").encode()
_IDENTIFY = (f'<Identify><repositoryName>bench</repositoryName><baseURL>http://127.0.0.1/oai</baseURL>'
             f"<protocolVersion>2.0</protocolVersion><adminEmail>bench@{REPOSITORY}</adminEmail>"
             f"<earliestDatestamp>{DATESTAMP}</earliestDatestamp><deletedRecord>persistent</deletedRecord>"
             f"<granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>").encode()
_FORMATS = (b"<ListMetadataFormats><metadataFormat><metadataPrefix>lom</metadataPrefix>"
            b"<schema>http://ltsc.ieee.org/xsd/lomv1.0/lom.xsd</schema>"
            b"<metadataNamespace>http://ltsc.ieee.org/xsd/LOM</metadataNamespace></metadataFormat>"
            b"</ListMetadataFormats>")


# -- the server ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pages:
    """The list being served: `records` records in pages of `per_page`, drawn from `seed`."""

    records: int
    per_page: int
    seed: int
    size: int

    @property
    def count(self) -> int:
        return -(-self.records // self.per_page)

    def render(self, number: int) -> bytes:
        """Page `number` (from 0): its records, then a token naming the next page (empty on the last)."""
        first = number * self.per_page
        last = min(first + self.per_page, self.records)
        parts = [_HEAD, b'<request verb="ListRecords">http://127.0.0.1/oai</request><ListRecords>']
        for index in range(first, last):
            body = samples.generate_record(index, self.seed, self.size).split(b"?>\n", 1)[1]
            parts += [b"<record><header><identifier>oai:", REPOSITORY.encode(), b":",
                      samples.record_id(index).encode(), b"</identifier><datestamp>", DATESTAMP.encode(),
                      b"</datestamp></header><metadata>", body, b"</metadata></record>\n"]
        token = str(number + 1).encode() if last < self.records else b""
        parts += [b'<resumptionToken completeListSize="', str(self.records).encode(), b'" cursor="',
                  str(first).encode(), b'">', token, b"</resumptionToken></ListRecords></OAI-PMH>"]
        return b"".join(parts)


def _respond(pages: Pages, rendered: list[bytes] | None, query: dict[str, list[str]]) -> bytes:
    verb = query.get("verb", [""])[0]
    if verb == "Identify":
        return _HEAD + b'<request verb="Identify">http://127.0.0.1/oai</request>' + _IDENTIFY + b"</OAI-PMH>"
    if verb == "ListMetadataFormats":
        return _HEAD + b'<request verb="ListMetadataFormats">http://127.0.0.1/oai</request>' + _FORMATS + b"</OAI-PMH>"
    if verb == "ListRecords":
        token = query.get("resumptionToken", ["0"])[0]
        number = int(token) if token.isdigit() and int(token) < pages.count else 0
        return rendered[number] if rendered is not None else pages.render(number)
    return _HEAD + b'<request>http://127.0.0.1/oai</request><error code="badVerb">no such verb</error></OAI-PMH>'


def serve(pages: Pages, prerender: bool) -> None:
    """Server mode: render the pages (if asked), print the port, serve until stdin closes."""
    rendered = [pages.render(number) for number in range(pages.count)] if prerender else None

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a real provider behind a proxy would offer

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            body = _respond(pages, rendered, parse_qs(urlsplit(self.path).query))
            self.send_response(200)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(server.server_address[1], flush=True)
    sys.stdin.read()  # the parent closes our stdin when it is done
    server.shutdown()


@contextlib.contextmanager
def served(pages: Pages, prerender: bool) -> Iterator[str]:
    """A server process for `pages`; yields its base URL."""
    argv = [sys.executable, "-m", "bench.harvest", "--serve", "--records", str(pages.records), "--page",
            str(pages.per_page), "--seed", str(pages.seed), "--size", str(pages.size)]
    if not prerender:
        argv.append("--lazy")
    process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        port = int(process.stdout.readline())  # type: ignore[union-attr]
        yield f"http://127.0.0.1:{port}/oai"
    finally:
        process.stdin.close()  # type: ignore[union-attr]
        process.wait(timeout=30)


# -- the clients (each in a fresh process) -------------------------------------------------------


def _bare(url: str) -> int:
    """requests + lxml: a GET per page, parsed whole, records counted, the token followed."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    records, params = 0, {"verb": "ListRecords", "metadataPrefix": "lom"}
    ns = "{" + OAI_NS + "}"
    with requests.Session() as session:
        while True:
            root = etree.fromstring(session.get(url, params=params, timeout=60).content, parser)
            records += len(root.findall(f"{ns}ListRecords/{ns}record"))
            token = root.findtext(f"{ns}ListRecords/{ns}resumptionToken")
            if not token:
                return records
            params = {"verb": "ListRecords", "resumptionToken": token}


def _sickle(url: str) -> int:
    """Sickle's ListRecords iterator, as its documentation shows it: every record parsed to a dict."""
    from sickle import Sickle

    return sum(1 for _ in Sickle(url).ListRecords(metadataPrefix="lom"))


def _floor(url: str) -> int:
    """The least any harvester that validates and stores must do, over both cores: a worker process
    per core parses each page (hardened lxml) and validates every record against Lectern's
    `lom-loose` XSD with libxml2; this process fetches the next page meanwhile and inserts each
    checked page's records (identifier, datestamp, serialised LOM) into SQLite, a transaction a
    page. No normalising, crosswalk, provenance, fingerprint or sets: what is left between its rate
    and 2x Sickle's is the time Lectern has for them."""
    import concurrent.futures
    import sqlite3

    from harvester.ahead import token_at_end

    folder = tempfile.mkdtemp(prefix="bench-floor-")
    database = sqlite3.connect(f"{folder}/floor.sqlite")
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL"):
        database.execute(f"PRAGMA {pragma}")
    database.execute("CREATE TABLE records (id INTEGER PRIMARY KEY, identifier TEXT UNIQUE, datestamp TEXT, lom BLOB)")
    stored, params, pending, cores = 0, {"verb": "ListRecords", "metadataPrefix": "lom"}, [], os.cpu_count() or 1
    with concurrent.futures.ProcessPoolExecutor(cores) as pool, requests.Session() as session:
        while params or pending:
            if params and len(pending) <= cores:
                body = session.get(url, params=params, timeout=60).content
                token = token_at_end(body[-4096:])
                params = {"verb": "ListRecords", "resumptionToken": token} if token else None
                pending.append(pool.submit(_floor_page, body))
                continue
            rows = pending.pop(0).result()
            with database:
                database.executemany("INSERT INTO records (identifier, datestamp, lom) VALUES (?, ?, ?)", rows)
            stored += len(rows)
    database.close()
    subprocess.run(["rm", "-rf", folder], check=True)
    return stored


def _floor_page(body: bytes) -> list[tuple[str, str, bytes]]:
    """One page parsed and each record validated (the floor's worker); the valid records' rows."""
    from metadata import schemas, xmlsafe

    schema, ns, rows = schemas.lxml_schema("lom-loose"), "{" + OAI_NS + "}", []
    for record in xmlsafe.fromstring(body).iter(f"{ns}record"):
        header, lom = record.find(f"{ns}header"), record.find(f"{ns}metadata")[0]
        if schema.validate(lom):
            rows.append((header.findtext(f"{ns}identifier"), header.findtext(f"{ns}datestamp"), etree.tostring(lom)))
    return rows


def _lectern(url: str) -> int:
    """`lectern harvest add` and `lectern harvest run` into a fresh catalogue; returns records stored."""
    from catalogue import runs
    from web.cli import main as lectern

    folder = tempfile.mkdtemp(prefix="bench-harvest-")
    where = ["--instance", folder, "--database", f"sqlite:///{folder}/catalogue.sqlite"]
    with contextlib.redirect_stdout(sys.stderr):
        _cli(lectern, ["harvest", "add", SOURCE, url, "--prefix", "lom", *where])
        started = time.perf_counter()
        _cli(lectern, ["harvest", "run", SOURCE, *where])
        seconds = time.perf_counter() - started
    from catalogue.db import Database

    database = Database(f"sqlite:///{folder}/catalogue.sqlite")
    with database.reading() as session:
        info = runs.history(session, SOURCE, 1)[0]
    database.dispose()
    size = os.path.getsize(f"{folder}/catalogue.sqlite")
    subprocess.run(["rm", "-rf", folder], check=True)
    if info.status != runs.SUCCEEDED or info.counts["quarantined"] or info.counts["failed"]:
        raise RuntimeError(f"the harvest did not store every record: {info}")
    print(json.dumps({"run_seconds": seconds, "catalogue_bytes": size}), file=sys.stderr)
    return info.counts["new"]


def _cli(command: Callable[..., object], argv: list[str]) -> None:
    try:
        command(argv, standalone_mode=False)
    except SystemExit as exit_:
        if exit_.code:
            raise RuntimeError(f"lectern {' '.join(argv[:3])} exited with {exit_.code}") from None


FLOOR = "validate + store floor"
CLIENTS: dict[str, Callable[[str], int]] = {"Lectern": _lectern, "Sickle": _sickle, "requests + lxml": _bare,
                                             FLOOR: _floor}


class _ChildPeaks:
    """The peak RSS of each child process (Lectern's workers), read while they live: they end with
    the run, and a child's `ru_maxrss` is not its own figure (see `common.peak_rss`)."""

    def __init__(self) -> None:
        self.peaks: dict[int, int] = {}
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.wait(0.2):
            for pid in _children():
                with contextlib.suppress(OSError):
                    self.peaks[pid] = max(self.peaks.get(pid, 0), common.peak_rss(pid))

    def stop(self) -> int:
        """The sum of the children's peaks."""
        self._done.set()
        self._thread.join()
        return sum(self.peaks.values())


def _children() -> list[int]:
    pids: list[int] = []
    for task in os.listdir("/proc/self/task"):
        with contextlib.suppress(OSError), open(f"/proc/self/task/{task}/children", encoding="ascii") as listed:
            pids += [int(pid) for pid in listed.read().split()]
    return pids


def child(client: str, url: str) -> None:
    """Client mode: one complete harvest; prints a JSON summary as the last line. Peak memory is the
    client's own plus its worker processes' (each at its own peak)."""
    started, cpu = time.perf_counter(), time.process_time()
    children = _ChildPeaks()
    records = CLIENTS[client](url)
    seconds = time.perf_counter() - started
    times = os.times()
    print(json.dumps({"records": records, "seconds": seconds,
                      "cpu_seconds": time.process_time() - cpu + times.children_user + times.children_system,
                      "peak_rss": common.peak_rss() + children.stop()}))


@dataclass(frozen=True)
class Result:
    client: str
    rate: common.Rate
    peak_rss: int


def measure(client: str, url: str) -> Result:
    print(f"  {client}: harvesting ...", file=sys.stderr)
    run = common.run_child(["-m", "bench.harvest", "--child", client, "--url", url])
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    rate = common.Rate(summary["records"], summary["seconds"], summary["cpu_seconds"])
    print(f"  {client}: {rate.per_second:,.0f} records/s", file=sys.stderr)
    return Result(client, rate, summary["peak_rss"])


# -- the report ----------------------------------------------------------------------------------


def speed(pages: Pages, prerender: bool, clients: list[str]) -> list[Result]:
    with served(pages, prerender) as url:
        return [measure(client, url) for client in clients]


def print_speed(results: list[Result], expected: int) -> None:
    peer = next(result.rate.per_second for result in results if result.client == "Sickle")
    rows = [(r.client, r.rate.count, r.rate.seconds, r.rate.per_second, r.rate.per_second / peer,
             r.rate.cpu_seconds, r.rate.per_cpu_second, common.megabytes(r.peak_rss)) for r in results]
    print(common.table(["client", "records", "wall s", "records/s", "x Sickle", "cpu s", "records/cpu s",
                        "peak RSS MB"], rows))
    missing = [r.client for r in results if r.rate.count != expected]
    if missing:
        print(f"WARNING: {', '.join(missing)} did not harvest {expected:,} records")
    ours = next(r.rate.per_second for r in results if r.client == "Lectern") / peer
    print(f"\nLectern/Sickle {ours:5.2f}   (target >= 2: {'met' if ours >= 2 else 'MISSED'})   "
          f"load average now {os.getloadavg()[0]:.2f}")
    rates = {r.client: r.rate for r in results}
    if FLOOR in rates:
        print(_budget(rates[FLOOR], rates["Lectern"], peer))


def _budget(floor: common.Rate, lectern: common.Rate, peer: float) -> str:
    """What the floor leaves: at 2x Sickle, the wall time a record minus the floor's, on both cores."""
    spare = (1 / (2 * peer) - 1 / floor.per_second) * 2e6
    return (f"floor/Sickle {floor.per_second / peer:5.2f}: at 2x Sickle a harvester has {spare:,.0f} CPU us a record "
            f"(both cores) beyond the floor's work for normalising, crosswalk, provenance, fingerprint, sets and "
            f"reports; Lectern spends {(1 / lectern.per_cpu_second - 1 / floor.per_cpu_second) * 1e6:,.0f}")


def memory(counts: list[int], args: argparse.Namespace) -> None:
    rows, peaks = [], []
    for count in counts:
        pages = Pages(count, args.page, args.seed, args.size)
        result = speed(pages, _fits(pages, args.prerender_mb), ["Lectern"])[0]
        peaks.append(result.peak_rss)
        rows.append((count, result.rate.count, common.megabytes(result.peak_rss), result.rate.seconds,
                     result.rate.per_second, result.rate.cpu_seconds))
    print(common.table(["records served", "records stored", "peak RSS MB", "wall s", "records/s", "cpu s"], rows))
    if len(peaks) > 1:
        ratio = peaks[-1] / peaks[0]
        print(f"\npeak RSS {counts[-1]:,} / {counts[0]:,} records: {ratio:.2f}   "
              f"(target: the same, i.e. ~1.0: {'met' if ratio < 1.1 else 'MISSED'})   "
              f"load average now {os.getloadavg()[0]:.2f}")


def _fits(pages: Pages, limit_mb: int) -> bool:
    return pages.records * pages.size * 1.1 <= limit_mb * 1_000_000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.harvest", description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000, help="records for the speed runs")
    parser.add_argument("--page", type=int, default=200, help="records a ListRecords page")
    parser.add_argument("--size", type=int, default=samples.DEFAULT_SIZE, help="target record size, bytes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--prerender-mb", type=int, default=1200, help="render pages up front below this size")
    parser.add_argument("--clients", default=",".join(CLIENTS), help="clients of the speed run, comma-separated")
    parser.add_argument("--memory", default="100000,1000000", help="record counts for the RSS runs ('' skips)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--lazy", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--url", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    pages = Pages(args.records, args.page, args.seed, args.size)
    if args.serve:
        serve(pages, prerender=not args.lazy)
        return
    if args.child is not None:
        child(args.child, args.url)
        return
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # keep order with stderr
    print(common.environment_header())
    prerender = _fits(pages, args.prerender_mb)
    print(f"list        {pages.records:,} records of ~{pages.size:,} bytes in {pages.count:,} pages of "
          f"{pages.per_page}, {'rendered up front' if prerender else 'rendered on request'}; "
          f"Sickle {_version('sickle')}, requests {requests.__version__}\n")
    clients = [client.strip() for client in args.clients.split(",")]
    print_speed(speed(pages, prerender, clients), pages.records)
    counts = [int(count) for count in args.memory.split(",") if count.strip()]
    if counts:
        print()
        memory(counts, args)


def _version(name: str) -> str:
    from importlib import metadata as distributions

    return distributions.version(name)


if __name__ == "__main__":
    main()
