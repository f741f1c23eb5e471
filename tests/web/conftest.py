"""Fixtures for the web package: an instance folder, the CLI runner, and the app over a test catalogue.

The catalogue comes from the root `catalogue` fixture (SQLite, and PostgreSQL when configured), so
commands get it with `--database` and the app through its `database_url` setting.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from catalogue.db import Database
from tests.support.servers import LiveServer
from web import create_app, state

PAGE = 4
"""Page size of the web tests: small, so a handful of records already needs resumption tokens."""
HARVEST_LIMIT = 2
"""Concurrent OAI responses the test app serves before answering 503."""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Attach the log of every live server a failing test used to its report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for name, value in getattr(item, "funcargs", {}).items():
            if isinstance(value, LiveServer):
                report.sections.append((f"server log ({name})", value.log_text()))


@pytest.fixture
def instance_folder(tmp_path: Path) -> Path:
    """An empty instance folder of its own for each test."""
    folder = tmp_path / "instance"
    folder.mkdir()
    return folder


@pytest.fixture
def runner() -> CliRunner:
    """Click's runner; stdout and stderr are kept apart (`result.stdout`, `result.stderr`)."""
    return CliRunner()


@pytest.fixture
def app(catalogue: Database, instance_folder: Path) -> Iterator[Flask]:
    """The application over the test catalogue, with a small page and a low concurrency limit."""
    application = create_app(
        {"database_url": catalogue.url, "page_size": PAGE, "max_concurrent_harvests": HARVEST_LIMIT,
         "retry_after_seconds": 7, "repository_identifier": "lectern.example.org",
         "repository_name": "Test Shelf"},
        instance=instance_folder,
    )
    application.testing = True
    yield application
    state.close(application)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
