"""Lectern's OAI-PMH schema (`schemas/oai/`, key `oai-pmh`) gives the official OAI-PMH.xsd's verdicts.

Both sides load the same payload namespaces (oai_dc, LOM, oai-identifier, friends, provenance): the
official side from `../shared/standards` (`tests.support.oai.response_schema`), ours from `schemas/`.
They must agree on every well-formed OAI-PMH response of the shared corpus, error lines included,
on mutations of corpus responses for the rules the corpus does not reach, and on what our own
provider serves.
"""
from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime

import pytest
from lxml import etree

from catalogue.db import Database
from metadata import schemas, xmlsafe
from metadata.errors import NotWellFormedError
from oai.settings import ProviderSettings
from tests.conftest import CORPUS
from tests.support.catalogue import delete_samples, store_samples
from tests.support.oai import NS, Endpoint, response_schema


def _corpus_responses() -> dict[str, etree._ElementTree]:
    """Every well-formed file of the corpus's OAI-PMH traffic, by its path in the corpus."""
    responses = {}
    for path in sorted((CORPUS / "oai").rglob("*.xml")):
        try:
            responses[path.relative_to(CORPUS).as_posix()] = xmlsafe.parse(path)
        except NotWellFormedError:
            continue
    return responses


RESPONSES = _corpus_responses()


def verdict(schema: etree.XMLSchema, tree: etree._ElementTree | etree._Element) -> tuple[bool, list[int]]:
    """Valid or not, and the lines of the errors."""
    valid = schema.validate(tree)
    return valid, sorted({entry.line for entry in schema.error_log})


def test_the_corpus_has_responses_of_both_verdicts() -> None:
    verdicts = [response_schema().validate(tree) for tree in RESPONSES.values()]
    assert len(verdicts) >= 50 and sum(verdicts) >= 30 and verdicts.count(False) >= 15


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_our_schema_gives_the_official_verdict_on_corpus_responses(name: str) -> None:
    tree = RESPONSES[name]
    assert verdict(schemas.lxml_schema("oai-pmh"), tree) == verdict(response_schema(), tree)


def _set(path: str, value: str) -> Callable[[etree._Element], None]:
    """Set the text (`path`) or attribute (`path/@name`) found first at `path`."""
    def mutate(root: etree._Element) -> None:
        element_path, _, attribute = path.partition("/@")
        element = root.xpath(element_path, namespaces=NS)[0]
        if attribute:
            element.set(attribute, value)
        else:
            element.text = value
    return mutate


def _remove(path: str) -> Callable[[etree._Element], None]:
    def mutate(root: etree._Element) -> None:
        element = root.xpath(path, namespaces=NS)[0]
        element.getparent().remove(element)
    return mutate


def _duplicate(path: str) -> Callable[[etree._Element], None]:
    def mutate(root: etree._Element) -> None:
        element = root.xpath(path, namespaces=NS)[0]
        element.addnext(copy.deepcopy(element))
    return mutate


