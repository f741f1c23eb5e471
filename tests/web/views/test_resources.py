"""A record's page: title, description, keywords, licence, and its OAI-PMH links."""
from __future__ import annotations

from datetime import datetime

from flask.testing import FlaskClient

from catalogue import listing
from catalogue.db import Database
from metadata import lom, xmlsafe
from tests.support.catalogue import delete_samples, store_samples
from tests.support.oai import assert_oai_valid, header_identifiers
from tests.support.records import record_id

NOW = datetime(2025, 1, 1, 9, 0, 0)


def _record(catalogue: Database, index: int):  # type: ignore[no-untyped-def]
    with catalogue.reading() as session:
        row = listing.get(session, record_id(index), "lom")
    assert row is not None and row.metadata is not None
    return xmlsafe.fromstring(row.metadata)


def test_the_page_shows_title_description_keywords_and_licence(client: FlaskClient, catalogue: Database) -> None:
    store_samples(catalogue, [0], now=NOW)
    record = _record(catalogue, 0)
    response = client.get(f"/records/{record_id(0)}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f"<h1>{lom.titles(record)[0].text}</h1>" in page
    assert lom.descriptions(record)[0].text[:60] in page
    assert all(f'<span class="keyword">{keyword.text}</span>' in page for keyword in lom.keywords(record))
    assert lom.licence_urls(record) and all(f'href="{url}"' in page for url in lom.licence_urls(record))
    assert "oai:lectern.example.org:lectern-demo-000000" in page


def test_the_oai_links_fetch_the_record_in_both_formats(client: FlaskClient, catalogue: Database) -> None:
    store_samples(catalogue, [0], now=NOW)
    page = client.get(f"/records/{record_id(0)}").get_data(as_text=True)
    for prefix in ("lom", "oai_dc"):
        start = page.index(f"/oai?verb=GetRecord&amp;metadataPrefix={prefix}")
        href = page[start:page.index('"', start)].replace("&amp;", "&")
        root = assert_oai_valid(client.get(href).data)
        assert header_identifiers(root) == [f"oai:lectern.example.org:{record_id(0)}"]


def test_a_deleted_record_answers_410_with_a_notice(client: FlaskClient, catalogue: Database) -> None:
    store_samples(catalogue, [0], now=NOW)
    delete_samples(catalogue, [0], now=NOW)
    response = client.get(f"/records/{record_id(0)}")
    assert response.status_code == 410
    assert "Record withdrawn" in response.get_data(as_text=True)


def test_an_unknown_record_answers_404_with_a_way_back(client: FlaskClient) -> None:
    response = client.get("/records/no-such-record")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "There is no record &#39;no-such-record&#39; in this repository." in page
    assert 'href="/oai?verb=Identify"' in page
