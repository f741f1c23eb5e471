"""Accessors and decode/encode of `metadata.lom`."""
from __future__ import annotations

import pytest

from metadata import lom, xmlsafe
from metadata.errors import DecodeError, EncodeError, NotWellFormedError, UnknownFormatError
from metadata.lom import (
    Annotation,
    Contribution,
    Identifier,
    KeywordClassification,
    LangString,
    Relation,
    Requirement,
    Taxon,
    TaxonPath,
    Vocab,
)

RECORD = b"""<?xml version="1.0" encoding="UTF-8"?>
<lom xmlns="http://ltsc.ieee.org/xsd/LOM" xmlns:ext="urn:example:extension">
  <general>
    <identifier><catalog>URI</catalog><entry> http://example.org/r/1 </entry></identifier>
    <identifier><catalog>ISBN</catalog><entry>   </entry></identifier>
    <identifier><entry>local-7</entry></identifier>
    <title>
      <string language="en">  Photosynthesis
      </string>
      <string language="fr">Photosynth\xc3\xa8se</string>
      <string language="de"></string>
    </title>
    <language>en</language>
    <language> </language>
    <language>fr</language>
    <description><string>How plants eat light.</string></description>
    <keyword><string language="en">plants</string></keyword>
    <keyword><string language="en">light</string><string language="fr">lumi\xc3\xa8re</string></keyword>
    <coverage><string language=" ">Europe</string></coverage>
    <structure><source>LOMv1.0</source><value>atomic</value></structure>
    <aggregationLevel><source>LOMv1.0</source><value>1</value></aggregationLevel>
  </general>
  <lifeCycle>
    <version><string language="en">2nd edition</string></version>
    <status><source>LOMv1.0</source><value>final</value></status>
    <contribute>
      <role><source>LOMv1.0</source><value>author</value></role>
      <entity>BEGIN:VCARD
VERSION:3.0
FN:Ada Lovelace
END:VCARD</entity>
      <entity>BEGIN:VCARD\nFN:Charles Babbage\nEND:VCARD</entity>
      <date><dateTime>2020-03-01</dateTime></date>
    </contribute>
    <contribute>
      <role><value>publisher</value></role>
      <entity>BEGIN:VCARD\nFN:OER Press\nEND:VCARD</entity>
    </contribute>
    <contribute>
      <date><dateTime>2021-05-02T10:00:00Z</dateTime><description><string>x</string></description></date>
    </contribute>
  </lifeCycle>
  <metaMetadata>
    <identifier><catalog>lectern</catalog><entry>rec-1</entry></identifier>
    <contribute>
      <role><source>LOMv1.0</source><value>creator</value></role>
      <entity>BEGIN:VCARD\nFN:Cataloguer\nEND:VCARD</entity>
      <date><dateTime>2022-01-01</dateTime></date>
    </contribute>
    <metadataSchema>LOMv1.0</metadataSchema>
    <language>en</language>
  </metaMetadata>
  <technical>
    <format>text/html</format>
    <format>  </format>
    <format>application/pdf</format>
    <size> 1024 </size>
    <location>http://example.org/r/1.html</location>
    <requirement>
      <orComposite>
        <type><source>LOMv1.0</source><value>browser</value></type>
        <name><source>LOMv1.0</source><value>any</value></name>
        <minimumVersion>9</minimumVersion>
      </orComposite>
    </requirement>
    <installationRemarks><string language="en">Unzip it.</string></installationRemarks>
    <otherPlatformRequirements><string language="en">Speakers.</string></otherPlatformRequirements>
    <duration><duration>PT5M</duration></duration>
    <ext:checksum>abc</ext:checksum>
  </technical>
  <educational>
    <interactivityType><source>LOMv1.0</source><value>active</value></interactivityType>
    <learningResourceType><source>LOMv1.0</source><value>exercise</value></learningResourceType>
    <learningResourceType><source>LOMv1.0</source><value>simulation</value></learningResourceType>
    <interactivityLevel><source>LOMv1.0</source><value>high</value></interactivityLevel>
    <semanticDensity><source>LOMv1.0</source><value>medium</value></semanticDensity>
    <intendedEndUserRole><source>LOMv1.0</source><value>learner</value></intendedEndUserRole>
    <context><source>LOMv1.0</source><value>school</value></context>
    <typicalAgeRange><string language="en">10-12</string></typicalAgeRange>
    <difficulty><source>LOMv1.0</source><value>easy</value></difficulty>
    <typicalLearningTime><duration>PT1H</duration></typicalLearningTime>
    <description><string language="en">Work in pairs.</string></description>
    <language>en</language>
  </educational>
  <educational>
    <learningResourceType><source>LOMv1.0</source><value>lecture</value></learningResourceType>
    <learningResourceType><source>LOMv1.0</source><value>   </value></learningResourceType>
    <intendedEndUserRole><source>LOMv1.0</source><value>teacher</value></intendedEndUserRole>
    <context><source>LOMv1.0</source><value>higher education</value></context>
    <typicalLearningTime><duration>PT2H</duration></typicalLearningTime>
    <language>fr</language>
  </educational>
  <rights>
    <cost><source>LOMv1.0</source><value>no</value></cost>
    <copyrightAndOtherRestrictions><source>LOMv1.0</source><value>yes</value></copyrightAndOtherRestrictions>
    <description>
      <string language="en">CC BY-SA 4.0 - https://creativecommons.org/licenses/by-sa/4.0/. See also (http://example.org/terms).</string>
      <string language="fr">https://creativecommons.org/licenses/by-sa/4.0/</string>
    </description>
  </rights>
  <relation>
    <kind><source>LOMv1.0</source><value>ispartof</value></kind>
    <resource>
      <identifier><catalog>URI</catalog><entry>http://example.org/course</entry></identifier>
      <description><string language="en">The course</string></description>
    </resource>
  </relation>
  <annotation>
    <entity>BEGIN:VCARD\nFN:Teacher\nEND:VCARD</entity>
    <date><dateTime>2023-02-03</dateTime></date>
    <description><string language="en">Worked well.</string></description>
  </annotation>
  <classification>
    <purpose><source>LOMv1.0</source><value>discipline</value></purpose>
    <taxonPath>
      <source><string language="en">Dewey</string></source>
      <taxon><id>500</id><entry><string language="en">Science</string></entry></taxon>
      <taxon><id>580</id><entry><string language="en">Plants</string></entry></taxon>
    </taxonPath>
    <description><string language="en">Biology</string></description>
    <keyword><string language="en">botany</string></keyword>
  </classification>
  <classification>
    <taxonPath><taxon><entry><string>Other</string></entry></taxon></taxonPath>
  </classification>
</lom>
"""


