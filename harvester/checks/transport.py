"""The battery's requests go through the harvester's `http.Fetcher`, like a harvest's.

So the endpoint is treated as politely as by a harvest (timeouts, backoff with jitter, Retry-After on
503 and 429 in both forms), and what the battery reports about a flaky endpoint is what a harvest
would live through. Other HTTP statuses come back as answers, which is what the checks need to see.
"""
from __future__ import annotations

from harvester.errors import PageTooLarge, RetryLater, TransportError
from harvester.http import Fetcher, default_user_agent
from metadata.xmlsafe import MAX_DOCUMENT_BYTES

from .probe import Answer, Arguments, Transport, TransportFailure

MAX_RETRIES = 2
"""Fewer than a harvest's: a check that needs more than two retries has found something to report."""


def default_fetcher() -> Fetcher:
    """A Fetcher for the battery: pages bounded by what `metadata.xmlsafe` parses whole."""
    return Fetcher(default_user_agent(), max_retries=MAX_RETRIES, max_page_bytes=MAX_DOCUMENT_BYTES)


def fetcher_transport(fetcher: Fetcher) -> Transport:
    """Requests sent with `fetcher`; what keeps an answer from coming becomes `TransportFailure`."""

    def send(base_url: str, arguments: Arguments, method: str) -> Answer:
        try:
            with fetcher.fetch(base_url, list(arguments), method) as page:
                return Answer(page.status, page.headers.get("Content-Type", ""), page.body.read())
        except (TransportError, RetryLater, PageTooLarge) as failure:
            raise TransportFailure(str(failure)) from failure

    return send
