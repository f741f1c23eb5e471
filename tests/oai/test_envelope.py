"""oai/envelope.py: byte templates, escaping and splicing."""
from __future__ import annotations

from datetime import datetime

import pytest

from metadata import xmlsafe
from oai import envelope
from tests.support.oai import assert_oai_valid, error_codes, request_echo, resumption_token, xpath

NOW = datetime(2025, 3, 14, 15, 9, 26)
LOM_FRAGMENT = b'<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general><title><string language="en">A &amp; B</string></title></general></lom>'


def _document(*inner: bytes, echo: tuple[tuple[str, str], ...] = (("verb", "GetRecord"),), stylesheet: str | None = None) -> bytes:
    return envelope.opening(NOW, "http://lectern.example.org/oai", echo, stylesheet) + b"".join(inner) + envelope.CLOSING


@pytest.mark.parametrize("text", ["a & b < c > d", 'quote " and apostrophe \'', "tab\tline\nreturn\r", "plain"])
def test_escaped_text_and_quoted_attribute_read_back_unchanged(text: str) -> None:
    root = xmlsafe.fromstring(f'<a b="{envelope.quote(text)}">{envelope.escape(text)}</a>'.encode())
    assert (root.get("b"), root.text) == (text, text)


def test_opening_has_response_date_and_echo_and_no_stylesheet_by_default() -> None:
    echo = (("verb", "ListRecords"), ("resumptionToken", 'a&b"c\td'))
    body = _document(envelope.error("badResumptionToken", "x"), echo=echo)
    assert b"xml-stylesheet" not in body
    root = assert_oai_valid(body)
    assert xpath(root, "string(oai:responseDate)") == "2025-03-14T15:09:26Z"
    assert request_echo(root) == dict(echo)
    assert xpath(root, "string(oai:request)") == "http://lectern.example.org/oai"


def test_stylesheet_instruction_comes_right_after_the_declaration() -> None:
    body = _document(envelope.error("badVerb", "x"), echo=(), stylesheet="/static/oai.xsl?v=1&x=2")
    assert_oai_valid(body)
    lines = body.split(b"\n")
    assert lines[0].startswith(b"<?xml version")
    assert lines[1] == b'<?xml-stylesheet type="text/xsl" href="/static/oai.xsl?v=1&amp;x=2"?>'


def test_error_replaces_characters_xml_cannot_carry() -> None:
    root = assert_oai_valid(_document(envelope.error("badArgument", "bad \x00 \ud800 \x1f end"), echo=()))
    assert error_codes(root) == ["badArgument"]
    assert xpath(root, "string(oai:error)") == "bad \ufffd \ufffd \ufffd end"


def test_record_splices_stored_metadata_byte_for_byte() -> None:
    header = envelope.header("oai:lectern.example.org:a&b", NOW, ("lang:en", "lrt"), deleted=False)
    record = b"".join(envelope.record_parts(header, LOM_FRAGMENT, None))
    assert LOM_FRAGMENT in record
    root = assert_oai_valid(_document(b"<GetRecord>", record, b"</GetRecord>"))
    assert xpath(root, "//oai:identifier/text()") == ["oai:lectern.example.org:a&b"]
    assert xpath(root, "//oai:setSpec/text()") == ["lang:en", "lrt"]
    assert xpath(root, "string(//lom:title/lom:string)") == "A & B"


def test_record_carries_provenance_in_about_after_its_metadata() -> None:
    about = (b'<provenance xmlns="http://www.openarchives.org/OAI/2.0/provenance"><originDescription '
             b'harvestDate="2025-03-01T00:00:00Z" altered="false"><baseURL>http://p.example.org/oai</baseURL>'
             b"<identifier>oai:p:1</identifier><datestamp>2025-01-01</datestamp>"
             b"<metadataNamespace>http://ltsc.ieee.org/xsd/LOM</metadataNamespace></originDescription></provenance>")
    header = envelope.header("oai:lectern.example.org:1", NOW, (), deleted=False)
    parts = envelope.record_parts(header, LOM_FRAGMENT, about)
    assert LOM_FRAGMENT in parts, "the stored metadata is handed on without a copy"
    root = assert_oai_valid(_document(b"<GetRecord>", *parts, b"</GetRecord>"))
    assert xpath(root, "local-name(//oai:record/*[3])") == "about"
    assert xpath(root, "string(//oai:about//*[local-name()='identifier'])") == "oai:p:1"


def test_deleted_header_has_status_and_record_has_no_metadata() -> None:
    header = envelope.header("oai:lectern.example.org:1", NOW, (), deleted=True)
    record = b"".join(envelope.record_parts(header, None, None))
    root = assert_oai_valid(_document(b"<GetRecord>", record, b"</GetRecord>"))
    assert xpath(root, "//oai:header/@status") == ["deleted"]
    assert xpath(root, "//oai:metadata") == []


def test_resumption_token_carries_size_cursor_and_expiry() -> None:
    element = envelope.resumption_token("t.k", complete_list_size=12, cursor=5, expires=datetime(2025, 3, 21))
    root = xmlsafe.fromstring(b'<r xmlns="http://www.openarchives.org/OAI/2.0/">' + element + b"</r>")
    token = resumption_token(root)
    assert token is not None
    assert (token.value, token.complete_list_size, token.cursor, token.expiration) == ("t.k", 12, 5, "2025-03-21T00:00:00Z")


def test_last_resumption_token_is_empty_without_expiry() -> None:
    assert envelope.resumption_token("", complete_list_size=12, cursor=10) == (
        b'<resumptionToken completeListSize="12" cursor="10"></resumptionToken>\n'
    )


def test_content_codings_are_gzip_and_deflate() -> None:
    assert list(envelope.CONTENT_CODINGS) == ["gzip", "deflate"]
