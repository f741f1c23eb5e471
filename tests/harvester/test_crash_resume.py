"""Crash safety: `lectern harvest run` killed with SIGKILL at ten random moments of a 5,000-record harvest.

Each moment is a seeded random number of records already stored (plus a few milliseconds of jitter,
so the kill lands anywhere in a page's work, the transaction's commit included); the process is
killed there and started again, and the last start runs to the end. The catalogue must then equal
a clean harvest's, record for record and byte for byte, with nothing stored twice, and the run's
counters (committed with the pages) must count every record exactly once.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalogue import harvested, listing, runs, sources
from catalogue.db import Database
from catalogue.migrate import upgrade
from tests.support.peers import FaultPeer, sample_records
from tests.support.provider_peer import LECTERN

pytestmark = pytest.mark.slow

COUNT = 5000
PAGE = 50
KILLS = 10
SEED = 20251130
DEADLINE = 120.0


@pytest.fixture(scope="module")
def peer() -> Iterator[FaultPeer]:
    with FaultPeer(sample_records(COUNT, formats=("lom",)), page_size=PAGE) as server:
        yield server
        assert server.unexpected() == []


def _command(folder: Path, database: Database) -> list[str]:
    return [LECTERN, "harvest", "run", "peer", "--instance", str(folder), "--database", database.url]


def _start(folder: Path, database: Database, *, own_group: bool = False) -> subprocess.Popen[bytes]:
    """Start a harvest; its log goes to `<folder>/harvest.log` (appended), its report nowhere.
    `own_group`: in a process group of its own, as a terminal starts a command."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "LECTERN_LOG_FORMAT": "json", "LECTERN_HARVEST_RETRIES": "0"}
    with open(folder / "harvest.log", "ab") as log:
        return subprocess.Popen(_command(folder, database), stdout=subprocess.DEVNULL, stderr=log, env=env,
                                process_group=0 if own_group else None)


def _wait_for(process: subprocess.Popen[bytes], database: Database, threshold: int) -> None:
    deadline = time.monotonic() + DEADLINE
    while process.poll() is None and _stored(database) < threshold and time.monotonic() < deadline:
        time.sleep(0.005)


def _stored(database: Database) -> int:
    with database.reading() as session:
        return listing.count(session, listing.Selection())


def _catalogue_with_source(database: Database, url: str) -> Database:
    upgrade(database)
    with database.writing() as session:
        sources.add(session, "peer", url)
    return database


def _resumes(database: Database) -> int:
    """How often the run was resumed; -1 before it began."""
    with database.reading() as session:
        history = runs.history(session, "peer")
    return history[0].resumed if history else -1


def _kill_when(process: subprocess.Popen[bytes], database: Database, threshold: int, jitter: float) -> bool:
    """SIGKILL the harvest once it has taken up the run and `threshold` records are stored (and `jitter`
    s more); False if it ended first. Waiting for the run first keeps a kill from landing in the
    process's start-up when an earlier start already stored past `threshold`."""
    deadline, before = time.monotonic() + DEADLINE, _resumes(database)
    while process.poll() is None and _resumes(database) == before and time.monotonic() < deadline:
        time.sleep(0.005)
    _wait_for(process, database, threshold)
    time.sleep(jitter)
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    return True


def _finish(process: subprocess.Popen[bytes], folder: Path) -> None:
    """Let the harvest run to its end, which must be a success."""
    process.wait(timeout=DEADLINE)
    assert process.returncode == 0, (folder / "harvest.log").read_text(errors="replace")[-3000:]


def _content(database: Database) -> dict[str, tuple]:
    """Everything our harvesters would receive for each record, by the source's identifier."""
    with database.reading() as session:
        lines = list(harvested.every_from(session, "peer"))
        rows = {line.identifier: listing.get(session, line.local_id, "lom") for line in lines}
        dc = {line.identifier: listing.get(session, line.local_id, "oai_dc") for line in lines}
    return {line.identifier: (line.local_id, line.datestamp, line.deleted, line.title, line.set_specs,
                              rows[line.identifier].metadata, dc[line.identifier].metadata)
            for line in lines}


def test_a_harvest_killed_ten_times_ends_as_a_clean_harvest(peer: FaultPeer, catalogue: Database,
                                                            tmp_path: Path) -> None:
    _catalogue_with_source(catalogue, peer.url)
    chooser = random.Random(SEED)
    moments = sorted(chooser.randrange(COUNT - 3 * PAGE) for _ in range(KILLS))
    run_began = []
    for threshold in moments:
        assert _kill_when(_start(tmp_path / "crashing", catalogue), catalogue, threshold, chooser.uniform(0, 0.05))
        with catalogue.reading() as session:
            run_began.append(bool(runs.history(session, "peer")))
    _finish(_start(tmp_path / "crashing", catalogue), tmp_path / "crashing")

    clean = _catalogue_with_source(Database(f"sqlite:///{tmp_path / 'clean.sqlite'}"), peer.url)
    try:
        _finish(_start(tmp_path / "clean", clean), tmp_path / "clean")
        expected = _content(clean)
    finally:
        clean.dispose()
    crashed = _content(catalogue)
    assert len(crashed) == COUNT and crashed.keys() == expected.keys()
    assert {key: value[:5] for key, value in crashed.items()} == {key: value[:5] for key, value in expected.items()}
    assert all(crashed[key][5:] == expected[key][5:] for key in expected)
    with catalogue.reading() as session:
        (run,) = runs.history(session, "peer")
    assert run.status == "succeeded" and run.resumed == KILLS - run_began.index(True)
    assert {name: count for name, count in run.counts.items() if count} == {"pages": COUNT // PAGE, "new": COUNT}


def test_ctrl_c_ends_the_run_after_its_page_and_the_next_run_finishes_it(peer: FaultPeer, catalogue: Database,
                                                                         tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group, the worker processes too: the run still ends as
    interrupted after the page it was storing, without a worker's traceback, and resumes."""
    _catalogue_with_source(catalogue, peer.url)
    folder = tmp_path / "interrupted"
    process = _start(folder, catalogue, own_group=True)
    _wait_for(process, catalogue, 3 * PAGE)
    assert process.poll() is None, "the harvest ended before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=60)
    log = (folder / "harvest.log").read_text(errors="replace")
    with catalogue.reading() as session:
        (run,) = runs.history(session, "peer")
    assert run.status == "interrupted" and 3 * PAGE <= _stored(catalogue) < COUNT
    assert "Traceback" not in log and "KeyboardInterrupt" not in log and "could not check" not in log
    _finish(_start(folder, catalogue), folder)
    with catalogue.reading() as session:
        latest = runs.history(session, "peer")[0]
    assert latest.status == "succeeded" and _stored(catalogue) == COUNT
