"""The `<description>` payloads of Identify and ListSets, as self-contained fragments.

Harvesters and registries read these: `oai-identifier` tells them how to split our identifiers,
`friends` points aggregators at our partner providers, and a set's description is carried in
`oai_dc` (the container the spec itself uses for set descriptions). Each fragment declares its own
namespaces and schema location so a validating harvester can check it without guessing.
"""
from __future__ import annotations

from collections.abc import Iterable

from metadata.namespaces import DC, OAI_DC, OAI_FRIENDS, OAI_IDENTIFIER, XSI

from .envelope import element, escape

SAMPLE_LOCAL_ID = "lectern-demo-000001"
"""Local part of the sample identifier Identify shows (the first demo record's identifier)."""


def identifier_prefix(repository_identifier: str) -> str:
    """What every identifier of this repository starts with: `oai:<repositoryIdentifier>:`."""
    return f"oai:{repository_identifier}:"


def oai_identifier(repository_identifier: str) -> bytes:
    """The `oai-identifier` description: scheme, repository identifier, delimiter and a sample."""
    sample = identifier_prefix(repository_identifier) + SAMPLE_LOCAL_ID
    return (
        f'<oai-identifier xmlns="{OAI_IDENTIFIER}" xmlns:xsi="{XSI}" '
        f'xsi:schemaLocation="{OAI_IDENTIFIER} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd">'
        f"<scheme>oai</scheme>{element('repositoryIdentifier', repository_identifier)}"
        f"<delimiter>:</delimiter>{element('sampleIdentifier', sample)}</oai-identifier>"
    ).encode("utf-8")


def friends(base_urls: Iterable[str]) -> bytes:
    """The `friends` description: base URLs of partner OAI-PMH providers."""
    urls = "".join(element("baseURL", url) for url in base_urls)
    return (
        f'<friends xmlns="{OAI_FRIENDS}" xmlns:xsi="{XSI}" '
        f'xsi:schemaLocation="{OAI_FRIENDS} http://www.openarchives.org/OAI/2.0/friends.xsd">{urls}</friends>'
    ).encode("utf-8")


def set_description(text: str) -> bytes:
    """A set's description as an `oai_dc` record with one `dc:description`."""
    return (
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC}" xmlns:dc="{DC}" xmlns:xsi="{XSI}" '
        f'xsi:schemaLocation="{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd">'
        f"<dc:description>{escape(text)}</dc:description></oai_dc:dc>"
    ).encode("utf-8")