@pytest.fixture(scope="module")
def record():
    return xmlsafe.fromstring(RECORD)


@pytest.fixture(scope="module")
def empty():
    return xmlsafe.fromstring(b'<lom xmlns="http://ltsc.ieee.org/xsd/LOM"/>')


def test_titles_are_trimmed_langstrings_without_empty_ones(record):
    assert lom.titles(record) == (
        LangString("Photosynthesis", "en"),
        LangString("Photosynth\u00e8se", "fr"),
    )


def test_blank_language_attribute_reads_as_none(record):
    assert lom.coverages(record) == (LangString("Europe", None),)


def test_keywords_merge_every_keyword_element_in_order(record):
    assert [string.text for string in lom.keywords(record)] == ["plants", "light", "lumi\u00e8re"]


def test_languages_skip_blank_values(record):
    assert lom.languages(record) == ("en", "fr")


def test_identifiers_skip_entries_that_are_blank(record):
    assert lom.identifiers(record) == (
        Identifier("URI", "http://example.org/r/1"),
        Identifier(None, "local-7"),
    )


def test_single_vocabularies_read_source_and_value(record):
    assert lom.structure(record) == Vocab("LOMv1.0", "atomic")
    assert lom.aggregation_level(record) == Vocab("LOMv1.0", "1")
    assert lom.status(record) == Vocab("LOMv1.0", "final")


def test_contributors_list_life_cycle_then_meta_metadata(record):
    contributions = lom.contributors(record)
    assert [c.section for c in contributions] == ["lifeCycle"] * 3 + ["metaMetadata"]
    assert contributions[0] == Contribution(
        "lifeCycle",
        Vocab("LOMv1.0", "author"),
        ("BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nEND:VCARD", "BEGIN:VCARD\nFN:Charles Babbage\nEND:VCARD"),
        "2020-03-01",
    )


def test_contribution_without_role_or_source_keeps_what_is_there(record):
    publisher, undated = lom.contributors(record)[1:3]
    assert publisher.role == Vocab(None, "publisher") and publisher.date is None
    assert undated == Contribution("lifeCycle", None, (), "2021-05-02T10:00:00Z")


