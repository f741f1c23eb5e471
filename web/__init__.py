"""Lectern's edge: the Flask application and the `lectern` command line.

`create_app()` is the one way to build the application, for `lectern serve`, for gunicorn
(`gunicorn -w 4 'web:create_app()'`) and for tests. It reads settings and opens the catalogue but
changes nothing in it: creating or upgrading tables is `lectern init`'s job, so starting a server
can never migrate a production database by surprise.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from catalogue import migrate
from catalogue.db import Database

from . import errors, logs, oai_view, settings, state
from .views import browse, resources

logger = logging.getLogger(__name__)


def create_app(overrides: Mapping[str, Any] | None = None, instance: str | os.PathLike | None = None) -> Flask:
    """Build the application from the layered settings (see `web.settings`) plus `overrides`."""
    folder = settings.instance_path(instance)
    values = settings.values(folder, overrides)
    if not logs.configured():
        logs.configure(values["log_format"])
    app = Flask(__name__, instance_path=str(folder))
    app.config["SECRET_KEY"] = values["secret_key"]
    database = Database(values["database_url"])
    state.attach(app, database, values)
    try:
        if migrate.current_revision(database) is None:
            logger.warning("the catalogue at %s has no tables yet; run `lectern init`", _without_password(database))
        oai_view.init_app(app, values)
    except Exception:
        database.dispose()  # a refused configuration must not leave connections behind
        raise
    app.register_blueprint(browse.blueprint)
    app.register_blueprint(resources.blueprint)
    errors.init_app(app)
    return app


def _without_password(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=True)
