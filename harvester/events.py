"""OAI-PMH responses as a stream of frozen events, without I/O: bytes or a stream in, events out.

A ListRecords page can be a gigabyte, so nothing here holds a whole response: `metadata.xmlsafe`'s
hardened `iterparse` is asked only for the `end` of the few OAI-PMH elements that matter (a record
has some 300 elements; seeing each of them from Python would cost more than parsing them), and each
element is cleared once its event has been handled. A `Record`'s metadata element is therefore valid
only until the next event is requested: serialise or process it at once.

Records are bounded in size without being held: while a record is open, the stream wrapper counts the
bytes read since its header ended and, once past the bound, drops the record's finished elements as
they complete; the record then arrives as a `SkippedRecord` carrying `RecordTooLarge`, and the rest of
the page is harvested. Sizes are measured per read of the parser (64 KiB), so the bound is approximate
to that much. Indentation (whitespace-only text between elements) is dropped while parsing: OAI-PMH,
LOM and DC have no mixed content, and it is a tenth of the work and of the tree. OAI-PMH wire names (`metadataPrefix`, `setSpec`) are spelled only here and in `oai/`.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Union

from lxml import etree

from metadata import xmlsafe
from metadata.namespaces import OAI_PMH, clark

from .errors import HarvestError, MalformedRecord, NotOAIResponse, RecordTooLarge

MAX_RECORD_BYTES = 4 * 1024 * 1024
"""Default bound on one record; LOM records are a few kilobytes, the largest real ones ~200 KB."""


@dataclass(frozen=True, slots=True)
class ResponseDate:
    """When the provider answered, in its own clock: the `from` of the next incremental harvest."""

    value: str


@dataclass(frozen=True, slots=True)
class RequestEcho:
    """The `<request>` element: the base URL the provider reports and the arguments it understood."""

    url: str
    arguments: dict[str, str]


@dataclass(frozen=True, slots=True)
class IdentifyInfo:
    """What the harvest needs from Identify; descriptions are not kept."""

    repository_name: str
    base_url: str
    protocol_version: str
    earliest_datestamp: str
    deleted_record: str
    granularity: str
    compression: tuple[str, ...]
    admin_emails: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MetadataFormat:
    """One `<metadataFormat>` of ListMetadataFormats."""

    prefix: str
    schema: str
    namespace: str


@dataclass(frozen=True, slots=True)
class SetInfo:
    """One `<set>` of ListSets (its description is not kept)."""

    spec: str
    name: str


@dataclass(frozen=True, slots=True)
class Header:
    """A record header; strings are stripped of the whitespace pretty-printing adds."""

    identifier: str
    datestamp: str
    set_specs: tuple[str, ...]
    deleted: bool


@dataclass(frozen=True, slots=True)
class Record:
    """A record: `metadata` is the first element inside `<metadata>` (None when deleted), valid until
    the next event; `abouts` are the serialised children of `<about>`; `illegal_characters` counts
    the characters removed from this record in `strip_illegal` mode."""

    header: Header
    metadata: etree._Element | None
    abouts: tuple[bytes, ...] = ()
    illegal_characters: int = 0


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    """A record the page carried but that cannot be used (`RecordTooLarge`, `MalformedRecord`)."""

    header: Header
    error: HarvestError


@dataclass(frozen=True, slots=True)
class Token:
    """A `<resumptionToken>`: value "" means the list is complete. Unparseable numbers become None."""

    value: str
    complete_list_size: int | None
    cursor: int | None
    expiration: str | None


@dataclass(frozen=True, slots=True)
class ErrorEvent:
    """An OAI-PMH `<error>`; noRecordsMatch is a normal empty list, the others fail the request."""

    code: str
    message: str


Event = Union[ResponseDate, RequestEcho, IdentifyInfo, MetadataFormat, SetInfo, Header, Record,
              SkippedRecord, Token, ErrorEvent]


def _oai(local: str) -> str:
    return clark(OAI_PMH, local)


_ROOT, _RECORD, _HEADER, _METADATA, _ABOUT = map(_oai, ("OAI-PMH", "record", "header", "metadata", "about"))
_IDENTIFIER, _DATESTAMP, _SET_SPEC = map(_oai, ("identifier", "datestamp", "setSpec"))
_HEAD_SIZE = 4096
"""Read first, to name an HTML page or a non-XML body before the parser sees it."""
_READ_SIZE = 64 * 1024
"""lxml asks for 32 KiB at a time; handing it 64 KiB parses a large page about 5% faster."""
_MARK = "\ue000"
"""Stands in for an illegal character in `strip_illegal` mode, so its record can be told and cleaned."""
_MARK_REFERENCE = b"&#xE000;"
_CONTROL_BYTES = bytes(range(0x20)).translate(None, b"\t\n\r")
_HTML = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?.*?\?>\s*)*<(?:!doctype\s+html|html)",
    re.IGNORECASE | re.DOTALL,
)
_MARKUP_START = (b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")  # "<" after an optional byte order mark


class _Meter:
    """The stream as lxml reads it: counts bytes, bounds the open record, cleans illegal characters."""

    def __init__(self, source: bytes | IO[bytes], limit: int, strip_illegal: bool) -> None:
        self._source = io.BytesIO(source) if isinstance(source, bytes) else source
        self.head = _without_leading_space(self._source.read(_HEAD_SIZE))
        self._pending = self.head
        self._carry = b""
        self._strip = strip_illegal
        self.limit = limit
        self.consumed = 0
        self.replaced = 0
        self.root: etree._Element | None = None
        self.mark = 0
        """Bytes consumed when the last event was handled: what the open element has grown since."""
        self.oversized = False
        self.pruned_header: Header | None = None

    def read(self, size: int) -> bytes:
        size = max(size, _READ_SIZE)
        if self._pending:
            data, self._pending = self._pending[:size], self._pending[size:]
        else:
            data = self._source.read(size)
        self.consumed += len(data)
        if self.consumed - self.mark > self.limit and self.root is not None:
            self._bound()
        return self._clean(data) if self._strip else data

    def _bound(self) -> None:
        """Past the bound inside a record: drop its finished elements (keeping its header's values)."""
        record = _open_record(self.root)
        if record is None:
            return  # not a record: the page size bound and libxml2's limits apply
        self.oversized = True
        if len(record) > 1 and record[0].tag == _HEADER:
            self.pruned_header = _read_header(record[0])
        element = record
        while True:  # the open elements are each the last child of their parent
            del element[:-1]
            if not len(element):
                return
            element = element[0]

    def _clean(self, data: bytes) -> bytes:
        """Replace illegal characters by a legal stand-in; a sequence cut at the chunk's end waits."""
        data = self._carry + data
        cut = _incomplete_tail(data)
        data, self._carry = data[:cut], data[cut:]
        if not data:  # never return b"" before the end: lxml would take it for the end
            data, self._carry = self._carry, b""
        if not _may_be_illegal(data):
            return data
        cleaned, count = xmlsafe.ILLEGAL_CHARACTER_BYTES.subn(_MARK_REFERENCE, data)
        self.replaced += count
        return cleaned

    def take_oversized(self) -> tuple[int, Header | None]:
        """The approximate size of the record that went past the bound, and its header if pruned."""
        header, self.pruned_header, self.oversized = self.pruned_header, None, False
        return self.consumed - self.mark, header


def _open_record(root: etree._Element) -> etree._Element | None:
    """The record being built, if any: the last child of the verb element, itself the root's last."""
    verb = root[-1] if len(root) else None
    record = verb[-1] if verb is not None and len(verb) else None
    return record if record is not None and record.tag == _RECORD else None


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


def _text(element: etree._Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.strip().isdigit() else None


def _first_element(container: etree._Element) -> etree._Element | None:
    for child in container:
        if isinstance(child.tag, str):
            return child
    return None


def _read_header(element: etree._Element) -> Header:
    identifier = datestamp = ""
    set_specs = []
    for child in element:
        tag = child.tag
        if tag == _IDENTIFIER:
            identifier = (child.text or "").strip()
        elif tag == _DATESTAMP:
            datestamp = (child.text or "").strip()
        elif tag == _SET_SPEC:
            set_specs.append((child.text or "").strip())
    return Header(identifier, datestamp, tuple(set_specs), element.get("status") == "deleted")


def _malformed(header: Header) -> SkippedRecord:
    reason = "header without datestamp" if header.identifier else "header without identifier"
    return SkippedRecord(header, MalformedRecord(header.identifier, reason))


def _header_event(element: etree._Element) -> Header | SkippedRecord:
    header = _read_header(element)
    return header if header.identifier and header.datestamp else _malformed(header)


def _serialised(about: etree._Element) -> tuple[bytes, ...]:
    """An `<about>`'s content as self-contained bytes (namespaces declared), or nothing if empty."""
    content = _first_element(about)
    return () if content is None else (etree.tostring(content),)


_NO_HEADER = Header("", "", (), False)


class _Records:
    """Turns `<record>` elements into events; remembers how many illegal characters were attributed."""

    def __init__(self, meter: _Meter) -> None:
        self.meter = meter
        self.attributed = 0

    def event(self, element: etree._Element) -> Record | SkippedRecord:
        """The hot path of a harvest: one pass over the record's children, no more objects than needed."""
        header, metadata, abouts = _NO_HEADER, None, ()
        for child in element:
            tag = child.tag
            if tag == _HEADER:
                header = _read_header(child)
            elif tag == _METADATA:
                metadata = _first_element(child)
            elif tag == _ABOUT:
                abouts += _serialised(child)
        if self.meter.oversized:
            return self._too_large(header)
        if not (header.identifier and header.datestamp):
            return _malformed(header)
        if header.deleted:
            return Record(header, None, abouts)
        if metadata is None:
            return SkippedRecord(header, MalformedRecord(header.identifier, "record without metadata"))
        if self.meter.replaced > self.attributed:
            return Record(header, metadata, abouts, self._unmark(metadata))
        return Record(header, metadata, abouts)

    def _too_large(self, header: Header) -> SkippedRecord:
        size, pruned = self.meter.take_oversized()
        header = pruned or header
        return SkippedRecord(header, RecordTooLarge(header.identifier, size, self.meter.limit))

    def _unmark(self, metadata: etree._Element) -> int:
        """Take the stand-ins for illegal characters out of this record, and count them."""
        removed = 0
        for node in metadata.iter():
            for name, value in node.attrib.items():
                if _MARK in value:
                    removed += value.count(_MARK)
                    node.set(name, value.replace(_MARK, ""))
            for field in ("text", "tail") if node is not metadata else ("text",):
                value = getattr(node, field)
                if value and _MARK in value:
                    removed += value.count(_MARK)
                    setattr(node, field, value.replace(_MARK, ""))
        self.attributed += removed
        return removed


def _identify(element: etree._Element) -> IdentifyInfo:
    def text(local: str) -> str:
        return _text(element.find(_oai(local)))

    def texts(local: str) -> tuple[str, ...]:
        return tuple(_text(child) for child in element.iterfind(_oai(local)))

    return IdentifyInfo(
        text("repositoryName"), text("baseURL"), text("protocolVersion"), text("earliestDatestamp"),
        text("deletedRecord"), text("granularity"), texts("compression"), texts("adminEmail"),
    )


def _metadata_format(element: etree._Element) -> MetadataFormat:
    return MetadataFormat(_text(element.find(_oai("metadataPrefix"))), _text(element.find(_oai("schema"))),
                          _text(element.find(_oai("metadataNamespace"))))


def _token(element: etree._Element) -> Token:
    return Token(_text(element), _int(element.get("completeListSize")), _int(element.get("cursor")),
                 element.get("expirationDate"))


_HANDLERS: dict[str, Callable[[etree._Element], Event]] = {
    _oai("responseDate"): lambda element: ResponseDate(_text(element)),
    _oai("request"): lambda element: RequestEcho(_text(element), dict(element.attrib)),
    _oai("error"): lambda element: ErrorEvent(element.get("code", ""), _text(element)),
    _oai("Identify"): _identify,
    _oai("metadataFormat"): _metadata_format,
    _oai("set"): lambda element: SetInfo(_text(element.find(_oai("setSpec"))), _text(element.find(_oai("setName")))),
    _HEADER: _header_event,
    _oai("resumptionToken"): _token,
}
_TAGS = (_RECORD, *_HANDLERS, "{}OAI-PMH", "{}responseDate")
"""The elements Python sees; the un-namespaced pair only to name a response that lacks the namespace."""


def arguments(verb: str, *, identifier: str | None = None, metadata_prefix: str | None = None,
              from_date: str | None = None, until_date: str | None = None, set_spec: str | None = None,
              resumption_token: str | None = None) -> dict[str, str]:
    """The query of one request under OAI-PMH's wire names, None values left out; a resumption
    token is exclusive, so with one only `verb` and `resumptionToken` are sent."""
    if resumption_token is not None:
        return {"verb": verb, "resumptionToken": resumption_token}
    named = {"identifier": identifier, "metadataPrefix": metadata_prefix, "from": from_date, "until": until_date,
             "set": set_spec}
    return {"verb": verb, **{name: value for name, value in named.items() if value is not None}}


def parse(source: bytes | IO[bytes], *, max_record_bytes: int = MAX_RECORD_BYTES, url: str | None = None,
          strip_illegal: bool = False) -> Iterator[Event]:
    """The events of one OAI-PMH response, in document order.

    Raises `NotOAIResponse` for an HTML page, another root element or a body that is not XML;
    `metadata.errors.UnsafeXMLError` for entity declarations or expansion, and `NotWellFormedError` for
    broken XML (a truncated page, an illegal character when `strip_illegal` is off). `url` only
    names the request in errors. `strip_illegal` is the explicit recovery mode for characters XML
    forbids: they are removed, and each `Record` says how many it lost.
    """
    meter = _Meter(source, max_record_bytes, strip_illegal)
    _sniff(meter.head, url)
    record_event = _Records(meter).event
    for _, element in xmlsafe.iterparse(meter, ("end",), _TAGS, remove_blank_text=True):
        tag = element.tag
        if meter.root is None:
            meter.root = _checked_root(element, url)
        if tag == _RECORD:
            event = record_event(element)
        elif tag == _HEADER and element.getparent().tag == _RECORD:
            continue  # read with its record
        elif tag in _HANDLERS:
            event = _HANDLERS[tag](element)
        else:
            continue  # an un-namespaced name inside a payload: not ours to touch
        meter.mark = meter.consumed
        yield event
        _forget(element)
    if meter.root is None:
        raise NotOAIResponse("the document has no OAI-PMH 2.0 element", url)


def _checked_root(element: etree._Element, url: str | None) -> etree._Element:
    root = element.getroottree().getroot()
    if root.tag == "OAI-PMH":
        raise NotOAIResponse(f"the OAI-PMH root element has no namespace (expected {OAI_PMH})", url)
    if root.tag != _ROOT:
        raise NotOAIResponse(f"the root element is {root.tag}, not OAI-PMH", url)
    return root


def _sniff(head: bytes, url: str | None) -> None:
    """Name the usual impostors before the parser reports them as broken XML."""
    stripped = head.lstrip()
    if not stripped:
        raise NotOAIResponse("the body is empty", url)
    if _HTML.match(head):
        raise NotOAIResponse("an HTML page", url)
    if not stripped.startswith(_MARKUP_START):
        raise NotOAIResponse(f"the body is not XML (it starts {stripped[:40]!r})", url)


def _forget(element: etree._Element) -> None:
    """Free a handled element and the siblings before it."""
    element.clear(keep_tail=False)
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
