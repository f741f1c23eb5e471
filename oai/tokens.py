"""Stateless, signed, keyset resumption tokens.

A token carries everything needed to serve the next page, so the provider keeps no harvest state and
any worker can answer any page: the list verb, metadataPrefix, set, the resolved from/until bounds,
the change sequence number of the last record served, the cursor, the completeListSize computed on
the first page, and when it was issued. The next page is `listing.page(after_seq=last_seq)`: an index
range scan that costs the same on page 5,000 as on page 1.

Wire form: `base64url(payload) "." base64url(HMAC-SHA256(secret, payload)[:12])`, where the payload
is the fields above joined by `|` (no field can contain it: prefixes and set specs exclude it by
their OAI-PMH syntax; numbers and times, as seconds since 1970, are written in base 36). Under 100
characters, URL-safe, no escaping needed. A
96-bit tag makes forging a token infeasible; a token that is garbled, altered, signed with another
secret, issued for another verb, or older than the configured lifetime is a `badResumptionToken`.

The guarantee this gives harvesters (copied to the documentation):

    A record that exists throughout a harvest is returned at least once and, by the end of the
    list, in its latest version (or as deleted); a record that does not change is returned
    exactly once.

Why it holds: every write gives the record a new change sequence number, larger than any before it
and handed out in commit order (`catalogue.models.Counter`). Pages walk that sequence upwards. A
record not yet served when it changes is served once, at its new position, in its new state; a record
changed after it was served reappears at the end, in its new state; an unchanged record keeps its
number and is passed exactly once. A datestamp could not serve as the key: it has one-second
resolution, so a record rewritten in the same second as the harvest's position would be skipped.
A record that leaves a harvested set stays in that set's selection and comes back as deleted.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from .errors import BadResumptionToken

VERSION = "1"
_TAG_BYTES = 12
_SEPARATOR = "|"
_EPOCH = datetime(1970, 1, 1)
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_VERB_CODES = {"ListIdentifiers": "I", "ListRecords": "R"}
"""The list verbs that issue tokens (ListSets answers in one response) → their code in a token."""
_CODE_VERBS = {code: verb for verb, code in _VERB_CODES.items()}


@dataclass(frozen=True)
class Token:
    """The state of a list request after one page."""

    verb: str
    metadata_prefix: str
    set_spec: str | None
    from_date: datetime | None
    until_date: datetime | None
    last_seq: int
    cursor: int
    """Records served before the next page (the next page's `cursor` attribute)."""
    complete_list_size: int
    issued: datetime


def expiration(token: Token, lifetime: timedelta) -> datetime:
    """When `token` stops being accepted (its `expirationDate` attribute)."""
    return token.issued + lifetime


def _base36(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 36)
        digits = _DIGITS[digit] + digits
        if not number:
            return digits


def _seconds(moment: datetime | None) -> str:
    return "" if moment is None else _base36(int((moment - _EPOCH).total_seconds()))


def _moment(text: str) -> datetime | None:
    return None if text == "" else _EPOCH + timedelta(seconds=int(text, 36))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _tag(payload: bytes, secret: str) -> bytes:
    return hmac.new(secret.encode("utf-8"), payload, hashlib.sha256).digest()[:_TAG_BYTES]


def encode_token(token: Token, secret: str) -> str:
    """The wire form of `token`, signed with `secret`."""
    fields = (
        VERSION, _VERB_CODES[token.verb], token.metadata_prefix, token.set_spec or "",
        _seconds(token.from_date), _seconds(token.until_date),
        _base36(token.last_seq), _base36(token.cursor), _base36(token.complete_list_size), _seconds(token.issued),
    )
    payload = _SEPARATOR.join(fields).encode("ascii")
    return f"{_b64(payload)}.{_b64(_tag(payload, secret))}"


def _verified_payload(text: str, secret: str) -> str:
    """The payload of a token we signed, or BadResumptionToken."""
    body, dot, tag = text.partition(".")
    try:
        if not text.isascii() or not dot:
            raise ValueError("not of the form payload.signature")
        payload, claimed = _unb64(body), _unb64(tag)
    except (ValueError, binascii.Error) as err:
        raise BadResumptionToken("this resumptionToken is garbled: it was not issued by this repository") from err
    if not hmac.compare_digest(claimed, _tag(payload, secret)):
        raise BadResumptionToken("this resumptionToken was altered or not issued by this repository")
    return payload.decode("ascii")


def decode_token(text: str, secret: str, *, verb: str, now: datetime, lifetime: timedelta) -> Token:
    """The token `text` stands for, if we signed it, for `verb`, and it has not expired."""
    fields = _verified_payload(text, secret).split(_SEPARATOR)
    if len(fields) != 10 or fields[0] != VERSION:
        raise BadResumptionToken("this resumptionToken comes from an older version of this repository; "
                                 "start the list again")
    _, code, prefix, set_spec, start, end, last_seq, cursor, size, issued = fields
    if _CODE_VERBS.get(code) != verb:
        raise BadResumptionToken(f"this resumptionToken continues another request than {verb}")
    token = Token(verb, prefix, set_spec or None, _moment(start), _moment(end),
                  int(last_seq, 36), int(cursor, 36), int(size, 36), _EPOCH + timedelta(seconds=int(issued, 36)))
    if now > expiration(token, lifetime):
        raise BadResumptionToken("this resumptionToken has expired; start the list again "
                                 "(with from, to skip what you already have)")
    return token
