"""Recognising legacy LOM variants and normalising them to IEEE LOM."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from metadata import lom, schemas, xmlsafe
from metadata.errors import UnknownFormatError
from metadata.legacy import is_lom_root, normalise, variant_of
from metadata.lom import Identifier, LangString, Requirement, Taxon, Vocab
from metadata.namespaces import HSOERLOM, IMSMD_ROOT_V1P2P1, IMSMD_V1P2, LOM, clark
from tests.support.lom_corpus import corpus_files, name, records_in

IMS_RECORD = b"""<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
          xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_v1p2"
          xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><metadata>
<imsmd:lom xsi:schemaLocation="http://www.imsglobal.org/xsd/imsmd_v1p2 imsmd_v1p2p4.xsd">
  <imsmd:general>
    <imsmd:identifier>item-1</imsmd:identifier>
    <imsmd:title>
      <imsmd:langstring xml:lang="en">Golf</imsmd:langstring>
      <imsmd:langstring xml:lang="x-none">Golf (no language)</imsmd:langstring>
    </imsmd:title>
    <imsmd:catalogentry>
      <imsmd:catalog>ISBN</imsmd:catalog>
      <imsmd:entry><imsmd:langstring xml:lang="x-none">0-123</imsmd:langstring></imsmd:entry>
    </imsmd:catalogentry>
    <imsmd:aggregationlevel>
      <imsmd:source><imsmd:langstring xml:lang="x-none">LOMv1.0</imsmd:langstring></imsmd:source>
      <imsmd:value><imsmd:langstring xml:lang="x-none">2</imsmd:langstring></imsmd:value>
    </imsmd:aggregationlevel>
    <imsmd:colour>green</imsmd:colour>
  </imsmd:general>
  <imsmd:lifecycle>
    <imsmd:contribute>
      <imsmd:role>
        <imsmd:source><imsmd:langstring>LOMv1.0</imsmd:langstring></imsmd:source>
        <imsmd:value><imsmd:langstring>author</imsmd:langstring></imsmd:value>
      </imsmd:role>
      <imsmd:centity><imsmd:vcard>BEGIN:VCARD
FN:Ann
END:VCARD</imsmd:vcard></imsmd:centity>
      <imsmd:date><imsmd:datetime>2004-05-06</imsmd:datetime></imsmd:date>
    </imsmd:contribute>
  </imsmd:lifecycle>
  <imsmd:technical>
    <imsmd:location type="URI">http://example.org/golf</imsmd:location>
    <imsmd:requirement>
      <imsmd:type>
        <imsmd:source><imsmd:langstring>LOMv1.0</imsmd:langstring></imsmd:source>
        <imsmd:value><imsmd:langstring>browser</imsmd:langstring></imsmd:value>
      </imsmd:type>
      <imsmd:minimumversion>5</imsmd:minimumversion>
    </imsmd:requirement>
  </imsmd:technical>
  <imsmd:educational>
    <imsmd:typicallearningtime><imsmd:datetime>PT1H</imsmd:datetime></imsmd:typicallearningtime>
  </imsmd:educational>
  <imsmd:classification>
    <imsmd:taxonpath>
      <imsmd:source><imsmd:langstring xml:lang="en">Dewey</imsmd:langstring></imsmd:source>
      <imsmd:taxon><imsmd:id>500</imsmd:id>
        <imsmd:taxon><imsmd:id>580</imsmd:id>
          <imsmd:taxon><imsmd:id>581</imsmd:id></imsmd:taxon>
        </imsmd:taxon>
      </imsmd:taxon>
    </imsmd:taxonpath>
  </imsmd:classification>
