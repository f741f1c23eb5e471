"""OAI-PMH provenance (`<about><provenance>`) for harvested records.

The OAI provenance guidelines ask an aggregator to say where each record came from, so a harvester
downstream can trace it to the original repository. The fragment is rendered once, when the record is
stored, and spliced into every response that carries the record.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .datestamps import format_datestamp
from .dc import escape_text, xml_text
from .namespaces import OAI_PROVENANCE, XSI

PROVENANCE_SCHEMA = "http://www.openarchives.org/OAI/2.0/provenance.xsd"
_OPEN = (f'<provenance xmlns="{OAI_PROVENANCE}" xmlns:xsi="{XSI}" '
         f'xsi:schemaLocation="{OAI_PROVENANCE} {PROVENANCE_SCHEMA}">')


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
    """The `<provenance>` element (without `<about>`), declaring its own namespaces.

    Written as text, in the bytes lxml would write: every harvested record stored renders one, and
    building the element tree took ten times as long.
    """
    values = "".join(
        f"<{name}>{escape_text(xml_text(value, f'provenance {name}'))}</{name}>"
        for name, value in (("baseURL", origin.base_url), ("identifier", origin.identifier),
                            ("datestamp", origin.datestamp), ("metadataNamespace", origin.metadata_namespace))
    )
    altered = "true" if origin.altered else "false"
    return (f'{_OPEN}<originDescription harvestDate="{format_datestamp(origin.harvest_date)}" altered="{altered}">'
            f"{values}</originDescription></provenance>").encode("utf-8")
