"""What every benchmark shares: the environment header, timing, peak RSS of a fresh process, tables.

Figures are only worth something next to the peer measured in the same run on the same machine, so
each benchmark prints rates with their ratio to the peer, and this header says what ran them. Memory
is measured as the peak resident set size of a separate process started for that measurement alone,
so nothing the benchmark itself allocated (the generated records, compiled schemas) is counted, and
two input sizes show whether memory grows with the input.
"""
from __future__ import annotations

import os
import platform
import resource
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata as distributions

from lxml import etree


def environment_header(postgresql_server: str | None = None) -> str:
    """One line per component whose version moves the figures; `postgresql_server` is the
    server's version when the benchmark uses one."""
    compiled = ".".join(map(str, etree.LIBXML_COMPILED_VERSION))
    running = ".".join(map(str, etree.LIBXML_VERSION))
    lines = [
        f"Python      {platform.python_version()} ({platform.python_implementation()}, {platform.machine()})",
        f"lxml        {'.'.join(map(str, etree.LXML_VERSION))}",
        f"libxml2     {running} (lxml compiled against {compiled})",
        f"xmlschema   {_distribution_version('xmlschema')}",
        f"SQLite      {sqlite3.sqlite_version}",
        f"PostgreSQL  {_libpq_version()}; "
        + (f"server {postgresql_server}" if postgresql_server else "no server used"),
        f"CPUs        {os.cpu_count()} ({_cpu_model()}), load average {os.getloadavg()[0]:.2f}",
    ]
    return "\n".join(lines)


def _distribution_version(name: str) -> str:
    try:
        return distributions.version(name)
    except distributions.PackageNotFoundError:
        return "not installed"


def _libpq_version() -> str:
    """The client library's version: benchmarks run without a server unless one is configured."""
    try:
        import psycopg
    except ImportError:
        return "client not installed"
    number = psycopg.pq.version()
    return f"libpq {number // 10000}.{number % 10000} (psycopg {psycopg.__version__})"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


@dataclass(frozen=True)
class Rate:
    """`count` items handled in `seconds` of wall time (CPU time beside it shows contention)."""

    count: int
    seconds: float
    cpu_seconds: float

    @property
    def per_second(self) -> float:
        return self.count / self.seconds if self.seconds else float("inf")

    @property
    def per_cpu_second(self) -> float:
        return self.count / self.cpu_seconds if self.cpu_seconds else float("inf")


def measure(handle: Callable[[bytes], object], items: Iterable[bytes]) -> Rate:
    """Call `handle` on each item and time the whole loop."""
    count = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for item in items:
        handle(item)
        count += 1
    return Rate(count, time.perf_counter() - wall, time.process_time() - cpu)


@dataclass(frozen=True)
class ChildRun:
    """A finished benchmark subprocess: its wall time and what it printed."""

    seconds: float
    stdout: str


def run_child(argv: Sequence[str]) -> ChildRun:
    """Run `python argv...` as a fresh process (stderr passes through); raise if it fails."""
    started = time.perf_counter()
    finished = subprocess.run([sys.executable, *argv], stdout=subprocess.PIPE, text=True, check=False)
    if finished.returncode != 0:
        raise RuntimeError(f"benchmark child {argv} exited with {finished.returncode}")
    return ChildRun(time.perf_counter() - started, finished.stdout)


def peak_rss(pid: int | None = None) -> int:
    """The peak resident set size in bytes of process `pid` (default: this one), read from `VmHWM`.

    Read by the measured process itself at its end, or by a parent before it stops a server.

    The child reads it itself because the parent's view is wrong: `ru_maxrss` of a child (from
    `wait4` or `RUSAGE_CHILDREN`) counts the parent's pages the child shared between fork and exec,
    so a benchmark holding 300 MB of records would see every child peak at 300 MB. `VmHWM` belongs to
    the address space that exec created.
    """
    try:
        with open(f"/proc/{pid or 'self'}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        if pid is not None:
            raise
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain text table, number columns right-aligned, for a terminal or a commit message."""
    rows = [list(row) for row in rows]
    cells = [list(map(str, headers))] + [[_cell(value) for value in row] for row in rows]
    widths = [max(len(row[column]) for row in cells) for column in range(len(headers))]
    numeric = [all(isinstance(row[column], (int, float)) for row in rows) for column in range(len(headers))]
    lines = []
    for number, row in enumerate(cells):
        lines.append("  ".join(value.rjust(width) if right else value.ljust(width)
                               for value, width, right in zip(row, widths, numeric)).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def megabytes(count: int) -> float:
    """Bytes as MB (10**6), the unit RSS figures are printed in."""
    return count / 1_000_000
