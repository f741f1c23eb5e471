"""`/oai`: a Flask request in, `oai.provider.handle` in the middle, a streaming response out.

The provider decides status, headers and every OAI error before the first byte; this view only
translates HTTP, and guards the process with a bounded number of concurrent responses. A response
holds its slot until its body is closed (sent, or abandoned by the client), because a ListRecords
page costs its database work while it streams, not when the view returns. When every slot is
taken the answer is HTTP 503 with `Retry-After`: flow control that Sickle, pyoai and metha obey,
not an OAI-PMH error (those are always HTTP 200).
"""
from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request, url_for

from oai import provider
from oai.settings import ProviderSettings

from . import state

blueprint = Blueprint("oai", __name__)

SLOTS = "lectern.oai_slots"
PROVIDER_SETTINGS = "lectern.provider_settings"


def provider_settings(values: Mapping[str, Any]) -> ProviderSettings:
    """The provider's settings from Lectern's; base and stylesheet URLs are filled per request."""
    return ProviderSettings(
        repository_name=values["repository_name"],
        base_url=values["base_url"],
        admin_emails=tuple(values["admin_email"].split()),
        repository_identifier=values["repository_identifier"],
        page_size=values["page_size"],
        token_secret=values["secret_key"],
        token_lifetime=timedelta(hours=values["token_lifetime_hours"]),
        friends=tuple(values["friends"].split()),
    )


def init_app(app: Flask, values: Mapping[str, Any]) -> None:
    """Register `/oai` on `app` with its provider settings and its concurrency slots."""
    limit = values["max_concurrent_harvests"]
    if limit < 1:
        raise ValueError(f"max_concurrent_harvests must be at least 1, not {limit}")
    app.extensions[SLOTS] = threading.BoundedSemaphore(limit)
    app.extensions[PROVIDER_SETTINGS] = provider_settings(values)
    app.register_blueprint(blueprint)


def _arguments() -> dict[str, list[str]]:
    """All arguments of the request: the query string for GET, the form body for POST (spec §3.1.1)."""
    source = request.form if request.method == "POST" else request.args
    return source.to_dict(flat=False)


def _request_settings() -> ProviderSettings:
    configured = current_app.extensions[PROVIDER_SETTINGS]
    return dataclasses.replace(
        configured,
        base_url=configured.base_url or request.url_root + "oai",
        stylesheet_url=url_for("static", filename="oai.xsl"),
    )


def _busy() -> Response:
    retry_after = str(state.setting("retry_after_seconds"))
    body = f"Too many harvests are running; retry in {retry_after} seconds.\n"
    return Response(body, status=503, headers={"Retry-After": retry_after}, mimetype="text/plain")


class _Slot:
    """One taken place in the concurrency limit, given back exactly once.

    The body gives it back when it is read to the end or closed; the response's close callback
    covers a body that was never started (closing an unstarted generator runs no `finally`).
    """

    def __init__(self, semaphore: threading.BoundedSemaphore) -> None:
        self._semaphore = semaphore
        self._held = True
        self._lock = threading.Lock()

    def release(self) -> None:
        with self._lock:
            if not self._held:
                return
            self._held = False
        self._semaphore.release()


def _holding(body: Iterator[bytes], slot: _Slot) -> Iterator[bytes]:
    try:
        yield from body
    finally:
        slot.release()


@blueprint.route("/oai", methods=["GET", "POST"])
def endpoint() -> Response:
    """Answer one OAI-PMH request."""
    semaphore: threading.BoundedSemaphore = current_app.extensions[SLOTS]
    if not semaphore.acquire(blocking=False):
        return _busy()
    slot = _Slot(semaphore)
    try:
        reply = provider.handle(
            _arguments(),
            state.catalogue(),
            _request_settings(),
            accept_encoding=request.headers.get("Accept-Encoding"),
        )
        response = Response(_holding(reply.body_iter, slot), status=reply.status, headers=list(reply.headers))
    except BaseException:
        slot.release()
        raise
    response.call_on_close(slot.release)
    return response