</imsmd:lom></metadata></manifest>
"""


@pytest.fixture(scope="module")
def ims_lom() -> etree._Element:
    return xmlsafe.fromstring(IMS_RECORD)[0][0]


@pytest.fixture(scope="module")
def normalised(ims_lom):
    return normalise(ims_lom)


def _loose_valid(element: etree._Element) -> bool:
    return schemas.lxml_schema("lom-loose").validate(element)


def _root(namespace: str, local: str = "lom") -> etree._Element:
    return etree.Element(clark(namespace, local))


@pytest.mark.parametrize(
    "namespace, variant",
    [
        (IMSMD_V1P2, "IMS Meta-data 1.2"),
        (IMSMD_ROOT_V1P2P1, "IMS Meta-data 1.2.1"),
        ("http://www.imsproject.org/xsd/imsmd_rootv1p2p1", "IMS Meta-data 1.2.1 (imsproject.org namespace)"),
        ("http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest", "IMS Common Cartridge 1.1 LOM"),
        ("http://ltsc.ieee.org/xsd/imsccv1p3/LOM/resource", "IMS Common Cartridge 1.3 LOM"),
        ("http://ltsc.ieee.org/xsd/imscc/LOM", "IMS Common Cartridge 1.0 LOM"),
        (HSOERLOM, "HS-OER-LOM"),
    ],
)
def test_variant_of_names_legacy_lom_roots(namespace, variant):
    assert variant_of(_root(namespace)) == variant


@pytest.mark.parametrize(
    "element",
    [_root(LOM), _root(IMSMD_V1P2, "general"), _root("urn:example:other"), etree.Comment("lom")],
    ids=["ieee-lom", "legacy-non-root", "other-namespace", "comment"],
)
def test_variant_of_is_none_for_ieee_lom_and_for_what_is_not_lom(element):
    assert variant_of(element) is None


@pytest.mark.parametrize(
    "element, expected",
    [(_root(LOM), True), (_root(IMSMD_V1P2), True), (_root("http://www.imsglobal.org/xsd/imscp_v1p1", "manifest"), False)],
    ids=["ieee-lom", "ims-md", "manifest"],
)
def test_is_lom_root(element, expected):
    assert is_lom_root(element) is expected


def test_normalised_ims_record_is_valid_ieee_lom(normalised):
    assert normalised.lom.tag == clark(LOM, "lom")
    assert _loose_valid(normalised.lom), schemas.lxml_schema("lom-loose").error_log


def test_normalised_record_declares_lom_as_its_default_namespace(normalised):
    assert normalised.lom.nsmap[None] == LOM
    assert etree.tostring(normalised.lom).startswith(b'<lom xmlns="http://ltsc.ieee.org/xsd/LOM"')


def test_langstrings_become_strings_and_x_none_means_no_language(normalised):
    assert lom.titles(normalised.lom) == (LangString("Golf", "en"), LangString("Golf (no language)", None))


def test_vocabulary_langstrings_are_unwrapped(normalised):
    assert lom.aggregation_level(normalised.lom) == Vocab("LOMv1.0", "2")


def test_plain_identifier_and_catalogentry_become_identifiers(normalised):
    assert lom.identifiers(normalised.lom) == (Identifier(None, "item-1"), Identifier("ISBN", "0-123"))


def test_centity_vcard_and_datetime_become_entity_and_date(normalised):
    (contribution,) = lom.contributors(normalised.lom)
    assert contribution.entities == ("BEGIN:VCARD\nFN:Ann\nEND:VCARD",)
    assert contribution.date == "2004-05-06"
    assert contribution.role == Vocab("LOMv1.0", "author")


def test_learning_time_datetime_becomes_a_duration(normalised):
    assert lom.typical_learning_times(normalised.lom) == ("PT1H",)


def test_requirement_parts_are_grouped_as_one_alternative(normalised):
    assert lom.requirements(normalised.lom) == (Requirement(Vocab("LOMv1.0", "browser"), None, "5", None),)


def test_nested_taxa_are_listed_in_order(normalised):
    (path,) = lom.taxon_paths(normalised.lom)
    assert path.taxa == (Taxon("500", ()), Taxon("580", ()), Taxon("581", ()))
    assert path.source == (LangString("Dewey", "en"),)


def test_element_without_counterpart_stays_as_an_extension_in_its_namespace(normalised):
    (colour,) = normalised.lom.iter(clark(IMSMD_V1P2, "colour"))
    assert colour.text == "green"
    assert "kept colour in general as an extension element (no LOM counterpart)" in normalised.notes


def test_every_change_is_noted_with_its_count(normalised):
    notes = normalised.notes
    assert notes[0] == "converted from IMS Meta-data 1.2 to IEEE LOM"
    for expected in (
        "dropped xsi:schemaLocation, which named the legacy schema",
        "renamed langstring to string (×3)",
        "renamed catalogentry to identifier",
        "unwrapped langstring in value (×3)",
        "renamed centity to entity",
        "unwrapped vcard in entity",
        "renamed datetime to dateTime",
        "renamed datetime to duration",
        "moved nested taxon up into its taxonPath (×2)",
        "grouped the parts of requirement in orComposite",
        "dropped attribute type of location",
        "wrapped the text of identifier in entry",
        "removed language 'x-none' (no language) from string",
    ):
        assert expected in notes


def test_normalise_leaves_its_input_untouched(ims_lom):
    before = etree.tostring(ims_lom)
    normalise(ims_lom)
    assert etree.tostring(ims_lom) == before


def test_ieee_record_needing_nothing_comes_back_equal_without_notes():
    record = xmlsafe.fromstring(
        b'<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general><title><string language="en">T</string>'
        b"</title></general></lom>"
    )
    result = normalise(record)
    assert result.notes == ()
    assert etree.tostring(result.lom) == etree.tostring(record)


def test_lom_namespace_elements_lom_does_not_define_are_dropped():
    record = xmlsafe.fromstring(
        b'<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><rights><access><accessType/></access></rights></lom>'
    )
    result = normalise(record)
    assert result.lom.find(f"{{{LOM}}}rights/{{{LOM}}}access") is None
    assert result.notes == ("dropped rights/access, which LOM does not define",)


def test_language_uris_become_codes_and_empty_values_go():
    record = xmlsafe.fromstring(
        b'<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general>'
        b'<title><string language="http://id.loc.gov/vocabulary/iso639-2/fre">Atome</string>'
        b'<string language="">Sans</string></title>'
        b"<language>http://id.loc.gov/vocabulary/iso639-1/fr</language><language> </language>"
        b"</general></lom>"
    )
    result = normalise(record)
    assert lom.titles(result.lom) == (LangString("Atome", "fre"), LangString("Sans", None))
    assert lom.languages(result.lom) == ("fr",)
    assert _loose_valid(result.lom)


def test_entry_written_beside_identifier_is_moved_into_it():
    record = xmlsafe.fromstring(
        b'<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><relation><resource>'
        b"<identifier>URI</identifier><entry>http://example.org/x</entry></resource></relation></lom>"
    )
    result = normalise(record)
    assert lom.relations(result.lom)[0].identifiers == (Identifier("URI", "http://example.org/x"),)
    assert _loose_valid(result.lom)


def test_empty_value_lom_does_not_allow_is_dropped():
    record = xmlsafe.fromstring(
        b'<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><lifeCycle><contribute><date><dateTime></dateTime>'
        b"</date></contribute></lifeCycle></lom>"
    )
    result = normalise(record)
    assert lom.lifecycle_dates(result.lom) == ()
    assert result.notes == ("dropped date/dateTime, whose value '' LOM does not allow",)
    assert _loose_valid(result.lom)


def test_common_cartridge_lom_moves_into_the_lom_namespace():
    record = xmlsafe.fromstring(
        b'<l:lom xmlns:l="http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest"><l:general><l:title>'
        b"<l:string>Course</l:string></l:title></l:general><l:rights><l:copyrightAndOtherRestrictions>"
        b"<l:value>yes</l:value></l:copyrightAndOtherRestrictions></l:rights></l:lom>"
    )
    result = normalise(record)
    assert lom.titles(result.lom) == (LangString("Course", None),)
    assert lom.copyright(result.lom) == Vocab(None, "yes")
    assert _loose_valid(result.lom)


def test_capitalised_lomv1_terms_are_written_as_lom_spells_them():
    record = xmlsafe.fromstring(
        b'<lom xmlns="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"><lifecycle><status>'
        b"<source><langstring>LOMv1.0</langstring></source><value><langstring>Final</langstring></value>"
        b"</status></lifecycle><classification><purpose><source><langstring>LOMv1.0</langstring></source>"
        b"<value><langstring>Educational  Objective</langstring></value></purpose></classification></lom>"
    )
    result = normalise(record)
    assert lom.status(result.lom) == Vocab("LOMv1.0", "final")
    purpose = result.lom.findtext(f"{{{LOM}}}classification/{{{LOM}}}purpose/{{{LOM}}}value")
    assert purpose == "educational objective"
    assert "wrote LOMv1.0 status 'Final' as 'final'" in result.notes


def test_terms_of_other_vocabularies_keep_their_case():
    record = xmlsafe.fromstring(
        b'<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><lifeCycle><status><source>QTIv1</source>'
        b"<value>Final</value></status></lifeCycle></lom>"
    )
    assert lom.status(normalise(record).lom) == Vocab("QTIv1", "Final")


def test_normalise_refuses_what_is_not_lom():
    with pytest.raises(UnknownFormatError, match="manifest"):
        normalise(_root("http://www.imsglobal.org/xsd/imscp_v1p1", "manifest"))


# -- the corpus -------------------------------------------------------------------------------------

# Records whose content cannot become loose-valid LOM, with the reason (none so far).
IMPOSSIBLE: dict[str, str] = {}


def _needs_normalising(element: etree._Element) -> bool:
    return is_lom_root(element) and (variant_of(element) is not None or not _loose_valid(element))


LEGACY_FILES = [path for path in corpus_files() if any(map(_needs_normalising, records_in(path, is_lom_root)))]
IEEE_FILES = [
    path for path in corpus_files()
    if any(_loose_valid(r) for r in records_in(path, is_lom_root) if variant_of(r) is None)
]


@pytest.mark.parametrize("path", [p for p in LEGACY_FILES if name(p) not in IMPOSSIBLE], ids=name)
def test_corpus_legacy_record_normalises_to_loose_valid_lom(path: Path) -> None:
    for index, record in enumerate(filter(_needs_normalising, records_in(path, is_lom_root))):
        result = normalise(record)
        assert _loose_valid(result.lom), f"record #{index + 1}: {schemas.lxml_schema('lom-loose').error_log}"
        assert result.notes, f"record #{index + 1} changed without a note"


@pytest.mark.parametrize("path", IEEE_FILES, ids=name)
def test_corpus_valid_ieee_record_normalises_to_itself_without_notes(path: Path) -> None:
    for index, record in enumerate(r for r in records_in(path, is_lom_root) if _loose_valid(r)):
        result = normalise(record)
        assert result.notes == (), f"record #{index + 1}"
        assert etree.canonicalize(etree.tostring(result.lom, encoding=str), strip_text=True) == \
            etree.canonicalize(etree.tostring(record, encoding=str), strip_text=True), f"record #{index + 1}"


def test_corpus_has_the_legacy_records_the_normalisation_count_is_measured_on(corpus: Path) -> None:
    count = sum(len(list(filter(_needs_normalising, records_in(path, is_lom_root)))) for path in LEGACY_FILES)
    assert count >= 48
