"""How fast Lectern's OAI-PMH provider serves full harvests, against pyoai and the in-memory limit.

    .venv/bin/python -m bench.oai --records 100000 --memory-records 1000000

On a catalogue of `--records` generated records (~5 KB of LOM each, built once and cached; see
`bench.catalogues`), one run measures, for `lom` and `oai_dc` at page sizes 200 (our default) and
100, a complete ListRecords harvest by the same plain requests+lxml client (`bench.harvesters`)
from three servers, each started afresh under gunicorn (one gthread worker) on 127.0.0.1:

- Lectern: `web.create_app()` over the SQLite catalogue;
- pyoai: `oaipmh.server.BatchingServer` over the same file (`bench.peers.pyoai_app`);
- the limit: Lectern's own pages rendered beforehand and handed out from memory (`bench.peers.pages_app`).

Figures: records/s; the median latency of the first and of the last tenth of the pages (deep pages
must cost what early ones cost); the server worker's CPU time per record and its peak RSS (`VmHWM`).
The client asks for no compression, as neither peer compresses; one more row shows Lectern asked
for gzip. With `--memory-records`, Lectern alone over a larger catalogue: its peak RSS must be the
same. Last, the load run: `--harvesters` concurrent harvests against gunicorn on PostgreSQL, where
503 + Retry-After is flow control the harvesters obey, and no harvest may fail.
Targets for `lom`: at least 0.6x the limit and 5x pyoai; latency last/first at most 1.3.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import math
import os
import signal
import sys
from collections.abc import Iterator
from importlib import metadata as distributions
from pathlib import Path

import psycopg
import requests

from tests.support.servers import LiveServer

from . import catalogues, common, harvesters, peers

CHECKOUT = Path(__file__).resolve().parent.parent
KINDS = ("limit", "Lectern", "pyoai")
FORMATS = ("lom", "oai_dc")
DEADLINE_SECONDS = 3 * 3600.0
TARGET_OF_LIMIT, TARGET_OF_PEER, TARGET_LATENCY = 0.6, 5.0, 1.3
LOAD_WORKERS, LOAD_THREADS = 4, 4
"""gunicorn for the load run on two cores: 4 processes of 4 threads, 16 requests in service at once."""
HEADERS = ["format", "page", "server", "records/s", "x limit", "x pyoai", "first 10% ms", "last 10% ms",
           "last/first", "server CPU us/rec", "peak RSS MB"]


@dataclasses.dataclass(frozen=True)
class Served:
    """One harvest of one server, with what the server's worker process spent on it."""

    kind: str
    prefix: str
    page_size: int
    harvest: harvesters.Harvest
    cpu_seconds: float
    peak_rss: int


# --- servers ------------------------------------------------------------------------------------

def _no_control_socket() -> list[str]:
    """gunicorn 25+ opens a control socket at one fixed path; several servers at once must not."""
    version = tuple(int(part) for part in distributions.version("gunicorn").split(".")[:2])
    return ["--no-control-socket"] if version >= (25, 0) else []


@contextlib.contextmanager
def serving(app: str, workers: int = 1, threads: int = 4) -> Iterator[LiveServer]:
    """gunicorn with gthread workers (keep-alive, as production would run) serving `app`."""
    command = [sys.executable, "-m", "gunicorn", "--chdir", str(CHECKOUT), "-w", str(workers), "-k", "gthread",
               "--threads", str(threads), "--bind", "127.0.0.1:0", "--timeout", "900", *_no_control_socket(), app]
    with LiveServer(command, deadline=120) as server:
        # Answered once every worker has loaded the application (the limit renders all its pages
        # first), so no harvest times a server that is still starting.
        for _ in range(workers):
            requests.get(server.url + "/", timeout=1800)
        yield server


