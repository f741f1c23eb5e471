"""Fetching a list's next pages while the walker checks and stores the ones before.

The request for the next page needs this page's resumption token, which OAI-PMH puts at the very
end of the page. A thread fetching ahead reads the token from the page's last bytes (`token_at_end`)
and asks for the next page at once, up to `depth` pages ahead of the walker. The walker takes
pages in order and compares: should its own reading of a page find another token than the one
read at the end (a CDATA section, a comment, an unusual spelling), the pages fetched on that reading
are dropped and the list goes on from the walker's token. A wrong reading costs a request, never a
record; where the end of a page does not read plainly, nothing is fetched ahead of it.
"""
from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from catalogue.runs import Position

TAIL_BYTES = 8192
_QNAME = rb"(?:[A-Za-z_][\w.-]*:)?"
_TOKEN_AT_END = re.compile(
    rb"<" + _QNAME + rb"resumptionToken(?:\s[^<>]*)?>([^<]*)</" + _QNAME + rb"resumptionToken\s*>\s*</" + _QNAME
    + rb"List(?:Records|Identifiers|Sets)\s*>\s*</" + _QNAME + rb"OAI-PMH\s*>\s*\Z")
_REFERENCE = re.compile(rb"&(?:#x([0-9A-Fa-f]+)|#([0-9]+)|(amp|lt|gt|quot|apos));")
_NAMED = {b"amp": "&", b"lt": "<", b"gt": ">", b"quot": '"', b"apos": "'"}
_POLL_SECONDS = 0.1

T = TypeVar("T")


def token_at_end(tail: bytes) -> str | None:
    """The resumption token the last bytes of a UTF-8 list page end with; None when there is none, it
    is empty (the list is complete), or it is spelled in a way not worth guessing at."""
    found = _TOKEN_AT_END.search(tail)
    if found is None:
        return None
    raw = found.group(1)
    if raw.count(b"&") != len(_REFERENCE.findall(raw)):
        return None
    try:
        text = _REFERENCE.sub(lambda ref: _character(ref).encode("utf-8"), raw).decode("utf-8")
    except (UnicodeDecodeError, ValueError, OverflowError):
        return None
    return text.strip() or None


def _character(reference: re.Match[bytes]) -> str:
    hexadecimal, decimal, name = reference.groups()
    if name:
        return _NAMED[name]
    return chr(int(hexadecimal, 16) if hexadecimal else int(decimal))


@dataclass(frozen=True)
class _Arrival(Generic[T]):
    """What the thread fetched for one position: the page's value, or the error fetching it raised."""

    position: Position
    value: T | None = None
    error: BaseException | None = None


_END = object()


def _request(position: Position) -> tuple[str | None, ...]:
    """What the request for `position` asks: the token alone, or the list's own arguments."""
    if position.token:
        return position.list_key, position.token
    return position.list_key, position.metadata_prefix, position.from_date, position.until_date


class Ahead(Generic[T]):
    """Pages of one list fetched by a thread, at most `depth` ahead of the walker.

    `fetch(position)` returns a page's value (whatever the walker makes of a fetched page, e.g. with
    its checking already under way); `tail(value)` its last bytes, read before the walker has the
    page; `discard(value)` releases one the walker will never take. Use it as a context manager, so
    the thread ends with the walk.
    """

    def __init__(self, fetch: Callable[[Position], T], tail: Callable[[T], bytes], discard: Callable[[T], None],
                 depth: int = 2) -> None:
        if depth < 1:
            raise ValueError(f"a list is fetched at least one page ahead, not {depth}")
        self._fetch, self._tail, self._discard, self.depth = fetch, tail, discard, depth
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._slots = threading.Semaphore(depth)
        self._arrivals: queue.SimpleQueue = queue.SimpleQueue()

    def take(self, position: Position) -> T:
        """The page answering `position`, fetched ahead when it was foreseen, else now; raises what
        fetching it raised."""
        arrival = self._arrivals.get() if self._thread is not None else _END
        if arrival is _END or _request(arrival.position) != _request(position):
            self._release(arrival)
            self._start(position)
            arrival = self._arrivals.get()
        self._slots.release()
        if arrival.error is not None:
            raise arrival.error
        return arrival.value

    def close(self) -> None:
        """Stop fetching ahead (after the request under way) and release what was not taken."""
        if self._thread is None:
            return
        self._cancel.set()
        self._thread.join()
        self._thread = None
        while not self._arrivals.empty():
            self._release(self._arrivals.get())

    def __enter__(self) -> Ahead[T]:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _release(self, arrival: object) -> None:
        if isinstance(arrival, _Arrival) and arrival.value is not None:
            self._discard(arrival.value)

    def _start(self, position: Position) -> None:
        self.close()
        self._cancel, self._slots = threading.Event(), threading.Semaphore(self.depth)
        self._thread = threading.Thread(target=self._chain, args=(position, self._cancel, self._slots),
                                        name="fetch-ahead", daemon=True)
        self._thread.start()

    def _chain(self, position: Position, cancel: threading.Event, slots: threading.Semaphore) -> None:
        """The thread: fetch `position`, then the position its page's end names, until there is none,
        a fetch fails or the walk is over; always ends with `_END`, so a `take` never waits in vain."""
        try:
            while _acquire(slots, cancel):
                try:
                    value = self._fetch(position)
                except BaseException as error:  # noqa: BLE001 (handed to the walker, which raises it)
                    self._arrivals.put(_Arrival(position, error=error))
                    return
                token = self._next_token(value)
                self._arrivals.put(_Arrival(position, value))
                if token is None:
                    return
                position = replace(position, token=token)
        finally:
            self._arrivals.put(_END)

    def _next_token(self, value: T) -> str | None:
        try:
            return token_at_end(self._tail(value))
        except (OSError, ValueError):  # an unreadable tail: the walker reads the page and its token
            return None


def _acquire(slots: threading.Semaphore, cancel: threading.Event) -> bool:
    """Wait for room ahead of the walker; False once the walk is over."""
    while not cancel.is_set():
        if slots.acquire(timeout=_POLL_SECONDS):
            return True
    return False
