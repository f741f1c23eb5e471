"""Finding records: by namespace, standalone or wrapped (OAI-PMH, IMS manifests), legacy bindings named,
large documents streamed with memory released record by record."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from metadata import detect, samples
from metadata.detect import STREAM_ABOVE, find_records
from metadata.errors import NotWellFormedError, UnknownFormatError, UnsafeXMLError
from metadata.namespaces import LOM
from tests.support.documents import oai_list_records


def test_standalone_lom_record_is_found() -> None:
    (found,) = find_records(samples.generate_record(0))
    assert (found.kind, found.index, found.variant, found.element.tag) == ("lom", 1, None, f"{{{LOM}}}lom")


def test_lom_records_inside_an_oai_response_are_found_in_order_with_their_lines() -> None:
    document = oai_list_records([samples.generate_record(index) for index in range(3)])
    found = [(item.index, item.element.findtext(f".//{{{LOM}}}entry"), item.element.sourceline)
             for item in find_records(document)]
    lines = [number + 1 for number, line in enumerate(document.split(b"\n")) if b"<lom " in line]
    assert found == [(index + 1, samples.record_id(index), lines[index]) for index in range(3)]


def test_lom_records_of_an_ims_manifest_are_all_found(corpus: Path) -> None:
    found = list(find_records(corpus / "lom/apiscol-scolomfr/data__imsmanifest.xml"))
    assert len(found) == 30 and {item.kind for item in found} == {"lom"}


def test_lom_nested_in_a_lom_belongs_to_the_outer_record() -> None:
    document = f'<lom xmlns="{LOM}"><relation><resource><lom/></resource></relation></lom>'.encode()
    assert [item.element.getparent() for item in find_records(document)] == [None]


def test_dc_records_of_an_oai_response_are_found(corpus: Path) -> None:
    found = list(find_records(corpus / "oai/sickle/tests__sample_data__ListRecords.xml"))
    assert found and {item.kind for item in found} == {"dc"}
    assert len(found) == (corpus / "oai/sickle/tests__sample_data__ListRecords.xml").read_bytes().count(b"<oai_dc:dc")


@pytest.mark.parametrize(
    "relative,variant",
    [
        ("lom/kennisnet-phpnllom/tests__result.xml", "IMS Meta-data 1.2"),
        ("lom/canvas-common-cartridge/allyworkshop__imsmanifest.xml", "IMS Common Cartridge 1.3 LOM"),
    ],
)
def test_legacy_lom_is_found_and_its_binding_named(corpus: Path, relative: str, variant: str) -> None:
    found = list(find_records(corpus / relative))
    assert found and all(item.kind == "lom" and item.variant == variant for item in found)


def test_document_without_records_names_its_root_element(corpus: Path) -> None:
    with pytest.raises(UnknownFormatError) as raised:
        list(find_records(corpus / "oai/sickle/tests__sample_data__Identify.xml"))
    assert str(raised.value) == (
        "no LOM or Dublin Core record found (root element 'OAI-PMH' in namespace "
        "http://www.openarchives.org/OAI/2.0/)"
    )


def test_root_without_namespace_is_described_as_such() -> None:
    with pytest.raises(UnknownFormatError, match="root element 'html' in no namespace"):
        list(find_records(b"<html><body/></html>"))


def test_not_well_formed_document_reports_the_line() -> None:
    with pytest.raises(NotWellFormedError) as raised:
        list(find_records(b"<lom>\n<general>\n</lom>"))
    assert raised.value.line == 3


def _big_response(count: int) -> bytes:
    return oai_list_records([samples.generate_record(index) for index in range(count)])


def test_large_document_is_streamed_and_every_record_found() -> None:
    document = _big_response(800)
    assert len(document) > STREAM_ABOVE
    found = [item.element.findtext(f".//{{{LOM}}}entry") for item in find_records(io.BytesIO(document))]
    assert found == [samples.record_id(index) for index in range(800)]


def test_streamed_records_are_released_once_the_next_is_asked_for() -> None:
    records = find_records(_big_response(800))
    first = next(records)
    assert len(first.element) > 0
    held = []
    for found in records:
        root = found.element.getroottree().getroot()
        held.append(sum(1 for _ in root.iter()) - sum(1 for _ in found.element.iter()))
    assert len(first.element) == 0, "the first record was not cleared"
    # What stays in memory besides the current record: the open ancestors and the parser's look-ahead
    # (one read chunk), not the 110,000 elements of the records already read.
    assert max(held) < 2000, "elements outside the current record pile up"


def test_streamed_broken_document_yields_records_before_the_fault() -> None:
    document = _big_response(800)[:-200]
    found = []
    with pytest.raises(NotWellFormedError):
        for item in find_records(io.BytesIO(document)):
            found.append(item.index)
    assert found == list(range(1, 800))


def test_stream_longer_than_the_limit_is_refused() -> None:
    document = _big_response(800)
    with pytest.raises(UnsafeXMLError, match="larger than"):
        list(find_records(io.BytesIO(document), max_bytes=len(document) - 1))


def test_file_larger_than_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.xml"
    with open(huge, "wb") as handle:
        handle.truncate(detect.MAX_DOCUMENT_BYTES + 1)  # sparse: costs no disk and no time
    with pytest.raises(UnsafeXMLError, match="larger than"):
        list(find_records(huge))
