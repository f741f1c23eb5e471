"""Finding the metadata records in a document, wherever they sit.

Records arrive alone (`<lom>`, `<oai_dc:dc>`), inside OAI-PMH responses, inside IMS content-package
manifests (one for the package, one per resource), and in the namespaces of older LOM bindings. They
are recognised by namespace, never by file name or position: a `lom` element in the IEEE namespace is
LOM wherever it is, an `oai_dc:dc` element is Dublin Core, and `metadata.legacy` knows the legacy LOM
namespaces. A record nested in another record (rare, but IMS packages do it) belongs to the outer one.

Most documents are small and are parsed whole, which is fastest. Documents larger than
`STREAM_ABOVE` (a full OAI-PMH page, a big manifest) are streamed: each record is handed out as soon
as it is complete and cleared, with everything read before it, once the caller asks for the next, so
memory does not grow with the number of records. No document may exceed `MAX_DOCUMENT_BYTES`.
"""
from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from lxml import etree

from . import legacy, xmlsafe
from .errors import UnknownFormatError, UnsafeXMLError
from .namespaces import LOM, OAI_DC, clark

STREAM_ABOVE = 4 * 1024 * 1024
"""Documents up to this size are parsed whole; larger ones are streamed."""

MAX_DOCUMENT_BYTES = 1024 * 1024 * 1024
"""Larger documents are refused: streaming keeps memory flat, but time must stay bounded too."""

_LOM_ROOT = clark(LOM, "lom")
_DC_ROOT = clark(OAI_DC, "dc")


@dataclass(frozen=True)
class Found:
    """A record in a document; `element` stays usable only until the next record is asked for.

    `kind` is `lom` or `dc`; `index` counts records from 1 in document order; `variant` names the
    legacy binding of a LOM record that is not IEEE LOM XML (e.g. IMS Metadata 1.2), else None.
    """

    element: etree._Element
    kind: str
    index: int
    variant: str | None


def find_records(source: xmlsafe.Source, max_bytes: int = MAX_DOCUMENT_BYTES) -> Iterator[Found]:
    """The LOM and DC records in `source` (bytes, a path or a binary stream), in document order.

    Raises `UnknownFormatError` after the document is read if it holds no record, and the errors of
    `metadata.xmlsafe` (with the line) for XML that is broken, hostile or larger than `max_bytes`.
    """
    with _opened(source, max_bytes) as stream:
        head = _read_up_to(stream, STREAM_ABOVE + 1)
        if len(head) <= STREAM_ABOVE:
            candidates = _walk(xmlsafe.parse(head).getroot())
        else:
            stream.unread(head)
            candidates = _stream(stream)
        for index, (element, kind) in enumerate(candidates, start=1):
            yield Found(element, kind, index, _variant(element))


def _kind(element: etree._Element) -> str | None:
    if element.tag == _LOM_ROOT:
        return "lom"
    if element.tag == _DC_ROOT:
        return "dc"
    if legacy.is_lom_root(element):
        return "lom"
    return None


def _variant(element: etree._Element) -> str | None:
    if element.tag != _LOM_ROOT and element.tag != _DC_ROOT:
        return legacy.variant_of(element) or etree.QName(element).namespace or "no namespace"
    return None


def _walk(root: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """Records of a parsed document: depth first, not descending into a record."""
    stack, found = [root], False
    while stack:
        element = stack.pop()
        kind = _kind(element)
        if kind is not None:
            found = True
            yield element, kind
        else:
            stack.extend(reversed([child for child in element if isinstance(child.tag, str)]))
    if not found:
        raise _no_record(root)


def _stream(stream: IO[bytes]) -> Iterator[tuple[etree._Element, str]]:
    """Records of a streamed document, each yielded when its end tag is read, then forgotten."""
    root: etree._Element | None = None
    record: etree._Element | None = None
    kind, found = "", False
    for event, element in xmlsafe.iterparse(stream, events=("start", "end")):
        if event == "start":
            if root is None:
                root = element
            if record is None:
                kind = _kind(element) or ""
                record = element if kind else None
            continue
        if element is record:
            found = True
            yield element, kind
            record = None
        if record is None:
            xmlsafe.release(element)
    if not found and root is not None:
        raise _no_record(root)


def _no_record(root: etree._Element) -> UnknownFormatError:
    name = etree.QName(root)
    where = f"in namespace {name.namespace}" if name.namespace else "in no namespace"
    return UnknownFormatError(
        f"no LOM or Dublin Core record found (root element '{name.localname}' {where})"
    )


class _Capped(io.RawIOBase):
    """A read-only stream that refuses to deliver more than `limit` bytes and can push bytes back."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        super().__init__()
        self._stream, self._limit, self._count, self._pending = stream, limit, 0, b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._pending:  # handed back in the sizes asked for, so the parser never runs far ahead
            cut = len(self._pending) if size is None or size < 0 else size
            data, self._pending = self._pending[:cut], self._pending[cut:]
            return data
        data = self._stream.read(size)
        self._count += len(data)
        if self._count > self._limit:
            raise UnsafeXMLError(f"document larger than {self._limit} bytes; Lectern refuses it")
        return data

    def unread(self, data: bytes) -> None:
        self._pending = data


@contextlib.contextmanager
def _opened(source: xmlsafe.Source, limit: int) -> Iterator[_Capped]:
    if isinstance(source, bytes):
        yield _Capped(io.BytesIO(source), limit)
    elif isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > limit:
                raise UnsafeXMLError(f"document larger than {limit} bytes; Lectern refuses it")
            yield _Capped(handle, limit)
    else:
        yield _Capped(source, limit)


def _read_up_to(stream: _Capped, size: int) -> bytes:
    """Exactly `size` bytes, or fewer at the end: pipes and zip members may return short reads."""
    chunks, total = [], 0
    while total < size:
        chunk = stream.read(size - total)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)
