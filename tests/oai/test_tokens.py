"""oai/tokens.py: signed, stateless, self-describing resumption tokens."""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import datetime, timedelta

import pytest

from oai.errors import BadResumptionToken
from oai.tokens import Token, decode_token, encode_token, expiration

SECRET = "token test secret"
ISSUED = datetime(2025, 3, 14, 15, 9, 26)
LIFETIME = timedelta(days=7)
TOKEN = Token(
    verb="ListRecords", metadata_prefix="oai_dc", set_spec="lrt:exercise",
    from_date=datetime(2024, 1, 1), until_date=datetime(2024, 12, 31, 23, 59, 59),
    last_seq=123_456_789, cursor=1_000, complete_list_size=98_765, issued=ISSUED,
)


def _decode(text: str, *, verb: str = "ListRecords", now: datetime = ISSUED, secret: str = SECRET) -> Token:
    return decode_token(text, secret, verb=verb, now=now, lifetime=LIFETIME)


def test_token_decodes_to_what_was_encoded() -> None:
    assert _decode(encode_token(TOKEN, SECRET)) == TOKEN


def test_token_without_set_or_dates_round_trips() -> None:
    bare = Token("ListIdentifiers", "lom", None, None, None, 5, 5, 6, ISSUED)
    assert _decode(encode_token(bare, SECRET), verb="ListIdentifiers") == bare


def test_token_is_compact_and_url_safe() -> None:
    text = encode_token(TOKEN, SECRET)
    assert re.fullmatch(r"[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+", text)
    assert len(text) < 100


def test_token_expires_after_its_lifetime() -> None:
    text = encode_token(TOKEN, SECRET)
    assert _decode(text, now=ISSUED + LIFETIME) == TOKEN
    with pytest.raises(BadResumptionToken, match="expired"):
        _decode(text, now=ISSUED + LIFETIME + timedelta(seconds=1))


def test_expiration_is_issue_time_plus_lifetime() -> None:
    assert expiration(TOKEN, LIFETIME) == datetime(2025, 3, 21, 15, 9, 26)


def test_token_for_another_verb_is_refused() -> None:
    with pytest.raises(BadResumptionToken, match="another request"):
        _decode(encode_token(TOKEN, SECRET), verb="ListIdentifiers")


def test_token_signed_with_another_secret_is_refused() -> None:
    with pytest.raises(BadResumptionToken, match="altered or not issued"):
        _decode(encode_token(TOKEN, "another secret"))


def test_token_with_altered_payload_is_refused() -> None:
    text = encode_token(TOKEN, SECRET)
    raw = _payload(text)
    forged_raw = raw.replace(b"|rs|", b"|0|")  # the cursor, 1000 in base 36
    assert forged_raw != raw
    forged = _b64(forged_raw) + "." + text.split(".")[1]
    with pytest.raises(BadResumptionToken, match="altered"):
        _decode(forged)


def test_token_with_altered_signature_is_refused() -> None:
    text = encode_token(TOKEN, SECRET)
    altered = text[:-1] + ("A" if text[-1] != "A" else "B")
    with pytest.raises(BadResumptionToken):
        _decode(altered)


@pytest.mark.parametrize("text", ["", "abc", ".", "abc.", "!!!.???", "é.é", "a" * 5 + "." + "b" * 3])
def test_garbled_token_is_refused(text: str) -> None:
    with pytest.raises(BadResumptionToken):
        _decode(text)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _payload(text: str) -> bytes:
    part = text.split(".")[0]
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_token_of_an_older_format_version_is_refused_even_when_signed() -> None:
    old = b"0" + _payload(encode_token(TOKEN, SECRET))[1:]
    tag = hmac.new(SECRET.encode(), old, hashlib.sha256).digest()[:12]
    with pytest.raises(BadResumptionToken, match="older version"):
        _decode(_b64(old) + "." + _b64(tag))
