"""Benchmark catalogues of generated records, built once per size and kept between runs.

Records are the seeded samples of `metadata.samples` (~5 KB of LOM each), rendered by the functions
`catalogue.records.store` itself uses, in worker processes, and inserted by `catalogue.bulk` in
large transactions: about 1 ms a record on two cores instead of 3.5 ms through `store`. A SQLite
catalogue is a file named for its size and seed in the benchmark folder (never in the checkout),
written under a temporary name and renamed when complete, so an interrupted build is not reused.
A PostgreSQL catalogue is a database named for its size, reused when it holds that many records.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
import tempfile
import time
from datetime import datetime
from itertools import islice
from pathlib import Path

import psycopg

from catalogue import bulk, listing, migrate, records
from catalogue.db import Database
from metadata.samples import DEFAULT_SIZE, generate_record, record_id
from metadata.xmlsafe import fromstring

FOLDER = Path(tempfile.gettempdir()) / "lectern-bench"
"""Where catalogues and instance folders live; the largest one (1,000,000 records) needs ~9 GB."""
NOW = datetime(2025, 1, 1)
BATCH = 5000
"""Records per transaction."""
POSTGRESQL_SERVER = "host=127.0.0.1 user=postgres"


def _rendered(task: tuple[int, int, int]) -> tuple[str, records.Rendering]:
    index, seed, size = task
    record = fromstring(generate_record(index, seed, size))
    return record_id(index), records.render(record, records.content(record))


def _fill(database: Database, count: int, seed: int, size: int) -> None:
    migrate.upgrade(database)
    started, done = time.perf_counter(), 0
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        rendered = pool.imap(_rendered, ((index, seed, size) for index in range(count)), chunksize=100)
        while batch := list(islice(rendered, BATCH)):
            with database.writing() as session:
                done += bulk.insert_new(session, batch, NOW)
            rate = done / (time.perf_counter() - started)
            print(f"\r  catalogue: {done:,} of {count:,} records ({rate:,.0f}/s) ", end="", file=sys.stderr)
    print(file=sys.stderr)


def _count(database: Database) -> int:
    with database.reading() as session:
        return listing.count(session, listing.Selection())


def sqlite_catalogue(count: int, seed: int = 0, size: int = DEFAULT_SIZE) -> str:
    """The URL of a SQLite catalogue of sample records 0 to `count` - 1, built if not cached."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    path = FOLDER / f"catalogue-{count}-seed{seed}-size{size}.sqlite"
    if not path.exists():
        partial = path.with_suffix(".partial")
        for leftover in FOLDER.glob(partial.name + "*"):
            leftover.unlink()
        print(f"  building {path} ...", file=sys.stderr)
        database = Database(f"sqlite:///{partial}")
        try:
            _fill(database, count, seed, size)
            with database.engine.connect() as connection:  # fold the WAL into the file before renaming it
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            database.dispose()
        partial.rename(path)
    _upgraded(f"sqlite:///{path}")
    return f"sqlite:///{path}"


def _upgraded(url: str) -> None:
    """Bring a cached catalogue to the newest schema (a no-op when it is there already)."""
    database = Database(url)
    try:
        migrate.upgrade(database)
    finally:
        database.dispose()


def postgresql_catalogue(count: int, seed: int = 0, size: int = DEFAULT_SIZE) -> str:
    """The URL of a PostgreSQL catalogue of sample records 0 to `count` - 1, built if not complete."""
    name = f"lectern_bench_{count}_seed{seed}_size{size}"
    url = f"postgresql+psycopg://postgres@127.0.0.1/{name}"
    with psycopg.connect(f"{POSTGRESQL_SERVER} dbname=postgres", autocommit=True) as server:
        exists = server.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            database = Database(url)
            try:
                if migrate.current_revision(database) and _count(database) == count:
                    migrate.upgrade(database)
                    return url
            finally:
                database.dispose()
            server.execute(f'DROP DATABASE "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    print(f"  building PostgreSQL database {name} ...", file=sys.stderr)
    database = Database(url)
    try:
        _fill(database, count, seed, size)
    finally:
        database.dispose()
    return url

