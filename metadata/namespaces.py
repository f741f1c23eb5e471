"""Namespace URIs and Clark-notation helpers.

Every namespace the program reads or writes is named here once, so that a typo in a URI cannot
silently turn a valid record into an unknown one.
"""
from __future__ import annotations

LOM = "http://ltsc.ieee.org/xsd/LOM"
"""IEEE 1484.12.3 XML binding of LOM v1.0: the namespace Lectern stores and serves."""

IMSMD_V1P2 = "http://www.imsglobal.org/xsd/imsmd_v1p2"
"""IMS Meta-data 1.2 (SCORM 1.2, NL-LOM from Edurep): the commonest legacy LOM namespace."""

IMSMD_ROOT_V1P2P1 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
"""IMS Meta-data 1.2.1 root namespace, used by older content packages."""

IMSMD_ROOT_V1P2P1_IMSPROJECT = "http://www.imsproject.org/xsd/imsmd_rootv1p2p1"
"""IMS Meta-data 1.2.1 under IMS's former imsproject.org domain, as ADL's SCORM 1.2 packages declare it."""

IMSMD_ROOT_V1P2_IMSPROJECT = "http://www.imsproject.org/xsd/imsmd_rootv1p2"
"""IMS Meta-data 1.2 under the imsproject.org domain (early SCORM 1.2 tools)."""

HSOERLOM = "https://www.oerbw.de/hsoerlom"
"""HS-OER-LOM, the German higher-education OER profile: IMS Meta-data 1.2 element names, reduced."""

IMSCC_LOM_PREFIX = "http://ltsc.ieee.org/xsd/imscc"
"""Prefix of the IMS Common Cartridge LOM namespaces (`.../imsccv1p1/LOM/manifest`, ...)."""

LOMFR = "http://www.lom-fr.fr/xsd/LOMFR"
"""LOM-FR extension elements (French application profile)."""

SCOLOMFR = "http://www.lom-fr.fr/xsd/SCOLOMFR"
"""ScoLOMFR extension elements (French school profile)."""

LOMES = "http://ltsc.ieee.org/xsd/LOM-ES"
"""LOM-ES namespace variant seen in Spanish (Procomun/Agrega) exports."""

DC = "http://purl.org/dc/elements/1.1/"
"""Dublin Core Metadata Element Set 1.1 (Simple DC)."""

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
"""The `oai_dc` container every OAI-PMH repository must support."""

OAI_PMH = "http://www.openarchives.org/OAI/2.0/"
"""OAI-PMH 2.0 envelope."""

OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
"""Identify description: the `oai-identifier` scheme."""

OAI_FRIENDS = "http://www.openarchives.org/OAI/2.0/friends/"
"""Identify description: partner repositories."""

OAI_PROVENANCE = "http://www.openarchives.org/OAI/2.0/provenance"
"""`<about>` container recording where a harvested record came from."""

IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
"""IMS Content Packaging manifest, which may carry LOM in its `<metadata>`."""

XSI = "http://www.w3.org/2001/XMLSchema-instance"
"""XML Schema instance attributes (`xsi:schemaLocation`)."""

XML = "http://www.w3.org/XML/1998/namespace"
"""The implicit `xml:` namespace (`xml:lang`)."""


def clark(namespace: str, local: str) -> str:
    """Return `{namespace}local`, the form lxml and xmlschema use for qualified names."""
    return f"{{{namespace}}}{local}"


def split_clark(name: str) -> tuple[str, str]:
    """Split a Clark name into (namespace, local name); the namespace is "" when there is none."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name
