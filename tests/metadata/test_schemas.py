"""metadata.schemas: our XSDs load with both engines, offline, from the installed package."""
from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from metadata import schemas, xmlsafe
from metadata.namespaces import LOM
from tests.support.standards import STANDARDS

KEYS = ("lom-strict", "lom-loose", "dc", "oai_dc")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("key", KEYS)
def test_schema_compiles_with_xmlschema_inside_its_sandbox(key: str) -> None:
    assert schemas.xsd(key).validity == "valid"


@pytest.mark.parametrize("key", KEYS)
def test_schema_compiles_with_libxml2(key: str) -> None:
    assert schemas.lxml_schema(key).validate(xmlsafe.fromstring(b"<not-a-record/>")) is False


@pytest.mark.parametrize("key", KEYS)
def test_schema_file_lies_in_the_schemas_package(key: str) -> None:
    assert schemas.schema_file(key).is_file()
    assert schemas.schemas_root() in schemas.schema_file(key).parents


def test_unknown_schema_key_is_a_lookup_error_naming_the_known_keys() -> None:
    with pytest.raises(LookupError, match="lom-strict"):
        schemas.schema_file("lom-custom")


def test_xmlschema_decodes_an_element_held_in_memory() -> None:
    record = xmlsafe.fromstring(f'<lom xmlns="{LOM}"><general><title><string>x</string></title></general></lom>'.encode())
    decoded = schemas.xsd("lom-strict").decode(record, use_defaults=False)
    assert decoded["general"][0]["title"][0]["string"] == ["x"]


def test_libxml2_validators_are_one_per_thread() -> None:
    seen = []
    worker = threading.Thread(target=lambda: seen.append(schemas.lxml_schema("dc")))
    worker.start()
    worker.join()
    assert seen[0] is not schemas.lxml_schema("dc")
    assert schemas.lxml_schema("dc") is schemas.lxml_schema("dc")


def test_no_schema_of_ours_is_a_copy_of_an_official_file() -> None:
    official = {digest(path) for path in STANDARDS.rglob("*") if path.is_file()}
    ours = {path.name: digest(path) for path in schemas.schemas_root().rglob("*.xsd")}
    assert ours, "no XSD found in the schemas package"
    assert not {name for name, value in ours.items() if value in official}
