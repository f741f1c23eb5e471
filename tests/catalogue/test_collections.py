"""catalogue/collections.py: editorial collections on a real catalogue."""
from __future__ import annotations

from datetime import datetime

import pytest

from catalogue import collections, records
from catalogue.db import Database
from catalogue.errors import Conflict, NotFound
from catalogue.models import Item
from metadata.samples import record_id
from tests.support.catalogue import delete_samples, store_samples

NOW = datetime(2025, 3, 1, 12)
LATER = datetime(2025, 3, 2, 8)
SPEC = "collection:climate-week"


def _item(catalogue: Database, index: int) -> Item:
    with catalogue.reading() as session:
        return records.find(session, record_id(index))


@pytest.fixture
def climate(catalogue: Database) -> Database:
    store_samples(catalogue, range(3), now=NOW)
    with catalogue.writing() as session:
        collections.define(session, SPEC, "Climate week", "Picked by the editors")
    return catalogue


def test_collection_spec_is_a_legal_set_spec_under_collection() -> None:
    assert collections.collection_spec("Climate week") == SPEC
    assert collections.collection_spec("collection:Maths:Algebra 1") == "collection:maths:algebra-1"


def test_putting_a_record_in_adds_the_set_and_moves_its_datestamp(climate: Database) -> None:
    before = _item(climate, 1)
    with climate.writing() as session:
        assert collections.put(session, SPEC, record_id(1), now=LATER) is True
    after = _item(climate, 1)
    assert SPEC in after.set_specs.split()
    assert after.datestamp == LATER and after.seq > before.seq


def test_putting_a_record_in_twice_changes_nothing_the_second_time(climate: Database) -> None:
    with climate.writing() as session:
        collections.put(session, SPEC, record_id(1), now=LATER)
    seq = _item(climate, 1).seq
    with climate.writing() as session:
        assert collections.put(session, SPEC, record_id(1), now=LATER) is False
    assert _item(climate, 1).seq == seq


def test_taking_a_record_out_keeps_an_inactive_membership(climate: Database) -> None:
    with climate.writing() as session:
        collections.put(session, SPEC, record_id(1), now=NOW)
        assert collections.take_out(session, SPEC, record_id(1), now=LATER) is True
        assert collections.take_out(session, SPEC, record_id(1), now=LATER) is False
        item = records.find(session, record_id(1))
        assert records.memberships(session, item)[SPEC].active is False
    assert SPEC not in _item(climate, 1).set_specs.split()


def test_a_metadata_update_keeps_the_record_in_its_collection(climate: Database) -> None:
    with climate.writing() as session:
        collections.put(session, SPEC, record_id(1), now=NOW)
    store_samples(climate, [1], now=LATER, seed=7)  # new content for the same identifier
    assert SPEC in _item(climate, 1).set_specs.split()


def test_an_unknown_collection_or_record_is_not_found(climate: Database) -> None:
    with climate.writing() as session, pytest.raises(NotFound, match="no collection 'collection:nope'"):
        collections.put(session, "collection:nope", record_id(1))
    with climate.writing() as session, pytest.raises(NotFound, match="no record with identifier 'nope'"):
        collections.put(session, SPEC, "nope")


def test_a_deleted_record_cannot_join_a_collection(climate: Database) -> None:
    delete_samples(climate, [2], now=LATER)
    with climate.writing() as session, pytest.raises(Conflict, match="is deleted"):
        collections.put(session, SPEC, record_id(2))


def test_only_collection_specs_can_be_defined(catalogue: Database) -> None:
    with catalogue.writing() as session, pytest.raises(Conflict, match="not a collection spec"):
        collections.define(session, "lang:nl", "Dutch")
