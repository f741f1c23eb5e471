"""`catalogue.leases`: one holder per source across processes, on SQLite and PostgreSQL."""
from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timedelta

import pytest

from catalogue import leases, sources
from catalogue.db import Database
from catalogue.sources import SourceConfig

NOW = datetime(2025, 6, 1, 12, 0, 0)


@pytest.fixture
def source(catalogue: Database) -> SourceConfig:
    with catalogue.writing() as session:
        return sources.add(session, "edu", "http://partner.example.org/oai", now=NOW)


@pytest.fixture
def other_process(catalogue: Database) -> Database:
    """The same catalogue through a second engine, as another process would open it."""
    opened = Database(catalogue.url)
    yield opened
    opened.dispose()


def test_a_held_lease_is_refused_to_everyone_else(catalogue: Database, other_process: Database,
                                                  source: SourceConfig) -> None:
    with leases.held(catalogue, source.id, now=NOW) as lease:
        assert lease is not None
        assert leases.acquire(other_process, source.id, now=NOW) is None


def test_a_released_lease_can_be_taken(catalogue: Database, other_process: Database, source: SourceConfig) -> None:
    with leases.held(catalogue, source.id, now=NOW):
        pass
    taken = leases.acquire(other_process, source.id, now=NOW)
    assert taken is not None
    leases.release(other_process, taken)


def test_leases_on_different_sources_do_not_collide(catalogue: Database, other_process: Database,
                                                    source: SourceConfig) -> None:
    with catalogue.writing() as session:
        second = sources.add(session, "other", "http://other.example.org/oai", now=NOW)
    with leases.held(catalogue, source.id, now=NOW), leases.held(other_process, second.id, now=NOW) as lease:
        assert lease is not None


def test_a_lease_whose_holder_died_is_taken_over(catalogue: Database, source: SourceConfig) -> None:
    script = (
        "import os, sys\n"
        "from datetime import datetime\n"
        "from catalogue import leases\n"
        "from catalogue.db import Database\n"
        f"lease = leases.acquire(Database({catalogue.url!r}), {source.id}, now=datetime(2025, 6, 1, 12))\n"
        "sys.stdout.write('held' if lease else 'refused'); sys.stdout.flush()\n"
        "os._exit(0)\n"  # dies holding it: no release, no cleanup
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout == "held", result.stderr
    deadline = time.monotonic() + 5  # PostgreSQL ends the dead client's backend asynchronously
    while (taken := leases.acquire(catalogue, source.id, now=NOW)) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert taken is not None
    leases.release(catalogue, taken)


def test_an_expired_sqlite_lease_is_taken_over_and_renewal_pushes_the_expiry(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from catalogue.migrate import upgrade
    database = Database(f"sqlite:///{tmp_path / 'c.db'}")
    upgrade(database)
    with database.writing() as session:
        source = sources.add(session, "edu", "http://partner.example.org/oai", now=NOW)
    ttl = timedelta(minutes=10)
    held = leases.acquire(database, source.id, ttl=ttl, now=NOW)
    with database.writing() as session:
        held.renew(session, NOW + timedelta(minutes=8))
    assert leases.acquire(database, source.id, ttl=ttl, now=NOW + timedelta(minutes=17)) is None
    assert leases.acquire(database, source.id, ttl=ttl, now=NOW + timedelta(minutes=19)) is not None
    database.dispose()
