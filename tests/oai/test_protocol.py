"""oai/protocol.py: the one table of verbs, arguments and handlers."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from metadata import xmlsafe
from oai import verbs
from oai.arguments import WIRE_NAMES, Request
from oai.protocol import ERRORS, RULES
from tests.oai.test_errors import LEAVES

XS = {"xs": "http://www.w3.org/2001/XMLSchema"}


def test_table_has_exactly_the_verbs_of_the_schema(standards: Path) -> None:
    document = xmlsafe.parse(standards / "oai-pmh" / "OAI-PMH.xsd")
    assert sorted(RULES) == sorted(document.xpath("//xs:simpleType[@name='verbType']//xs:enumeration/@value", namespaces=XS))


def test_every_argument_of_the_table_is_a_request_field_with_a_wire_name() -> None:
    fields = {field.name for field in dataclasses.fields(Request)}
    for rule in RULES.values():
        assert rule.accepted <= fields & set(WIRE_NAMES.values())


def test_only_the_list_verbs_take_a_resumption_token_and_it_is_exclusive() -> None:
    takes_token = {verb for verb, rule in RULES.items() if "resumption_token" in rule.accepted}
    assert takes_token == {"ListSets", "ListIdentifiers", "ListRecords"}
    assert all(RULES[verb].exclusive == "resumption_token" for verb in takes_token)


def test_required_and_optional_arguments_follow_the_spec() -> None:
    assert RULES["Identify"].accepted == frozenset()
    assert RULES["GetRecord"].required == {"identifier", "metadata_prefix"}
    assert RULES["ListMetadataFormats"].optional == {"identifier"}
    for verb in ("ListIdentifiers", "ListRecords"):
        assert RULES[verb].required == {"metadata_prefix"}
        assert RULES[verb].optional == {"from_date", "until_date", "set_spec"}


def test_each_verb_is_answered_by_its_own_function() -> None:
    assert RULES["ListRecords"].handler is verbs.list_records
    assert len({rule.handler for rule in RULES.values()}) == len(RULES)


def test_error_table_maps_each_wire_code_to_its_class() -> None:
    assert dict(ERRORS) == {cls.code: cls for cls in LEAVES}
