"""Which of a partner's metadata formats to harvest.

IEEE LOM is what the catalogue stores, so it comes first; a LOM format in a legacy namespace (IMS
Meta-data 1.2, Common Cartridge, ...) is next, normalised on the way in; `oai_dc`, which every
OAI-PMH repository must offer, is the last resort, crosswalked to LOM. A source configured with
`lom` or `oai_dc` takes only that kind. Formats are recognised by namespace, never by prefix: a
partner may call LOM `lom`, `ieee_lom` or `lre`.
"""
from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from metadata import legacy
from metadata.namespaces import LOM, OAI_DC, clark

from .errors import HarvestError
from .events import MetadataFormat


class NoUsableFormat(HarvestError, LookupError):
    """The partner offers no format of the kind the source asks for."""

    def __init__(self, message: str, url: str) -> None:
        super().__init__(f"{message} ({url})")
        self.url = url


def is_legacy_lom(namespace: str) -> bool:
    """Whether `namespace` is a LOM binding `metadata.legacy` can normalise."""
    return bool(namespace) and legacy.variant_of(etree.Element(clark(namespace, "lom"))) is not None


_KINDS = {
    "lom": (lambda fmt: fmt.namespace == LOM, lambda fmt: is_legacy_lom(fmt.namespace)),
    "oai_dc": (lambda fmt: fmt.namespace == OAI_DC,),
}
_PREFERENCES = {"auto": _KINDS["lom"] + _KINDS["oai_dc"], "lom": _KINDS["lom"], "oai_dc": _KINDS["oai_dc"]}


def choose_format(offered: Sequence[MetadataFormat], wanted: str, url: str) -> MetadataFormat:
    """The format to harvest among `offered`, by the source's `wanted` kind (auto, lom, oai_dc)."""
    for accepts in _PREFERENCES[wanted]:
        for fmt in offered:
            if accepts(fmt):
                return fmt
    names = ", ".join(f"{fmt.prefix} ({fmt.namespace})" for fmt in offered) or "none"
    kind = {"auto": "IEEE LOM, a legacy LOM binding or oai_dc", "lom": "IEEE LOM or a legacy LOM binding",
            "oai_dc": "oai_dc"}[wanted]
    raise NoUsableFormat(f"the partner offers no {kind}; it offers {names}", url)
