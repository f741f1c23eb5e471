"""The crosswalk's one-walk reading of a LOM record (`metadata.crosswalk_inputs`) gives what the
`metadata.lom` accessors give, on awkward records, generated records and every corpus record."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from metadata import lom, samples, xmlsafe
from metadata.crosswalk_inputs import Contribution, Inputs, Relation, Taxon, read_inputs
from metadata.namespaces import LOM, clark
from tests.support.lom_corpus import corpus_files, name, records_in

LOM_ROOT = clark(LOM, "lom")

# Everything the walk must get right at once: categories repeated, comments and extension elements
# between the elements it reads, empty values, a vocabulary whose first value is empty, a role in a
# second `role`, dates in a second `date`, taxa over two paths, a keyword-only classification.
AWKWARD = f"""<lom xmlns="{LOM}" xmlns:ext="urn:example:ext">
  <general>
    <title><string language="en"> Plants </string><!-- c --><string language=" ">Pflanzen</string></title>
    <ext:title><string>not LOM</string></ext:title>
    <language>en</language><language> </language>
    <identifier><catalog>URI</catalog><entry> </entry></identifier>
    <identifier><entry>local-7</entry><entry>second</entry></identifier>
    <keyword><string/></keyword>
  </general>
  <general><title><string>Second general</string></title><coverage><string>Europe</string></coverage></general>
  <lifeCycle>
    <contribute>
      <role><source>LOMv1.0</source><value> </value></role><role><value>Publisher</value></role>
      <entity>BEGIN:VCARD\nFN:OER Press\nEND:VCARD</entity><entity> </entity>
      <date><description><string>once</string></description></date><date><dateTime>2020</dateTime></date>
    </contribute>
    <contribute><entity>Jane Doe</entity></contribute>
  </lifeCycle>
  <metaMetadata><contribute><role><value>creator</value></role></contribute></metaMetadata>
  <technical><format>text/html</format><format/><location> http://x.org/ </location></technical>
  <educational><learningResourceType><value/></learningResourceType></educational>
  <educational><learningResourceType><source>x</source><value>exercise</value></learningResourceType></educational>
  <rights><cost><value/></cost><cost><value>no</value></cost>
    <description><string>CC BY https://creativecommons.org/licenses/by/4.0/.</string></description></rights>
  <relation><kind><value>isbasedon</value></kind>
    <resource><identifier><entry>urn:x</entry></identifier><description><string>Atlas</string></description></resource>
  </relation>
  <relation><resource><identifier><entry/></identifier><description><string>Map</string></description></resource></relation>
  <classification><purpose><value>discipline</value></purpose>
    <taxonPath><source><string>Dewey</string></source><taxon><id>500</id></taxon></taxonPath>
    <taxonPath><taxon><entry><string language="en">Plants</string></entry></taxon></taxonPath>
  </classification>
  <classification><keyword><string>botany</string></keyword></classification>
</lom>"""


def _pairs(strings: tuple[lom.LangString, ...]) -> tuple[tuple[str, str | None], ...]:
    return tuple((string.text, string.language) for string in strings)


def _value(vocab: lom.Vocab | None) -> str | None:
    return vocab.value if vocab is not None else None


def _as_the_accessors_read(record: etree._Element) -> dict[str, Any]:
    """The inputs as the `lom` accessors read them, classifications split the way they give them."""
    return {
        **{field: _pairs(getattr(lom, field)(record)) for field in ("titles", "descriptions", "keywords", "coverages")},
        "rights": _pairs(lom.rights_descriptions(record)),
        **{field: getattr(lom, field)(record) for field in ("languages", "formats", "locations")},
        "identifiers": tuple(identifier.entry for identifier in lom.identifiers(record)),
        "contributions": tuple(
            Contribution(_value(found.role), found.entities, found.date)
            for found in lom.contributors(record) if found.section == "lifeCycle"
        ),
        "types": tuple(vocab.value for vocab in lom.learning_resource_types(record)),
        "cost": _value(lom.cost(record)),
        "copyright": _value(lom.copyright(record)),
        "relations": tuple(
            Relation(_value(found.kind), tuple(i.entry for i in found.identifiers), _pairs(found.descriptions))
            for found in lom.relations(record)
        ),
        "taxa": tuple(
            (_value(path.purpose), Taxon(taxon.id, _pairs(taxon.entry)))
            for path in lom.taxon_paths(record) for taxon in path.taxa
        ),
        "classification keywords": tuple(
            (_value(found.purpose), _pairs(found.keywords)) for found in lom.keyword_classifications(record)
        ),
    }


def _as_read(inputs: Inputs) -> dict[str, Any]:
    fields = ("titles", "descriptions", "keywords", "coverages", "rights", "languages", "formats", "locations",
              "identifiers", "contributions", "types", "relations")
    return {
        **{field: getattr(inputs, field) for field in fields},
        "cost": inputs.costs[0] if inputs.costs else None,
        "copyright": inputs.copyrights[0] if inputs.copyrights else None,
        "taxa": tuple((found.purpose, taxon) for found in inputs.classifications for taxon in found.taxa),
        "classification keywords": tuple((found.purpose, found.keywords) for found in inputs.classifications),
    }


def _assert_read_as_the_accessors_read(record: etree._Element, label: str) -> None:
    expected, found = _as_the_accessors_read(record), _as_read(read_inputs(record))
    for field, value in expected.items():
        assert found[field] == value, f"{label}: {field}"


LOM_FILES = [path for path in corpus_files() if records_in(path, lambda e: e.tag == LOM_ROOT)]


def test_awkward_record_is_read_as_the_accessors_read_it():
    _assert_read_as_the_accessors_read(xmlsafe.fromstring(AWKWARD.encode()), "awkward record")


def test_awkward_record_reads_values_in_document_order_across_repeated_categories():
    inputs = read_inputs(xmlsafe.fromstring(AWKWARD.encode()))
    assert inputs.titles == (("Plants", "en"), ("Pflanzen", None), ("Second general", None))
    assert inputs.contributions == (
        Contribution("Publisher", ("BEGIN:VCARD\nFN:OER Press\nEND:VCARD",), "2020"),
        Contribution(None, ("Jane Doe",), None),
    )
    assert inputs.types == ("exercise",) and inputs.costs == ("no",)


def test_generated_records_are_read_as_the_accessors_read_them():
    for index, data in enumerate(samples.generate_records(200, seed=3)):
        _assert_read_as_the_accessors_read(xmlsafe.fromstring(data), f"sample #{index}")


@pytest.mark.parametrize("path", LOM_FILES, ids=name)
def test_corpus_records_are_read_as_the_accessors_read_them(path: Path) -> None:
    for index, record in enumerate(records_in(path, lambda e: e.tag == LOM_ROOT)):
        _assert_read_as_the_accessors_read(record, f"record #{index + 1}")


def test_an_empty_record_has_no_inputs():
    inputs = read_inputs(xmlsafe.fromstring(f'<lom xmlns="{LOM}"/>'.encode()))
    assert all(value == () for value in vars(inputs).values())
