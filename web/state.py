"""What the application keeps in `app.extensions`, and how views reach it.

One module names the keys, so `create_app` and the views cannot disagree about them, and views read
the catalogue and settings of the app serving them instead of module globals (several apps, e.g. in
tests, can live in one process).
"""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from catalogue.db import Database

_CATALOGUE = "lectern.catalogue"
_SETTINGS = "lectern.settings"


def attach(app: Flask, database: Database, values: dict[str, Any]) -> None:
    """Give `app` its catalogue and effective settings."""
    app.extensions[_CATALOGUE] = database
    app.extensions[_SETTINGS] = values


def catalogue() -> Database:
    """The catalogue of the application handling the current request."""
    return current_app.extensions[_CATALOGUE]


def setting(name: str) -> Any:
    """One effective setting of the application handling the current request."""
    return current_app.extensions[_SETTINGS][name]


def close(app: Flask) -> None:
    """Close the pooled catalogue connections of `app` (end of a test, or before a worker forks)."""
    app.extensions[_CATALOGUE].dispose()
