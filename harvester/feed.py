"""The bytes of a response as the parser reads them: sniffed, counted, and cleaned on request.

`events.parse` hands lxml a `Feed` instead of the page itself. The first few kilobytes are read
ahead to name the usual impostors (an empty body, an HTML page, something that is not XML) before
the parser calls them broken XML. Every read is counted, so the parser can tell how much an open
record has grown since the last event and bound it (`on_over_limit`). In `strip_illegal` mode,
characters XML forbids are replaced by a private-use stand-in the parser can find in the record
they came with, count, and remove: an explicit recovery that says what it changed.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import IO

from metadata import xmlsafe

from .errors import NotOAIResponse

HEAD_SIZE = 4096
"""Read first, to name an HTML page or a non-XML body before the parser sees it."""
READ_SIZE = 64 * 1024
"""lxml asks for 32 KiB at a time; handing it 64 KiB makes fewer Python calls per page. A record
bound below four times that gets reads of a quarter of the bound, since a record is measured per read."""
MIN_READ_SIZE = 1024
MARK = "\ue000"
"""Stands in for an illegal character in `strip_illegal` mode, so its record can be told and cleaned."""
_MARK_REFERENCE = b"&#xE000;"
_CONTROL_BYTES = bytes(range(0x20)).translate(None, b"\t\n\r")
_HTML = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?.*?\?>\s*)*<(?:!doctype\s+html|html)",
    re.IGNORECASE | re.DOTALL,
)
_MARKUP_START = (b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")  # "<" after an optional byte order mark


class Feed:
    """A readable stream over `source` for lxml; `consumed - mark` is what the open element has grown."""

    def __init__(self, source: bytes | IO[bytes], *, limit: int, on_over_limit: Callable[[], None],
                 strip_illegal: bool) -> None:
        self._source = io.BytesIO(source) if isinstance(source, bytes) else source
        self.head = _without_leading_space(_read_fully(self._source, HEAD_SIZE))
        self._pending = self.head
        self._carry = b""
        self._strip = strip_illegal
        self.limit = limit
        self._read_size = max(MIN_READ_SIZE, min(READ_SIZE, limit // 4))
        self._on_over_limit = on_over_limit
        self.consumed = 0
        self.mark = 0
        """Bytes consumed when the last event was handled."""
        self.replaced = 0
        """Illegal characters replaced by `MARK` so far."""

    def sniff(self, url: str | None) -> None:
        """Raise `NotOAIResponse` for an empty body, an HTML page or a body that is not markup."""
        stripped = self.head.lstrip()
        if not stripped:
            raise NotOAIResponse("the body is empty", url)
        if _HTML.match(self.head):
            raise NotOAIResponse("an HTML page", url)
        if not stripped.startswith(_MARKUP_START):
            raise NotOAIResponse(f"the body is not XML (it starts {stripped[:40]!r})", url)

    def read(self, size: int) -> bytes:
        data = self._take(self._read_size)
        return self._clean(data) if self._strip else data

    def _take(self, size: int) -> bytes:
        if self._pending:
            data, self._pending = self._pending[:size], self._pending[size:]
        else:
            data = self._source.read(size)
        self.consumed += len(data)
        if self.consumed - self.mark > self.limit:
            self._on_over_limit()
        return data

    def _clean(self, data: bytes) -> bytes:
        """Replace illegal characters by a legal stand-in; a sequence cut at the chunk's end waits
        for the next read (lxml would take an empty read for the end, so one is never returned early)."""
        data, self._carry = self._carry + data, b""
        while data:
            cut = _incomplete_tail(data)
            if cut:
                data, self._carry = data[:cut], data[cut:]
                break
            more = self._take(self._read_size)  # the chunk is nothing but the start of a sequence
            if not more:
                break  # the stream ends inside it: the parser will refuse what is left
            data += more
        if not _may_be_illegal(data):
            return data
        cleaned, count = xmlsafe.ILLEGAL_CHARACTER_BYTES.subn(_MARK_REFERENCE, data)
        self.replaced += count
        return cleaned


def _read_fully(source: IO[bytes], size: int) -> bytes:
    """`size` bytes, or fewer at the end: a raw stream may hand out less per read."""
    chunks, total = [], 0
    while total < size and (chunk := source.read(size - total)):
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _may_be_illegal(data: bytes) -> bool:
    """A cheap test that spares most chunks the regular expression (twenty times slower)."""
    return (len(data.translate(None, _CONTROL_BYTES)) != len(data) or b"&#" in data
            or b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data)


def _without_leading_space(head: bytes) -> bytes:
    """Whitespace before the XML declaration (a script's stray newline) is the one defect repaired
    silently: it changes no content, and libxml2 would refuse the whole response for it."""
    stripped = head.lstrip()
    return stripped if stripped.startswith(b"<?xml") else head


def _incomplete_tail(data: bytes) -> int:
    """Where a character reference or a UTF-8 sequence cut by the chunk's end starts (else the end)."""
    ampersand = data.rfind(b"&", max(0, len(data) - 12))
    if ampersand >= 0 and b";" not in data[ampersand:]:
        return ampersand
    for tail in (b"\xef\xbf", b"\xef"):
        if data.endswith(tail):
            return len(data) - len(tail)
    return len(data)
