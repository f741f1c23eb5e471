"""Rules the corpus does not reach: mutations of a complete LOM record and small oai_dc records.

data/lom_complete.xml holds every LOM v1.0 data element and is valid in both flavours. Each
mutation changes one thing (a term outside LOMv1.0, a second copy of an element allowed once, an
element in the wrong place, an extension, a broken language tag, date or duration, ...). The
official schema's verdict on the result is pinned in the table, which documents the binding's rule
and notices a mutation that stops testing it; ours must give the same verdict, through libxml2 and
through xmlschema alike.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from metadata import schemas, xmlsafe
from metadata.namespaces import DC, LOM, OAI_DC, XML
from tests.support.standards import official_lom_schema, official_schema

FLAVOURS = ("strict", "loose")
COMPLETE_RECORD = Path(__file__).parent / "data" / "lom_complete.xml"
EXTENSION = "urn:example:lectern-test-extension"
NS = {"lom": LOM}


def complete_record() -> etree._Element:
    return xmlsafe.parse(COMPLETE_RECORD).getroot()


def find(root: etree._Element, xpath: str) -> etree._Element:
    found = root.xpath(xpath, namespaces=NS)
    if not found:
        raise LookupError(f"mutation target {xpath} is not in {COMPLETE_RECORD.name}")
    return found[0]


def fragment(xml: str) -> etree._Element:
    """One element written with LOM as default namespace and `ext:` for a foreign one."""
    wrapper = f'<wrapper xmlns="{LOM}" xmlns:ext="{EXTENSION}">{xml}</wrapper>'
    return xmlsafe.fromstring(wrapper.encode())[0]


def duplicate(target: etree._Element, _: Any) -> None:
    target.addnext(copy.deepcopy(target))


def remove(target: etree._Element, _: Any) -> None:
    target.getparent().remove(target)


def set_text(target: etree._Element, text: str) -> None:
    target.text = text


def set_attribute(target: etree._Element, name_and_value: tuple[str, str]) -> None:
    target.set(*name_and_value)


def append(target: etree._Element, xml: str) -> None:
    target.append(fragment(xml))


def move_into(target: etree._Element, destination: str) -> None:
    find(target.getroottree().getroot(), destination).append(target)


def move_to_end(target: etree._Element, _: Any) -> None:
    target.getparent().append(target)


def insert_after(target: etree._Element, xml: str) -> None:
    target.addnext(fragment(xml))


@dataclass(frozen=True)
class Mutation:
    """One change to the complete record, and the flavours whose official schema accepts the result."""

    name: str
    xpath: str
    change: Callable[[etree._Element, Any], None]
    argument: Any
    valid_in: tuple[str, ...]

    def apply(self) -> etree._Element:
        record = complete_record()
        self.change(find(record, self.xpath), self.argument)
        return record


G, LC, MM, T, E = "lom:general", "lom:lifeCycle", "lom:metaMetadata", "lom:technical", "lom:educational"
R, REL, A, C = "lom:rights", "lom:relation", "lom:annotation", "lom:classification"
NOTE = "<ext:note>teacher's note</ext:note>"
BOTH, LOOSE, NEITHER = FLAVOURS, ("loose",), ()
MUTATIONS = [
    # the root and the categories
    Mutation("general-twice", G, duplicate, None, NEITHER),
    Mutation("lifeCycle-twice", LC, duplicate, None, NEITHER),
    Mutation("metaMetadata-twice", MM, duplicate, None, NEITHER),
    Mutation("technical-twice", T, duplicate, None, NEITHER),
    Mutation("rights-twice", R, duplicate, None, NEITHER),
    Mutation("educational-repeated", E, duplicate, None, BOTH),
    Mutation("relation-repeated", REL, duplicate, None, BOTH),
    Mutation("annotation-repeated", A, duplicate, None, BOTH),
    Mutation("classification-repeated", C, duplicate, None, BOTH),
    Mutation("lom-inside-general", G, append, "<lom/>", NEITHER),
    Mutation("text-among-category-children", G, set_text, "stray text", NEITHER),
    # extension elements and attributes
    Mutation("extension-element-in-lom", ".", append, NOTE, LOOSE),
    Mutation("extension-element-in-general", G, append, NOTE, LOOSE),
    Mutation("extension-element-in-langstring", f"{G}/lom:title", append, NOTE, LOOSE),
    Mutation("extension-element-in-vocabulary", f"{G}/lom:structure", append, NOTE, LOOSE),
    Mutation("extension-element-in-date", f"{LC}/lom:contribute/lom:date", append, NOTE, LOOSE),
    Mutation("extension-element-in-taxon", f"{C}/lom:taxonPath/lom:taxon", append, NOTE, LOOSE),
    Mutation("extension-element-in-character-string", f"{G}/lom:identifier/lom:entry", append, NOTE, NEITHER),
    Mutation("extension-element-posing-as-title", G, append, '<ext:note uniqueElementName="title"/>', LOOSE),
    Mutation("lom-elements-inside-extension-are-skipped", G, append, "<ext:wrap><title/><title/></ext:wrap>", LOOSE),
    Mutation("lom-inside-extension-is-validated", G, append, "<ext:wrap><lom><rights/><rights/></lom></ext:wrap>", NEITHER),
    Mutation("extension-attribute", G, set_attribute, (f"{{{EXTENSION}}}flag", "1"), NEITHER),
    Mutation("xml-lang-on-string", f"{G}/lom:title/lom:string", set_attribute, (f"{{{XML}}}lang", "en"), NEITHER),
    Mutation("unknown-lom-element", G, append, "<subtitle/>", NEITHER),
    Mutation("element-without-namespace", G, append, '<title xmlns=""/>', NEITHER),
    # any order, each once: the two orders of every pair, extensions between, a second copy later on
    Mutation("vocabulary-value-before-source", f"{G}/lom:structure/lom:source", move_to_end, None, BOTH),
    Mutation("vocabulary-extension-between", f"{G}/lom:structure/lom:source", insert_after, NOTE, LOOSE),
    Mutation("vocabulary-source-after-value-again", f"{G}/lom:structure", append, "<source>LOMv1.0</source>", NEITHER),
    Mutation("dateTime-after-description", f"{LC}/lom:contribute/lom:date/lom:dateTime", move_to_end, None, BOTH),
    Mutation("dateTime-after-description-again", f"{LC}/lom:contribute/lom:date", append, "<dateTime>2019</dateTime>", NEITHER),
    Mutation("duration-after-description", f"{T}/lom:duration/lom:duration", move_to_end, None, BOTH),
    Mutation("duration-extension-between", f"{T}/lom:duration/lom:duration", insert_after, NOTE, LOOSE),
    Mutation("identifier-entry-before-catalog", f"{G}/lom:identifier/lom:catalog", move_to_end, None, BOTH),
    Mutation("identifier-catalog-again-after-entry", f"{G}/lom:identifier", append, "<catalog>ISBN</catalog>", NEITHER),
    Mutation("contribute-role-last", f"{LC}/lom:contribute/lom:role", move_to_end, None, BOTH),
    Mutation("contribute-entity-first", f"{LC}/lom:contribute/lom:entity", move_to_end, None, BOTH),
    Mutation("contribute-extension-among-entities", f"{LC}/lom:contribute/lom:entity", insert_after, NOTE, LOOSE),
    Mutation("contribute-role-again-after-date", f"{LC}/lom:contribute", append,
             "<role><value>editor</value></role>", NEITHER),
    Mutation("meta-metadata-contribute-date-first", f"{MM}/lom:contribute/lom:role", move_to_end, None, BOTH),
    Mutation("meta-metadata-contribute-date-again", f"{MM}/lom:contribute", append, "<date/>", NEITHER),
    Mutation("relation-resource-before-kind", f"{REL}/lom:kind", move_to_end, None, BOTH),
    Mutation("relation-kind-again-after-resource", f"{REL}", append, "<kind/>", NEITHER),
    Mutation("taxonPath-source-after-taxa", f"{C}/lom:taxonPath/lom:source", move_to_end, None, BOTH),
    Mutation("taxonPath-source-between-taxa", f"{C}/lom:taxonPath/lom:taxon", insert_after,
             "<source><string>second scheme</string></source>", NEITHER),
    Mutation("taxonPath-extension-between-taxa", f"{C}/lom:taxonPath/lom:taxon", insert_after, NOTE, LOOSE),
    Mutation("taxon-entry-before-id", f"{C}/lom:taxonPath/lom:taxon/lom:id", move_to_end, None, BOTH),
    Mutation("taxon-id-again-after-entry", f"{C}/lom:taxonPath/lom:taxon", append, "<id>X</id>", NEITHER),
    # the uniqueness marker spelled out
    Mutation("marker-spelled-out", f"{G}/lom:title", set_attribute, ("uniqueElementName", "title"), BOTH),
    Mutation("marker-with-another-value", f"{G}/lom:title", set_attribute, ("uniqueElementName", "name"), NEITHER),
    Mutation("marker-spelled-out-in-a-pair", f"{G}/lom:structure/lom:value", set_attribute,
             ("uniqueElementName", "value"), BOTH),
    Mutation("marker-of-the-other-in-a-pair", f"{G}/lom:structure/lom:value", set_attribute,
             ("uniqueElementName", "source"), NEITHER),
    # 1 General, LangString, Identifier
    Mutation("title-twice", f"{G}/lom:title", duplicate, None, NEITHER),
    Mutation("title-in-lifeCycle", f"{G}/lom:title", move_into, LC, NEITHER),
    Mutation("identifier-repeated", f"{G}/lom:identifier", duplicate, None, BOTH),
    Mutation("identifier-entry-twice", f"{G}/lom:identifier/lom:entry", duplicate, None, NEITHER),
    Mutation("identifier-catalog-twice", f"{G}/lom:identifier/lom:catalog", duplicate, None, NEITHER),
    Mutation("identifier-without-entry", f"{G}/lom:identifier/lom:entry", remove, None, BOTH),
    Mutation("language-none", f"{G}/lom:language", set_text, "none", BOTH),
    Mutation("language-not-a-tag", f"{G}/lom:language", set_text, "English (UK)", NEITHER),
    Mutation("string-language-empty", f"{G}/lom:title/lom:string", set_attribute, ("language", ""), NEITHER),
    Mutation("string-language-underscore", f"{G}/lom:title/lom:string", set_attribute, ("language", "en_GB"), NEITHER),
    Mutation("string-language-uri", f"{G}/lom:title/lom:string", set_attribute,
             ("language", "http://id.loc.gov/vocabulary/iso639-2/fre"), NEITHER),
    Mutation("string-unqualified-attribute", f"{G}/lom:title/lom:string", set_attribute, ("lang", "en"), NEITHER),
    Mutation("string-empty", f"{G}/lom:title/lom:string", set_text, "", BOTH),
    Mutation("langstring-empty", f"{G}/lom:keyword/lom:string", remove, None, BOTH),
    Mutation("string-with-child", f"{G}/lom:title/lom:string", append, "<string>nested</string>", NEITHER),
    # Vocabulary
    Mutation("structure-value-not-LOMv1.0", f"{G}/lom:structure/lom:value", set_text, "tree", LOOSE),
    Mutation("structure-value-capitalised", f"{G}/lom:structure/lom:value", set_text, "Hierarchical", LOOSE),
    Mutation("structure-value-padded", f"{G}/lom:structure/lom:value", set_text, "  hierarchical ", BOTH),
    Mutation("structure-source-unknown", f"{G}/lom:structure/lom:source", set_text, "LOMv2.0", LOOSE),
    Mutation("structure-source-empty", f"{G}/lom:structure/lom:source", set_text, "", LOOSE),
    Mutation("structure-source-twice", f"{G}/lom:structure/lom:source", duplicate, None, NEITHER),
    Mutation("structure-twice", f"{G}/lom:structure", duplicate, None, NEITHER),
    Mutation("aggregationLevel-value-twice", f"{G}/lom:aggregationLevel/lom:value", duplicate, None, NEITHER),
    Mutation("aggregationLevel-5", f"{G}/lom:aggregationLevel/lom:value", set_text, "5", LOOSE),
    Mutation("vocabulary-without-value", f"{G}/lom:aggregationLevel/lom:value", remove, None, BOTH),
    Mutation("vocabulary-value-with-child", f"{G}/lom:aggregationLevel/lom:value", append, NOTE, NEITHER),
    # 2 Life Cycle, DateTime
    Mutation("version-twice", f"{LC}/lom:version", duplicate, None, NEITHER),
    Mutation("status-twice", f"{LC}/lom:status", duplicate, None, NEITHER),
    Mutation("status-not-LOMv1.0", f"{LC}/lom:status/lom:value", set_text, "published", LOOSE),
    Mutation("contribute-repeated", f"{LC}/lom:contribute", duplicate, None, BOTH),
    Mutation("lifeCycle-role-from-meta-metadata", f"{LC}/lom:contribute/lom:role/lom:value", set_text, "creator", LOOSE),
    Mutation("role-twice", f"{LC}/lom:contribute/lom:role", duplicate, None, NEITHER),
    Mutation("entity-repeated", f"{LC}/lom:contribute/lom:entity", duplicate, None, BOTH),
    Mutation("date-twice", f"{LC}/lom:contribute/lom:date", duplicate, None, NEITHER),
    Mutation("dateTime-twice", f"{LC}/lom:contribute/lom:date/lom:dateTime", duplicate, None, NEITHER),
    Mutation("date-description-twice", f"{LC}/lom:contribute/lom:date/lom:description", duplicate, None, NEITHER),
    Mutation("date-without-dateTime", f"{LC}/lom:contribute/lom:date/lom:dateTime", remove, None, BOTH),
    Mutation("dateTime-month-13", f"{LC}/lom:contribute/lom:date/lom:dateTime", set_text, "2019-13-01", NEITHER),
    Mutation("dateTime-year-0", f"{LC}/lom:contribute/lom:date/lom:dateTime", set_text, "0000-01-01", NEITHER),
    Mutation("dateTime-not-iso", f"{LC}/lom:contribute/lom:date/lom:dateTime", set_text, "7 Jan 2019", NEITHER),
    # 3 Meta-Metadata
    Mutation("meta-metadata-role-from-life-cycle", f"{MM}/lom:contribute/lom:role/lom:value", set_text, "author", LOOSE),
    Mutation("meta-metadata-contribute-repeated", f"{MM}/lom:contribute", duplicate, None, BOTH),
    Mutation("meta-metadata-language-twice", f"{MM}/lom:language", duplicate, None, NEITHER),
    Mutation("meta-metadata-language-bad", f"{MM}/lom:language", set_text, "en-", NEITHER),
    Mutation("meta-metadata-identifier-entry-twice", f"{MM}/lom:identifier/lom:entry", duplicate, None, NEITHER),
    # 4 Technical, Duration
    Mutation("format-repeated", f"{T}/lom:format", duplicate, None, BOTH),
    Mutation("size-twice", f"{T}/lom:size", duplicate, None, NEITHER),
    Mutation("size-negative", f"{T}/lom:size", set_text, "-1", NEITHER),
    Mutation("size-with-unit", f"{T}/lom:size", set_text, "12 kB", NEITHER),
    Mutation("location-repeated", f"{T}/lom:location", duplicate, None, BOTH),
    Mutation("requirement-repeated", f"{T}/lom:requirement", duplicate, None, BOTH),
    Mutation("orComposite-type-not-LOMv1.0", f"{T}/lom:requirement/lom:orComposite/lom:type/lom:value", set_text, "os", LOOSE),
    Mutation("orComposite-name-not-LOMv1.0", f"{T}/lom:requirement/lom:orComposite/lom:name/lom:value", set_text, "linux", LOOSE),
    Mutation("orComposite-name-twice", f"{T}/lom:requirement/lom:orComposite/lom:name", duplicate, None, NEITHER),
    Mutation("minimumVersion-twice", f"{T}/lom:requirement/lom:orComposite/lom:minimumVersion", duplicate, None, NEITHER),
    Mutation("maximumVersion-twice", f"{T}/lom:requirement/lom:orComposite/lom:maximumVersion", duplicate, None, NEITHER),
    Mutation("installationRemarks-twice", f"{T}/lom:installationRemarks", duplicate, None, NEITHER),
    Mutation("otherPlatformRequirements-repeated", f"{T}/lom:otherPlatformRequirements", duplicate, None, BOTH),
    Mutation("technical-duration-twice", f"{T}/lom:duration", duplicate, None, NEITHER),
    Mutation("duration-value-twice", f"{T}/lom:duration/lom:duration", duplicate, None, NEITHER),
    Mutation("duration-description-twice", f"{T}/lom:duration/lom:description", duplicate, None, NEITHER),
    Mutation("duration-not-iso", f"{T}/lom:duration/lom:duration", set_text, "90 minutes", NEITHER),
    Mutation("duration-in-weeks", f"{T}/lom:duration/lom:duration", set_text, "P2W", NEITHER),
    Mutation("duration-fraction-of-second", f"{T}/lom:duration/lom:duration", set_text, "PT1.5S", BOTH),
    Mutation("duration-bare-period", f"{T}/lom:duration/lom:duration", set_text, "P", BOTH),
    Mutation("duration-padded", f"{T}/lom:duration/lom:duration", set_text, " PT1H", NEITHER),
    # 5 Educational
    Mutation("interactivityType-twice", f"{E}/lom:interactivityType", duplicate, None, NEITHER),
    Mutation("interactivityType-not-LOMv1.0", f"{E}/lom:interactivityType/lom:value", set_text, "passive", LOOSE),
    Mutation("learningResourceType-not-LOMv1.0", f"{E}/lom:learningResourceType/lom:value", set_text, "video", LOOSE),
    Mutation("learningResourceType-value-twice", f"{E}/lom:learningResourceType/lom:value", duplicate, None, NEITHER),
    Mutation("interactivityLevel-twice", f"{E}/lom:interactivityLevel", duplicate, None, NEITHER),
    Mutation("semanticDensity-not-LOMv1.0", f"{E}/lom:semanticDensity/lom:value", set_text, "dense", LOOSE),
    Mutation("semanticDensity-twice", f"{E}/lom:semanticDensity", duplicate, None, NEITHER),
    Mutation("intendedEndUserRole-repeated", f"{E}/lom:intendedEndUserRole", duplicate, None, BOTH),
    Mutation("intendedEndUserRole-not-LOMv1.0", f"{E}/lom:intendedEndUserRole/lom:value", set_text, "parent", LOOSE),
    Mutation("context-repeated", f"{E}/lom:context", duplicate, None, BOTH),
    Mutation("context-not-LOMv1.0", f"{E}/lom:context/lom:value", set_text, "university", LOOSE),
    Mutation("typicalAgeRange-repeated", f"{E}/lom:typicalAgeRange", duplicate, None, BOTH),
    Mutation("difficulty-twice", f"{E}/lom:difficulty", duplicate, None, NEITHER),
    Mutation("difficulty-not-LOMv1.0", f"{E}/lom:difficulty/lom:value", set_text, "hard", LOOSE),
    Mutation("typicalLearningTime-twice", f"{E}/lom:typicalLearningTime", duplicate, None, NEITHER),
    Mutation("typicalLearningTime-not-iso", f"{E}/lom:typicalLearningTime/lom:duration", set_text, "2 hours", NEITHER),
    Mutation("educational-description-repeated", f"{E}/lom:description", duplicate, None, BOTH),
    Mutation("educational-language-not-a-tag", f"{E}/lom:language", set_text, "en GB", NEITHER),
    # 6 Rights
    Mutation("cost-twice", f"{R}/lom:cost", duplicate, None, NEITHER),
    Mutation("cost-not-LOMv1.0", f"{R}/lom:cost/lom:value", set_text, "free", LOOSE),
    Mutation("copyright-twice", f"{R}/lom:copyrightAndOtherRestrictions", duplicate, None, NEITHER),
    Mutation("copyright-not-LOMv1.0", f"{R}/lom:copyrightAndOtherRestrictions/lom:value", set_text, "CC BY", LOOSE),
    Mutation("rights-description-twice", f"{R}/lom:description", duplicate, None, NEITHER),
    # 7 Relation
    Mutation("kind-twice", f"{REL}/lom:kind", duplicate, None, NEITHER),
    Mutation("kind-not-LOMv1.0", f"{REL}/lom:kind/lom:value", set_text, "contains", LOOSE),
    Mutation("resource-twice", f"{REL}/lom:resource", duplicate, None, NEITHER),
    Mutation("resource-identifier-repeated", f"{REL}/lom:resource/lom:identifier", duplicate, None, BOTH),
    Mutation("resource-description-repeated", f"{REL}/lom:resource/lom:description", duplicate, None, BOTH),
    # 8 Annotation
    Mutation("annotation-entity-twice", f"{A}/lom:entity", duplicate, None, NEITHER),
    Mutation("annotation-date-twice", f"{A}/lom:date", duplicate, None, NEITHER),
    Mutation("annotation-description-twice", f"{A}/lom:description", duplicate, None, NEITHER),
    Mutation("annotation-dateTime-not-iso", f"{A}/lom:date/lom:dateTime", set_text, "yesterday", NEITHER),
    # 9 Classification
    Mutation("purpose-twice", f"{C}/lom:purpose", duplicate, None, NEITHER),
    Mutation("purpose-not-LOMv1.0", f"{C}/lom:purpose/lom:value", set_text, "subject", LOOSE),
    Mutation("taxonPath-repeated", f"{C}/lom:taxonPath", duplicate, None, BOTH),
    Mutation("taxonPath-source-twice", f"{C}/lom:taxonPath/lom:source", duplicate, None, NEITHER),
    Mutation("taxon-id-twice", f"{C}/lom:taxonPath/lom:taxon/lom:id", duplicate, None, NEITHER),
    Mutation("taxon-entry-twice", f"{C}/lom:taxonPath/lom:taxon/lom:entry", duplicate, None, NEITHER),
    Mutation("taxon-entry-as-plain-text", f"{C}/lom:taxonPath/lom:taxon/lom:entry/lom:string", remove, None, BOTH),
    Mutation("classification-description-twice", f"{C}/lom:description", duplicate, None, NEITHER),
    Mutation("classification-keyword-repeated", f"{C}/lom:keyword", duplicate, None, BOTH),
]
CASES = [pytest.param(mutation, flavour, id=f"{flavour}-{mutation.name}") for mutation in MUTATIONS for flavour in FLAVOURS]


def test_complete_record_is_valid_in_both_flavours_of_both_schemas() -> None:
    record = complete_record()
    for flavour in FLAVOURS:
        assert official_lom_schema(flavour).validate(record), flavour
        assert schemas.lxml_schema(f"lom-{flavour}").validate(record), flavour


@pytest.mark.parametrize("mutation,flavour", CASES)
def test_official_schema_gives_the_documented_verdict_on_mutation(mutation: Mutation, flavour: str) -> None:
    """Pins what each mutation means, so a mutation that stops testing its rule is noticed."""
    official = official_lom_schema(flavour)
    assert official.validate(mutation.apply()) == (flavour in mutation.valid_in), official.error_log.last_error


@pytest.mark.parametrize("mutation,flavour", CASES)
def test_our_lom_schema_gives_the_official_verdict_on_mutation(mutation: Mutation, flavour: str) -> None:
    record = mutation.apply()
    official, ours = official_lom_schema(flavour), schemas.lxml_schema(f"lom-{flavour}")
    assert ours.validate(record) == official.validate(record), (official.error_log.last_error, ours.error_log.last_error)


@pytest.mark.parametrize("mutation,flavour", CASES)
def test_xmlschema_and_libxml2_agree_on_our_lom_schema_for_mutation(mutation: Mutation, flavour: str) -> None:
    record = mutation.apply()
    ours = schemas.lxml_schema(f"lom-{flavour}")
    assert schemas.xsd(f"lom-{flavour}").is_valid(record) == ours.validate(record), ours.error_log.last_error


# --- Dublin Core ---------------------------------------------------------------------------------

def oai_dc(content: str, attributes: str = "") -> etree._Element:
    return xmlsafe.fromstring(
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC}" xmlns:dc="{DC}" xmlns:ext="{EXTENSION}" {attributes}>'
        f"{content}</oai_dc:dc>".encode()
    )


FIFTEEN = ("rights", "coverage", "relation", "language", "source", "identifier", "format", "type", "date",
           "contributor", "publisher", "description", "subject", "creator", "title")
DC_CASES = [  # name, the record, whether the official oai_dc.xsd accepts it
    ("empty", oai_dc(""), True),
    ("all-fifteen-twice-in-any-order",
     oai_dc("".join(f"<dc:{n}>x</dc:{n}><dc:{n} xml:lang='en'>y</dc:{n}>" for n in FIFTEEN)), True),
    ("empty-element", oai_dc("<dc:title/>"), True),
    ("language-tag-with-region", oai_dc("<dc:title xml:lang='pt-BR'>x</dc:title>"), True),
    ("empty-language-tag", oai_dc("<dc:title xml:lang=''>x</dc:title>"), False),
    ("bad-language-tag", oai_dc("<dc:title xml:lang='english language'>x</dc:title>"), False),
    ("other-xml-attribute", oai_dc("<dc:title xml:space='preserve'>x</dc:title>"), False),
    ("unqualified-attribute", oai_dc("<dc:title lang='en'>x</dc:title>"), False),
    ("foreign-attribute", oai_dc("<dc:title ext:scheme='x'>x</dc:title>"), False),
    ("unknown-dc-element", oai_dc("<dc:abstract>x</dc:abstract>"), False),
    ("foreign-element", oai_dc("<ext:abstract>x</ext:abstract>"), False),
    ("element-inside-element", oai_dc("<dc:title><dc:title>x</dc:title></dc:title>"), False),
    ("text-in-container", oai_dc("loose text<dc:title>x</dc:title>"), False),
    ("attribute-on-container", oai_dc("<dc:title>x</dc:title>", "xml:lang='en'"), False),
]
DC_PARAMS = [pytest.param(record, valid, id=name) for name, record, valid in DC_CASES]


@pytest.mark.parametrize("record,valid", DC_PARAMS)
def test_official_oai_dc_schema_gives_the_documented_verdict(record: etree._Element, valid: bool) -> None:
    assert official_schema("oai-pmh/oai_dc.xsd").validate(record) == valid


@pytest.mark.parametrize("record,valid", DC_PARAMS)
def test_our_oai_dc_schema_gives_the_official_verdict(record: etree._Element, valid: bool) -> None:
    assert schemas.lxml_schema("oai_dc").validate(record) == official_schema("oai-pmh/oai_dc.xsd").validate(record)


@pytest.mark.parametrize("record,valid", DC_PARAMS)
def test_our_simple_dc_schema_gives_the_official_verdict_on_each_element(record: etree._Element, valid: bool) -> None:
    official, ours = official_schema("dc/simpledc20021212.xsd"), schemas.lxml_schema("dc")
    for element in record:
        assert ours.validate(element) == official.validate(element), element.tag


@pytest.mark.parametrize("record,valid", DC_PARAMS)
def test_xmlschema_and_libxml2_agree_on_our_dc_schemas(record: etree._Element, valid: bool) -> None:
    assert schemas.xsd("oai_dc").is_valid(record) == schemas.lxml_schema("oai_dc").validate(record)
    for element in record:
        assert schemas.xsd("dc").is_valid(element) == schemas.lxml_schema("dc").validate(element), element.tag
