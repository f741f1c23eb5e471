"""Lectern's own LOM and DC schemas give the official schemas' verdicts on the real-world corpus.

Every LOM and oai_dc element of the shared corpus is validated in place with the official schema
(libxml2) and with ours; they must agree. On ours, libxml2 and xmlschema must agree too, because
Lectern decides with the first and explains with the second. The one accepted difference is
deliberate: our DateTime pattern takes a time zone after whole seconds (`2019-01-07T08:00:00Z`),
which the official pattern refuses. Rules the corpus does not reach are in test_schema_mutations.py.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from metadata import schemas, xmlsafe
from metadata.errors import NotWellFormedError
from metadata.namespaces import LOM, OAI_DC, clark
from tests.conftest import CORPUS
from tests.support.standards import (
    ZONE_AFTER_WHOLE_SECONDS,
    explained_by_date_time_deviation,
    official_lom_schema,
    official_schema,
)

FLAVOURS = ("strict", "loose")


def corpus_trees() -> Iterator[tuple[str, etree._ElementTree]]:
    """(path relative to the corpus, parsed tree) for every well-formed corpus file."""
    for folder in ("lom", "dc", "oai"):
        for path in sorted((CORPUS / folder).rglob("*")):
            if not path.is_file():
                continue
            try:
                yield path.relative_to(CORPUS).as_posix(), xmlsafe.parse(path)
            except NotWellFormedError:
                continue


def lom_elements(tree: etree._ElementTree) -> list[etree._Element]:
    """Every `lom` element in the LOM namespace that is not inside another one."""
    tag = clark(LOM, "lom")
    return [
        element for element in tree.iter(tag)
        if not any(ancestor.tag == tag for ancestor in element.iterancestors())
    ]


def dc_elements(tree: etree._ElementTree) -> list[etree._Element]:
    return list(tree.iter(clark(OAI_DC, "dc")))


TREES = dict(corpus_trees())
LOM_FILES = sorted(name for name, tree in TREES.items() if lom_elements(tree))
DC_FILES = sorted(name for name, tree in TREES.items() if dc_elements(tree))


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("name", LOM_FILES)
def test_our_lom_schema_gives_the_official_verdict_on_corpus_file(name: str, flavour: str) -> None:
    official, ours = official_lom_schema(flavour), schemas.lxml_schema(f"lom-{flavour}")
    for element in lom_elements(TREES[name]):
        official_verdict, our_verdict = official.validate(element), ours.validate(element)
        if official_verdict != our_verdict:
            assert our_verdict and explained_by_date_time_deviation(element, flavour), (
                f"line {element.sourceline}: official {official_verdict} ({official.error_log.last_error}), "
                f"ours {our_verdict} ({ours.error_log.last_error})"
            )


@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("name", LOM_FILES)
def test_xmlschema_and_libxml2_agree_on_our_lom_schema_for_corpus_file(name: str, flavour: str) -> None:
    ours, explainer = schemas.lxml_schema(f"lom-{flavour}"), schemas.xsd(f"lom-{flavour}")
    for element in lom_elements(TREES[name]):
        assert explainer.is_valid(element) == ours.validate(element), (
            f"line {element.sourceline}: libxml2 says {ours.error_log.last_error}"
        )


@pytest.mark.parametrize("name", DC_FILES)
def test_our_oai_dc_schema_gives_the_official_verdict_on_corpus_file(name: str) -> None:
    official, ours = official_schema("oai-pmh/oai_dc.xsd"), schemas.lxml_schema("oai_dc")
    for element in dc_elements(TREES[name]):
        assert ours.validate(element) == official.validate(element), f"line {element.sourceline}"


@pytest.mark.parametrize("name", DC_FILES)
def test_xmlschema_and_libxml2_agree_on_our_oai_dc_schema_for_corpus_file(name: str) -> None:
    ours, explainer = schemas.lxml_schema("oai_dc"), schemas.xsd("oai_dc")
    for element in dc_elements(TREES[name]):
        assert explainer.is_valid(element) == ours.validate(element), f"line {element.sourceline}"


def test_corpus_holds_lom_records_the_official_schemas_accept_and_refuse(corpus: Path) -> None:
    """Guards the corpus tests against passing on nothing: both verdicts occur in both flavours."""
    elements = [element for name in LOM_FILES for element in lom_elements(TREES[name])]
    for flavour in FLAVOURS:
        verdicts = {official_lom_schema(flavour).validate(element) for element in elements}
        assert verdicts == {True, False}, flavour


def test_corpus_holds_oai_dc_records_the_official_schema_accepts_and_refuses(corpus: Path) -> None:
    elements = [element for name in DC_FILES for element in dc_elements(TREES[name])]
    assert {official_schema("oai-pmh/oai_dc.xsd").validate(element) for element in elements} == {True, False}


# --- the DateTime decision -----------------------------------------------------------------------

def record_dated(value: str) -> etree._Element:
    """A minimal LOM record whose only date is `value`."""
    return xmlsafe.fromstring(
        f'<lom xmlns="{LOM}"><lifeCycle><contribute><date><dateTime>{value}</dateTime>'
        f"</date></contribute></lifeCycle></lom>".encode()
    )


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_time_zone_after_whole_seconds_is_valid_in_ours_and_invalid_in_the_official(flavour: str) -> None:
    record = record_dated("2019-01-07T08:00:00Z")
    assert schemas.lxml_schema(f"lom-{flavour}").validate(record)
    assert schemas.xsd(f"lom-{flavour}").is_valid(record)
    assert not official_lom_schema(flavour).validate(record)


@pytest.mark.parametrize("value", ["2019-01-07T08:00:00Z", "2019-01-07T08:00:00+01:00", "2019-01-07T08:00:00-05:30"])
def test_official_refusal_of_a_zone_after_whole_seconds_counts_as_explained(value: str) -> None:
    record = record_dated(value)
    assert not official_lom_schema("strict").validate(record)
    assert explained_by_date_time_deviation(record, "strict")


def test_other_official_refusals_do_not_count_as_explained() -> None:
    record = record_dated("2019-01-07T08:00:00Z")
    record.find(f".//{{{LOM}}}contribute").append(etree.Element(clark(LOM, "unknown")))
    assert not explained_by_date_time_deviation(record, "strict")


@pytest.mark.parametrize("value", [
    "2019", "2019-01", "2019-01-07", "2019-01-07T08", "2019-01-07T08:00", "2019-01-07T08:00:59",
    "2019-01-07T23:59:59.999", "2019-01-07T08:00:00.5Z", "2019-01-07T08:00:00.5+14:00", "0001-01-01",
    "0000", "2019-00", "2019-13", "2019-01-32", "2019-01-07T24", "2019-01-07T08:60", "2019-01-07T08:00Z",
    "2019-01-07T08:00:00.Z", "2019-01-07 08:00:00", "19-01-07", "", " 2019", "2019-01-07T08:00:00+1:00",
    "2019-01-07T08:00:00.5+24:00", "2019-01-07T08:00:00.5z",
])
def test_our_date_time_pattern_matches_the_official_on_every_other_form(value: str) -> None:
    assert not ZONE_AFTER_WHOLE_SECONDS.search(value)
    for flavour in FLAVOURS:
        record = record_dated(value)
        assert schemas.lxml_schema(f"lom-{flavour}").validate(record) == official_lom_schema(flavour).validate(record)
