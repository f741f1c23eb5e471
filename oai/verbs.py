"""One function per OAI-PMH verb, each returning the response body as an iterator of byte chunks.

Each function does all its database work and raises every OAI error before it returns; the iterator
it returns only formats rows already in memory. That is what lets the provider pick the status,
headers and error body before the first byte goes out, and close the database session before the
body streams. A list response holds one page of rows (page size + 1 at most), never the catalogue.
See `oai/tokens.py` for paging and the guarantee it gives harvesters.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from catalogue import listing
from catalogue.db import Session
from metadata.datestamps import SECONDS, format_datestamp

from . import describe, envelope
from .errors import (
    BadResumptionToken,
    CannotDisseminateFormat,
    IdDoesNotExist,
    NoMetadataFormats,
    NoRecordsMatch,
    NoSetHierarchy,
)
from .formats import FORMATS, Format, format_for, formats_stored_as
from .settings import ProviderSettings
from .tokens import Token, decode_token, encode_token, expiration

if TYPE_CHECKING:
    from .arguments import Request


def _response(request: Request, settings: ProviderSettings, now: datetime, parts: Iterable[bytes]) -> Iterator[bytes]:
    """The whole document around the verb element's content; lazy, so it starts when iterated."""
    yield envelope.opening(now, settings.base_url, request.echo, settings.stylesheet_url)
    yield f"<{request.verb}>\n".encode("ascii")
    yield from parts
    yield f"</{request.verb}>\n".encode("ascii")
    yield envelope.CLOSING


def _local_id(identifier: str, settings: ProviderSettings) -> str:
    """The catalogue's identifier inside `oai:<repositoryIdentifier>:<local id>`, or IdDoesNotExist."""
    prefix = describe.identifier_prefix(settings.repository_identifier)
    if not identifier.startswith(prefix) or identifier == prefix:
        raise IdDoesNotExist(f"{identifier!r} is not an identifier of this repository; ours look like {prefix}<id>")
    return identifier[len(prefix):]


def identify(request: Request, session: Session, settings: ProviderSettings, now: datetime) -> Iterator[bytes]:
    """Identify: who we are, our datestamp rules, compression and identifier scheme."""
    earliest = listing.earliest_datestamp(session) or settings.earliest_fallback
    descriptions = [describe.oai_identifier(settings.repository_identifier)]
    if settings.friends:
        descriptions.append(describe.friends(settings.friends))
    text = "".join((
        envelope.element("repositoryName", settings.repository_name),
        envelope.element("baseURL", settings.base_url),
        "<protocolVersion>2.0</protocolVersion>",
        *(envelope.element("adminEmail", email) for email in settings.admin_emails),
        envelope.element("earliestDatestamp", format_datestamp(earliest)),
        "<deletedRecord>persistent</deletedRecord>",
        envelope.element("granularity", SECONDS),
        *(envelope.element("compression", coding) for coding in envelope.CONTENT_CODINGS),
    ))
    parts = [text.encode("utf-8")] + [b"<description>" + block + b"</description>" for block in descriptions]
    return _response(request, settings, now, parts)


def _format_element(fmt: Format) -> bytes:
    return (
        f"<metadataFormat>{envelope.element('metadataPrefix', fmt.prefix)}{envelope.element('schema', fmt.schema)}"
        f"{envelope.element('metadataNamespace', fmt.namespace)}</metadataFormat>\n"
    ).encode("utf-8")


def list_metadata_formats(request: Request, session: Session, settings: ProviderSettings,
                          now: datetime) -> Iterator[bytes]:
    """Every format we offer, or those of one item (a deleted item's are all of them)."""
    chosen: Sequence[Format] = tuple(FORMATS.values())
    if request.identifier is not None:
        stored = listing.formats_of(session, _local_id(request.identifier, settings))
        if stored is None:
            raise IdDoesNotExist(f"there is no record {request.identifier!r}")
        chosen = formats_stored_as(stored)
        if not chosen:
            raise NoMetadataFormats(f"record {request.identifier!r} has no metadata in any format")
    return _response(request, settings, now, [_format_element(fmt) for fmt in chosen])


def _set_element(row: listing.SetRow) -> bytes:
    parts = [f"<set>{envelope.element('setSpec', row.spec)}{envelope.element('setName', row.name)}".encode("utf-8")]
    if row.description:
        parts += (b"<setDescription>", describe.set_description(row.description), b"</setDescription>")
    parts.append(b"</set>\n")
    return b"".join(parts)


def list_sets(request: Request, session: Session, settings: ProviderSettings, now: datetime) -> Iterator[bytes]:
    """The whole set hierarchy in one response (it is small: a few hundred specs at most)."""
    if request.resumption_token is not None:
        raise BadResumptionToken("ListSets answers in one response; this repository issues no token for it")
    rows = listing.sets(session)
    if not rows:
        raise NoSetHierarchy("this repository has no sets yet")
    return _response(request, settings, now, [_set_element(row) for row in rows])


