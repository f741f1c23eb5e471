"""`catalogue.harvested`: records kept by source and original identifier, quarantine, refresh marks."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from catalogue import harvested, listing, records, sources
from catalogue.db import Database
from catalogue.errors import Conflict
from catalogue.harvested import Reason
from catalogue.sources import SourceConfig
from metadata.provenance import Origin
from metadata.xmlsafe import fromstring
from tests.support.records import generate_record

NOW = datetime(2025, 6, 1, 12, 0, 0)
LATER = NOW + timedelta(days=1)
BASE = "http://partner.example.org/oai"


def _origin(identifier: str, datestamp: str = "2025-05-01T00:00:00Z", harvest_date: datetime = NOW) -> Origin:
    return Origin(BASE, identifier, datestamp, "http://ltsc.ieee.org/xsd/LOM", harvest_date)


@pytest.fixture
def source(catalogue: Database) -> SourceConfig:
    with catalogue.writing() as session:
        return sources.add(session, "edu", BASE, now=NOW)


def _store(catalogue: Database, source: SourceConfig, identifier: str, *, index: int = 0, seed: int = 0,
           datestamp: str = "2025-05-01T00:00:00Z", now: datetime = NOW, status: str = "published") -> records.Stored:
    with catalogue.writing() as session:
        return harvested.store(session, source.id, fromstring(generate_record(index, seed)),
                               _origin(identifier, datestamp, now), status=status, now=now)


def test_local_identifier_is_source_name_and_oai_safe_original_identifier() -> None:
    assert harvested.local_id_for("edu", "oai:edu.example:42") == "edu:oai:edu.example:42"
    assert harvested.local_id_for("edu", "a b/ü") == "edu:a%20b/%C3%BC"


def test_an_overlong_original_identifier_becomes_a_hash() -> None:
    local_id = harvested.local_id_for("edu", "x" * 500)
    assert local_id.startswith("edu:sha-") and len(local_id) < 40
    assert local_id != harvested.local_id_for("edu", "x" * 501)


def test_a_harvested_record_carries_its_source_set_and_provenance(catalogue: Database, source: SourceConfig) -> None:
    stored = _store(catalogue, source, "oai:e:1")
    with catalogue.reading() as session:
        row = listing.get(session, stored.local_id, "lom")
    assert "source:edu" in row.set_specs
    about = fromstring(row.about)
    assert about.findtext("{*}originDescription/{*}identifier") == "oai:e:1"
    assert about.find("{*}originDescription").get("harvestDate") == "2025-06-01T12:00:00Z"


def test_harvesting_an_unchanged_record_again_changes_nothing(catalogue: Database, source: SourceConfig) -> None:
    first = _store(catalogue, source, "oai:e:1")
    again = _store(catalogue, source, "oai:e:1", now=LATER)
    assert (again.change, again.datestamp) == ("unchanged", first.datestamp)


def test_a_new_version_replaces_the_old_one_under_the_same_local_identifier(catalogue: Database,
                                                                          source: SourceConfig) -> None:
    first = _store(catalogue, source, "oai:e:1")
    second = _store(catalogue, source, "oai:e:1", seed=1, datestamp="2025-05-20T00:00:00Z", now=LATER)
    assert (second.local_id, second.change, second.datestamp) == (first.local_id, "updated", LATER)
    with catalogue.reading() as session:
        (line,) = harvested.every_from(session, "edu")
        about = fromstring(listing.get(session, first.local_id, "lom").about)
    assert (line.identifier, line.datestamp) == ("oai:e:1", "2025-05-20T00:00:00Z")
    assert about.find("{*}originDescription").get("harvestDate") == "2025-06-02T12:00:00Z"


def test_a_local_identifier_held_by_an_imported_record_is_a_conflict(catalogue: Database, source: SourceConfig) -> None:
    with catalogue.writing() as session:
        records.store(session, fromstring(generate_record(3)), "edu:oai:e:1", now=NOW)
    with pytest.raises(Conflict):
        _store(catalogue, source, "oai:e:1")


def test_moderated_records_are_stored_unexposed_and_keep_an_editors_status(catalogue: Database,
                                                                          source: SourceConfig) -> None:
    stored = _store(catalogue, source, "oai:e:1", status="submitted")
    with catalogue.reading() as session:
        assert listing.get(session, stored.local_id, "lom") is None
    with catalogue.writing() as session:
        item = records.find(session, stored.local_id)
        item.status, item.exposed = "published", True
    _store(catalogue, source, "oai:e:1", status="submitted", now=LATER)
    with catalogue.reading() as session:
        assert records.find(session, stored.local_id).status == "published"


def test_a_deletion_tombstones_the_record_with_the_deletions_datestamp(catalogue: Database, source: SourceConfig) -> None:
    stored = _store(catalogue, source, "oai:e:1")
    with catalogue.writing() as session:
        gone = harvested.delete(session, source.id, "oai:e:1", now=LATER, datestamp="2025-05-30")
    assert (gone.local_id, gone.change) == (stored.local_id, "deleted")
    with catalogue.reading() as session:
        assert [(line.deleted, line.datestamp) for line in harvested.every_from(session, "edu")] == [(True, "2025-05-30")]


def test_a_deletion_of_a_record_never_harvested_leaves_an_unexposed_tombstone(catalogue: Database,
                                                                              source: SourceConfig) -> None:
    with catalogue.writing() as session:
        gone = harvested.delete(session, source.id, "oai:e:9", now=NOW, datestamp="2025-05-30")
    assert gone.change == "deleted"
    with catalogue.reading() as session:
        assert [(line.identifier, line.deleted) for line in harvested.every_from(session, "edu")] == [("oai:e:9", True)]
        assert listing.get(session, gone.local_id, "lom") is None


def test_quarantine_keeps_the_latest_version_with_its_reasons(catalogue: Database, source: SourceConfig) -> None:
    reason = Reason("lom/general/title", 3, "xsd", "title missing")
    with catalogue.writing() as session:
        harvested.quarantine(session, source.id, None, "oai:e:1", "2025-01-01", b"<a/>", [reason], now=NOW)
        harvested.quarantine(session, source.id, None, "oai:e:1", "2025-01-02", b"<b/>", [reason, reason], now=LATER)
    with catalogue.reading() as session:
        (row,) = harvested.quarantined(session, "edu")
    assert (row.identifier, row.datestamp, row.raw, row.reasons) == ("oai:e:1", "2025-01-02", b"<b/>", (reason, reason))


@pytest.mark.parametrize("cure", ["valid version", "deletion"])
def test_a_valid_version_or_a_deletion_takes_a_record_out_of_quarantine(catalogue: Database, source: SourceConfig,
                                                                        cure: str) -> None:
    with catalogue.writing() as session:
        harvested.quarantine(session, source.id, None, "oai:e:1", "2025-01-01", b"<a/>", [], now=NOW)
    if cure == "valid version":
        _store(catalogue, source, "oai:e:1")
    else:
        with catalogue.writing() as session:
            harvested.delete(session, source.id, "oai:e:1", now=NOW)
    with catalogue.reading() as session:
        assert harvested.quarantined(session) == []


def test_a_refresh_tombstones_what_the_source_no_longer_lists(catalogue: Database, source: SourceConfig) -> None:
    for index in range(3):
        _store(catalogue, source, f"oai:e:{index}", index=index)
    with catalogue.writing() as session:
        harvested.quarantine(session, source.id, None, "oai:e:q", None, b"<a/>", [], now=NOW)
        harvested.mark_seen(session, source.id, ["oai:e:0", "oai:e:2"])
        harvested.mark_seen(session, source.id, ["oai:e:2"])
        assert harvested.tombstone_unseen(session, source.id, now=LATER) == 1
    with catalogue.reading() as session:
        assert [(line.identifier, line.deleted) for line in harvested.every_from(session, "edu")] == [
            ("oai:e:0", False), ("oai:e:1", True), ("oai:e:2", False)]
        assert harvested.quarantined(session) == []


def test_new_records_a_page_expects_are_not_looked_up_one_by_one(catalogue: Database, source: SourceConfig) -> None:
    identifiers = [f"oai:e:{index}" for index in range(5)]
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and "FROM items" in statement:
            statements.append(statement)

    with catalogue.writing() as session:
        writer = harvested.PageWriter(session, source.id, now=LATER)
        writer.expect(identifiers)
        event.listen(catalogue.engine, "before_cursor_execute", count)
        try:
            changes = [writer.store(fromstring(generate_record(index, seed=1)), _origin(identifier, "2025-05-02"),
                                    status="published").change for index, identifier in enumerate(identifiers)]
        finally:
            event.remove(catalogue.engine, "before_cursor_execute", count)
        writer.finish()
    assert changes == ["new"] * 5
    assert statements == []
