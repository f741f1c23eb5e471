"""Check OAI-PMH responses against the official schemas, and read them with XPath.

`OAI-PMH.xsd` validates the contents of `<metadata>`, `<about>` and `<description>` strictly, so a
response is only checkable together with the schemas of everything it may carry. A wrapper schema,
written to a temporary folder when first needed, imports the official envelope and payload schemas
from `../shared/standards/xsd` (never copied into the project); `tests.support.standards` has set
the XML catalog that maps their remote imports (Dublin Core, xml.xsd) to the local copies. LOM is
checked with the official loose binding.
"""
from __future__ import annotations

import functools
import tempfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lxml import etree

from catalogue.db import Database
from metadata import xmlsafe
from metadata.namespaces import DC, LOM, OAI_DC, OAI_FRIENDS, OAI_IDENTIFIER, OAI_PMH, OAI_PROVENANCE
from oai.envelope import CONTENT_CODINGS
from oai.provider import handle
from oai.settings import ProviderSettings
from tests.support.standards import STANDARDS

NS = {
    "oai": OAI_PMH, "oai_dc": OAI_DC, "dc": DC, "lom": LOM, "provenance": OAI_PROVENANCE,
    "oai-identifier": OAI_IDENTIFIER, "friends": OAI_FRIENDS,
}

_IMPORTS = {
    OAI_PMH: "oai-pmh/OAI-PMH.xsd",
    OAI_DC: "oai-pmh/oai_dc.xsd",
    LOM: "lomv1.0/lomLoose.xsd",
    OAI_PROVENANCE: "oai-pmh/provenance.xsd",
    OAI_IDENTIFIER: "oai-pmh/oai-identifier.xsd",
    OAI_FRIENDS: "oai-pmh/friends.xsd",
}


@functools.cache
def response_schema() -> etree.XMLSchema:
    """The official OAI-PMH schema plus every payload schema our responses carry."""
    imports = "".join(
        f'<xs:import namespace="{namespace}" schemaLocation="{(STANDARDS / path).as_uri()}"/>'
        for namespace, path in _IMPORTS.items()
    )
    wrapper = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "oai-response.xsd"
        path.write_text(wrapper, encoding="utf-8")
        return etree.XMLSchema(xmlsafe.parse(path))


def assert_oai_valid(body: bytes) -> etree._Element:
    """Fail unless `body` is a schema-valid OAI-PMH response; return its root element."""
    root = xmlsafe.fromstring(body)
    schema = response_schema()
    if not schema.validate(root):
        problems = "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)
        raise AssertionError(f"not a valid OAI-PMH response:\n{problems}\n{body[:2000]!r}")
    return root


def xpath(root: etree._Element, path: str) -> list:
    """Evaluate `path` with the `NS` prefixes (`oai:`, `oai_dc:`, `lom:`, ...)."""
    return root.xpath(path, namespaces=NS)


def error_codes(root: etree._Element) -> list[str]:
    """The codes of every `<error>` in the response."""
    return xpath(root, "oai:error/@code")


def request_echo(root: etree._Element) -> dict[str, str]:
    """The attributes of the `<request>` element."""
    return dict(xpath(root, "oai:request")[0].attrib)


def header_identifiers(root: etree._Element) -> list[str]:
    """Identifiers of every header, in document order (ListIdentifiers, ListRecords, GetRecord)."""
    return xpath(root, "//oai:header/oai:identifier/text()")


def deleted_identifiers(root: etree._Element) -> list[str]:
    """Identifiers of the headers marked `status="deleted"`."""
    return xpath(root, "//oai:header[@status='deleted']/oai:identifier/text()")


@dataclass(frozen=True)
class ResumptionToken:
    """A `<resumptionToken>` as a harvester reads it."""

    value: str
    complete_list_size: int | None
    cursor: int | None
    expiration: str | None


def resumption_token(root: etree._Element) -> ResumptionToken | None:
    """The response's resumption token, or None when it has none."""
    found = xpath(root, "//oai:resumptionToken")
    if not found:
        return None
    element = found[0]
    size, cursor = element.get("completeListSize"), element.get("cursor")
    return ResumptionToken(
        element.text or "", int(size) if size else None, int(cursor) if cursor else None, element.get("expirationDate")
    )


Params = Mapping[str, "str | list[str]"]


@dataclass(frozen=True)
class Endpoint:
    """The provider over a catalogue, as a test talks to it: every answer is schema-checked first."""

    catalogue: Database
    settings: ProviderSettings

    def raw(self, params: Params, *, now: datetime, accept_encoding: str | None = None) -> tuple[dict[str, str], bytes]:
        """Headers and decompressed body of the answer to `params` (a list value repeats the argument)."""
        multi = {name: value if isinstance(value, list) else [value] for name, value in params.items()}
        reply = handle(multi, self.catalogue, self.settings, now=now, accept_encoding=accept_encoding)
        assert reply.status == 200
        headers = dict(reply.headers)
        body = b"".join(reply.body_iter)
        if "Content-Encoding" in headers:
            body = zlib.decompress(body, CONTENT_CODINGS[headers["Content-Encoding"]])
        assert_oai_valid(body)
        return headers, body

    def ask(self, params: Params, *, now: datetime) -> etree._Element:
        """The parsed, schema-checked answer to `params`."""
        return xmlsafe.fromstring(self.raw(params, now=now)[1])


def harvest(endpoint: Endpoint, params: Params, *, now: datetime,
            between_pages: Callable[[int], None] = lambda page: None) -> list[etree._Element]:
    """Every page of a list request, following resumption tokens; `between_pages(n)` runs after page n."""
    pages = [endpoint.ask(params, now=now)]
    while (token := resumption_token(pages[-1])) is not None and token.value:
        between_pages(len(pages))
        pages.append(endpoint.ask({"verb": params["verb"], "resumptionToken": token.value}, now=now))
    return pages
