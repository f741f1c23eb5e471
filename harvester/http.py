"""Fetching OAI-PMH pages from partners that are slow, flaky, and sometimes hostile.

Every request is retried on what is usually transient (connection failures, timeouts, 500/502/503/504
and 429) with exponential backoff and full jitter, so that many harvesters hitting one recovering
provider spread out instead of returning in step. A provider that names its own wait in `Retry-After`
(delta-seconds or an HTTP-date; common clients read only the first) is obeyed exactly, unless the wait
is longer than we are willing to sleep: then `RetryLater` tells the run to reschedule itself.

The body is downloaded whole, within the retry loop, into a spool (memory, then a temporary file), so a
connection dropped mid-body is retried like any other failure and the parser reads a complete page.
Two clocks bound a page: the read timeout between bytes, and `max_page_seconds` over the whole body,
which a server dripping one byte at a time would otherwise never trip. Other statuses (404, 400, ...)
come back as a `Page`: some providers send their OAI-PMH errors with them, and the parser decides.
"""
from __future__ import annotations

import logging
import random as random_module
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timezone
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from typing import IO, Union
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from .errors import PageTooLarge, RetryLater, TransportError

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_AFTER_STATUSES = frozenset({429, 503})
MAX_PAGE_BYTES = 512 * 1024 * 1024
"""Default bound on one decompressed response: a hundred times a large ListRecords page."""
_SPOOL_IN_MEMORY = 16 * 1024 * 1024
_CHUNK = 64 * 1024


def _version() -> str:
    try:
        return version("lectern")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


def default_user_agent(site_url: str | None = None) -> str:
    """`Lectern/<version>`, plus `(+<site_url>)` so a provider's operator can find who is harvesting."""
    return f"Lectern/{_version()}" + (f" (+{site_url})" if site_url else "")


