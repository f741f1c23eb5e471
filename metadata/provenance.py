"""OAI-PMH provenance (`<about><provenance>`) for harvested records.

The OAI provenance guidelines ask an aggregator to say where each record came from, so a harvester
downstream can trace it to the original repository. The fragment is rendered once, when the record is
stored, and spliced into every response that carries the record.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from .datestamps import format_datestamp
from .namespaces import OAI_PROVENANCE, XSI, clark

PROVENANCE_SCHEMA = "http://www.openarchives.org/OAI/2.0/provenance.xsd"


@dataclass(frozen=True)
class Origin:
    """Where a harvested record came from, as the provenance container records it."""

    base_url: str
    identifier: str
    datestamp: str
    metadata_namespace: str
    harvest_date: datetime
    altered: bool = False


def render_provenance(origin: Origin) -> bytes:
    """The `<provenance>` element (without `<about>`), declaring its own namespaces."""
    nsmap = {None: OAI_PROVENANCE, "xsi": XSI}
    root = etree.Element(clark(OAI_PROVENANCE, "provenance"), nsmap=nsmap)
    root.set(clark(XSI, "schemaLocation"), f"{OAI_PROVENANCE} {PROVENANCE_SCHEMA}")
    description = etree.SubElement(root, clark(OAI_PROVENANCE, "originDescription"))
    description.set("harvestDate", format_datestamp(origin.harvest_date))
    description.set("altered", "true" if origin.altered else "false")
    for name, value in (
        ("baseURL", origin.base_url),
        ("identifier", origin.identifier),
        ("datestamp", origin.datestamp),
        ("metadataNamespace", origin.metadata_namespace),
    ):
        etree.SubElement(description, clark(OAI_PROVENANCE, name)).text = value
    return etree.tostring(root, encoding="utf-8")
