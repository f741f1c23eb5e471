"""Error pages: `{status}.html` when a template exists for the status, else `error.html`.

OAI-PMH errors never come through here: the provider answers them inside a 200 response, because
common harvesters stop at a 4xx before reading the body (see docs/design.md). Unexpected exceptions
reach the handler as Flask's `InternalServerError` after Flask has logged them.
"""
from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException


def _http_error(error: HTTPException) -> tuple[str, int]:
    code = error.code or 500
    return render_template([f"{code}.html", "error.html"], error=error, code=code), code


def init_app(app: Flask) -> None:
    """Register the error pages on `app`."""
    app.register_error_handler(HTTPException, _http_error)