def _headers(rows: Iterable[listing.Row], settings: ProviderSettings) -> Iterator[str]:
    prefix = describe.identifier_prefix(settings.repository_identifier)
    for row in rows:
        yield envelope.header(prefix + row.local_id, row.datestamp, row.set_specs, row.deleted)


def _records(rows: Sequence[listing.Row], settings: ProviderSettings) -> list[bytes]:
    """The records as pieces (see `envelope.record_parts`) in one list: the rows are in memory
    already, and a flat list is the cheapest thing for the provider to gather into chunks."""
    parts: list[bytes] = []
    for row, header in zip(rows, _headers(rows, settings)):
        parts += envelope.record_parts(header, row.metadata, row.about)
    return parts


def get_record(request: Request, session: Session, settings: ProviderSettings, now: datetime) -> Iterator[bytes]:
    """One record in one format; a deleted record is its header with `status="deleted"`."""
    fmt = format_for(request.metadata_prefix or "")
    row = listing.get(session, _local_id(request.identifier or "", settings), fmt.stored_as)
    if row is None:
        raise IdDoesNotExist(f"there is no record {request.identifier!r}")
    if not row.deleted and row.metadata is None:
        raise CannotDisseminateFormat(f"record {request.identifier!r} is not available as {fmt.prefix}")
    return _response(request, settings, now, _records([row], settings))


@dataclass(frozen=True)
class _Position:
    """Where a list request starts: its format and selection, and what earlier pages served."""

    fmt: Format
    selection: listing.Selection
    after_seq: int = 0
    cursor: int = 0
    complete_list_size: int = 0
    resumed: bool = False


def _position(request: Request, session: Session, settings: ProviderSettings, now: datetime) -> _Position:
    if request.resumption_token is not None:
        token = decode_token(request.resumption_token, settings.token_secret, verb=request.verb, now=now,
                             lifetime=settings.token_lifetime)
        selection = listing.Selection(token.set_spec, token.from_date, token.until_date)
        return _Position(format_for(token.metadata_prefix), selection, token.last_seq, token.cursor,
                         token.complete_list_size, resumed=True)
    fmt = format_for(request.metadata_prefix or "")
    if request.set_spec is not None and not listing.has_sets(session):
        raise NoSetHierarchy("this repository has no sets yet; harvest without the set argument")
    return _Position(fmt, listing.Selection(request.set_spec, request.from_date, request.until_date))


def _token_element(request: Request, session: Session, settings: ProviderSettings, now: datetime,
                   position: _Position, rows: Sequence[listing.Row], more: bool) -> bytes:
    """The page's `<resumptionToken>`: a signed one if more remain, an empty one ending a split list."""
    served = position.cursor + len(rows)
    if more:
        total = position.complete_list_size or listing.count(session, position.selection)
        selection = position.selection
        token = Token(request.verb, position.fmt.prefix, selection.set_spec, selection.from_date,
                      selection.until_date, rows[-1].seq, served, max(total, served + 1), now)
        return envelope.resumption_token(
            encode_token(token, settings.token_secret), complete_list_size=token.complete_list_size,
            cursor=position.cursor, expires=expiration(token, settings.token_lifetime),
        )
    if position.resumed:
        return envelope.resumption_token("", complete_list_size=max(position.complete_list_size, served),
                                         cursor=position.cursor)
    return b""


def _list(request: Request, session: Session, settings: ProviderSettings, now: datetime,
          with_metadata: bool) -> tuple[list[listing.Row], bytes]:
    """One page of a list request and its resumption token element."""
    position = _position(request, session, settings, now)
    fmt = position.fmt.stored_as if with_metadata else None
    rows = listing.page(session, position.selection, position.after_seq, settings.page_size, fmt)
    if not rows:
        # A resumed list can come up empty when its remaining records changed out of the selection.
        raise NoRecordsMatch("no record is left in this list" if position.resumed else None)
    more = len(rows) > settings.page_size
    rows = rows[: settings.page_size]
    return rows, _token_element(request, session, settings, now, position, rows, more)


def list_identifiers(request: Request, session: Session, settings: ProviderSettings, now: datetime) -> Iterator[bytes]:
    """Headers of one page of the selection."""
    rows, token = _list(request, session, settings, now, with_metadata=False)
    headers = [(header + "\n").encode("utf-8") for header in _headers(rows, settings)]
    return _response(request, settings, now, [*headers, token])


def list_records(request: Request, session: Session, settings: ProviderSettings, now: datetime) -> Iterator[bytes]:
    """Records of one page of the selection, their metadata spliced from the stored bytes."""
    rows, token = _list(request, session, settings, now, with_metadata=True)
    return _response(request, settings, now, [*_records(rows, settings), token])
