"""LOM → DC and DC → LOM with `metadata.crosswalk`, on small records and across the corpus."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from metadata import samples, schemas, xmlsafe
from metadata.crosswalk import DC_TO_LOM, LOM_TO_DC, dc_to_lom, lom_to_dc, render_oai_dc
from metadata.dc import ELEMENTS, DCRecord, DCValue, language_tag, read_dc, write_oai_dc
from metadata.errors import EncodeError
from metadata.namespaces import LOM, OAI_DC, clark
from tests.conftest import CORPUS
from tests.support.lom_corpus import corpus_files, name, records_in
from tests.support.standards import official_lom_schema, official_schema

LOM_ROOT = clark(LOM, "lom")
NS = {"lom": LOM}
RUSTICI = CORPUS / "lom" / "rustici-scorm-samples"
APISCOL = CORPUS / "lom" / "apiscol-scolomfr"


def _lom(body: str) -> etree._Element:
    return xmlsafe.fromstring(f'<lom xmlns="{LOM}">{body}</lom>'.encode())


def _vcard(name: str) -> str:
    return f"BEGIN:VCARD\nVERSION:3.0\nFN:{name}\nEND:VCARD"


def _contribute(role: str | None, *entities: str, date: str | None = None) -> str:
    role_xml = f"<role><source>LOMv1.0</source><value>{role}</value></role>" if role else ""
    entity_xml = "".join(f"<entity>{_vcard(entity)}</entity>" for entity in entities)
    date_xml = f"<date><dateTime>{date}</dateTime></date>" if date else ""
    return f"<contribute>{role_xml}{entity_xml}{date_xml}</contribute>"


def _loose_valid_loms(path: Path) -> list[etree._Element]:
    loose = schemas.lxml_schema("lom-loose")
    return [record for record in records_in(path, lambda e: e.tag == LOM_ROOT) if loose.validate(record)]


def _oai_dc_records(path: Path) -> list[etree._Element]:
    return records_in(path, lambda element: element.tag == clark(OAI_DC, "dc"))


def _corpus_record(path: Path, title: str) -> etree._Element:
    """The LOM record of `path` whose first title is `title`."""
    records = records_in(path, lambda element: element.tag == LOM_ROOT)
    found = [record for record in records if lom_to_dc(record).title[0].text == title]
    assert len(found) == 1, f"{len(found)} records titled {title!r} in {path.name}"
    return found[0]


def _assert_valid(schema: etree.XMLSchema, document: etree._Element) -> None:
    assert schema.validate(document), schema.error_log.last_error


LOM_FILES = [path for path in corpus_files() if _loose_valid_loms(path)]
DC_FILES = [path for path in corpus_files() if _oai_dc_records(path)]


# --- the tables ---------------------------------------------------------------------------------


def test_lom_to_dc_has_one_row_per_dc_element_in_dcmes_order():
    assert tuple(row.element for row in LOM_TO_DC) == ELEMENTS


def test_dc_to_lom_places_every_dc_element_exactly_once():
    placed = [element for row in DC_TO_LOM for element in row.elements]
    assert sorted(placed) == sorted(ELEMENTS)


# --- LOM → DC on the corpus ---------------------------------------------------------------------


@pytest.mark.parametrize("path", LOM_FILES, ids=name)
def test_corpus_lom_renders_oai_dc_valid_under_the_official_schema(path: Path) -> None:
    official = official_schema("oai-pmh/oai_dc.xsd")
    for index, record in enumerate(_loose_valid_loms(path)):
        rendered = render_oai_dc(record)
        document = xmlsafe.fromstring(rendered)
        assert official.validate(document), f"record #{index + 1}: {official.error_log.last_error}"
        assert read_dc(rendered) == lom_to_dc(record), f"record #{index + 1} reads back differently"


@pytest.mark.parametrize("path", LOM_FILES, ids=name)
def test_corpus_lom_renders_the_bytes_write_oai_dc_writes_of_lom_to_dc(path: Path) -> None:
    for index, record in enumerate(_loose_valid_loms(path)):
        assert render_oai_dc(record) == write_oai_dc(lom_to_dc(record)), f"record #{index + 1}"


def test_generated_lom_renders_the_bytes_write_oai_dc_writes_of_lom_to_dc():
    for index, data in enumerate(samples.generate_records(200, seed=5)):
        record = xmlsafe.fromstring(data)
        assert render_oai_dc(record) == write_oai_dc(lom_to_dc(record)), f"sample #{index}"


def test_corpus_offers_loose_valid_lom_records_to_crosswalk():
    assert sum(len(_loose_valid_loms(path)) for path in LOM_FILES) >= 110


def test_rustici_course_record_maps_field_by_field():
    path = RUSTICI / "scorm2004__ContentPackagingMetadata_SCORM20043rdEdition__metadata_course.xml"
    record = lom_to_dc(xmlsafe.parse(path).getroot())
    description = (
        "A high level overview of the sport of golf. This course describes how\n        to play golf, "
        "how to use a golf handicap, the etiquette of golfing and how to have fun while\n        playing."
    )
    assert record == DCRecord(
        title=(DCValue("Golf Explained", "en-US"), DCValue("Explicó Golf", "es")),
        # the classification's keywords ('metadata', 'SCORM 2004') serve an educational objective
        subject=tuple(DCValue(word, "en-US") for word in ("golf", "golf etiquette", "golf handicap")),
        description=(DCValue(description, "en-US"),),
        publisher=(DCValue("Mike Rustici"),),
        contributor=(DCValue("Wikipedia"),),  # content provider, known only by ORG
        date=(DCValue("2009-01-23"),),  # the publisher's, not the content provider's 2009-01-12
        type=(DCValue("narrative text"), DCValue("self assessment")),
        format=tuple(
            DCValue(mime)
            for mime in ("text/html", "image/jpeg", "application/x-javascript", "image/png", "text/css")
        ),
        identifier=(
            DCValue("com.scorm.golfsamples.contentpackaging.metadata.20043rd"),
            DCValue("http://www.scorm.com"),
        ),
        source=(DCValue("com.scorm.golfsamples.contentpackaging.singlesco.20043rd"),),
        language=(DCValue("en"),),
        coverage=(
            DCValue(
                "Current time. Applicable to the entire world, but focused on the US\n        and UK.", "en-US"
            ),
        ),
        rights=(
            DCValue(
                "This content may be freely distributed subject to the Creative Commons Attribution 3.0\n"
                "        United States License."
            ),
        ),
    )


def test_scolomfr_record_takes_subjects_from_keywords_and_idea_taxa_only():
    record = lom_to_dc(xmlsafe.parse(APISCOL / "data__bnf-159803.xml").getroot())
    assert record.subject == tuple(
        DCValue(text, "fre")
        for text in (
            "liseuse",
            "tablette numérique",
            "ardoise électronique",
            "bibliothèque virtuelle",
            "édition électronique",
            "lecture",
        )
    )
    assert DCValue("enseignement secondaire", "fre") not in record.subject  # educational level


def test_scolomfr_record_maps_people_dates_type_and_rights():
    record = lom_to_dc(xmlsafe.parse(APISCOL / "data__bnf-159803.xml").getroot())
    assert record.creator == (DCValue("BNF"),)
    assert record.publisher == (DCValue("Bibliothèque nationale de France"),)  # ORG only
    assert record.contributor == (DCValue("Validé par institution hors éducation nationale"),)
    assert record.date == (DCValue("2012-04-04"),)  # the publisher's; the author's is 2011-09-13
    assert record.type == (DCValue("animation"),)  # LOMFRv1.0 vocabulary, kept as it is
    assert record.identifier == (DCValue("http://labo.bnf.fr/"),)  # identifier and location agree
    assert record.language == (DCValue("fre"),)
    assert record.rights == (
        DCValue("Use of this resource is free of charge.", "en"),
        DCValue("Copyright or other restrictions apply.", "en"),
    )


def test_scolomfr_record_uses_dewey_codes_of_taxa_without_entries_and_keeps_relations():
    record = lom_to_dc(xmlsafe.parse(APISCOL / "data__darwin-161986.xml").getroot())
    assert record.subject == (
        DCValue("SVT (sciences de la vie et de la Terre)", "fre"),
        DCValue("darwinisme", "fre"),
        DCValue("évolution des espèces", "fre"),
        DCValue("373.236"),
        DCValue("373.238"),
        DCValue("576.8"),
    )
    assert record.relation == (
        DCValue("http://www.evolution-of-life.com/fr/"),
        DCValue("http://www.evolution-of-life.com/fr/enseigner.html"),
    )
    assert record.publisher == (DCValue("CNDP"),)
    assert record.format == (DCValue("text/html"), DCValue("application/pdf"))


def test_manifest_record_maps_licence_url_and_non_lom_roles():
    manifest = APISCOL / "data__sol_aqueuse_demo__imsmanifest.xml"
    record = lom_to_dc(_corpus_record(manifest, "Les solutions aqueuses (démo)"))
    assert record.title == (DCValue("Les solutions aqueuses (démo)", "fre"),)
    assert record.creator == ()
    assert record.contributor == (DCValue("Philippe MOREAU"),)  # role 'auteur' is not LOMv1.0 'author'
    assert record.identifier == ()  # the record's identifier and location are empty
    assert record.type == (DCValue("scénario pédagogique"),)
    assert record.subject[:3] == tuple(DCValue(word, "fr") for word in ("solution aqueuse", "ions", "cation"))
    assert record.rights[1:] == (DCValue("http://creativecommons.org/licenses/by-nc-sa/3.0/fr/"),)
    assert record.rights[0].language == "fr"
    assert record.rights[0].text.startswith("Licence Creative Commons BY-NC-SA :")


def test_manifest_asset_record_maps_location_and_format():
    path = RUSTICI / "scorm2004__ContentPackagingMetadata_SCORM20043rdEdition__imsmanifest.xml"
    asset = _loose_valid_loms(path)[2]
    assert lom_to_dc(asset) == DCRecord(
        description=(
            DCValue("A picture of the club house at Elmridge Golf Course in Pawcatuck, CT.", "en-US"),
        ),
        format=(DCValue("image/jpeg"),),
        identifier=(DCValue("http://www.elmridgegolf.com/photogallery.php"),),
    )


# --- LOM → DC rules on small records ------------------------------------------------------------


def test_roles_decide_creator_publisher_and_contributor_and_meta_metadata_is_left_out():
    record = lom_to_dc(_lom(
        "<lifeCycle>"
        + _contribute("author", "Ada Lovelace", "Charles Babbage")
        + _contribute("Publisher ", "OER Press")
        + _contribute("editor", "Mary Shelley")
        + _contribute(None, "Nobody Known")
        + "</lifeCycle><metaMetadata>" + _contribute("creator", "Cataloguer") + "</metaMetadata>"
    ))
    assert record.creator == (DCValue("Ada Lovelace"), DCValue("Charles Babbage"))
    assert record.publisher == (DCValue("OER Press"),)
    assert record.contributor == (DCValue("Mary Shelley"), DCValue("Nobody Known"))


def test_date_is_the_publishers_when_there_is_one():
    record = lom_to_dc(_lom(
        "<lifeCycle>" + _contribute("author", "A", date="2001-01-01")
        + _contribute("publisher", "P", date="2002-02-02") + "</lifeCycle>"
    ))
    assert record.date == (DCValue("2002-02-02"),)


def test_date_falls_back_to_every_life_cycle_date_but_not_meta_metadata_ones():
    record = lom_to_dc(_lom(
        "<lifeCycle>" + _contribute("author", "A", date="2001-01-01")
        + _contribute("editor", "E", date="2003-03-03") + "</lifeCycle>"
        + "<metaMetadata>" + _contribute("creator", "C", date="2009-09-09") + "</metaMetadata>"
    ))
    assert record.date == (DCValue("2001-01-01"), DCValue("2003-03-03"))


def test_subjects_come_from_discipline_and_idea_classifications_only():
    record = lom_to_dc(_lom(
        '<general><keyword><string language="en">plants</string></keyword></general>'
        "<classification><purpose><source>LOMv1.0</source><value>discipline</value></purpose>"
        '<taxonPath><taxon><id>B</id><entry><string language="en">Biology</string></entry></taxon>'
        '<taxon><id>B.1</id><entry><string language="en">Botany</string></entry></taxon></taxonPath>'
        '<keyword><string language="en">photosynthesis</string></keyword></classification>'
        "<classification><purpose><source>LOMv1.0</source><value>idea</value></purpose>"
        '<keyword><string language="en">light</string></keyword></classification>'
        "<classification><purpose><source>LOMv1.0</source><value>educational level</value></purpose>"
        '<taxonPath><taxon><entry><string language="en">Year 7</string></entry></taxon></taxonPath>'
        '<keyword><string language="en">secondary</string></keyword></classification>'
    ))
    assert record.subject == tuple(
        DCValue(text, "en") for text in ("plants", "Biology", "Botany", "photosynthesis", "light")
    )


def test_identifiers_are_entries_then_locations_without_repeats():
    record = lom_to_dc(_lom(
        "<general><identifier><catalog>ISBN</catalog><entry>978-0-00-000000-0</entry></identifier>"
        "<identifier><catalog>URI</catalog><entry>http://example.org/r/1</entry></identifier></general>"
        "<technical><location>http://example.org/r/1</location>"
        "<location>http://mirror.example.org/r/1</location></technical>"
        "<metaMetadata><identifier><catalog>URI</catalog><entry>urn:record:1</entry></identifier>"
        "</metaMetadata>"
    ))
    assert record.identifier == (
        DCValue("978-0-00-000000-0"),
        DCValue("http://example.org/r/1"),
        DCValue("http://mirror.example.org/r/1"),
    )


def test_language_none_is_not_a_dc_language():
    record = lom_to_dc(_lom("<general><language>none</language><language>fr</language></general>"))
    assert record.language == (DCValue("fr"),)


def test_rights_are_the_description_and_its_licence_url_when_described():
    record = lom_to_dc(_lom(
        "<rights><cost><source>LOMv1.0</source><value>no</value></cost>"
        "<copyrightAndOtherRestrictions><source>LOMv1.0</source><value>yes</value>"
        "</copyrightAndOtherRestrictions><description>"
        '<string language="en">CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).</string>'
        "</description></rights>"
    ))
    assert record.rights == (
        DCValue("CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).", "en"),
        DCValue("https://creativecommons.org/licenses/by/4.0/"),
    )


def test_rights_without_description_state_cost_and_copyright():
    record = lom_to_dc(_lom(
        "<rights><cost><source>LOMv1.0</source><value>yes</value></cost>"
        "<copyrightAndOtherRestrictions><source>LOMv1.0</source><value>no</value>"
        "</copyrightAndOtherRestrictions>"
        "</rights>"
    ))
    assert record.rights == (
        DCValue("Use of this resource requires payment.", "en"),
        DCValue("No copyright or other restrictions apply.", "en"),
    )


def test_isbasedon_relations_are_sources_and_the_others_relations():
    record = lom_to_dc(_lom(
        "<relation><kind><source>LOMv1.0</source><value>isBasedOn</value></kind><resource>"
        "<identifier><catalog>URI</catalog><entry>http://example.org/original</entry></identifier>"
        '<description><string language="en">The original</string></description></resource></relation>'
        "<relation><kind><source>LOMv1.0</source><value>ispartof</value></kind><resource>"
        '<description><string language="en">The course it belongs to</string></description>'
        "</resource></relation>"
        "<relation><resource><identifier><entry>urn:x:3</entry></identifier></resource></relation>"
    ))
    assert record.source == (DCValue("http://example.org/original"),)
    assert record.relation == (DCValue("The course it belongs to", "en"), DCValue("urn:x:3"))


def test_languages_of_strings_become_xml_lang_and_loc_uris_become_tags():
    record = lom_to_dc(_lom(
        '<general><title><string language="en-GB">Plants</string>'
        '<string language="http://id.loc.gov/vocabulary/iso639-2/fre">Plantes</string>'
        '<string language="not a tag">Pflanzen</string><string>Plantae</string></title></general>'
    ))
    assert record.title == (
        DCValue("Plants", "en-GB"), DCValue("Plantes", "fre"), DCValue("Pflanzen"), DCValue("Plantae")
    )
    rendered = render_oai_dc(_lom(
        '<general><title><string language="http://id.loc.gov/vocabulary/iso639-2/fre">Plantes</string>'
        "</title></general>"
    ))
    assert b'<dc:title xml:lang="fre">Plantes</dc:title>' in rendered


def test_identical_values_appear_once_but_the_same_text_in_two_languages_twice():
    record = lom_to_dc(_lom(
        '<general><keyword><string language="en">golf</string></keyword>'
        '<keyword><string language="en">golf</string></keyword>'
        '<keyword><string language="fr">golf</string></keyword>'
        "<keyword><string>golf</string></keyword></general>"
    ))
    assert record.subject == (DCValue("golf", "en"), DCValue("golf", "fr"), DCValue("golf"))


def test_empty_lom_gives_an_empty_record_and_a_valid_empty_oai_dc():
    assert lom_to_dc(_lom("")) == DCRecord()
    _assert_valid(official_schema("oai-pmh/oai_dc.xsd"), xmlsafe.fromstring(render_oai_dc(_lom(""))))


# --- DC → LOM -----------------------------------------------------------------------------------


def _rich_dc() -> DCRecord:
    return DCRecord(
        title=(DCValue("Plants", "en"), DCValue("Plantes", "fr")),
        creator=(DCValue("Lovelace, Ada"), DCValue("Charles Babbage")),
        subject=(DCValue("botany", "en"),),
        description=(DCValue("How plants eat light.", "en"), DCValue("Second description")),
        publisher=(DCValue("OER Press"),),
        contributor=(DCValue("Mary Shelley"),),
        date=(DCValue("2002-02-08"), DCValue("2019-01-07T08:00:00Z"), DCValue("circa 1860", "en")),
        type=(DCValue("Exercise"), DCValue("Text")),
        format=(DCValue("text/html"), DCValue("1 map : col.")),
        identifier=(DCValue("http://example.org/r/1"), DCValue("oai:example.org:1"), DCValue("ISBN 0-00")),
        source=(DCValue("http://example.org/original"), DCValue("A printed atlas, 1900")),
        language=(
            DCValue("en"), DCValue("English (US)"), DCValue("http://id.loc.gov/vocabulary/iso639-2/fre")
        ),
        relation=(DCValue("urn:isbn:0000000000"),),
        coverage=(DCValue("Europe", "en"),),
        rights=(DCValue("CC BY 4.0", "en"), DCValue("https://creativecommons.org/licenses/by/4.0/")),
    )


@pytest.mark.parametrize(
    "schema",
    [
        lambda: schemas.lxml_schema("lom-loose"),
        lambda: schemas.lxml_schema("lom-strict"),
        lambda: official_lom_schema("loose"),
        lambda: official_lom_schema("strict"),
    ],
    ids=["ours-loose", "ours-strict", "official-loose", "official-strict"],
)
def test_dc_to_lom_of_a_rich_record_is_valid_under_both_flavours_of_both_bindings(schema):
    _assert_valid(schema(), dc_to_lom(_rich_dc()))


def _texts(record: etree._Element, path: str) -> list[str]:
    return [element.text for element in record.xpath(path, namespaces=NS)]


def test_dc_to_lom_puts_identifiers_in_general_and_web_addresses_in_technical():
    record = dc_to_lom(_rich_dc())
    assert _texts(record, "lom:general/lom:identifier/lom:entry") == [
        "http://example.org/r/1", "oai:example.org:1", "ISBN 0-00",
    ]
    assert _texts(record, "lom:general/lom:identifier/lom:catalog") == ["URI", "URI"]
    assert _texts(record, "lom:technical/lom:location") == ["http://example.org/r/1"]


def test_dc_to_lom_makes_one_title_with_a_string_per_dc_title():
    record = dc_to_lom(_rich_dc())
    assert _texts(record, "lom:general/lom:title/lom:string") == ["Plants", "Plantes"]
    assert record.xpath("lom:general/lom:title/lom:string/@language", namespaces=NS) == ["en", "fr"]


def test_dc_to_lom_keeps_language_tags_only():
    assert _texts(dc_to_lom(_rich_dc()), "lom:general/lom:language") == ["en", "fre"]


def test_dc_to_lom_maps_lomv1_types_and_keeps_other_types_as_keywords():
    record = dc_to_lom(_rich_dc())
    assert _texts(record, "lom:educational/lom:learningResourceType/lom:value") == ["exercise"]
    assert _texts(record, "lom:general/lom:keyword/lom:string") == ["botany", "Text"]


def test_dc_to_lom_gives_people_lomv1_roles_and_vcards():
    record = dc_to_lom(_rich_dc())
    roles = _texts(record, "lom:lifeCycle/lom:contribute/lom:role/lom:value")
    assert roles == ["author", "author", "publisher", "publisher", "publisher", "unknown"]
    assert _texts(record, "lom:lifeCycle/lom:contribute[1]/lom:entity") == [
        "BEGIN:VCARD\nVERSION:3.0\nFN:Lovelace\\, Ada\nN:Lovelace;Ada;;;\nEND:VCARD"
    ]
    assert _texts(record, "lom:lifeCycle/lom:contribute[3]/lom:entity") == [
        "BEGIN:VCARD\nVERSION:3.0\nFN:OER Press\nN:;;;;\nORG:OER Press\nEND:VCARD"
    ]


def test_dc_to_lom_dates_publications_and_describes_dates_lom_cannot_parse():
    publications = dc_to_lom(_rich_dc()).xpath(
        "lom:lifeCycle/lom:contribute[lom:role/lom:value='publisher']", namespaces=NS
    )
    assert [_texts(c, "lom:entity") != [] for c in publications] == [True, False, False]
    assert [_texts(c, "lom:date/lom:dateTime") for c in publications] == [["2002-02-08"], [], []]
    assert [_texts(c, "lom:date/lom:description/lom:string") for c in publications] == [
        [], ["2019-01-07T08:00:00Z"], ["circa 1860"]
    ]


def test_dc_to_lom_keeps_mime_types_and_drops_other_formats():
    assert _texts(dc_to_lom(_rich_dc()), "lom:technical/lom:format") == ["text/html"]


def test_dc_to_lom_states_rights_with_copyright_yes():
    record = dc_to_lom(_rich_dc())
    assert _texts(record, "lom:rights/lom:copyrightAndOtherRestrictions/lom:value") == ["yes"]
    assert _texts(record, "lom:rights/lom:description/lom:string") == [
        "CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/",
    ]


def test_dc_to_lom_makes_sources_isbasedon_relations_and_relations_kindless():
    relations = dc_to_lom(_rich_dc()).xpath("lom:relation", namespaces=NS)
    assert [_texts(r, "lom:kind/lom:value") for r in relations] == [["isbasedon"], ["isbasedon"], []]
    assert [_texts(r, "lom:resource/lom:identifier/lom:entry") for r in relations] == [
        ["http://example.org/original"], [], ["urn:isbn:0000000000"],
    ]
    assert _texts(relations[1], "lom:resource/lom:description/lom:string") == ["A printed atlas, 1900"]


def test_dc_to_lom_writes_categories_in_lom_order():
    record = dc_to_lom(_rich_dc())
    assert [etree.QName(child).localname for child in record] == [
        "general", "lifeCycle", "technical", "educational", "rights", "relation", "relation", "relation",
    ]
    general = [etree.QName(child).localname for child in record[0]]
    assert general == ["identifier"] * 3 + ["title", "language", "language", "description", "description"] + [
        "keyword", "keyword", "coverage"
    ]


def test_dc_to_lom_of_an_empty_record_is_an_empty_lom():
    assert etree.tostring(dc_to_lom(DCRecord())) == f'<lom xmlns="{LOM}"/>'.encode()


def test_dc_to_lom_refuses_characters_xml_cannot_carry():
    with pytest.raises(EncodeError, match=r"dc:publisher contains U\+0007"):
        dc_to_lom(DCRecord(publisher=(DCValue("OER\x07Press"),)))


def test_lom_round_trip_of_a_rich_record_keeps_what_lom_can_hold():
    original = _rich_dc()
    back = lom_to_dc(dc_to_lom(original))
    assert back.title == original.title
    assert back.creator == original.creator
    assert back.publisher == original.publisher
    assert back.contributor == original.contributor
    assert back.identifier == original.identifier
    assert back.description == original.description
    assert back.subject == original.subject + (DCValue("Text"),)
    assert back.type == (DCValue("exercise"),)
    assert back.date == (DCValue("2002-02-08"),)
    assert back.language == (DCValue("en"), DCValue("fre"))
    assert back.rights == original.rights
    assert back.source == (DCValue("http://example.org/original"), DCValue("A printed atlas, 1900"))
    assert back.relation == original.relation
    assert back.coverage == original.coverage


# --- DC → LOM on the corpus ---------------------------------------------------------------------


@pytest.mark.parametrize("path", DC_FILES, ids=name)
def test_corpus_oai_dc_becomes_lom_valid_under_our_and_the_official_loose_schema(path: Path) -> None:
    for index, element in enumerate(_oai_dc_records(path)):
        record = dc_to_lom(read_dc(element))
        schemas_by_label = {"ours": schemas.lxml_schema("lom-loose"), "official": official_lom_schema("loose")}
        for label, schema in schemas_by_label.items():
            assert schema.validate(record), f"record #{index + 1}, {label}: {schema.error_log.last_error}"


def _unique(values: tuple[DCValue, ...]) -> tuple[DCValue, ...]:
    return tuple(dict.fromkeys(DCValue(value.text, language_tag(value.language)) for value in values))


@pytest.mark.parametrize("path", DC_FILES, ids=name)
def test_corpus_oai_dc_keeps_titles_identifiers_and_creators_through_lom(path: Path) -> None:
    for index, element in enumerate(_oai_dc_records(path)):
        original = read_dc(element)
        back = lom_to_dc(dc_to_lom(original))
        for field in ("title", "identifier", "creator", "publisher", "subject", "description"):
            kept = getattr(back, field)[: len(_unique(getattr(original, field)))]
            assert kept == _unique(getattr(original, field)), f"record #{index + 1}: {field}"
