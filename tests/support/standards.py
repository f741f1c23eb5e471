"""The official XSDs from `../shared/standards`, compiled with libxml2 for differential tests.

Several official schemas (oai_dc.xsd and what imports it) name their imports by remote URL. libxml2
finds the local copies through the OASIS catalog beside them, but it reads `XML_CATALOG_FILES` only
once, when it first needs a catalog. This module therefore sets the variable when it is imported,
and `tests/conftest.py` imports it before any test can parse anything.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

from lxml import etree

from metadata import xmlsafe

STANDARDS = Path(__file__).resolve().parents[2].parent / "shared" / "standards" / "xsd"
CATALOG = STANDARDS / "catalog.xml"

os.environ["XML_CATALOG_FILES"] = str(CATALOG)


@functools.cache
def official_schema(relative_path: str) -> etree.XMLSchema:
    """The official schema at `relative_path` under the standards folder, e.g. `oai-pmh/oai_dc.xsd`."""
    return etree.XMLSchema(xmlsafe.parse(STANDARDS / relative_path))


def official_lom_schema(flavour: str) -> etree.XMLSchema:
    """The official LOM binding for `flavour` (`strict` or `loose`): lomStrict.xsd or lomLoose.xsd."""
    return official_schema(f"lomv1.0/lom{flavour.capitalize()}.xsd")
