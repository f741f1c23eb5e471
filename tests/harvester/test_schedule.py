"""`harvester.schedule`: due sources run once per due time, under their lease, until the scheduler stops."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from catalogue import leases, runs, sources
from catalogue.db import Database
from catalogue.migrate import upgrade
from harvester import schedule
from oai.settings import ProviderSettings
from tests.support.catalogue import store_samples
from tests.support.oai import Endpoint
from tests.support.peers import FaultPeer, Stall, sample_records
from tests.support.provider_peer import BASE_URL, LECTERN, ProviderFetcher

NOW = datetime(2025, 3, 1, 9, 0, 0)


class Clock:
    """A clock the test sets."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def peer(tmp_path: Path, clock: Clock) -> Iterator[ProviderFetcher]:
    database = Database(f"sqlite:///{tmp_path / 'peer.db'}")
    upgrade(database)
    store_samples(database, range(3), now=NOW - timedelta(days=1))
    yield ProviderFetcher(Endpoint(database, ProviderSettings(
        repository_name="Peer", base_url=BASE_URL, admin_emails=("oai@peer.example.org",),
        repository_identifier="peer.example.org", token_secret="peer secret")), clock)
    database.dispose()


def _add(catalogue: Database, name: str, **settings: object) -> sources.SourceConfig:
    with catalogue.writing() as session:
        return sources.add(session, name, BASE_URL, now=NOW, **settings)


def _runs(catalogue: Database, name: str | None = None) -> list[runs.RunInfo]:
    with catalogue.reading() as session:
        return runs.history(session, name, limit=100)


def test_a_due_source_runs_once_for_its_due_time(catalogue: Database, peer: ProviderFetcher, clock: Clock) -> None:
    added = _add(catalogue, "edu", every_seconds=3600, next_due=NOW - timedelta(minutes=5))
    first = schedule.run_if_due(catalogue, added.id, peer, clock=clock)
    assert first is not None and first.status == "succeeded" and first.due == NOW - timedelta(minutes=5)
    assert schedule.run_if_due(catalogue, added.id, peer, clock=clock) is None
    assert first.next_due == NOW + timedelta(minutes=55)


def test_a_source_not_yet_due_is_not_run(catalogue: Database, peer: ProviderFetcher, clock: Clock) -> None:
    added = _add(catalogue, "edu", every_seconds=3600, next_due=NOW + timedelta(seconds=1))
    assert schedule.run_if_due(catalogue, added.id, peer, clock=clock) is None
    assert peer.requests == []


def test_a_due_source_held_by_another_scheduler_is_skipped(catalogue: Database, peer: ProviderFetcher,
                                                           clock: Clock) -> None:
    added = _add(catalogue, "edu", every_seconds=3600, next_due=NOW)
    elsewhere = Database(catalogue.url)
    try:
        with leases.held(elsewhere, added.id, now=NOW):
            assert schedule.run_if_due(catalogue, added.id, peer, clock=clock) is None
    finally:
        elsewhere.dispose()
    assert peer.requests == []


def test_run_due_runs_every_due_source_longest_waiting_first(catalogue: Database, peer: ProviderFetcher,
                                                              clock: Clock) -> None:
    _add(catalogue, "recent", every_seconds=60, next_due=NOW - timedelta(minutes=1))
    _add(catalogue, "oldest", cron="0 * * * *", next_due=NOW - timedelta(hours=1))
    _add(catalogue, "later", every_seconds=60, next_due=NOW + timedelta(minutes=1))
    _add(catalogue, "by-hand")
    made = schedule.run_due(catalogue, peer, clock=clock)
    assert [run.source for run in made] == ["oldest", "recent"]
    with catalogue.reading() as session:
        assert sources.get(session, "oldest").next_due == datetime(2025, 3, 1, 10, 0)


