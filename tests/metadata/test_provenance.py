"""The `<provenance>` fragment every harvested record is served with (`metadata.provenance`).

It is written as text, so these tests hold it to what an XML writer would give: the values read back
exactly, whatever characters they carry, the official provenance.xsd accepts it, and a value XML
cannot carry is refused rather than written.
"""
from __future__ import annotations

from datetime import datetime

import pytest
from lxml import etree

from metadata.namespaces import OAI_PROVENANCE
from metadata.provenance import Origin, render_provenance
from tests.support.standards import STANDARDS

WHEN = datetime(2026, 11, 30, 8, 15, 2)
AWKWARD = [
    "http://partner.example.org/oai?verb=x&set=a<b>",
    "oai:partner:item\r\nwith lines\tand tabs",
    'quotes " and \' and ]]> and &amp; already escaped',
    "Ünïcödé, 中文, and astral \U0001F4DA",
    "   spaces kept   ",
]


def _read(fragment: bytes) -> dict[str, str]:
    root = etree.fromstring(fragment)
    description = root.find(f"{{{OAI_PROVENANCE}}}originDescription")
    values = {etree.QName(child).localname: child.text or "" for child in description}
    return {**values, **description.attrib}


@pytest.mark.parametrize("value", AWKWARD)
def test_values_read_back_exactly(value: str) -> None:
    origin = Origin(value, value, "2024-05-06", value, WHEN, altered=True)
    assert _read(render_provenance(origin)) == {
        "baseURL": value, "identifier": value, "datestamp": "2024-05-06", "metadataNamespace": value,
        "harvestDate": "2026-11-30T08:15:02Z", "altered": "true",
    }


@pytest.mark.parametrize("value", AWKWARD)
def test_the_bytes_are_those_lxml_writes(value: str) -> None:
    origin = Origin(value, value, value, value, WHEN)
    rendered = render_provenance(origin)
    assert etree.tostring(etree.fromstring(rendered), encoding="utf-8") == rendered


def test_the_official_schema_accepts_it() -> None:
    schema = etree.XMLSchema(etree.parse(str(STANDARDS / "oai-pmh" / "provenance.xsd")))
    origin = Origin("http://partner.example.org/oai", "oai:partner:1", "2024-05-06T07:08:09Z",
                    "http://ltsc.ieee.org/xsd/LOM", WHEN, altered=False)
    assert schema.validate(etree.fromstring(render_provenance(origin))), schema.error_log


@pytest.mark.parametrize("value", ["oai:partner:\x00", "oai:partner:\x1b[0m", "oai:partner:\ufffe"])
def test_a_value_xml_cannot_carry_is_refused(value: str) -> None:
    with pytest.raises(ValueError, match="provenance identifier contains U\\+"):
        render_provenance(Origin("http://partner.example.org/oai", value, "2024-05-06", "ns", WHEN))
