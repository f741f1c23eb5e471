"""ListMetadataFormats: oai_dc is offered (spec 3.4), and the format to harvest is chosen.

Without `--prefix` the battery harvests LOM when the endpoint offers a format in the IEEE LOM
namespace (the reason a partner is harvested), else oai_dc, which every repository must offer.
"""
from __future__ import annotations

from dataclasses import dataclass

from metadata.namespaces import LOM, OAI_DC

from .envelope import NS
from .probe import Exchange, Probe


@dataclass(frozen=True)
class Format:
    prefix: str
    namespace: str


def check(probe: Probe, wanted: str | None) -> Format | None:
    """Check the endpoint's formats; the one to harvest (`wanted`, else chosen), None if not offered."""
    exchange = probe.ask([("verb", "ListMetadataFormats")])
    offered = _formats(exchange)
    probe.findings.add("verbs.ListMetadataFormats", bool(offered), exchange.url, "a list of metadata formats",
                       exchange.failure)
    probe.findings.add("formats.oai-dc", offered.get("oai_dc") == OAI_DC, exchange.url,
                       f"the oai_dc format in namespace {OAI_DC}", _listing(offered))
    if wanted is not None:
        probe.findings.add("formats.prefix", wanted in offered, exchange.url, f"the format {wanted!r} asked for",
                           _listing(offered))
        return Format(wanted, offered[wanted]) if wanted in offered else None
    lom = sorted(prefix for prefix, namespace in offered.items() if namespace == LOM)
    chosen = lom[0] if lom else "oai_dc" if "oai_dc" in offered else None
    return Format(chosen, offered[chosen]) if chosen else None


def check_item(probe: Probe, identifier: str, chosen: Format) -> None:
    """ListMetadataFormats for one record offers the format its list was harvested in."""
    exchange = probe.ask([("verb", "ListMetadataFormats"), ("identifier", identifier)])
    offered = _formats(exchange)
    probe.findings.add("formats.item", offered.get(chosen.prefix) == chosen.namespace, exchange.url,
                       f"the format {chosen.prefix!r} the record was listed in", exchange.failure or _listing(offered))


def _formats(exchange: Exchange) -> dict[str, str]:
    """metadataPrefix → metadataNamespace of every format listed."""
    return {
        (element.findtext("oai:metadataPrefix", namespaces=NS) or "").strip():
            (element.findtext("oai:metadataNamespace", namespaces=NS) or "").strip()
        for element in exchange.findall("oai:ListMetadataFormats/oai:metadataFormat")
    }


def _listing(offered: dict[str, str]) -> str:
    return "formats " + ", ".join(f"{prefix} ({namespace})" for prefix, namespace in sorted(offered.items())) \
        if offered else "no formats"
