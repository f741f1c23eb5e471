"""Checks every response gets, whatever was asked: schema validity, responseDate, the request echo.

Schema validity uses Lectern's own OAI-PMH schema with every payload schema we have
(`metadata.schemas` key `oai-pmh`). Two kinds of libxml2 error are not the envelope's fault and are
left to others: errors inside `<metadata>` belong to the record check, which judges each record
against a profile (so a bad record is reported once, as a record); and a description or about
payload in a namespace we have no schema for cannot be checked offline, which is noted, not failed.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lxml import etree

from metadata import schemas
from metadata.datestamps import SECONDS, granularity_of
from metadata.namespaces import OAI_PMH, clark

NS = {"oai": OAI_PMH}
_METADATA = clark(OAI_PMH, "metadata")
_CONTAINERS = frozenset(clark(OAI_PMH, name) for name in ("metadata", "about", "description", "setDescription"))
_UNDECLARED = "SCHEMAV_CVC_ELT_1"
_ECHO_DROPPED = frozenset({"badVerb", "badArgument"})


@dataclass(frozen=True)
class SchemaVerdict:
    """Envelope errors (`line: message`) and payload namespaces we could not check."""

    errors: tuple[str, ...]
    unchecked: frozenset[str]


def schema_verdict(root: etree._Element) -> SchemaVerdict:
    """Validate `root` against our OAI-PMH schema, sorting libxml2's errors as the module says."""
    validator = schemas.lxml_schema("oai-pmh")
    if validator.validate(root):
        return SchemaVerdict((), frozenset())
    errors, unchecked = [], set()
    prefixes = {prefix: uri for element in root.iter() if isinstance(element.tag, str)
                for prefix, uri in element.nsmap.items() if prefix}
    for entry in validator.error_log:
        element = _element_at(root, entry.path, prefixes)
        if element is not None and _inside_metadata(element):
            continue
        if element is not None and entry.type_name == _UNDECLARED and element.getparent().tag in _CONTAINERS:
            unchecked.add(etree.QName(element).namespace or "no namespace")
            continue
        errors.append(f"line {entry.line}: {_plain(entry.message)}")
    return SchemaVerdict(tuple(errors), frozenset(unchecked))


def _element_at(root: etree._Element, path: str | None, prefixes: dict[str, str]) -> etree._Element | None:
    """The element a libxml2 error path names (its prefixed steps use the document's prefixes)."""
    if not path:
        return None
    try:
        found = root.getroottree().xpath(path, namespaces=prefixes)
    except etree.XPathError:
        return None
    return found[0] if found and isinstance(found[0], etree._Element) else None


def _inside_metadata(element: etree._Element) -> bool:
    return any(ancestor.tag == _METADATA for ancestor in element.iterancestors())


def _plain(message: str) -> str:
    """libxml2's message with the OAI-PMH namespace dropped from element names (it is implied)."""
    return message.replace("{" + OAI_PMH + "}", "")


def response_date_problem(root: etree._Element) -> str | None:
    """Why the responseDate is not a UTC time in seconds (`YYYY-MM-DDThh:mm:ssZ`), or None."""
    value = root.findtext("oai:responseDate", namespaces=NS)
    if value is None:
        return "no responseDate"
    if granularity_of(value.strip()) != SECONDS:
        return f"responseDate {value!r}"
    return None


def request_echo_problems(
    root: etree._Element, base_url: str, arguments: Sequence[tuple[str, str]]
) -> Iterator[str]:
    """How the `<request>` element differs from what spec 3.2 asks: the base URL as content; the
    request's arguments as attributes for an answer without error, none after badVerb or
    badArgument, and after other errors (where the spec is silent) no value that was not asked."""
    request = root.find("oai:request", namespaces=NS)
    if request is None:
        yield "no request element"
        return
    echoed = (request.text or "").strip()
    if echoed != base_url:
        yield f"request element content {echoed!r} (the base URL asked was {base_url!r})"
    codes = {error.get("code") for error in root.iterfind("oai:error", namespaces=NS)}
    asked, attributes = dict(arguments), dict(request.attrib)
    if codes & _ECHO_DROPPED:
        expected = {}
    elif codes:
        expected = {name: asked[name] for name in attributes if name in asked}
        expected = expected if len(expected) == len(attributes) else asked
    else:
        expected = asked
    if attributes != expected:
        yield f"request attributes {_attributes(attributes)}, expected {_attributes(expected)}"


def _attributes(values: dict[str, str]) -> str:
    return " ".join(f'{name}="{value}"' for name, value in sorted(values.items())) or "none"