def test_lifecycle_dates_ignore_meta_metadata_dates(record):
    assert lom.lifecycle_dates(record) == ("2020-03-01", "2021-05-02T10:00:00Z")


def test_meta_metadata_values(record):
    assert lom.metadata_identifiers(record) == (Identifier("lectern", "rec-1"),)
    assert lom.metadata_schemas(record) == ("LOMv1.0",)
    assert lom.metadata_languages(record) == ("en",)


def test_technical_values(record):
    assert lom.formats(record) == ("text/html", "application/pdf")
    assert lom.size(record) == "1024"
    assert lom.locations(record) == ("http://example.org/r/1.html",)
    assert lom.durations(record) == ("PT5M",)
    assert lom.installation_remarks(record) == (LangString("Unzip it.", "en"),)
    assert lom.other_platform_requirements(record) == (LangString("Speakers.", "en"),)


def test_requirements_read_each_alternative(record):
    assert lom.requirements(record) == (
        Requirement(Vocab("LOMv1.0", "browser"), Vocab("LOMv1.0", "any"), "9", None),
    )


def test_educational_vocabularies_merge_every_educational_element(record):
    assert [v.value for v in lom.learning_resource_types(record)] == ["exercise", "simulation", "lecture"]
    assert [v.value for v in lom.intended_end_user_roles(record)] == ["learner", "teacher"]
    assert [v.value for v in lom.contexts(record)] == ["school", "higher education"]
    assert lom.interactivity_type(record) == (Vocab("LOMv1.0", "active"),)
    assert lom.interactivity_level(record) == (Vocab("LOMv1.0", "high"),)
    assert lom.semantic_density(record) == (Vocab("LOMv1.0", "medium"),)
    assert lom.difficulty(record) == (Vocab("LOMv1.0", "easy"),)


def test_educational_strings_and_durations(record):
    assert lom.typical_age_ranges(record) == (LangString("10-12", "en"),)
    assert lom.typical_learning_times(record) == ("PT1H", "PT2H")
    assert lom.educational_descriptions(record) == (LangString("Work in pairs.", "en"),)
    assert lom.educational_languages(record) == ("en", "fr")


def test_rights_values(record):
    assert lom.cost(record) == Vocab("LOMv1.0", "no")
    assert lom.copyright(record) == Vocab("LOMv1.0", "yes")
    assert len(lom.rights_descriptions(record)) == 2


def test_licence_urls_are_found_in_rights_prose_once_each_without_punctuation(record):
    assert lom.licence_urls(record) == (
        "https://creativecommons.org/licenses/by-sa/4.0/",
        "http://example.org/terms",
    )


def test_relations_carry_kind_identifiers_and_descriptions(record):
    assert lom.relations(record) == (
        Relation(
            Vocab("LOMv1.0", "ispartof"),
            (Identifier("URI", "http://example.org/course"),),
            (LangString("The course", "en"),),
        ),
    )


def test_annotations(record):
    assert lom.annotations(record) == (
        Annotation("BEGIN:VCARD\nFN:Teacher\nEND:VCARD", "2023-02-03", (LangString("Worked well.", "en"),)),
    )


def test_taxon_paths_carry_the_purpose_of_their_classification(record):
    dewey, other = lom.taxon_paths(record)
    assert dewey == TaxonPath(
        Vocab("LOMv1.0", "discipline"),
        (LangString("Dewey", "en"),),
        (Taxon("500", (LangString("Science", "en"),)), Taxon("580", (LangString("Plants", "en"),))),
    )
    assert other == TaxonPath(None, (), (Taxon(None, (LangString("Other", None),)),))


def test_keyword_classifications_pair_keywords_with_their_purpose(record):
    assert lom.keyword_classifications(record) == (
        KeywordClassification(Vocab("LOMv1.0", "discipline"), (LangString("botany", "en"),)),
        KeywordClassification(None, ()),
    )


def test_classification_strings(record):
    assert lom.classification_descriptions(record) == (LangString("Biology", "en"),)
    assert lom.classification_keywords(record) == (LangString("botany", "en"),)


def test_descriptions_and_version(record):
    assert lom.descriptions(record) == (LangString("How plants eat light.", None),)
    assert lom.version(record) == (LangString("2nd edition", "en"),)


