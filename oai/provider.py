"""The OAI-PMH endpoint without a web framework: arguments in, `Reply(status, headers, body_iter)` out.

`web/oai_view.py` turns a Flask request into the multi-dict this takes (query string and form body
merged, repeated arguments kept) and streams the reply. Every OAI error becomes an `<error>` body
with HTTP 200 here and nowhere else: the spec asks for it (§3.1.2.2), and common harvesters give up
on a 4xx before reading the body. Nothing is yielded before the verb has done its database work, so
status and headers are final when the first byte leaves.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from catalogue.db import Database
from metadata.datestamps import utcnow

from . import envelope
from .arguments import parse_arguments
from .errors import BadArgument, BadVerb, OAIError
from .protocol import RULES
from .settings import ProviderSettings

CONTENT_TYPE = "text/xml; charset=utf-8"
CHUNK_BYTES = 64 * 1024
"""Body chunks are gathered to about this size: one write per chunk, not one per record."""
COMPRESSION_LEVEL = 1
"""zlib's fastest level: on XML it already gets most of level 6's ratio at a fraction of the CPU, and
compression sits on the hot path of every harvest (clients like requests ask for gzip by default)."""


@dataclass(frozen=True)
class Reply:
    """An HTTP response as the web layer sends it."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body_iter: Iterator[bytes]


def choose_coding(accept_encoding: str | None) -> str | None:
    """The content-coding to compress with: the one the client weighs highest, gzip on a tie."""
    weights: dict[str, float] = {}
    for item in (accept_encoding or "").split(","):
        name, *parameters = item.split(";")
        weight = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        weights[name.strip().lower()] = weight if 0 < weight <= 1 else 0.0
    fallback = weights.get("*", 0.0)
    best = max(envelope.CONTENT_CODINGS, key=lambda coding: weights.get(coding, fallback))
    return best if weights.get(best, fallback) > 0 else None


def _error_body(error: OAIError, echo: Sequence[tuple[str, str]], settings: ProviderSettings,
                now: datetime) -> Iterator[bytes]:
    yield envelope.opening(now, settings.base_url, echo, settings.stylesheet_url)
    yield envelope.error(error.code, error.message)
    yield envelope.CLOSING


def _body(params: Mapping[str, Sequence[str]], catalogue: Database, settings: ProviderSettings,
          now: datetime) -> Iterator[bytes]:
    echo: tuple[tuple[str, str], ...] = ()
    try:
        request = parse_arguments(params)
        echo = request.echo
        with catalogue.reading() as session:
            return RULES[request.verb].handler(request, session, settings, now)
    except OAIError as error:
        # Spec §3.2: after badVerb or badArgument the request element carries no attributes.
        return _error_body(error, () if isinstance(error, (BadVerb, BadArgument)) else echo, settings, now)


def _coalesced(chunks: Iterator[bytes]) -> Iterator[bytes]:
    buffer: list[bytes] = []
    held = 0
    for chunk in chunks:
        buffer.append(chunk)
        held += len(chunk)
        if held >= CHUNK_BYTES:
            yield b"".join(buffer)
            buffer, held = [], 0
    if buffer:
        yield b"".join(buffer)


def _compressed(chunks: Iterator[bytes], coding: str) -> Iterator[bytes]:
    """Compress as the body streams, so a large page is never held compressed and uncompressed."""
    compressor = zlib.compressobj(COMPRESSION_LEVEL, zlib.DEFLATED, envelope.CONTENT_CODINGS[coding])
    for chunk in chunks:
        packed = compressor.compress(chunk)
        if packed:
            yield packed
    yield compressor.flush()


def handle(
    params: Mapping[str, Sequence[str]],
    catalogue: Database,
    settings: ProviderSettings,
    *,
    now: datetime | None = None,
    accept_encoding: str | None = None,
) -> Reply:
    """Answer one OAI-PMH request; `params` maps each argument name to every value it was given."""
    body = _coalesced(_body(params, catalogue, settings, now or utcnow()))
    headers = [("Content-Type", CONTENT_TYPE), ("Vary", "Accept-Encoding")]
    coding = choose_coding(accept_encoding)
    if coding is not None:
        headers.append(("Content-Encoding", coding))
        body = _compressed(body, coding)
    return Reply(200, tuple(headers), body)
