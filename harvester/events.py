"""OAI-PMH responses as a stream of frozen events, without I/O: bytes or a stream in, events out.

A ListRecords page can be a gigabyte, so nothing here holds a whole response: `metadata.xmlsafe`'s
hardened `iterparse` is asked only for the `end` of the few OAI-PMH elements that matter (a record
has some 300 elements; seeing each of them from Python would cost more than parsing them), and each
element is cleared once its event has been handled. A `Record`'s metadata element is therefore valid
only until the next event is requested: serialise or process it at once.

Records are bounded in size without being held: the feed (`harvester.feed`) counts the bytes read
since the last event and, once a record is past the bound, its finished elements are dropped as it
grows; it then arrives as a `SkippedRecord` carrying `RecordTooLarge`, and the page goes on.
Sizes are measured per read of the parser (64 KiB, or a quarter of a smaller bound), so the bound
is approximate to that much.
Indentation (whitespace-only text between elements) is dropped while parsing: OAI-PMH, LOM and DC
have no mixed content, and it is a tenth of the parsing work and of the tree. OAI-PMH wire names
(`metadataPrefix`, `setSpec`) are spelled only here and in `oai/`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Union

from lxml import etree

from metadata import xmlsafe
from metadata.namespaces import OAI_PMH, clark

from .errors import HarvestError, MalformedRecord, NotOAIResponse, RecordTooLarge
from .feed import MARK, Feed

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
    """Turns `<record>` elements into events; bounds the one being built; attributes illegal characters."""

    def __init__(self) -> None:
        self.feed: Feed | None = None
        self.root: etree._Element | None = None
        self.oversized = False
        self.pruned_header: Header | None = None
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
        if self.oversized:
            return self._too_large(header)
        if not (header.identifier and header.datestamp):
            return _malformed(header)
        if header.deleted:
            return Record(header, None, abouts)
        if metadata is None:
            return SkippedRecord(header, MalformedRecord(header.identifier, "record without metadata"))
        if self.feed.replaced > self.attributed:
            return Record(header, metadata, abouts, self._unmark(metadata))
        return Record(header, metadata, abouts)

    def bound(self) -> None:
        """Called by the feed past the size bound: if a record is being built, drop its finished
        elements (keeping its header's values); anything else is bounded by the page size and libxml2."""
        record = _open_record(self.root) if self.root is not None else None
        if record is None:
            return
        self.oversized = True
        if len(record) > 1 and record[0].tag == _HEADER:
            self.pruned_header = _read_header(record[0])
        element = record
        while True:  # the open elements are each the last child of their parent
            del element[:-1]
            if not len(element):
                return
            element = element[0]

    def _too_large(self, header: Header) -> SkippedRecord:
        header = self.pruned_header or header
        size = self.feed.consumed - self.feed.mark
        self.pruned_header, self.oversized = None, False
        return SkippedRecord(header, RecordTooLarge(header.identifier, size, self.feed.limit))

    def _unmark(self, metadata: etree._Element) -> int:
        """Take the stand-ins for illegal characters out of this record, and count them."""
        removed = 0
        for node in metadata.iter():
            for name, value in node.attrib.items():
                if MARK in value:
                    removed += value.count(MARK)
                    node.set(name, value.replace(MARK, ""))
            for field in ("text", "tail") if node is not metadata else ("text",):
                value = getattr(node, field)
                if value and MARK in value:
                    removed += value.count(MARK)
                    setattr(node, field, value.replace(MARK, ""))
        self.attributed += removed
        return removed


def _open_record(root: etree._Element) -> etree._Element | None:
    """The record being built, if any: the last child of the verb element, itself the root's last."""
    verb = root[-1] if len(root) else None
    record = verb[-1] if verb is not None and len(verb) else None
    return record if record is not None and record.tag == _RECORD else None


def _identify(element: etree._Element) -> IdentifyInfo:
    def text(local: str) -> str:
        return _text(element.find(_oai(local)))

    def texts(local: str) -> tuple[str, ...]:
        return tuple(_text(child) for child in element.iterfind(_oai(local)))

    return IdentifyInfo(
        " ".join(text("repositoryName").split()), text("baseURL"), text("protocolVersion"), text("earliestDatestamp"),
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
    records = _Records()
    feed = records.feed = Feed(source, limit=max_record_bytes, on_over_limit=records.bound,
                               strip_illegal=strip_illegal)
    feed.sniff(url)
    record_event = records.event
    try:
        for _, element in xmlsafe.iterparse(feed, ("end",), _TAGS, remove_blank_text=True):
            tag = element.tag
            if records.root is None:
                records.root = _checked_root(element, url)
            if tag == _RECORD:
                event = record_event(element)
            elif tag == _HEADER and element.getparent().tag == _RECORD:
                continue  # read with its record
            elif tag in _HANDLERS:
                event = _HANDLERS[tag](element)
            else:
                continue  # an un-namespaced name inside a payload: not ours to touch
            feed.mark = feed.consumed
            yield event
            xmlsafe.release(element)
        if records.root is None:
            raise NotOAIResponse("the document has no OAI-PMH 2.0 element", url)
    finally:
        # The feed calls back into `records`, which holds the page's root: a cycle that kept each
        # page's whole tree alive until the cyclic collector came by (tens of megabytes, growing).
        records.feed = records.root = None


def _checked_root(element: etree._Element, url: str | None) -> etree._Element:
    root = element.getroottree().getroot()
    if root.tag == "OAI-PMH":
        raise NotOAIResponse(f"the OAI-PMH root element has no namespace (expected {OAI_PMH})", url)
    if root.tag != _ROOT:
        raise NotOAIResponse(f"the root element is {root.tag}, not OAI-PMH", url)
    return root
