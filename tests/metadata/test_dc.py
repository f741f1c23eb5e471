"""Reading and writing Simple DC (`oai_dc`) with `metadata.dc`."""
from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path

import pytest
from lxml import etree

from metadata import schemas, xmlsafe
from metadata.dc import (
    ELEMENTS, OAI_DC_SCHEMA_LOCATION, DCRecord, DCValue, language_tag, read_dc, write_oai_dc, write_oai_dc_values,
)
from metadata.errors import EncodeError, UnknownFormatError, UnsafeXMLError
from metadata.namespaces import DC, OAI_DC, XML, XSI, clark
from tests.conftest import CORPUS
from tests.support.lom_corpus import corpus_files, name, records_in
from tests.support.standards import official_schema

OAI_DC_ROOT = clark(OAI_DC, "dc")
DCMES_ORDER = (
    "title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
    "format", "identifier", "source", "language", "relation", "coverage", "rights",
)


def _oai_dc_records(path: Path) -> list[etree._Element]:
    return records_in(path, lambda element: element.tag == OAI_DC_ROOT)


DC_FILES = [path for path in corpus_files() if _oai_dc_records(path)]


def _assert_valid_oai_dc(data: bytes) -> None:
    document = xmlsafe.fromstring(data)
    official = official_schema("oai-pmh/oai_dc.xsd")
    assert official.validate(document), official.error_log.last_error
    ours = schemas.lxml_schema("oai_dc")
    assert ours.validate(document), ours.error_log.last_error


def test_elements_are_the_fifteen_dcmes_elements_in_dcmes_order():
    assert ELEMENTS == DCMES_ORDER
    assert tuple(field.name for field in fields(DCRecord)) == DCMES_ORDER


def test_read_dc_reads_an_oai_dc_record_from_a_corpus_file():
    record = read_dc(CORPUS / "dc" / "openarchives-spec" / "OAI__2.0__ex-sec5a.xml")
    assert record == DCRecord(
        title=(DCValue("The Cornell Law Quarterly", "en"),),
        date=(DCValue("1915-1916"),),
        identifier=(
            DCValue(
                "http://heinonline.org/HeinOnline/show.pl?\n      handle=hein.journals/clqv1%26id=1%26size=4"
            ),
        ),
        rights=(DCValue("Available by Subscription. \n             See http://www.wshein.com"),),
    )


def test_read_dc_reads_a_bare_container_of_dc_elements():
    record = read_dc(
        b'<record xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b"<dc:title>Plants</dc:title><dc:subject>botany</dc:subject></record>"
    )
    assert record == DCRecord(title=(DCValue("Plants"),), subject=(DCValue("botany"),))


def test_read_dc_accepts_an_element_inside_a_larger_document():
    envelope = xmlsafe.fromstring(
        b'<metadata xmlns="http://www.openarchives.org/OAI/2.0/" xml:lang="fr">'
        b'<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"'
        b' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Chimie</dc:title></oai_dc:dc></metadata>'
    )
    assert read_dc(envelope[0]).title == (DCValue("Chimie", "fr"),)


def test_read_dc_takes_xml_lang_from_the_element_or_its_nearest_ancestor():
    record = read_dc(
        b'<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"'
        b' xmlns:dc="http://purl.org/dc/elements/1.1/" xml:lang="de">'
        b'<dc:title>Pflanzen</dc:title><dc:title xml:lang="en">Plants</dc:title>'
        b'<dc:subject xml:lang="">none</dc:subject></oai_dc:dc>'
    )
    assert record.title == (DCValue("Pflanzen", "de"), DCValue("Plants", "en"))
    assert record.subject == (DCValue("none", None),)


def test_read_dc_trims_values_and_skips_empty_ones():
    record = read_dc(
        b'<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"'
        b' xmlns:dc="http://purl.org/dc/elements/1.1/">'
        b"<dc:title>\n   Plants\n </dc:title><dc:creator>  </dc:creator><dc:date/></oai_dc:dc>"
    )
    assert record == DCRecord(title=(DCValue("Plants"),))


def test_read_dc_ignores_elements_outside_the_fifteen():
    record = read_dc(
        b'<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"'
        b' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
        b"<dc:title>Plants</dc:title><dcterms:abstract>About plants</dcterms:abstract>"
        b"<dc:rightsHolder>Someone</dc:rightsHolder></oai_dc:dc>"
    )
    assert record == DCRecord(title=(DCValue("Plants"),))


def test_read_dc_refuses_a_document_without_dc_elements():
    with pytest.raises(UnknownFormatError, match="neither oai_dc:dc nor a container"):
        read_dc(b'<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general/></lom>')


def test_read_dc_parses_through_the_hardened_parser():
    hostile = (
        b'<!DOCTYPE dc [<!ENTITY x "boom">]>'
        b'<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"'
        b' xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>&x;</dc:title></oai_dc:dc>'
    )
    with pytest.raises(UnsafeXMLError):
        read_dc(hostile)


def test_write_oai_dc_gives_compact_self_contained_bytes_without_declaration():
    record = DCRecord(title=(DCValue("Plants", "en"),), creator=(DCValue("Doe, Jane"),))
    assert write_oai_dc(record) == (
        b'<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"'
        b' xmlns:dc="http://purl.org/dc/elements/1.1/"'
        b' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        b' xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/'
        b' http://www.openarchives.org/OAI/2.0/oai_dc.xsd">'
        b'<dc:title xml:lang="en">Plants</dc:title><dc:creator>Doe, Jane</dc:creator></oai_dc:dc>'
    )


