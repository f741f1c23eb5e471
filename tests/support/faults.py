"""The faults `tests.support.peers.FaultPeer` can inject, one frozen value each.

A fault is chosen per request number or per list page (`FaultPeer.inject`); the peer reads its type
to decide how to answer: replace the answer (`Status`, `Html`, `Redirect`, `OAIError`), change the
listing (`EmptyPage`, `RepeatToken`), change the bytes (`Doctype`, `Truncate`), or change how the
bytes are delivered (`Drop`, `Stall`, `Drip`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Status:
    """Answer with this HTTP status (e.g. 503 with `Retry-After` in seconds or as an HTTP-date)."""

    code: int
    retry_after: str | None = None


@dataclass(frozen=True)
class Drop:
    """Send the headers (with the full Content-Length) and `after` bytes, then cut the connection."""

    after: int = 200


@dataclass(frozen=True)
class Stall:
    """Send the headers and `after` bytes, wait `seconds`, then the rest (None: wait before anything)."""

    seconds: float
    after: int | None = 0


@dataclass(frozen=True)
class Drip:
    """Send the body `size` bytes at a time, `interval` seconds apart."""

    interval: float
    size: int = 64


@dataclass(frozen=True)
class Truncate:
    """Send only the first `keep` fraction of the body, with a Content-Length that matches it."""

    keep: float = 0.5


@dataclass(frozen=True)
class Html:
    """An HTML error page, with status 200 as misconfigured servers send it."""

    status: int = 200


@dataclass(frozen=True)
class Redirect:
    """Redirect elsewhere (a `file:` URL, another path on the peer, ...)."""

    location: str
    status: int = 302


@dataclass(frozen=True)
class OAIError:
    """Answer with this OAI-PMH error, e.g. badResumptionToken in mid-list."""

    code: str
    message: str = "injected by the test"


@dataclass(frozen=True)
class EmptyPage:
    """A list page without records whose new token makes no progress (a broken provider's loop)."""


@dataclass(frozen=True)
class RepeatToken:
    """The page, but carrying again the token it was asked with."""


@dataclass(frozen=True)
class Doctype:
    """Prepend `<!DOCTYPE OAI-PMH [subset]>` and put `&reference;` at the start of the first metadata."""

    subset: str
    reference: str

    def apply(self, body: bytes) -> bytes:
        declaration, rest = body.split(b"?>", 1)
        rest = rest.replace(b"<metadata>", b"<metadata>&" + self.reference.encode() + b";", 1)
        return declaration + b"?>\n<!DOCTYPE OAI-PMH [" + self.subset.encode() + b"]>" + rest


def external_entity(system_url: str) -> Doctype:
    """An external entity pointing at `system_url` (a `file:` URL or an http canary)."""
    return Doctype(f'<!ENTITY xxe SYSTEM "{system_url}">', "xxe")


def entity_bomb() -> Doctype:
    """The billion-laughs expansion: ten levels of ten references."""
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)]
    return Doctype("".join(levels), "lol9")


Fault = Union[Status, Drop, Stall, Drip, Truncate, Html, Redirect, OAIError, EmptyPage, RepeatToken, Doctype]
HTML_PAGE = (b"<!DOCTYPE html>\n<html><head><title>Service unavailable</title></head>"
             b"<body><h1>Sorry</h1><p>The repository is under maintenance.<br></p></body></html>\n")
"""The body of the `Html` fault: an error page a misconfigured server sends instead of OAI-PMH."""
