"""Every loose-valid LOM record of the corpus decodes and re-encodes to equivalent XML."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from metadata import schemas, xmlsafe
from metadata.errors import EncodeError
from metadata.lom import read_lom, write_lom
from metadata.namespaces import LOM, clark
from tests.support.lom_corpus import corpus_files, name, records_in

LOM_ROOT = clark(LOM, "lom")


def _is_ieee_lom(element: etree._Element) -> bool:
    return element.tag == LOM_ROOT


def _loose_valid_records(path: Path) -> list[etree._Element]:
    return [r for r in records_in(path, _is_ieee_lom) if schemas.lxml_schema("lom-loose").validate(r)]


FILES = [path for path in corpus_files() if _loose_valid_records(path)]


def canonical(xml: bytes | etree._Element) -> str:
    """C14N 2.0 without comments, whitespace-only text between elements, prefixes or the marker.

    `uniqueElementName` is excluded because the binding fixes its value to the element's own name:
    it says nothing, and the schema supplies it whether or not a producer wrote it.
    """
    text = xml.decode("utf-8") if isinstance(xml, bytes) else etree.tostring(xml, encoding=str)
    return etree.canonicalize(
        text, with_comments=False, strip_text=True, rewrite_prefixes=True,
        exclude_attrs=["uniqueElementName"],
    )


@pytest.mark.parametrize("path", FILES, ids=name)
def test_loose_valid_record_survives_decode_and_encode(path: Path) -> None:
    for index, record in enumerate(_loose_valid_records(path)):
        assert canonical(write_lom(read_lom(record))) == canonical(record), f"record #{index + 1}"


def test_round_trip_covers_the_corpus_records_valid_under_the_loose_schema(corpus: Path) -> None:
    assert sum(len(_loose_valid_records(path)) for path in FILES) >= 110


def test_comparison_notices_a_reordered_sibling() -> None:
    record = '<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general>{}</general></lom>'
    ordered = record.format("<language>en</language><language>fr</language>").encode()
    swapped = record.format("<language>fr</language><language>en</language>").encode()
    assert canonical(ordered) != canonical(swapped)


def test_interleaved_extension_element_keeps_its_place() -> None:
    record = xmlsafe.fromstring(
        b'<lom xmlns="http://ltsc.ieee.org/xsd/LOM" xmlns:x="urn:example:x"><educational>'
        b"<description><string>a</string></description><x:method>talk</x:method>"
        b"<description><string>b</string></description></educational></lom>"
    )
    assert canonical(write_lom(read_lom(record))) == canonical(record)


def test_encoding_an_invalid_dict_raises_encode_error_naming_the_problem() -> None:
    data = ["lom", ["general", ["title", ["string", "Fine"]], ["aggregationLevel", ["value", "1"]],
                    ["aggregationLevel", ["value", "2"]]]]
    with pytest.raises(EncodeError, match="aggregationLevel"):
        write_lom(data)
