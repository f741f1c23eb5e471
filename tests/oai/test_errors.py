"""oai/errors.py: one class per OAI-PMH error condition."""
from __future__ import annotations

from pathlib import Path

import pytest

from metadata import xmlsafe
from oai import errors

LEAVES = [
    errors.BadArgument, errors.BadResumptionToken, errors.BadVerb, errors.CannotDisseminateFormat,
    errors.IdDoesNotExist, errors.NoRecordsMatch, errors.NoMetadataFormats, errors.NoSetHierarchy,
]


def test_every_error_code_of_the_schema_has_exactly_one_class(standards: Path) -> None:
    document = xmlsafe.parse(standards / "oai-pmh" / "OAI-PMH.xsd")
    codes = document.xpath(
        "//xs:simpleType[@name='OAI-PMHerrorcodeType']//xs:enumeration/@value",
        namespaces={"xs": "http://www.w3.org/2001/XMLSchema"},
    )
    assert sorted(cls.code for cls in LEAVES) == sorted(codes)


@pytest.mark.parametrize("cls", LEAVES, ids=lambda cls: cls.__name__)
def test_error_without_message_says_its_description(cls: type[errors.OAIError]) -> None:
    assert cls().message == cls.description != ""


def test_error_message_given_when_raised_replaces_the_description() -> None:
    assert errors.IdDoesNotExist("no record 'x'").message == "no record 'x'"


@pytest.mark.parametrize("cls", LEAVES, ids=lambda cls: cls.__name__)
def test_error_is_an_oai_error_and_a_builtin(cls: type[errors.OAIError]) -> None:
    assert issubclass(cls, errors.OAIError)
    assert issubclass(cls, (ValueError, LookupError))


def test_lookup_errors_are_the_not_found_conditions() -> None:
    not_found = {cls.code for cls in LEAVES if issubclass(cls, LookupError)}
    assert not_found == {"cannotDisseminateFormat", "idDoesNotExist", "noRecordsMatch", "noMetadataFormats", "noSetHierarchy"}
