"""The only place XML parsers are made.

Every byte Lectern parses may come from a stranger: a partner's OAI endpoint, a librarian's upload,
an IMS package. The parsers built here therefore never expand entities, never load a DTD, never touch
the network or the file system on a document's behalf, and refuse documents that are too large or
declare entities at all (an entity declaration has no legitimate use in LOM, DC or OAI-PMH, and it is
how billion-laughs and external-entity attacks start).
"""
from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from os import PathLike
from typing import IO, Union

from lxml import etree

from .errors import NotWellFormedError, UnsafeXMLError

Source = Union[bytes, str, PathLike, IO[bytes]]

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
"""A whole document read into memory at once; larger inputs must be streamed with `iterparse`."""

_PARSER_OPTIONS = dict(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,  # keeps libxml2's depth and text-node limits in force
    remove_comments=False,
)
_local = threading.local()

# XML 1.0 forbids these code points even as character references.
_ILLEGAL_REFERENCE = "&#(?:x0*[0-8bBcCeEfF]|x0*1[0-9a-fA-F]|0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]));"
_ILLEGAL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|" + _ILLEGAL_REFERENCE)
ILLEGAL_CHARACTER_BYTES = re.compile(
    b"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]|" + _ILLEGAL_REFERENCE.encode("ascii")
)
"""The same characters found in undecoded UTF-8 (or any ASCII-compatible encoding, U+FFFE/U+FFFF
aside), for cleaning a stream chunk by chunk without decoding it."""


def _parser() -> etree.XMLParser:
    """One hardened parser per thread: lxml parsers keep state and must not be shared across threads."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = etree.XMLParser(**_PARSER_OPTIONS)
    return parser


def _read(source: Source) -> bytes:
    if isinstance(source, bytes):
        data = source
    elif isinstance(source, (str, PathLike)):
        with open(source, "rb") as handle:
            data = handle.read(MAX_DOCUMENT_BYTES + 1)
    else:
        data = source.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise UnsafeXMLError(f"document larger than {MAX_DOCUMENT_BYTES} bytes; stream it instead")
    return data


def refuse_entity_declarations(tree: etree._ElementTree) -> None:
    """Raise `UnsafeXMLError` if the document's DTD declares entities (expanded or not)."""
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UnsafeXMLError("document declares XML entities; Lectern never expands them")


def parse(source: Source, base_url: str | None = None) -> etree._ElementTree:
    """Parse a whole document with the hardened parser.

    `base_url` (the file's own path by default) lets schema documents resolve relative includes.
    Raises `NotWellFormedError` (with the line) for broken XML and `UnsafeXMLError` for hostile XML.
    """
    if base_url is None and isinstance(source, (str, PathLike)):
        base_url = str(source)
    data = _read(source)
    try:
        tree = etree.parse(io.BytesIO(data), _parser(), base_url=base_url)
    except etree.XMLSyntaxError as err:
        if "entity" in str(err).lower() and b"<!ENTITY" in data:
            raise UnsafeXMLError(f"document declares XML entities: {err.msg}") from err
        raise _syntax_error(err) from err
    refuse_entity_declarations(tree)
    return tree


def fromstring(data: bytes) -> etree._Element:
    """Parse bytes and return the root element; see `parse`."""
    return parse(data).getroot()


def iterparse(
    source: Source,
    events: tuple[str, ...] = ("end",),
    tag: str | tuple[str, ...] | None = None,
    remove_blank_text: bool = False,
) -> Iterator[tuple[str, etree._Element]]:
    """Stream a document with the same guarantees as `parse`, for inputs of any size.

    Callers clear elements they have consumed so memory stays flat; entity declarations are refused
    at the first event, before any content is delivered (entities are never expanded either way).
    Only the events asked for are collected, so after the first event the iterator is lxml's own and
    no Python code runs per event (a harvester sees two events per record of some 300 elements).
    `remove_blank_text` drops whitespace-only text between elements (indentation), for data formats
    without mixed content, where it is a tenth of the parsing time and of the tree.
    """
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    options = {**_PARSER_OPTIONS, "remove_blank_text": remove_blank_text}
    context = etree.iterparse(source, events=events, tag=tag, **options)
    try:
        for event, element in context:
            refuse_entity_declarations(element.getroottree())
            yield event, element
            break
        yield from context  # no Python code runs per event from here on
    except etree.XMLSyntaxError as err:
        raise _syntax_error(err) from err


def _syntax_error(err: etree.XMLSyntaxError) -> NotWellFormedError | UnsafeXMLError:
    """libxml2 reports its safety limits (nesting depth, text node size) as syntax errors; a
    document that trips one is hostile or broken beyond use, and is refused as unsafe."""
    if "amplification" in err.msg or "entity reference loop" in err.msg.lower():
        return UnsafeXMLError(f"document expands entities beyond a safety limit: {err.msg}")
    if "XML_PARSE_HUGE" in err.msg:
        reason = re.sub(r",? (?:use|try) XML_PARSE_HUGE(?: option)?|, line \d+, column \d+", "", err.msg)
        reason = reason.strip()
        return UnsafeXMLError(f"document exceeds a safety limit of the XML parser: {reason}")
    return NotWellFormedError(err.msg, err.lineno)


def release(element: etree._Element) -> None:
    """Free a finished element of an `iterparse` stream and the siblings before it.

    Streaming readers call this after handling each element, so memory holds only what is still
    open, however long the document is.
    """
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def strip_illegal_characters(data: bytes, encoding: str = "utf-8") -> tuple[bytes, int]:
    """Remove characters XML 1.0 forbids; return the cleaned bytes and how many were removed.

    This is the explicit recovery mode: the caller records the count (e.g. as `altered` provenance)
    instead of letting a lenient parser change the record silently.
    """
    text = data.decode(encoding, errors="strict")
    cleaned, count = _ILLEGAL_CHARACTERS.subn("", text)
    return (cleaned.encode(encoding), count) if count else (data, 0)
