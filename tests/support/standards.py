"""The official XSDs from `../shared/standards`, compiled with libxml2 for differential tests, and
the one difference between their LOM verdicts and ours that is deliberate (see DateTimeText in
schemas/lom/datatypes.xsd).

Several official schemas (oai_dc.xsd and what imports it) name their imports by remote URL. libxml2
finds the local copies through the OASIS catalog beside them, but it reads `XML_CATALOG_FILES` only
once, when it first needs a catalog. This module therefore sets the variable when it is imported,
and `tests/conftest.py` imports it before any test can parse anything.
"""
from __future__ import annotations

import copy
import functools
import os
import re
from pathlib import Path

from lxml import etree

from metadata import xmlsafe
from metadata.namespaces import LOM

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


# Our LOM DateTime pattern knowingly accepts one more form than the official binding: a time-zone
# designator right after whole seconds ("2019-01-07T08:00:00Z"); the official needs a fraction first.
ZONE_AFTER_WHOLE_SECONDS = re.compile(r"(T[0-9]{2}:[0-9]{2}:[0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})$")


def with_fractional_seconds(element: etree._Element) -> etree._Element:
    """A copy of `element` whose LOM dateTime values gain `.0` before a zone that follows whole seconds."""
    fixed = copy.deepcopy(element)
    for date_time in fixed.iter(f"{{{LOM}}}dateTime"):
        if date_time.text:
            date_time.text = ZONE_AFTER_WHOLE_SECONDS.sub(r"\1.0\2", date_time.text)
    return fixed


def explained_by_date_time_deviation(element: etree._Element, flavour: str) -> bool:
    """True when the official LOM schema refuses `element` only for dates our pattern deliberately
    accepts: with a fraction of a second added to those dates the official schema accepts it."""
    return official_lom_schema(flavour).validate(with_fractional_seconds(element))