def workers_of(server: LiveServer) -> list[int]:
    """Process ids of gunicorn's workers: the arbiter's children."""
    with open(f"/proc/{server.pid}/task/{server.pid}/children", encoding="ascii") as children:
        return [int(pid) for pid in children.read().split()]


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def instance(name: str, settings: dict[str, object]) -> Path:
    """An instance folder for Lectern with these settings (strings and whole numbers)."""
    folder = catalogues.FOLDER / f"instance-{name}"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"{key} = {value}" if isinstance(value, int) else f'{key} = "{value}"' for key, value in settings.items()]
    (folder / "lectern.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def lectern_app(name: str, database_url: str, page_size: int, **settings: object) -> str:
    folder = instance(name, {"database_url": database_url, "page_size": page_size, "log_format": "text",
                             "repository_identifier": peers.REPOSITORY_IDENTIFIER, **settings})
    return f"web:create_app(instance={str(folder)!r})"


def _app(kind: str, database_url: str, prefix: str, page_size: int) -> str:
    if kind == "pyoai":
        return f"bench.peers:pyoai_app({database_url.removeprefix('sqlite:///')!r}, {page_size})"
    if kind == "limit":
        return f"bench.peers:pages_app({database_url!r}, {prefix!r}, {page_size})"
    return lectern_app(f"sqlite-{page_size}", database_url, page_size)


def serve_and_harvest(kind: str, database_url: str, prefix: str, page_size: int, records: int,
                      accept_encoding: str = "identity") -> Served:
    """Start `kind` afresh, harvest it to the end, and read its worker's CPU time and peak RSS."""
    print(f"  {kind} {prefix} page {page_size} ({accept_encoding}) ...", end="", file=sys.stderr, flush=True)
    with serving(_app(kind, database_url, prefix, page_size)) as server:
        (worker,) = workers_of(server)
        before = cpu_seconds(worker)
        run = harvesters.harvest(server.url + ("/oai" if kind == "Lectern" else "/"), prefix,
                                 max_pages=math.ceil(records / page_size) + 2, deadline_seconds=DEADLINE_SECONDS,
                                 accept_encoding=accept_encoding)
        spent = cpu_seconds(worker) - before
        peak = common.peak_rss(worker)
    if run.error or run.records != records:
        raise SystemExit(f"\n{kind} {prefix}: harvested {run.records:,} of {records:,} records: {run.error}")
    print(f" {run.rate:,.0f} records/s", file=sys.stderr)
    return Served(kind, prefix, page_size, run, spent, peak)


# --- the speed matrix ---------------------------------------------------------------------------

def _fastest(database_url: str, prefix: str, page_size: int, records: int, repeat: int) -> dict[str, Served]:
    """Each server `repeat` times, in turn, keeping each one's fastest run: on a shared machine a
    slow run says more about the neighbours than about the server."""
    best: dict[str, Served] = {}
    for _ in range(repeat):
        for kind in KINDS:
            run = serve_and_harvest(kind, database_url, prefix, page_size, records)
            if kind not in best or run.harvest.rate > best[kind].harvest.rate:
                best[kind] = run
    return best


def _row(run: Served, limit: Served, peer: Served) -> list[object]:
    harvest = run.harvest
    first, last = harvest.latency("first"), harvest.latency("last")
    return [run.prefix, run.page_size, run.kind, harvest.rate, harvest.rate / limit.harvest.rate,
            harvest.rate / peer.harvest.rate, first * 1000, last * 1000, last / first,
            _per_record(run) * 1e6, common.megabytes(run.peak_rss)]


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def _per_record(run: Served) -> float:
    return run.cpu_seconds / run.harvest.records


def _targets(ours: Served, limit: Served, peer: Served) -> str:
    """The targets, plus two figures that bound the pyoai ratio: the limit's own ratio to pyoai (no
    server can beat it with this client) and pyoai's server CPU per record against Lectern's."""
    of_limit, of_peer = ours.harvest.rate / limit.harvest.rate, ours.harvest.rate / peer.harvest.rate
    latency = ours.harvest.latency("last") / ours.harvest.latency("first")
    return (f"{ours.prefix:6} page {ours.page_size}: Lectern/limit {of_limit:.2f} "
            f"(>= {TARGET_OF_LIMIT}: {_verdict(of_limit >= TARGET_OF_LIMIT)})   Lectern/pyoai {of_peer:.1f} "
            f"(>= {TARGET_OF_PEER:.0f}: {_verdict(of_peer >= TARGET_OF_PEER)}; the limit is "
            f"{limit.harvest.rate / peer.harvest.rate:.1f}x pyoai; server CPU a record pyoai/Lectern "
            f"{_per_record(peer) / _per_record(ours):.1f})   latency last/first {latency:.2f} "
            f"(<= {TARGET_LATENCY}: {_verdict(latency <= TARGET_LATENCY)})")


def speed(database_url: str, records: int, page_sizes: list[int], repeat: int) -> dict[tuple[str, int], Served]:
    """The three servers for each format and page size, plus Lectern asked for gzip; returns
    Lectern's runs, whose peak RSS the memory check compares with a larger catalogue's."""
    rows: list[list[object]] = []
    targets: list[str] = []
    ours: dict[tuple[str, int], Served] = {}
    for page_size in page_sizes:
        for prefix in FORMATS:
            best = _fastest(database_url, prefix, page_size, records, repeat)
            rows += [_row(best[kind], best["limit"], best["pyoai"]) for kind in KINDS]
            targets.append(_targets(best["Lectern"], best["limit"], best["pyoai"]))
            ours[prefix, page_size] = best["Lectern"]
            if prefix == "lom":
                gzip = serve_and_harvest("Lectern", database_url, prefix, page_size, records, accept_encoding="gzip")
                rows.append(_row(dataclasses.replace(gzip, kind="Lectern, gzip"), best["limit"], best["pyoai"]))
    print(common.table(HEADERS, rows))
    print("(ratios to the limit and to pyoai are of records/s; the gzip row's client asks for gzip, "
          "the others for no compression)\n")
    print("\n".join(targets))
    return ours


# --- memory at a larger catalogue ---------------------------------------------------------------

def memory(records: int, baseline: dict[tuple[str, int], Served], baseline_records: int) -> None:
    """Lectern alone over a catalogue of `records`: rate, latency and peak RSS against the baseline's."""
    database_url = catalogues.sqlite_catalogue(records)
    rows, ratios = [], []
    for (prefix, page_size), small in baseline.items():
        large = serve_and_harvest("Lectern", database_url, prefix, page_size, records)
        for run, count in ((small, baseline_records), (large, records)):
            harvest = run.harvest
            rows.append([count, prefix, page_size, harvest.rate, harvest.latency("first") * 1000,
                         harvest.latency("last") * 1000, harvest.latency("last") / harvest.latency("first"),
                         _per_record(run) * 1e6, common.megabytes(run.peak_rss)])
        ratios.append(large.peak_rss / small.peak_rss)
    print(common.table(["catalogue", "format", "page", "records/s", "first 10% ms", "last 10% ms", "last/first",
                        "server CPU us/rec", "peak RSS MB"], rows))
    worst = max(ratios)
    print(f"\npeak RSS {records:,} / {baseline_records:,} records: {min(ratios):.2f} to {worst:.2f}   "
          f"(target: the same, i.e. ~1.0: {_verdict(worst < 1.1)})")


# --- the load run -------------------------------------------------------------------------------

def load(records: int, harvester_count: int, page_size: int, limit: int, retry_after: int) -> None:
    """Concurrent harvesters against gunicorn on PostgreSQL; every harvest must complete."""
    database_url = catalogues.postgresql_catalogue(records)
    app = lectern_app(f"postgresql-{page_size}", database_url, page_size, max_concurrent_harvests=limit,
                      retry_after_seconds=retry_after)
    print(f"  load: {harvester_count} harvesters of {records:,} records ...", file=sys.stderr)
    with serving(app, LOAD_WORKERS, LOAD_THREADS) as server:
        workers = workers_of(server)
        before = sum(cpu_seconds(pid) for pid in workers)
        run = harvesters.load(server.url + "/oai", "lom", harvester_count,
                              max_pages=math.ceil(records / page_size) + 2, deadline_seconds=DEADLINE_SECONDS)
        spent = sum(cpu_seconds(pid) for pid in workers) - before
        peak = max(common.peak_rss(pid) for pid in workers)
    incomplete = [h for h in run.harvests if h.records != records]
    print(common.table(
        ["harvesters", "records each", "gunicorn", "limit/worker", "records", "wall s", "records/s",
         "503 retried", "errors", "server CPU us/rec", "peak RSS MB/worker"],
        [[harvester_count, records, f"{LOAD_WORKERS} x {LOAD_THREADS} gthread", limit, run.records, run.seconds,
          run.records / run.seconds, sum(h.busy for h in run.harvests), len(run.errors) + len(incomplete),
          spent / max(run.records, 1) * 1e6, common.megabytes(peak)]]))
    for error in run.errors[:5]:
        print(f"  error: {error}")
    print(f"\nevery harvest complete, no errors: {_verdict(not run.errors and not incomplete)}")


# --- main ---------------------------------------------------------------------------------------

def _versions() -> str:
    names = ("gunicorn", "Flask", "SQLAlchemy", "requests", "oaipmh")
    return "\n".join(f"{name:<11} {distributions.version(name)}" for name in names)


def _postgresql_server() -> str:
    with psycopg.connect(f"{catalogues.POSTGRESQL_SERVER} dbname=postgres") as connection:
        return f"{connection.execute('SHOW server_version').fetchone()[0]} (load run)"


def _stopped(number: int, _frame: object) -> None:
    raise SystemExit(128 + number)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.oai", description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000, help="catalogue size for the speed runs")
    parser.add_argument("--page-sizes", default="200,100", help="page sizes to measure, the default first")
    parser.add_argument("--repeat", type=int, default=2, help="runs per server, the fastest kept")
    parser.add_argument("--memory-records", type=int, default=0, help="larger catalogue for the RSS check (0 skips)")
    parser.add_argument("--load-records", type=int, default=10_000, help="PostgreSQL catalogue of the load run")
    parser.add_argument("--harvesters", type=int, default=50, help="concurrent harvesters (0 skips the load run)")
    parser.add_argument("--load-limit", type=int, default=2, help="max_concurrent_harvests per worker in the load run")
    parser.add_argument("--load-retry-after", type=int, default=1, help="retry_after_seconds in the load run")
    args = parser.parse_args(argv)
    for stop in (signal.SIGINT, signal.SIGTERM):  # stop the servers on the way out, even from a background job
        signal.signal(stop, _stopped)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # keep order with stderr
    page_sizes = [int(size) for size in args.page_sizes.split(",")]
    print(common.environment_header(_postgresql_server() if args.harvesters else None))
    print(_versions())
    database_url = catalogues.sqlite_catalogue(args.records)
    print(f"catalogue   {args.records:,} generated records (~5 KB LOM each), SQLite, {database_url}\n")
    ours = speed(database_url, args.records, page_sizes, args.repeat)
    if args.memory_records:
        print()
        memory(args.memory_records, ours, args.records)
    if args.harvesters:
        print()
        load(args.load_records, args.harvesters, page_sizes[0], args.load_limit, args.load_retry_after)


if __name__ == "__main__":
    main()