@pytest.mark.parametrize(
    "accessor",
    [lom.titles, lom.languages, lom.identifiers, lom.contributors, lom.taxon_paths, lom.relations,
     lom.learning_resource_types, lom.licence_urls, lom.requirements],
    ids=lambda accessor: accessor.__name__,
)
def test_many_valued_accessors_return_empty_tuples_on_an_empty_record(empty, accessor):
    assert accessor(empty) == ()


@pytest.mark.parametrize(
    "accessor", [lom.structure, lom.status, lom.cost, lom.copyright, lom.size], ids=lambda a: a.__name__
)
def test_single_valued_accessors_return_none_on_an_empty_record(empty, accessor):
    assert accessor(empty) is None


def test_accessors_read_a_lom_element_embedded_in_a_manifest():
    manifest = xmlsafe.fromstring(
        b'<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"><metadata>'
        b'<lom xmlns="http://ltsc.ieee.org/xsd/LOM"><general><title><string>Inner</string></title>'
        b"</general></lom></metadata></manifest>"
    )
    embedded = manifest[0][0]
    assert lom.titles(embedded) == (LangString("Inner", None),)


MINIMAL = b"""<lom xmlns="http://ltsc.ieee.org/xsd/LOM" xmlns:x="urn:example:x">
  <!-- a comment -->
  <general uniqueElementName="general">
    <title><string language="en">T</string></title>
    <x:note a="1">kept</x:note>
  </general>
  <technical><size>42</size></technical>
</lom>"""


def test_read_lom_gives_jsonml_in_document_order():
    assert lom.read_lom(MINIMAL) == [
        "lom",
        {"xmlns": "http://ltsc.ieee.org/xsd/LOM", "xmlns:x": "urn:example:x"},
        ["general", ["title", ["string", {"language": "en"}, "T"]], ["x:note", {"a": "1"}, "kept"]],
        ["technical", ["size", 42]],
    ]


def test_read_lom_accepts_bytes_a_path_and_an_element(tmp_path):
    path = tmp_path / "record.xml"
    path.write_bytes(MINIMAL)
    assert lom.read_lom(path) == lom.read_lom(MINIMAL) == lom.read_lom(xmlsafe.fromstring(MINIMAL))


def test_read_lom_drops_the_uniqueness_marker_the_schema_supplies():
    general = lom.read_lom(MINIMAL)[2]
    assert not isinstance(general[1], dict)


def test_read_lom_rejects_an_invalid_record_saying_where():
    invalid = b'<lom xmlns="http://ltsc.ieee.org/xsd/LOM">\n<general><bogus/></general></lom>'
    with pytest.raises(DecodeError, match=r"/lom/general, line 2: .*bogus"):
        lom.read_lom(invalid)


def test_read_lom_points_legacy_records_to_normalisation():
    legacy = b'<lom xmlns="http://www.imsglobal.org/xsd/imsmd_v1p2"><general/></lom>'
    with pytest.raises(UnknownFormatError, match="legacy"):
        lom.read_lom(legacy)


def test_read_lom_reports_broken_xml_with_its_line():
    with pytest.raises(NotWellFormedError) as caught:
        lom.read_lom(b"<lom>\n<general></lom>")
    assert caught.value.line == 2


def test_write_lom_writes_a_self_contained_utf8_document_in_the_lom_namespace():
    written = lom.write_lom(["lom", ["general", ["title", ["string", {"language": "fr"}, "\u00e9t\u00e9"]]]])
    assert written.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<lom xmlns=\"http://ltsc.ieee.org/xsd/LOM\">")
    assert lom.titles(xmlsafe.fromstring(written)) == (LangString("\u00e9t\u00e9", "fr"),)


def test_write_lom_never_writes_the_uniqueness_marker():
    assert b"uniqueElementName" not in lom.write_lom(lom.read_lom(MINIMAL))


@pytest.mark.parametrize(
    "data, reason",
    [
        ({"general": {}}, "sequence"),
        (["lom", ["general", ["colour", "red"]]], "colour"),
        (["lom", ["technical", ["size", "big"]]], "big"),
    ],
    ids=["not-jsonml", "unknown-element", "bad-size"],
)
def test_write_lom_rejects_data_the_schema_does_not_allow(data, reason):
    with pytest.raises(EncodeError, match=reason):
        lom.write_lom(data)
