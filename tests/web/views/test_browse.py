"""The web root: repository name, record count, newest records first, a search over titles."""
from __future__ import annotations

from datetime import datetime

from flask.testing import FlaskClient
from lxml import etree

from catalogue import summaries
from catalogue.db import Database
from metadata import xmlsafe
from tests.support.catalogue import delete_samples, store_samples
from tests.support.records import record_id

EARLY = datetime(2025, 1, 1, 9, 0, 0)
LATE = datetime(2025, 1, 2, 9, 0, 0)


def _html(data: bytes) -> etree._Element:
    """The page as XML (the templates write well-formed markup)."""
    return xmlsafe.fromstring(data.replace(b"<!doctype html>", b""))


def _listed(client: FlaskClient, query: str = "") -> list[tuple[str, str]]:
    response = client.get("/" + query)
    assert response.status_code == 200
    return [(link.get("href"), link.text) for link in _html(response.data).iterfind(".//ol[@class='records']/li/a")]


def _titles(catalogue: Database) -> dict[str, str]:
    with catalogue.reading() as session:
        return {line.local_id: line.title for line in summaries.every(session)}


def test_the_root_names_the_repository_and_counts_live_records(client: FlaskClient, catalogue: Database) -> None:
    store_samples(catalogue, range(3), now=EARLY)
    delete_samples(catalogue, [0], now=LATE)
    page = _html(client.get("/").data)
    assert page.findtext(".//h1") == "Test Shelf"
    assert page.findtext(".//p[@class='count']") == "2 open educational resources"


def test_the_latest_records_come_first_and_link_to_their_pages(client: FlaskClient, catalogue: Database) -> None:
    store_samples(catalogue, [0, 1], now=EARLY)
    store_samples(catalogue, [2], now=LATE)
    titles = _titles(catalogue)
    assert _listed(client) == [(f"/records/{record_id(index)}", titles[record_id(index)]) for index in (2, 1, 0)]


def test_deleted_records_are_not_listed(client: FlaskClient, catalogue: Database) -> None:
    store_samples(catalogue, range(2), now=EARLY)
    delete_samples(catalogue, [1], now=LATE)
    assert [href for href, _ in _listed(client)] == [f"/records/{record_id(0)}"]


def test_search_keeps_the_titles_containing_the_text(client: FlaskClient, catalogue: Database) -> None:
    store_samples(catalogue, range(6), now=EARLY)
    titles = _titles(catalogue)
    word = titles[record_id(4)].split()[-1]
    expected = {local_id for local_id, title in titles.items() if word.lower() in title.lower()}
    found = {href.rsplit("/", 1)[1] for href, _ in _listed(client, f"?q={word.upper()}")}
    assert found == expected and record_id(4) in found and len(found) < 6


def test_a_search_treats_wildcards_as_text(client: FlaskClient, catalogue: Database) -> None:
    store_samples(catalogue, range(3), now=EARLY)
    response = client.get("/?q=%25")
    assert _listed(client, "?q=%25") == []
    assert "No title contains" in response.get_data(as_text=True)


def test_an_empty_catalogue_says_how_to_fill_it(client: FlaskClient) -> None:
    assert "lectern import PATH" in client.get("/").get_data(as_text=True)