@dataclass(frozen=True)
class Page:
    """One response: `body` is a readable binary stream at its start (close the page when done)."""

    url: str
    status: int
    headers: Mapping[str, str]
    body: IO[bytes]
    elapsed: float
    size: int

    def close(self) -> None:
        self.body.close()

    def __enter__(self) -> Page:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class _Retry(Exception):
    """An attempt failed in a way worth another try; `wait` is the provider's `Retry-After`, if any."""

    def __init__(self, reason: str, status: int | None = None, wait: float | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.wait = wait


class _Session(requests.Session):
    """A session that follows redirects only to http and https, whatever a provider says."""

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        target = super().get_redirect_target(resp)
        if target is not None:
            scheme = urlsplit(urljoin(resp.url, target)).scheme.lower()
            if scheme not in ("http", "https"):
                resp.close()  # its connection goes back to the pool, not to the garbage collector
                raise TransportError(f"refused a redirect to a {scheme or 'schemeless'} URL", resp.url)
        return target


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """Seconds to wait from a `Retry-After` value in either form; None if absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:  # "-0000" means UTC with no claim about local time
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, moment.timestamp() - now)


Params = Union[Mapping[str, str], Sequence[tuple[str, str]]]
"""Request arguments: a mapping, or pairs when an argument must repeat (conformance checks do that)."""


def request_url(base_url: str, params: Params) -> str:
    """The request as a GET URL: what logs and reports show, for POST requests too."""
    prepared = requests.Request("GET", base_url, params=_listed(params)).prepare().url
    return prepared or base_url


def _listed(params: Params) -> list[tuple[str, str]]:
    return list(params.items()) if isinstance(params, Mapping) else list(params)


class Fetcher:
    """One provider-friendly HTTP client; `sleep`, `random` and `clock` are injectable for tests."""

    def __init__(
        self, user_agent: str | None = None, from_email: str | None = None, *,
        connect_timeout: float = 10.0, read_timeout: float = 60.0, max_retries: int = 4,
        backoff_base: float = 1.0, backoff_cap: float = 60.0, max_retry_after: float = 600.0,
        max_page_bytes: int = MAX_PAGE_BYTES, max_page_seconds: float = 600.0,
        sleep: Callable[[float], None] = time.sleep, random: Callable[[], float] = random_module.random,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.timeout = (connect_timeout, read_timeout)
        self.max_retries = max_retries
        self.backoff_base, self.backoff_cap = backoff_base, backoff_cap
        self.max_retry_after = max_retry_after
        self.max_page_bytes, self.max_page_seconds = max_page_bytes, max_page_seconds
        self._sleep, self._random, self._clock = sleep, random, clock
        self.session = _Session()
        self.session.trust_env = False  # no proxies or .netrc credentials picked up from the environment
        self.session.max_redirects = 5
        self.session.headers.update({"User-Agent": user_agent or default_user_agent(),
                                     "Accept-Encoding": "gzip, deflate"})
        if from_email:
            self.session.headers["From"] = from_email

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def fetch(self, base_url: str, params: Params, method: str = "GET") -> Page:
        """The provider's answer to one request, retried as the module says.

        Raises `RetryLater` (a wait above `max_retry_after`), `TransportError` (retries exhausted,
        a refused redirect, an unusable URL) and `PageTooLarge`.
        """
        url, attempt = request_url(base_url, params), 0
        while True:
            try:
                return self._attempt(base_url, params, method, url)
            except _Retry as failure:
                wait = self._wait(attempt, failure, url)
                if attempt == self.max_retries:
                    raise TransportError(f"{failure} after {attempt + 1} attempts", url, failure.status) from failure
                logger.warning("retrying %s in %.1f s (attempt %d of %d): %s",
                               url, wait, attempt + 2, self.max_retries + 1, failure)
                self._sleep(wait)
                attempt += 1

    def _wait(self, attempt: int, failure: _Retry, url: str) -> float:
        if failure.wait is not None:
            if failure.wait > self.max_retry_after:
                raise RetryLater(failure.wait, url) from failure
            return failure.wait
        return self._random() * min(self.backoff_cap, self.backoff_base * 2 ** attempt)

    def _attempt(self, base_url: str, params: Params, method: str, url: str) -> Page:
        started = time.monotonic()
        arguments = {"params" if method == "GET" else "data": _listed(params)}
        logger.debug("%s %s", method, url)
        try:
            response = self.session.request(method, base_url, timeout=self.timeout, stream=True, **arguments)
        except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as err:
            raise _Retry(f"{type(err).__name__}: {err}") from err
        except requests.exceptions.RequestException as err:  # bad URL, too many redirects: retrying won't help
            raise TransportError(f"{type(err).__name__}: {err}", url) from err
        with response:
            status = response.status_code
            if status in RETRY_STATUSES:
                wait = (retry_after_seconds(response.headers.get("Retry-After"), self._clock())
                        if status in RETRY_AFTER_STATUSES else None)
                raise _Retry(f"HTTP {status}", status, wait)
            body, size = self._download(response.raw, started, url)
        elapsed = time.monotonic() - started
        logger.debug("%s answered HTTP %d, %d bytes in %.2f s", url, status, size, elapsed)
        return Page(url, status, response.headers, body, elapsed, size)

    def _download(self, raw: urllib3.HTTPResponse, started: float, url: str) -> tuple[IO[bytes], int]:
        """The decoded body, spooled; `read1` returns what has arrived, so the page clock is checked
        between every few kilobytes however slowly they come."""
        with ExitStack() as on_failure:
            spool = on_failure.enter_context(tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY))
            size, deadline = 0, started + self.max_page_seconds
            try:
                while chunk := raw.read1(_CHUNK, decode_content=True):
                    size += len(chunk)
                    if size > self.max_page_bytes:
                        raise PageTooLarge(self.max_page_bytes, url)
                    if time.monotonic() > deadline:
                        raise _Retry(f"the page took longer than {self.max_page_seconds:g} s")
                    spool.write(chunk)
            except urllib3.exceptions.HTTPError as err:  # read timeout, dropped connection, broken gzip
                raise _Retry(f"{type(err).__name__}: {err}") from err
            on_failure.pop_all()  # success: the spool outlives this function
        spool.seek(0)
        return spool, size
