"""Fixtures shared by every test package."""
from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from catalogue.db import Database
from catalogue.migrate import upgrade

from tests.support import standards  # noqa: F401  (sets XML_CATALOG_FILES before anything parses)

CHECKOUT = Path(__file__).resolve().parent.parent
SHARED = CHECKOUT.parent / "shared"
CORPUS = SHARED / "corpus"
STANDARDS = SHARED / "standards" / "xsd"
POSTGRESQL_URL = os.environ.get("LECTERN_TEST_DATABASE_URL")
"""A PostgreSQL database the suite may wipe (CI sets it); without it only SQLite is tested."""


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared real-world corpus (read only, beside the checkout)."""
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing: expected it at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_manifest(corpus: Path) -> list[dict[str, str]]:
    """Rows of the corpus's manifest.tsv, one per file."""
    with open(corpus / "manifest.tsv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="session")
def standards() -> Path:
    """The official XSDs with their offline catalog (tests only)."""
    return STANDARDS


def _empty_postgresql(url: str) -> str:
    """Drop and recreate the public schema, so no test sees another's rows or tables."""
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(params=["sqlite", "postgresql"] if POSTGRESQL_URL else ["sqlite"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database: a new SQLite file, and PostgreSQL when configured."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'catalogue.db'}"
    return _empty_postgresql(POSTGRESQL_URL or "")


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    """An empty database without tables (for migration tests)."""
    opened = Database(db_url)
    yield opened
    opened.dispose()


@pytest.fixture
def catalogue(database: Database) -> Database:
    """A catalogue with every migration applied and no records."""
    upgrade(database)
    return database