IDENTIFY = "oai/sickle/tests__sample_data__Identify.xml"
LIST_IDENTIFIERS = "oai/sickle/tests__sample_data__ListIdentifiers.xml"
LIST_RECORDS = "oai/openarchives-spec/OAI__2.0__ex-sec4.5b.xml"
LIST_SETS = "oai/sickle/tests__sample_data__ListSets.xml"
ORIGIN = "//provenance:originDescription"
MUTATIONS: dict[str, tuple[str, Callable[[etree._Element], None]]] = {
    "response date without Z": (IDENTIFY, _set("oai:responseDate", "2013-02-27T10:01:15")),
    "response date with an offset": (IDENTIFY, _set("oai:responseDate", "2013-02-27T10:01:15+01:00")),
    "protocol version 1.1": (IDENTIFY, _set("//oai:protocolVersion", "1.1")),
    "admin e-mail without @": (IDENTIFY, _set("//oai:adminEmail", "john.doe.example.com")),
    "granularity without Z": (IDENTIFY, _set("//oai:granularity", "YYYY-MM-DDThh:mm:ss")),
    "granularity in seconds": (IDENTIFY, _set("//oai:granularity", "YYYY-MM-DDThh:mm:ssZ")),
    "deletedRecord sometimes": (IDENTIFY, _set("//oai:deletedRecord", "sometimes")),
    "earliest datestamp as a day": (IDENTIFY, _set("//oai:earliestDatestamp", "1970-01-01")),
    "earliest datestamp with fraction": (IDENTIFY, _set("//oai:earliestDatestamp", "1970-01-01T00:00:00.5Z")),
    "earliest datestamp without Z": (IDENTIFY, _set("//oai:earliestDatestamp", "1970-01-01T00:00:00")),
    "no repository name": (IDENTIFY, _remove("//oai:repositoryName")),
    "two base URLs": (IDENTIFY, _duplicate("//oai:baseURL")),
    "repository identifier starting with a digit": (IDENTIFY, _set("//oai-identifier:repositoryIdentifier", "1test.example.com")),
    "repository identifier of one label": (IDENTIFY, _set("//oai-identifier:repositoryIdentifier", "localhost")),
    "scheme other than oai": (IDENTIFY, _set("//oai-identifier:scheme", "urn")),
    "delimiter other than colon": (IDENTIFY, _set("//oai-identifier:delimiter", "/")),
    "sample identifier with a space": (IDENTIFY, _set("//oai-identifier:sampleIdentifier", "oai:test.example.com:23 42")),
    "unknown verb echoed": (IDENTIFY, _set("oai:request/@verb", "Nonsense")),
    "unknown request attribute": (IDENTIFY, _set("oai:request/@lectern", "1")),
    "prefix with a space echoed": (IDENTIFY, _set("oai:request/@metadataPrefix", "oai dc")),
    "from as a day echoed": (IDENTIFY, _set("oai:request/@from", "2002-05-01")),
    "from with an offset echoed": (IDENTIFY, _set("oai:request/@from", "2002-05-01T00:00:00+02:00")),
    "two verb elements": (IDENTIFY, _duplicate("oai:Identify")),
    "no request element": (IDENTIFY, _remove("oai:request")),
    "header status gone": (LIST_IDENTIFIERS, _set("//oai:header/@status", "gone")),
    "header without identifier": (LIST_IDENTIFIERS, _remove("//oai:header/oai:identifier")),
    "datestamp month 13": (LIST_IDENTIFIERS, _set("//oai:header/oai:datestamp", "2002-13-01")),
    "datestamp with fraction": (LIST_IDENTIFIERS, _set("//oai:header/oai:datestamp", "2002-05-01T14:16:12.5Z")),
    "set spec with a space": (LIST_SETS, _set("//oai:set/oai:setSpec", "a b")),
    "set spec of two levels": (LIST_SETS, _set("//oai:set/oai:setSpec", "a:b")),
    "set spec with an empty level": (LIST_SETS, _set("//oai:set/oai:setSpec", "a::b")),
    "complete list size 0": (LIST_IDENTIFIERS, _set("//oai:resumptionToken/@completeListSize", "0")),
    "cursor -1": (LIST_IDENTIFIERS, _set("//oai:resumptionToken/@cursor", "-1")),
    "expiration without Z": (LIST_IDENTIFIERS, _set("//oai:resumptionToken/@expirationDate", "2002-06-01T23:20:00")),
    "expiration as a day": (LIST_IDENTIFIERS, _set("//oai:resumptionToken/@expirationDate", "2002-06-01")),
    "two tokens": (LIST_IDENTIFIERS, _duplicate("//oai:resumptionToken")),
    "record without header": (LIST_RECORDS, _remove("//oai:record/oai:header")),
    "two metadata elements": (LIST_RECORDS, _duplicate("//oai:record/oai:metadata")),
    "metadata payload in the OAI namespace": (LIST_RECORDS, _set("//oai:metadata/*/@lectern", "1")),
    "provenance without harvestDate": (LIST_RECORDS, lambda root: root.xpath(ORIGIN, namespaces=NS)[0].attrib.pop("harvestDate")),
    "provenance altered maybe": (LIST_RECORDS, _set(ORIGIN + "/@altered", "maybe")),
    "provenance datestamp without zone": (LIST_RECORDS, _set(ORIGIN + "/provenance:datestamp", "2001-01-01T11:00:00")),
    "set without name": (LIST_SETS, _remove("//oai:set/oai:setName")),
    "set spec ending with a colon": (LIST_SETS, _set("//oai:set/oai:setSpec", "music:")),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_our_schema_gives_the_official_verdict_on_mutations(mutation: str) -> None:
    name, mutate = MUTATIONS[mutation]
    root = copy.deepcopy(RESPONSES[name].getroot())
    mutate(root)
    document = xmlsafe.fromstring(etree.tostring(root))  # fresh line numbers
    assert verdict(schemas.lxml_schema("oai-pmh"), document) == verdict(response_schema(), document)


def test_the_mutations_reach_both_verdicts() -> None:
    outcomes = []
    for name, mutate in MUTATIONS.values():
        root = copy.deepcopy(RESPONSES[name].getroot())
        mutate(root)
        outcomes.append(response_schema().validate(root))
    assert outcomes.count(True) >= 5 and outcomes.count(False) >= 30


@pytest.fixture
def endpoint(catalogue: Database) -> Endpoint:
    store_samples(catalogue, range(7), now=datetime(2025, 3, 1, 9, 0, 0))
    delete_samples(catalogue, [3], now=datetime(2025, 3, 2, 9, 0, 0))
    return Endpoint(catalogue, ProviderSettings(
        repository_name="Schema test", base_url="http://lectern.example.org/oai", admin_emails=("a@lectern.example.org",),
        repository_identifier="lectern.example.org", token_secret="secret", page_size=3, friends=("http://friend.example.org/oai",)))


@pytest.mark.parametrize("params", [
    {"verb": "Identify"}, {"verb": "ListSets"}, {"verb": "ListMetadataFormats"},
    {"verb": "ListRecords", "metadataPrefix": "lom"}, {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
    {"verb": "ListIdentifiers", "metadataPrefix": "lom"}, {"verb": "Nonsense"},
], ids=lambda params: "-".join(params.values()))
def test_both_schemas_accept_what_our_provider_serves(endpoint: Endpoint, params: dict[str, str]) -> None:
    _, body = endpoint.raw(params, now=datetime(2025, 3, 3, 9, 0, 0))
    document = xmlsafe.fromstring(body)
    assert verdict(schemas.lxml_schema("oai-pmh"), document) == (True, [])
