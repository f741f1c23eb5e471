"""oai/describe.py: Identify and ListSets description fragments, valid under their official schemas."""
from __future__ import annotations

from metadata import xmlsafe
from oai import describe
from tests.support.oai import xpath
from tests.support.standards import official_schema


def _valid(fragment: bytes, schema: str):  # type: ignore[no-untyped-def]
    root = xmlsafe.fromstring(fragment)
    validator = official_schema(schema)
    assert validator.validate(root), validator.error_log
    return root


def test_identifier_prefix_is_scheme_repository_and_delimiter() -> None:
    assert describe.identifier_prefix("lectern.example.org") == "oai:lectern.example.org:"


def test_oai_identifier_description_is_valid_and_complete() -> None:
    root = _valid(describe.oai_identifier("lectern.example.org"), "oai-pmh/oai-identifier.xsd")
    assert xpath(root, "string(oai-identifier:scheme)") == "oai"
    assert xpath(root, "string(oai-identifier:repositoryIdentifier)") == "lectern.example.org"
    assert xpath(root, "string(oai-identifier:delimiter)") == ":"
    assert xpath(root, "string(oai-identifier:sampleIdentifier)") == "oai:lectern.example.org:lectern-demo-000001"


def test_friends_description_lists_each_partner() -> None:
    urls = ["http://a.example.org/oai", "https://b.example.org/oai?x=1&y=2"]
    root = _valid(describe.friends(urls), "oai-pmh/friends.xsd")
    assert xpath(root, "friends:baseURL/text()") == urls


def test_set_description_is_an_oai_dc_description() -> None:
    root = _valid(describe.set_description("Maths & more <b>"), "oai-pmh/oai_dc.xsd")
    assert xpath(root, "dc:description/text()") == ["Maths & more <b>"]
