"""`static/oai.xsl`: a browser turns any OAI-PMH response into a readable page with it."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from lxml import etree

from catalogue.db import Database
from metadata import xmlsafe
from tests.support.catalogue import delete_samples, store_samples
from tests.support.oai import assert_oai_valid, resumption_token
from tests.support.records import record_id

from .conftest import PAGE

STYLESHEET = Path(__file__).resolve().parents[2] / "web" / "static" / "oai.xsl"
NOW = datetime(2025, 2, 3, 4, 5, 6)


@pytest.fixture(scope="module")
def transform() -> etree.XSLT:
    """The stylesheet as a browser runs it: XSLT 1.0, no file or network access."""
    return etree.XSLT(xmlsafe.parse(STYLESHEET), access_control=etree.XSLTAccessControl.DENY_ALL)


def _page(client: FlaskClient, transform: etree.XSLT, query: str) -> etree._Element:
    body = client.get(f"/oai?{query}").data
    html = transform(assert_oai_valid(body).getroottree())
    assert not transform.error_log, transform.error_log
    return html.getroot()


def _text(html: etree._Element) -> str:
    return " ".join("".join(html.itertext()).split())


def test_list_records_becomes_a_page_with_each_record_and_a_next_page_link(
    client: FlaskClient, catalogue: Database, transform: etree.XSLT
) -> None:
    store_samples(catalogue, range(PAGE + 1), now=NOW)
    body = client.get("/oai?verb=ListRecords&metadataPrefix=lom").data
    token = resumption_token(assert_oai_valid(body))
    html = _page(client, transform, "verb=ListRecords&metadataPrefix=lom")
    assert html.tag == "html"
    assert html.findtext("head/title") == "OAI-PMH ListRecords"
    links = html.xpath("//a/@href")
    for index in range(PAGE):
        assert f"?verb=GetRecord&metadataPrefix=lom&identifier=oai:lectern.example.org:{record_id(index)}" in links
    assert token is not None and f"?verb=ListRecords&resumptionToken={token.value}" in links
    assert f"0 of {PAGE + 1} listed before this page" in _text(html)


def test_record_metadata_is_shown_as_an_element_tree(client: FlaskClient, catalogue: Database,
                                                     transform: etree.XSLT) -> None:
    store_samples(catalogue, [0], now=NOW)
    html = _page(client, transform, f"verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:lectern.example.org:{record_id(0)}")
    text = _text(html)
    assert "<dc" in text and "<title" in text and "</title>" in text


def test_deleted_records_are_marked(client: FlaskClient, catalogue: Database, transform: etree.XSLT) -> None:
    store_samples(catalogue, range(2), now=NOW)
    delete_samples(catalogue, [1], now=NOW)
    html = _page(client, transform, "verb=ListIdentifiers&metadataPrefix=oai_dc")
    assert html.xpath("//span[@class='deleted']/following-sibling::a/text()") == [
        f"oai:lectern.example.org:{record_id(1)}"]


def test_identify_is_a_table_of_the_repository(client: FlaskClient, transform: etree.XSLT) -> None:
    html = _page(client, transform, "verb=Identify")
    rows = {row.findtext("th"): row.findtext("td") for row in html.iter("tr")}
    assert rows["repositoryName"] == "Test Shelf"
    assert rows["baseURL"] == "http://localhost/oai"
    assert rows["sampleIdentifier"].startswith("oai:lectern.example.org:")


def test_an_error_shows_its_code_and_message(client: FlaskClient, transform: etree.XSLT) -> None:
    html = _page(client, transform, "verb=Dance")
    (error,) = html.xpath("//div[@class='error']")
    assert _text(error).startswith("badVerb:")


def test_identifiers_are_escaped_in_links(transform: etree.XSLT) -> None:
    response = (
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2025-01-01T00:00:00Z</responseDate>'
        '<request verb="ListIdentifiers" metadataPrefix="lom">http://x/oai</request><ListIdentifiers><header>'
        "<identifier>oai:x.org:a&amp;b#c+d%e f</identifier><datestamp>2025-01-01</datestamp></header>"
        "</ListIdentifiers></OAI-PMH>"
    )
    html = transform(xmlsafe.parse(response.encode()))
    assert html.getroot().xpath("//td/a/@href") == [
        "?verb=GetRecord&metadataPrefix=lom&identifier=oai:x.org:a%26b%23c%2Bd%25e%20f"]
