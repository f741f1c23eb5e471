"""Byte templates of an OAI-PMH response: envelope, `<request>` echo, errors, headers, records.

A list page is the hot path of a harvest, so it is assembled with string formatting around stored
bytes instead of building and serialising a tree: a record's metadata and provenance are stored as
self-contained fragments (they declare their own namespaces) and are spliced in byte for byte.
Everything inserted as text goes through `escape`, every attribute value through `quote`.
"""
from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from types import MappingProxyType

from metadata.datestamps import format_datestamp
from metadata.namespaces import OAI_PMH, XSI

_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_STYLESHEET = '<?xml-stylesheet type="text/xsl" href="{href}"?>\n'
_ROOT = (
    f'<OAI-PMH xmlns="{OAI_PMH}" xmlns:xsi="{XSI}" '
    f'xsi:schemaLocation="{OAI_PMH} {OAI_PMH}OAI-PMH.xsd">\n'
    "<responseDate>{date}</responseDate>\n<request{attributes}>{base_url}</request>\n"
)
CLOSING = b"</OAI-PMH>\n"
CONTENT_CODINGS: Mapping[str, int] = MappingProxyType({"gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS})
"""HTTP content-coding → zlib window bits (HTTP `deflate` is the zlib format, not raw deflate).
Identify announces these and the provider compresses with them, so the two cannot disagree."""
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot carry, even as references, plus lone surrogates (which UTF-8 cannot)."""
_REPLACEMENT = "\ufffd"
_NEEDS_ESCAPE = re.compile("[&<>\r]")
_NEEDS_QUOTE = re.compile('[&<>"\t\n\r]')


_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                            "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


def escape(text: str) -> str:
    """`text` as element content, read back unchanged (a bare CR would be read as LF)."""
    return text.translate(_TEXT) if _NEEDS_ESCAPE.search(text) else text


def quote(value: str) -> str:
    """`value` as a double-quoted attribute value, read back unchanged (whitespace is not normalised)."""
    return value.translate(_ATTRIBUTE) if _NEEDS_QUOTE.search(value) else value


def opening(now: datetime, base_url: str, echo: Iterable[tuple[str, str]], stylesheet_url: str | None) -> bytes:
    """Declaration, optional stylesheet instruction, root element, responseDate and request echo."""
    attributes = "".join(f' {name}="{quote(value)}"' for name, value in echo)
    head = _DECLARATION
    if stylesheet_url:
        head += _STYLESHEET.format(href=quote(stylesheet_url))
    head += _ROOT.format(date=format_datestamp(now), attributes=attributes, base_url=escape(base_url))
    return head.encode("utf-8")


def error(code: str, message: str) -> bytes:
    """One `<error>` element; characters XML cannot carry (from a hostile request) are replaced."""
    text = escape(XML_ILLEGAL.sub(_REPLACEMENT, message))
    return f'<error code="{code}">{text}</error>\n'.encode("utf-8")


def element(name: str, text: str) -> str:
    """`<name>text</name>` with the text escaped."""
    return f"<{name}>{escape(text)}</{name}>"


@functools.lru_cache(maxsize=4096)
def _set_spec(spec: str) -> str:
    """One `<setSpec>`: a catalogue has a few hundred specs, repeated on every page, so each is
    escaped once."""
    return f"<setSpec>{escape(spec)}</setSpec>"


def header(identifier: str, datestamp: datetime, set_specs: Iterable[str], deleted: bool) -> str:
    """A record header; a deleted record's header carries `status="deleted"`."""
    specs = "".join([_set_spec(spec) for spec in set_specs])
    status = ' status="deleted"' if deleted else ""
    return (
        f"<header{status}><identifier>{escape(identifier)}</identifier>"
        f"<datestamp>{format_datestamp(datestamp)}</datestamp>{specs}</header>"
    )


def record_parts(header_text: str, metadata: bytes | None, about: bytes | None) -> list[bytes]:
    """A `<record>` around stored fragments, as pieces to be written one after another.

    The stored metadata is passed on as it is, not copied into a record-sized string: a list page
    is copied once, when the provider gathers pieces into chunks for the socket. Three pieces at
    most, because each piece costs the provider a step.
    """
    opening = f"<record>{header_text}"
    closing = b"</record>\n" if about is None else b"<about>" + about + b"</about></record>\n"
    if metadata is None:
        return [opening.encode("utf-8") + closing]
    return [(opening + "<metadata>").encode("utf-8"), metadata, b"</metadata>" + closing]


def resumption_token(
    value: str, *, complete_list_size: int, cursor: int, expires: datetime | None = None
) -> bytes:
    """A `<resumptionToken>`; the list's last page carries an empty one (value "", no expiry)."""
    expiry = f' expirationDate="{format_datestamp(expires)}"' if expires else ""
    return (
        f'<resumptionToken{expiry} completeListSize="{complete_list_size}" cursor="{cursor}">'
        f"{escape(value)}</resumptionToken>\n"
    ).encode("utf-8")