def test_the_scheduler_runs_due_sources_until_it_is_stopped(catalogue: Database, peer: ProviderFetcher,
                                                            clock: Clock) -> None:
    _add(catalogue, "one", every_seconds=3600, next_due=NOW)
    _add(catalogue, "two", every_seconds=3600, next_due=NOW)
    stop = threading.Event()
    made: list[int] = []
    scheduler = threading.Thread(target=lambda: made.append(
        schedule.serve(catalogue, peer, stop=stop, poll_seconds=0.01, clock=clock)))
    scheduler.start()
    deadline = time.monotonic() + 30
    while len(_runs(catalogue)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    stop.set()
    scheduler.join(timeout=30)
    assert not scheduler.is_alive() and made == [2]
    assert sorted(run.source for run in _runs(catalogue)) == ["one", "two"]


def _segments(peer: FaultPeer) -> list[list[str]]:
    """The peer's requests cut into harvests, each starting with Identify (a list request with a token as `+`)."""
    segments: list[list[str]] = []
    for received in peer.received:
        verb = received.params["verb"][0] + ("+" if "resumptionToken" in received.params else "")
        if verb == "Identify" or not segments:
            segments.append([])
        segments[-1].append(verb)
    return segments


def _one_harvest_at_a_time(segments: list[list[str]]) -> bool:
    """Every harvest asked Identify, ListMetadataFormats, then one list page after the other, with no
    other harvest's request in between (the last may have been cut short by the stop)."""
    def whole(segment: list[str]) -> bool:
        return segment[:3] == ["Identify", "ListMetadataFormats", "ListRecords"] and set(segment[3:]) <= {"ListRecords+"}
    return all(whole(segment) for segment in segments[:-1]) and (
        not segments or whole(segments[-1]) or ["Identify", "ListMetadataFormats", "ListRecords"][:len(segments[-1])]
        == segments[-1])


def test_two_scheduler_processes_run_each_due_source_once_per_due_time(catalogue: Database, tmp_path: Path) -> None:
    """Two `lectern harvest schedule` processes share the catalogue (PostgreSQL when configured, and
    SQLite); every harvest is slowed down so that both often find the same source due at once."""
    names = [f"s{number}" for number in range(4)]
    with ExitStack() as stack:
        peers = {name: stack.enter_context(FaultPeer(sample_records(25), page_size=10)) for name in names}
        for peer in peers.values():
            peer.inject(Stall(0.4, after=None), page=1, times=None)
        with catalogue.writing() as session:
            for name, peer in peers.items():
                sources.add(session, name, peer.url, every_seconds=2, next_due=NOW)  # long past: due at once
        logs = [tmp_path / f"scheduler-{number}.log" for number in range(2)]
        schedulers = [_scheduler(catalogue, tmp_path / f"instance-{number}", log) for number, log in enumerate(logs)]
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and any(
                sum(run.status == "succeeded" for run in _runs(catalogue, name)) < 3 for name in names):
            time.sleep(0.2)
        for scheduler in schedulers:
            scheduler.send_signal(signal.SIGTERM)
        for scheduler, log in zip(schedulers, logs):
            assert scheduler.wait(timeout=60) == 0, log.read_text()
        for name, peer in peers.items():
            assert peer.unexpected() == [] and _one_harvest_at_a_time(_segments(peer)), _segments(peer)
    for log in logs:
        lines = [json.loads(line) for line in log.read_text().splitlines()]
        assert any(line["message"].endswith(" succeeded") and "run_id" in line for line in lines), log.name
    for name in names:
        made = [run for run in _runs(catalogue, name) if run.status != "interrupted"]
        dues = [run.due for run in made]
        assert len(made) >= 3 and all(run.status == "succeeded" for run in made)
        assert len(set(dues)) == len(dues), f"{name}: a due time was run twice: {sorted(dues)}"
        every_run = _runs(catalogue, name)
        assert len(_segments(peers[name])) == len(every_run) + sum(run.resumed for run in every_run)


def _scheduler(catalogue: Database, folder: Path, log: Path) -> subprocess.Popen[bytes]:
    folder.mkdir()
    env = {**os.environ, "LECTERN_LOG_FORMAT": "json"}
    with open(log, "wb") as output:
        return subprocess.Popen([LECTERN, "harvest", "schedule", "--poll", "0.1", "--instance", str(folder),
                                 "--database", catalogue.url], stdout=output, stderr=subprocess.STDOUT, env=env)
