"""The harvest guarantee, with records added, updated and deleted between the pages of a harvest.

A record that exists throughout a harvest is returned at least once and, by the end of the list, in
its latest version (or as deleted); a record that does not change is returned exactly once. Every
write here happens in the same second as the page just served (one clock, `NOW`), which is exactly
what a datestamp-keyed provider gets wrong.
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable

import pytest
from lxml import etree

from catalogue import listing, records
from catalogue.db import Database
from metadata.samples import generate_record, record_id
from metadata.xmlsafe import fromstring
from tests.oai.conftest import NOW, PAGE, oai_id
from tests.support.catalogue import delete_samples, store_samples
from tests.support.oai import Endpoint, harvest, xpath

INITIAL = range(4 * PAGE)
State = tuple[bool, bytes | None]
"""(deleted, canonical metadata) of one record as a harvester holds it."""


def _canonical(element: etree._Element) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=True)


def _appearances(pages: list[etree._Element]) -> dict[str, list[State]]:
    seen: dict[str, list[State]] = defaultdict(list)
    for page in pages:
        for header in xpath(page, "//oai:header"):
            metadata = xpath(header, "../oai:metadata/*")
            seen[xpath(header, "string(oai:identifier)")].append(
                (header.get("status") == "deleted", _canonical(metadata[0]) if metadata else None)
            )
    return seen


def _final(catalogue: Database, index: int, with_metadata: bool) -> State:
    with catalogue.reading() as session:
        row = listing.get(session, record_id(index), "lom")
    assert row is not None
    body = _canonical(fromstring(row.metadata)) if with_metadata and row.metadata else None
    return row.deleted, body


def _changes(catalogue: Database) -> Callable[[int], None]:
    """What happens after each page: the records touched are CHANGED and ADDED below."""
    def between(page: int) -> None:
        if page == 1:  # records 0-4 have been served
            store_samples(catalogue, [2, 12], seed=1, now=NOW)  # served and not yet served
            delete_samples(catalogue, [3, 14], now=NOW)
            store_samples(catalogue, [100], now=NOW)
        elif page == 2:
            store_samples(catalogue, [7], seed=1, now=NOW)
            store_samples(catalogue, [7, 2], seed=2, now=NOW)  # twice in one second; 2 once more
            store_samples(catalogue, [101], now=NOW)
        elif page == 3:
            delete_samples(catalogue, [100], now=NOW)
            store_samples(catalogue, [19], seed=1, now=NOW)  # the last record, not yet served
    return between


CHANGED = {2, 3, 7, 12, 14, 19}
ADDED = {100, 101}


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers"])
def test_every_record_ends_in_its_latest_state_and_unchanged_ones_come_once(endpoint: Endpoint, verb: str) -> None:
    store_samples(endpoint.catalogue, INITIAL, now=NOW)
    pages = harvest(endpoint, {"verb": verb, "metadataPrefix": "lom"}, now=NOW, between_pages=_changes(endpoint.catalogue))
    seen = _appearances(pages)
    with_metadata = verb == "ListRecords"
    for index in [*INITIAL, *ADDED]:
        assert seen[oai_id(index)], f"record {index} was never harvested"
        assert seen[oai_id(index)][-1] == _final(endpoint.catalogue, index, with_metadata), f"record {index} is stale"
    for index in set(INITIAL) - CHANGED:
        assert len(seen[oai_id(index)]) == 1, f"unchanged record {index} came {len(seen[oai_id(index)])} times"
    assert seen[oai_id(3)][-1][0] and seen[oai_id(14)] == [(True, None)]
    assert set(seen) == {oai_id(index) for index in [*INITIAL, *ADDED]}


def test_changed_records_move_to_the_end_in_the_order_of_their_last_change(endpoint: Endpoint) -> None:
    store_samples(endpoint.catalogue, INITIAL, now=NOW)
    pages = harvest(endpoint, {"verb": "ListIdentifiers", "metadataPrefix": "lom"}, now=NOW,
                    between_pages=_changes(endpoint.catalogue))
    order = [identifier for page in pages for identifier in xpath(page, "//oai:header/oai:identifier/text()")]
    unchanged_or_not_yet_served = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 16, 17, 18]
    assert order == [oai_id(i) for i in [*unchanged_or_not_yet_served, 12, 3, 14, 7, 2, 101, 100, 19]]


def test_record_leaving_the_harvested_set_during_the_harvest_ends_as_deleted(endpoint: Endpoint) -> None:
    dutch = [1, 3, 4, 7, 8]  # in lang:nl; sample 0 is in lang:fr (metadata.samples, seed 0)
    store_samples(endpoint.catalogue, range(PAGE * 2), now=NOW)

    def between(page: int) -> None:  # record 1 (served on page 1) gets French content
        with endpoint.catalogue.writing() as session:
            records.store(session, fromstring(generate_record(0)), record_id(1), now=NOW)

    small = Endpoint(endpoint.catalogue, dataclasses.replace(endpoint.settings, page_size=2))
    pages = harvest(small, {"verb": "ListRecords", "metadataPrefix": "lom", "set": "lang:nl"}, now=NOW, between_pages=between)
    seen = _appearances(pages)
    assert set(seen) == {oai_id(index) for index in dutch}
    assert seen[oai_id(1)][0][0] is False and seen[oai_id(1)][-1] == (True, None)
    assert all(len(seen[oai_id(index)]) == 1 for index in dutch if index != 1)
