"""`catalogue.importer`: files, folders and zips in; published records, rejections with reasons out."""
from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from catalogue import importer, listing, summaries
from catalogue.db import Database
from metadata import xmlsafe
from metadata.errors import UnknownProfileError
from tests.support.records import generate_record, record_id

NOW = datetime(2024, 5, 1, 12, 0, 0)
LATER = datetime(2024, 5, 2, 8, 30, 0)


def _write_samples(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{record_id(index)}.xml" for index in range(count)]
    for index, path in enumerate(paths):
        path.write_bytes(generate_record(index))
    return paths


def _changes(outcomes: Iterator[importer.Outcome]) -> Counter[str]:
    return Counter(outcome.change for outcome in outcomes)


def test_a_folder_of_valid_records_is_published(catalogue: Database, tmp_path: Path) -> None:
    _write_samples(tmp_path / "in", 3)
    assert _changes(importer.import_paths(catalogue, [tmp_path / "in"], now=NOW)) == {"new": 3}
    with catalogue.reading() as session:
        stored = list(summaries.every(session))
    assert [line.local_id for line in stored] == [record_id(0), record_id(1), record_id(2)]
    assert {line.datestamp for line in stored} == {NOW}


def test_reimporting_unchanged_records_changes_nothing(catalogue: Database, tmp_path: Path) -> None:
    _write_samples(tmp_path / "in", 3)
    list(importer.import_paths(catalogue, [tmp_path / "in"], now=NOW))
    assert _changes(importer.import_paths(catalogue, [tmp_path / "in"], now=LATER)) == {"unchanged": 3}
    with catalogue.reading() as session:
        assert {line.datestamp for line in summaries.every(session)} == {NOW}


def test_a_changed_record_is_updated_with_a_new_datestamp(catalogue: Database, tmp_path: Path) -> None:
    first, second = _write_samples(tmp_path / "in", 2)
    list(importer.import_paths(catalogue, [tmp_path / "in"], now=NOW))
    first.write_bytes(first.read_bytes().replace(b"</title>", b'<string language="la">Revisum</string></title>', 1))
    outcomes = {outcome.local_id: outcome.change for outcome in importer.import_paths(catalogue, [tmp_path / "in"], now=LATER)}
    assert outcomes == {record_id(0): "updated", record_id(1): "unchanged"}
    with catalogue.reading() as session:
        assert {line.local_id: line.datestamp for line in summaries.every(session)} == {
            record_id(0): LATER, record_id(1): NOW}


def test_a_record_failing_the_profile_is_rejected_with_file_line_path_and_reason(
    catalogue: Database, tmp_path: Path
) -> None:
    (path,) = _write_samples(tmp_path / "in", 1)
    text = path.read_text(encoding="utf-8")
    start, end = text.index("<description>"), text.index("</description>") + len("</description>")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    (outcome,) = importer.import_paths(catalogue, [path])
    assert outcome.change == importer.REJECTED and outcome.local_id is None
    problem = next(problem for problem in outcome.problems if problem.rule == "require:general/description")
    general_line = text[:text.index("<general>")].count("\n") + 1
    assert (problem.file, problem.line, problem.path) == (str(path), general_line, "lom/general")
    assert "description" in problem.message
    with catalogue.reading() as session:
        assert summaries.count_live(session) == 0


def test_the_profile_can_be_chosen(catalogue: Database, tmp_path: Path) -> None:
    (path,) = _write_samples(tmp_path / "in", 1)
    text = path.read_text(encoding="utf-8")
    start, end = text.index("<description>"), text.index("</description>") + len("</description>")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    assert _changes(importer.import_paths(catalogue, [path], "lom-loose")) == {"new": 1}


def test_an_unknown_profile_fails_before_anything_is_read(catalogue: Database) -> None:
    with pytest.raises(UnknownProfileError):
        importer.import_paths(catalogue, [Path("/nowhere")], "no-such-profile")


def test_a_missing_path_fails_before_anything_is_stored(catalogue: Database, tmp_path: Path) -> None:
    _write_samples(tmp_path / "in", 1)
    with pytest.raises(importer.ImportInputError, match="is not a file or folder"):
        importer.import_paths(catalogue, [tmp_path / "in", tmp_path / "missing.xml"])
    with catalogue.reading() as session:
        assert summaries.count_live(session) == 0


def test_records_inside_a_zip_archive_are_imported(catalogue: Database, tmp_path: Path) -> None:
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as package:
        for index in range(2):
            package.writestr(f"records/{record_id(index)}.xml", generate_record(index))
        package.writestr("readme.txt", "not metadata")
    outcomes = list(importer.import_paths(catalogue, [archive]))
    assert [(outcome.file, outcome.change) for outcome in outcomes] == [
        (f"{archive}!/records/{record_id(0)}.xml", "new"), (f"{archive}!/records/{record_id(1)}.xml", "new")]


def test_a_broken_document_is_one_rejection_with_its_line(catalogue: Database, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text('<lom xmlns="http://ltsc.ieee.org/xsd/LOM">\n<general>\n</lom>\n')
    (outcome,) = importer.import_paths(catalogue, [broken])
    (problem,) = outcome.problems
    assert (outcome.change, outcome.index, problem.rule, problem.line) == (importer.REJECTED, None, "well-formed", 3)


def test_a_dublin_core_record_is_rejected_as_the_wrong_kind(catalogue: Database, tmp_path: Path) -> None:
    dc = tmp_path / "dc.xml"
    dc.write_text('<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
                  'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>A</dc:title></oai_dc:dc>')
    (outcome,) = importer.import_paths(catalogue, [dc])
    assert outcome.change == importer.REJECTED
    assert "imports IEEE LOM records" in outcome.problems[0].message


def test_a_legacy_record_is_converted_and_the_conversion_noted(catalogue: Database, corpus: Path) -> None:
    legacy = corpus / "lom" / "kennisnet-phpnllom" / "tests__result.xml"
    (outcome,) = importer.import_paths(catalogue, [legacy], "lom-loose")
    assert outcome.change == "new"
    assert any("IMS" in note for note in outcome.notes)
    with catalogue.reading() as session:
        row = listing.get(session, outcome.local_id, "lom")
    assert row is not None and xmlsafe.fromstring(row.metadata).tag == "{http://ltsc.ieee.org/xsd/LOM}lom"


def test_records_are_committed_batch_by_batch(catalogue: Database, tmp_path: Path) -> None:
    _write_samples(tmp_path / "in", 5)
    outcomes = importer.import_paths(catalogue, [tmp_path / "in"], batch=2)
    next(outcomes)
    with catalogue.reading() as session:
        assert summaries.count_live(session) == 2
    assert _changes(outcomes) == {"new": 4}


def _lom(general: str = "", technical: str = "") -> xmlsafe.etree._Element:  # type: ignore[name-defined]
    return xmlsafe.fromstring(f'<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general>{general}</general>'
                              f"<technical>{technical}</technical></lom>".encode())


def test_local_id_is_the_first_identifier_entry_made_safe() -> None:
    record = _lom("<identifier><catalog>ISBN</catalog><entry>urn:isbn:978 0#1</entry></identifier>"
                  "<identifier><catalog>x</catalog><entry>second</entry></identifier>")
    assert importer.local_id_for(record) == "urn:isbn:978%200%231"


def test_local_id_without_identifier_comes_from_the_location() -> None:
    one = importer.local_id_for(_lom(technical="<location>https://example.org/a</location>"))
    same = importer.local_id_for(_lom("<title><string>other</string></title>", "<location>https://example.org/a</location>"))
    assert one == same and one.startswith("loc-") and len(one) == 28


def test_local_id_without_identifier_or_location_is_a_content_hash() -> None:
    one = importer.local_id_for(_lom("<title><string>A</string></title>"))
    other = importer.local_id_for(_lom("<title><string>B</string></title>"))
    assert one.startswith("sha-") and other.startswith("sha-") and one != other


def test_publish_creates_the_catalogue_and_counts_the_changes(database: Database, tmp_path: Path) -> None:
    paths = _write_samples(tmp_path / "in", 2)
    assert importer.publish(database, paths) == {"new": 2}
    assert importer.publish(database, paths) == {"unchanged": 2}
