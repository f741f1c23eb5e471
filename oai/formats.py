"""The metadata formats the provider disseminates: `metadataPrefix` → schema, namespace, stored column.

Every format is rendered once, when a record is written (`catalogue.records`), and stored as bytes
under the key named here, so serving a format is a column read. Adding a format means rendering it
on the write path and adding one line below. The registry is an immutable mapping built at import.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from metadata.namespaces import LOM, OAI_DC

from .errors import CannotDisseminateFormat


@dataclass(frozen=True)
class Format:
    """One disseminated format as ListMetadataFormats describes it."""

    prefix: str
    schema: str
    namespace: str
    stored_as: str
    """Key of the stored rendering in `catalogue.listing.FORMAT_COLUMNS`."""


FORMATS: Mapping[str, Format] = MappingProxyType({
    fmt.prefix: fmt
    for fmt in (
        Format("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC, "oai_dc"),
        # The loose binding: harvested records keep extension elements and local vocabularies.
        Format("lom", "http://ltsc.ieee.org/xsd/lomv1.0/lomLoose.xsd", LOM, "lom"),
    )
})


def format_for(prefix: str) -> Format:
    """The format named by `prefix`, or `CannotDisseminateFormat`."""
    try:
        return FORMATS[prefix]
    except KeyError as err:
        offered = ", ".join(FORMATS)
        raise CannotDisseminateFormat(f"metadataPrefix {prefix!r} is not offered here; use one of: {offered}") from err


def formats_stored_as(keys: tuple[str, ...]) -> tuple[Format, ...]:
    """The formats whose stored rendering is among `keys`, in registry order."""
    return tuple(fmt for fmt in FORMATS.values() if fmt.stored_as in keys)
