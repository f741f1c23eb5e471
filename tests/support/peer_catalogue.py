"""The scripted OAI-PMH 2.0 catalogue behind the fault peer (`tests.support.peers.FaultPeer`).

Small and literal on purpose: records are held in a list, paging is by offset in tokens the catalogue
remembers issuing, and every answer is built from byte templates, so a test can see exactly what a
harvester was sent. When no fault is injected, every answer is a schema-valid OAI-PMH response
(`tests.support.oai.assert_oai_valid` checks that in `tests/harvester/test_peers.py`).
"""
from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from xml.sax.saxutils import escape, quoteattr

from metadata import xmlsafe
from metadata.crosswalk import render_oai_dc
from metadata.datestamps import DAY, SECONDS, format_datestamp, granularity_of, parse_datestamp, utcnow
from metadata.namespaces import IMSMD_V1P2, LOM, OAI_DC, OAI_PMH, XSI
from metadata.samples import generate_record, record_id


@dataclass(frozen=True)
class Format:
    """A metadata format the peer offers."""

    prefix: str
    schema: str
    namespace: str


LOM_FORMAT = Format("lom", "http://ltsc.ieee.org/xsd/lomv1.0/lomLoose.xsd", LOM)
OAI_DC_FORMAT = Format("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC)
IMSMD_FORMAT = Format("lom", "http://www.imsglobal.org/xsd/imsmd_v1p2p4.xsd", IMSMD_V1P2)
"""A legacy provider: prefix `lom`, IMS Meta-data 1.2 namespace (NL-LOM from Edurep does this)."""


@dataclass(frozen=True)
class PeerRecord:
    """One item: `formats` maps a prefix to the metadata bytes (no XML declaration). `datestamp` is
    always in seconds; a day-granularity peer shows its date part."""

    identifier: str
    datestamp: str
    formats: Mapping[str, bytes] = field(default_factory=dict)
    sets: tuple[str, ...] = ()
    deleted: bool = False


def without_declaration(document: bytes) -> bytes:
    """Metadata bytes ready to splice into `<metadata>`: the XML declaration dropped."""
    return document.split(b"?>", 1)[1].lstrip() if document.startswith(b"<?xml") else document


def sample_records(count: int, *, seed: int = 0, formats: Iterable[str] = ("lom", "oai_dc"),
                   first: str = "2024-01-01T00:00:00Z", sets: Callable[[int], tuple[str, ...]] = lambda i: (),
                   ) -> list[PeerRecord]:
    """`count` records from the seeded sample generator, one minute apart from `first`."""
    start, wanted = parse_datestamp(first), tuple(formats)
    records = []
    for index in range(count):
        lom = without_declaration(generate_record(index, seed))
        available = {"lom": lom} if "lom" in wanted else {}
        if "oai_dc" in wanted:
            available["oai_dc"] = without_declaration(render_oai_dc(xmlsafe.fromstring(lom)))
        moment = format_datestamp(start + timedelta(minutes=index))
        records.append(PeerRecord(f"oai:peer:{record_id(index)}", moment, available, sets(index)))
    return records


def with_illegal_characters(record: PeerRecord, junk: bytes = b"\x0b&#x1F;") -> PeerRecord:
    """The record with characters XML forbids (a raw control character and a reference to one) at the
    end of the first text of each of its formats, as some exporters write them."""
    spoiled = {prefix: data.replace(b"</", junk + b"</", 1) for prefix, data in record.formats.items()}
    return replace(record, formats=spoiled)


class OAIProblem(Exception):
    """An OAI-PMH error condition the catalogue answers with (HTTP 200, `<error>`)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class ListState:
    """Where a list stands: what a resumption token stands for."""

    verb: str
    prefix: str
    from_date: str | None
    until_date: str | None
    set_spec: str | None
    offset: int


_ARGUMENTS = {
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}


class Catalogue:
    """Records, formats and paging of the peer; safe to use from the server's threads."""

    def __init__(self, records: Iterable[PeerRecord], *, formats: Iterable[Format], page_size: int,
                 granularity: str, deleted_record: str, clock: Callable[[], datetime] = utcnow) -> None:
        self._records = {record.identifier: record for record in records}
        self.formats = {item.prefix: item for item in formats}
        self.page_size, self.granularity, self.deleted_record = page_size, granularity, deleted_record
        self.clock = clock
        self.base_url = ""
        self.issued: set[str] = set()
        self._lock = threading.Lock()

    # -- changes between runs ---------------------------------------------------------------
    def put(self, record: PeerRecord) -> None:
        """Add or replace a record (an update: give it a later datestamp)."""
        with self._lock:
            self._records[record.identifier] = record

    def delete(self, identifier: str, datestamp: str) -> None:
        """Mark a record deleted at `datestamp`, as a repository with persistent deletions does."""
        with self._lock:
            self._records[identifier] = replace(self._records[identifier], deleted=True, formats={},
                                                datestamp=datestamp)

    def records(self) -> list[PeerRecord]:
        with self._lock:
            return sorted(self._records.values(), key=lambda record: (record.datestamp, record.identifier))

    # -- answering -------------------------------------------------------------------------
    def answer(self, params: Mapping[str, list[str]], *, empty_page: bool = False,
               repeat_token: bool = False) -> bytes:
        """The full response to one request; OAI errors become `<error>` responses."""
        try:
            verb, arguments = self._arguments(params)
            body = self._verb(verb, arguments, empty_page, repeat_token)
            return self.envelope(body, {"verb": verb, **arguments})
        except OAIProblem as problem:
            return self.error(problem.code, problem.message, params)

    def error(self, code: str, message: str, params: Mapping[str, list[str]]) -> bytes:
        """An error response; the request is echoed without attributes when they were the problem."""
        echoed = {} if code in ("badVerb", "badArgument") else {name: values[0] for name, values in params.items()}
        body = f'<error code="{code}">{escape(message)}</error>\n'.encode()
        return self.envelope(body, echoed)

    def envelope(self, body: bytes, echoed: Mapping[str, str]) -> bytes:
        attributes = "".join(f" {name}={quoteattr(value)}" for name, value in echoed.items())
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="{OAI_PMH}" xmlns:xsi="{XSI}" '
            f'xsi:schemaLocation="{OAI_PMH} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">\n'
            f"<responseDate>{format_datestamp(self.clock())}</responseDate>\n"
            f"<request{attributes}>{escape(self.base_url)}</request>\n"
        ).encode() + body + b"</OAI-PMH>\n"

    def _arguments(self, params: Mapping[str, list[str]]) -> tuple[str, dict[str, str]]:
        verbs = params.get("verb", [])
        if len(verbs) != 1 or verbs[0] not in _ARGUMENTS:
            raise OAIProblem("badVerb", "missing, repeated or unknown verb")
        verb = verbs[0]
        required, optional = _ARGUMENTS[verb]
        arguments = {name: values[0] for name, values in params.items() if name != "verb"}
        if any(len(values) > 1 for values in params.values()) or set(arguments) - required - optional:
            raise OAIProblem("badArgument", "repeated or illegal argument")
        if "resumptionToken" in arguments:
            if len(arguments) > 1:
                raise OAIProblem("badArgument", "resumptionToken is exclusive")
        elif required - set(arguments):
            raise OAIProblem("badArgument", f"missing {', '.join(sorted(required - set(arguments)))}")
        return verb, arguments

    def _verb(self, verb: str, arguments: dict[str, str], empty_page: bool, repeat_token: bool) -> bytes:
        if verb == "Identify":
            return self._identify()
        if verb == "ListMetadataFormats":
            return self._formats(arguments.get("identifier"))
        if verb == "ListSets":
            return self._sets()
        if verb == "GetRecord":
            record = self._record(arguments["identifier"])
            prefix = self._prefix(arguments["metadataPrefix"])
            if not record.deleted and prefix not in record.formats:
                raise OAIProblem("cannotDisseminateFormat", "this record is not in that format")
            return b"<GetRecord>" + self._item(record, prefix, True) + b"</GetRecord>\n"
        state = self._state(verb, arguments)
        return self._list(state, arguments.get("resumptionToken"), empty_page, repeat_token)

    def _identify(self) -> bytes:
        records = self.records()
        earliest = records[0].datestamp if records else "2000-01-01T00:00:00Z"
        return (
            f"<Identify><repositoryName>Fault peer</repositoryName><baseURL>{escape(self.base_url)}</baseURL>"
            f"<protocolVersion>2.0</protocolVersion><adminEmail>peer@example.org</adminEmail>"
            f"<earliestDatestamp>{self._shown(earliest)}</earliestDatestamp>"
            f"<deletedRecord>{self.deleted_record}</deletedRecord><granularity>{self.granularity}</granularity>"
            "<compression>gzip</compression><compression>deflate</compression></Identify>\n"
        ).encode()

    def _formats(self, identifier: str | None) -> bytes:
        prefixes = list(self.formats)
        if identifier is not None:
            record = self._record(identifier)
            prefixes = list(self.formats) if record.deleted else [p for p in prefixes if p in record.formats]
            if not prefixes:
                raise OAIProblem("noMetadataFormats", "this item has no metadata format")
        rows = "".join(
            f"<metadataFormat><metadataPrefix>{item.prefix}</metadataPrefix><schema>{item.schema}</schema>"
            f"<metadataNamespace>{item.namespace}</metadataNamespace></metadataFormat>"
            for item in (self.formats[prefix] for prefix in prefixes))
        return f"<ListMetadataFormats>{rows}</ListMetadataFormats>\n".encode()

    def _sets(self) -> bytes:
        specs = sorted({spec for record in self.records() for spec in record.sets})
        if not specs:
            raise OAIProblem("noSetHierarchy", "this repository has no sets")
        rows = "".join(f"<set><setSpec>{escape(spec)}</setSpec><setName>{escape(spec)}</setName></set>"
                       for spec in specs)
        return f"<ListSets>{rows}</ListSets>\n".encode()

    def _record(self, identifier: str) -> PeerRecord:
        with self._lock:
            found = self._records.get(identifier)
        if found is None:
            raise OAIProblem("idDoesNotExist", f"no item {identifier}")
        return found

    def _prefix(self, prefix: str) -> str:
        if prefix not in self.formats:
            raise OAIProblem("cannotDisseminateFormat", f"no format {prefix}")
        return prefix

    def _state(self, verb: str, arguments: dict[str, str]) -> ListState:
        token = arguments.get("resumptionToken")
        if token is not None:
            if token not in self.issued:
                raise OAIProblem("badResumptionToken", "this token was not issued here")
            state = decode_token(token)
            if state.verb != verb:
                raise OAIProblem("badResumptionToken", "this token belongs to another verb")
            return state
        from_date, until_date = arguments.get("from"), arguments.get("until")
        for value in (from_date, until_date):
            kind = granularity_of(value) if value is not None else DAY
            if kind is None or (kind == SECONDS and self.granularity == DAY):
                raise OAIProblem("badArgument", f"{value} is not a datestamp this repository supports")
        if from_date and until_date and granularity_of(from_date) != granularity_of(until_date):
            raise OAIProblem("badArgument", "from and until have different granularities")
        if "set" in arguments and not any(record.sets for record in self.records()):
            raise OAIProblem("noSetHierarchy", "this repository has no sets")
        return ListState(verb, self._prefix(arguments["metadataPrefix"]), from_date, until_date,
                         arguments.get("set"), 0)

    def _selected(self, state: ListState) -> list[PeerRecord]:
        start = parse_datestamp(state.from_date) if state.from_date else None
        end = parse_datestamp(state.until_date, end_of_day=True) if state.until_date else None
        chosen = []
        for record in self.records():
            moment = parse_datestamp(self._shown(record.datestamp))
            if (start and moment < start) or (end and moment > end):
                continue
            if state.set_spec and not any(s == state.set_spec or s.startswith(state.set_spec + ":")
                                          for s in record.sets):
                continue
            if record.deleted or state.prefix in record.formats:
                chosen.append(record)
        return chosen

    def _list(self, state: ListState, token: str | None, empty_page: bool, repeat_token: bool) -> bytes:
        selected = self._selected(state)
        if not selected and token is None:
            raise OAIProblem("noRecordsMatch", "no records match")
        page = [] if empty_page else selected[state.offset:state.offset + self.page_size]
        following = state.offset + (0 if empty_page else self.page_size)
        records = state.verb == "ListRecords"
        items = b"".join(self._item(record, state.prefix, records) for record in page)
        next_token = token if repeat_token and token else None
        if next_token is None and (following < len(selected) or empty_page):
            next_token = self.issue(replace(state, offset=following), salt=len(self.issued) if empty_page else 0)
        if next_token is not None or token is not None:
            items += (f'<resumptionToken completeListSize="{len(selected)}" cursor="{state.offset}">'
                      f"{next_token or ''}</resumptionToken>").encode()
        return f"<{state.verb}>".encode() + items + f"</{state.verb}>\n".encode()

    def issue(self, state: ListState, salt: int = 0) -> str:
        token = encode_token(state, salt)
        self.issued.add(token)
        return token

    def _item(self, record: PeerRecord, prefix: str, with_metadata: bool) -> bytes:
        status = ' status="deleted"' if record.deleted else ""
        header = (f"<header{status}><identifier>{escape(record.identifier)}</identifier>"
                  f"<datestamp>{self._shown(record.datestamp)}</datestamp>"
                  + "".join(f"<setSpec>{escape(spec)}</setSpec>" for spec in record.sets) + "</header>").encode()
        if not with_metadata:
            return header + b"\n"
        metadata = b"" if record.deleted else b"<metadata>" + record.formats[prefix] + b"</metadata>"
        return b"<record>" + header + metadata + b"</record>\n"

    def _shown(self, datestamp: str) -> str:
        return datestamp[:10] if self.granularity == DAY else datestamp


def encode_token(state: ListState, salt: int = 0) -> str:
    """An opaque token; `salt` makes tokens of pages that make no progress differ."""
    data = json.dumps([state.verb, state.prefix, state.from_date, state.until_date, state.set_spec,
                       state.offset, salt]).encode()
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def decode_token(token: str) -> ListState:
    data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    return ListState(*data[:6])


def page_of(token: str | None, page_size: int) -> int:
    """The list page a request asks for: 1 without a token, else the token's offset / page size + 1."""
    return 1 if token is None else decode_token(token).offset // page_size + 1