def test_write_oai_dc_writes_elements_in_dcmes_order_whatever_the_fields_hold():
    record = DCRecord(**{element: (DCValue(f"{element} value"),) for element in reversed(ELEMENTS)})
    written = xmlsafe.fromstring(write_oai_dc(record))
    assert [etree.QName(child).localname for child in written] == list(DCMES_ORDER)


def test_write_oai_dc_escapes_markup_and_keeps_non_ascii_text_as_utf8():
    record = DCRecord(title=(DCValue("Sel & <eau> « Hépar »", "fr"),))
    data = write_oai_dc(record)
    assert "Sel &amp; &lt;eau&gt; « Hépar »".encode() in data
    assert read_dc(data) == record


def test_written_fragment_keeps_its_meaning_when_spliced_into_an_envelope():
    fragment = write_oai_dc(DCRecord(title=(DCValue("Plants"),)))
    envelope = (
        b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:dc="urn:example:not-dc">'
        b"<metadata>" + fragment + b"</metadata></OAI-PMH>"
    )
    spliced = xmlsafe.fromstring(envelope)[0][0]
    assert spliced.tag == OAI_DC_ROOT
    assert spliced[0].tag == clark(DC, "title")


def test_written_records_are_valid_oai_dc_including_the_empty_record():
    _assert_valid_oai_dc(write_oai_dc(DCRecord()))
    full = DCRecord(**{element: (DCValue(element, "en"), DCValue(element.upper())) for element in ELEMENTS})
    _assert_valid_oai_dc(write_oai_dc(full))


@pytest.mark.parametrize(
    "character", ["\x00", "\x08", "\x0b", "\x1f", "\ufffe", "\uffff", "\ud800", "\udfff"], ids=repr
)
def test_write_oai_dc_refuses_characters_xml_cannot_carry(character):
    record = DCRecord(description=(DCValue(f"before{character}after"),))
    with pytest.raises(EncodeError, match=rf"dc:description contains U\+{ord(character):04X} at offset 6"):
        write_oai_dc(record)


def _as_lxml_writes(record: DCRecord) -> bytes:
    """The fragment serialised from an lxml tree, as `write_oai_dc` once made it."""
    root = etree.Element(OAI_DC_ROOT, nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    root.set(clark(XSI, "schemaLocation"), OAI_DC_SCHEMA_LOCATION)
    for element in ELEMENTS:
        for value in getattr(record, element):
            child = etree.SubElement(root, clark(DC, element))
            child.text = value.text
            if value.language is not None:
                child.set(clark(XML, "lang"), value.language)
    return etree.tostring(root, encoding="UTF-8")


@pytest.mark.parametrize(
    "text", ["a & b < c > d", "]]> &amp;", "line\r\nend\r", "\"quoted\" 'single'", "\x85\u2028\x7f", ""], ids=repr
)
def test_write_oai_dc_writes_the_bytes_lxml_serialises(text):
    record = DCRecord(title=(DCValue(text, "en"),), subject=(DCValue(text),))
    assert write_oai_dc(record) == _as_lxml_writes(record)


@pytest.mark.parametrize("character", ["\ufffd", "\uffbf", "\ufeff", "\ud7ff", "\ue000", "\U0010fffd"], ids=repr)
def test_write_oai_dc_keeps_characters_next_to_those_xml_cannot_carry(character):
    record = DCRecord(description=(DCValue(f"before{character}after"),))
    assert write_oai_dc(record) == _as_lxml_writes(record)


def test_write_oai_dc_names_the_first_value_at_fault_in_dcmes_order():
    record = DCRecord(rights=(DCValue("bell\x07"),), title=(DCValue("Plants", "en_GB"),))
    with pytest.raises(EncodeError, match="dc:title has xml:lang 'en_GB'"):
        write_oai_dc(record)


def test_write_oai_dc_values_writes_what_write_oai_dc_writes():
    record = DCRecord(title=(DCValue("Plants", "en"), DCValue("Plantes", "fr")), rights=(DCValue("CC BY"),))
    values = [("title", "Plants", "en"), ("title", "Plantes", "fr"), ("rights", "CC BY", None)]
    assert write_oai_dc_values(values) == write_oai_dc(record)


def test_write_oai_dc_keeps_tabs_newlines_and_astral_characters():
    record = DCRecord(description=(DCValue("line\tone\nline two \U0001f331"),))
    assert read_dc(write_oai_dc(record)) == record


def test_write_oai_dc_refuses_a_language_that_is_not_a_language_tag():
    record = DCRecord(title=(DCValue("Plants", "English (US)"),))
    with pytest.raises(EncodeError, match="dc:title has xml:lang 'English \\(US\\)'"):
        write_oai_dc(record)


@pytest.mark.parametrize(
    "value, tag",
    [
        ("en", "en"),
        ("fr-CA", "fr-CA"),
        (" fre ", "fre"),
        ("http://id.loc.gov/vocabulary/iso639-2/fre", "fre"),
        ("English (US)", None),
        ("", None),
        (None, None),
    ],
)
def test_language_tag_keeps_tags_and_takes_them_out_of_loc_uris(value, tag):
    assert language_tag(value) == tag


@pytest.mark.parametrize("path", DC_FILES, ids=name)
def test_corpus_oai_dc_survives_write_and_read_and_stays_valid(path: Path) -> None:
    for index, element in enumerate(_oai_dc_records(path)):
        record = read_dc(element)
        written = write_oai_dc(record)
        _assert_valid_oai_dc(written)
        assert read_dc(written) == record, f"record #{index + 1}"
        assert write_oai_dc(replace(record)) == written, "same record, same bytes"


def test_corpus_offers_oai_dc_records_to_read():
    assert sum(len(_oai_dc_records(path)) for path in DC_FILES) >= 35
