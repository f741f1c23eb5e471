"""Loads and caches Lectern's own XSDs from the `schemas` package.

The XSDs are the single definition of what a LOM or DC record is. They are compiled twice, for two
jobs: xmlschema reads them to decode, encode and explain (rich error objects, slow), and libxml2
(through lxml) compiles the same files to give verdicts at bulk speed. Nothing here reaches the
network: xmlschema runs with `allow='sandbox'` (only files beside the entry schema) and libxml2 with a
parser that has no network access.
"""
from __future__ import annotations

import functools
import threading
from importlib import resources
from pathlib import Path

import xmlschema
from lxml import etree

from . import xmlsafe

LOM_FLAVOURS = ("strict", "loose")

_SCHEMA_FILES = {
    "lom-strict": "lom/strict.xsd",
    "lom-loose": "lom/loose.xsd",
    "dc": "dc/simpledc.xsd",
    "oai_dc": "dc/oai_dc.xsd",
    "oai-pmh": "oai-pmh.xsd",
}
_local = threading.local()


def schemas_root() -> Path:
    """The installed `schemas` package folder (XSDs and profile rules)."""
    return Path(str(resources.files("schemas")))


def schema_file(key: str) -> Path:
    """Path of the entry XSD for `key` (`lom-strict`, `lom-loose`, `dc`, `oai_dc`, `oai-pmh`).

    `oai-pmh` is a whole OAI-PMH response: the envelope with every payload schema we have.
    """
    try:
        return schemas_root() / _SCHEMA_FILES[key]
    except KeyError as err:
        raise LookupError(f"no schema named {key!r}; known: {', '.join(_SCHEMA_FILES)}") from err


@functools.cache
def xsd(key: str) -> xmlschema.XMLSchema:
    """The xmlschema object for `key`, built once per process (building one takes about a second).

    `base_url` is the schema's folder because with `allow='sandbox'` xmlschema refuses to read any
    instance, even an in-memory lxml element, unless it knows where the sandbox is. The sandbox is
    also where imports may come from, which is why the OAI-PMH response schema, importing the DC
    and LOM schemas, sits at the top of `schemas/`.
    """
    path = schema_file(key)
    return xmlschema.XMLSchema(str(path), base_url=str(path.parent), allow="sandbox", defuse="always")


def lxml_schema(key: str) -> etree.XMLSchema:
    """The libxml2 validator for `key`, one per thread: lxml validators keep an error log each."""
    cache = _local.__dict__.setdefault("schemas", {})
    if key not in cache:
        cache[key] = etree.XMLSchema(xmlsafe.parse(schema_file(key)))
    return cache[key]
