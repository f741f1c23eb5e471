"""`harvester.ingest`: one harvested record made IEEE LOM, judged, and stored or quarantined with provenance."""
from __future__ import annotations

from datetime import datetime

import pytest
from lxml import etree

from catalogue import harvested, listing, sources
from catalogue.db import Database
from harvester import ingest
from metadata.namespaces import LOM, OAI_DC
from metadata.profiles import Profile
from metadata.xmlsafe import fromstring
from tests.support.harvest_records import dc_record, ims_record, invalid_lom_record, lom_record
from tests.support.records import generate_record

NOW = datetime(2025, 6, 1, 12, 0, 0)
BASE = "http://partner.example.org/oai"


@pytest.fixture
def target(catalogue: Database) -> ingest.Target:
    with catalogue.writing() as session:
        source = sources.add(session, "edu", BASE, now=NOW)
    return ingest.Target(source.id, "edu", BASE, Profile.load("lom-loose"), "published")


def _ingest(catalogue: Database, target: ingest.Target, metadata: bytes | None, identifier: str = "oai:e:1",
            **options: object) -> ingest.Outcome:
    with catalogue.writing() as session:
        element = fromstring(metadata) if metadata is not None else None
        writer = harvested.PageWriter(session, target.source_id, now=NOW)
        outcome = ingest.ingest(writer, target, identifier, "2025-05-01", element, **options)
        writer.finish()
        return outcome


def _origin(catalogue: Database, local_id: str) -> etree._Element:
    with catalogue.reading() as session:
        return fromstring(listing.get(session, local_id, "lom").about).find("{*}originDescription")


def test_a_valid_lom_record_is_published_with_its_origin_unaltered(catalogue: Database, target: ingest.Target) -> None:
    outcome = _ingest(catalogue, target, generate_record(1))
    assert (outcome.change, outcome.local_id, outcome.notes) == ("new", "edu:oai:e:1", ())
    origin = _origin(catalogue, outcome.local_id)
    assert origin.get("altered") == "false"
    assert (origin.findtext("{*}baseURL"), origin.findtext("{*}metadataNamespace")) == (BASE, LOM)
    assert origin.findtext("{*}datestamp") == "2025-05-01"


def test_a_legacy_lom_record_is_normalised_and_marked_altered(catalogue: Database, target: ingest.Target) -> None:
    outcome = _ingest(catalogue, target, ims_record("Golf"))
    assert outcome.change == "new"
    assert any("IMS Meta-data 1.2" in note for note in outcome.notes)
    assert _origin(catalogue, outcome.local_id).get("altered") == "true"
    with catalogue.reading() as session:
        stored = fromstring(listing.get(session, outcome.local_id, "lom").metadata)
    assert stored.tag == f"{{{LOM}}}lom"
    assert stored.findtext(f"{{{LOM}}}lifeCycle/{{{LOM}}}status/{{{LOM}}}value") == "final"


def test_an_oai_dc_record_is_crosswalked_to_lom(catalogue: Database, target: ingest.Target) -> None:
    outcome = _ingest(catalogue, target, dc_record("Fractions"))
    assert outcome.change == "new" and outcome.notes == ("crosswalked from oai_dc to IEEE LOM",)
    origin = _origin(catalogue, outcome.local_id)
    assert (origin.get("altered"), origin.findtext("{*}metadataNamespace")) == ("true", OAI_DC)
    with catalogue.reading() as session:
        assert listing.get(session, outcome.local_id, "lom").metadata.count(b"Fractions") == 1


def test_an_invalid_record_is_quarantined_with_reasons_and_not_stored(catalogue: Database,
                                                                     target: ingest.Target) -> None:
    outcome = _ingest(catalogue, target, invalid_lom_record())
    assert outcome.change == "quarantined" and outcome.local_id is None
    assert any("colour" in reason.message for reason in outcome.reasons)
    with catalogue.reading() as session:
        (row,) = harvested.quarantined(session, "edu")
        assert list(harvested.every_from(session, "edu")) == []
    assert (row.identifier, row.datestamp, row.reasons) == ("oai:e:1", "2025-05-01", outcome.reasons)
    assert b"colour" in row.raw


def test_a_record_judged_by_a_stricter_profile_can_be_quarantined(catalogue: Database, target: ingest.Target) -> None:
    strict = ingest.Target(target.source_id, target.source_name, BASE, Profile.load("lectern"), "published")
    outcome = _ingest(catalogue, strict, lom_record("Bare"))
    assert outcome.change == "quarantined"
    assert "require:general/description" in {reason.rule for reason in outcome.reasons}


def test_metadata_in_an_unknown_format_is_quarantined(catalogue: Database, target: ingest.Target) -> None:
    outcome = _ingest(catalogue, target, b'<record xmlns="http://www.loc.gov/MARC21/slim"/>')
    assert outcome.change == "quarantined"
    assert outcome.reasons[0].rule == "format"


def test_a_record_without_metadata_fails(catalogue: Database, target: ingest.Target) -> None:
    outcome = _ingest(catalogue, target, None)
    assert outcome.change == "failed" and "no metadata" in outcome.reasons[0].message


def test_a_moderated_source_stores_records_as_submitted_and_unexposed(catalogue: Database,
                                                                     target: ingest.Target) -> None:
    moderated = ingest.Target(target.source_id, target.source_name, BASE, target.profile, ingest.POLICY_STATUS["moderate"])
    outcome = _ingest(catalogue, moderated, generate_record(1))
    assert outcome.change == "new"
    with catalogue.reading() as session:
        assert listing.get(session, outcome.local_id, "lom") is None
        assert [line.local_id for line in harvested.every_from(session, "edu")] == [outcome.local_id]


def test_changes_made_before_ingest_mark_the_record_altered(catalogue: Database, target: ingest.Target) -> None:
    outcome = _ingest(catalogue, target, generate_record(1), notes=("removed characters XML does not allow (×2)",))
    assert outcome.notes == ("removed characters XML does not allow (×2)",)
    assert _origin(catalogue, outcome.local_id).get("altered") == "true"
    assert ingest.note_kind(outcome.notes[0]) == "removed characters XML does not allow"


def test_a_deletion_leaves_a_tombstone(catalogue: Database, target: ingest.Target) -> None:
    stored = _ingest(catalogue, target, generate_record(1))
    with catalogue.writing() as session:
        writer = harvested.PageWriter(session, target.source_id, now=NOW)
        outcome = ingest.ingest_deletion(writer, "oai:e:1", "2025-05-02")
        writer.finish()
    assert (outcome.change, outcome.local_id) == ("deleted", stored.local_id)
