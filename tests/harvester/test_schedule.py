"""`harvester.schedule`: due sources run once per due time, under their lease, until the scheduler stops."""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator
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
from tests.support.provider_peer import BASE_URL, ProviderFetcher

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
