"""Simple Dublin Core: the fifteen-element record, read from and written as `oai_dc`.

Every OAI-PMH provider must serve `oai_dc`, and some partners offer nothing else, so this module is
both the last step of the catalogue's write path (LOM → DC → stored `oai_dc` bytes) and the first step
of harvesting DC-only partners (`oai_dc` → `DCRecord` → crosswalk to LOM).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields
from os import PathLike
from typing import Union

from lxml import etree

from . import xmlsafe
from .errors import EncodeError, UnknownFormatError
from .memo import cached
from .namespaces import DC, OAI_DC, XML, XSI, clark, split_clark

OAI_DC_SCHEMA_LOCATION = f"{OAI_DC} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
"""The `xsi:schemaLocation` every stored `oai_dc` fragment carries, as the OAI-PMH spec's examples do."""

_ROOT = clark(OAI_DC, "dc")
_XML_LANG = clark(XML, "lang")

# The complement of XML 1.0's `Char` production: what no XML document may contain in any form.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_C0_CONTROLS = bytes(set(range(0x20)) - {0x09, 0x0A, 0x0D})
_NONCHARACTER_BYTES = re.compile(b"\xef\xbf[\xbe\xbf]")  # U+FFFE and U+FFFF in UTF-8
_SURROGATE_BYTES = re.compile(b"\xed[\xa0-\xbf]")  # U+D800-DFFF as "surrogatepass" writes them
# `xs:language`, the type of `xml:lang` in the schema `oai_dc.xsd` imports.
_LANGUAGE_TAG = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*\Z")

DCSource = Union[bytes, str, PathLike, etree._Element]


@dataclass(frozen=True)
class DCValue:
    """One element's text and its `xml:lang` (None when the record does not say)."""

    text: str
    language: str | None = None


@dataclass(frozen=True)
class DCRecord:
    """A Simple DC record: every DCMES 1.1 element, repeatable, in DCMES order."""

    title: tuple[DCValue, ...] = ()
    creator: tuple[DCValue, ...] = ()
    subject: tuple[DCValue, ...] = ()
    description: tuple[DCValue, ...] = ()
    publisher: tuple[DCValue, ...] = ()
    contributor: tuple[DCValue, ...] = ()
    date: tuple[DCValue, ...] = ()
    type: tuple[DCValue, ...] = ()
    format: tuple[DCValue, ...] = ()
    identifier: tuple[DCValue, ...] = ()
    source: tuple[DCValue, ...] = ()
    language: tuple[DCValue, ...] = ()
    relation: tuple[DCValue, ...] = ()
    coverage: tuple[DCValue, ...] = ()
    rights: tuple[DCValue, ...] = ()


ELEMENTS: tuple[str, ...] = tuple(field.name for field in fields(DCRecord))
"""The fifteen DCMES element names in DCMES order, which is also the order `write_oai_dc` uses."""

_OPEN = (
    f'<oai_dc:dc xmlns:oai_dc="{OAI_DC}" xmlns:dc="{DC}" xmlns:xsi="{XSI}" '
    f'xsi:schemaLocation="{OAI_DC_SCHEMA_LOCATION}">'
)
_EMPTY = (_OPEN[:-1] + "/>").encode("utf-8")


def read_dc(source: DCSource) -> DCRecord:
    """Read the fifteen elements from an `oai_dc:dc` root or from any container of `dc:*` children.

    Reading is lenient on purpose: harvested `oai_dc` often breaks the schema in ways that do not
    matter for the values (a stray element, a DC term in the wrong namespace), and judging a record
    is `validation`'s job, not the reader's. Surrounding whitespace is dropped, empty elements are
    skipped, and `xml:lang` is inherited from ancestors as XML defines it.
    """
    container = source if isinstance(source, etree._Element) else xmlsafe.parse(source).getroot()
    children = [child for child in container if isinstance(child.tag, str)]
    if container.tag != _ROOT and not any(split_clark(child.tag)[0] == DC for child in children):
        raise UnknownFormatError(f"<{container.tag}> is neither oai_dc:dc nor a container of dc:* elements")
    values: dict[str, list[DCValue]] = {name: [] for name in ELEMENTS}
    for child in children:
        namespace, name = split_clark(child.tag)
        text = "".join(child.itertext()).strip()
        if namespace == DC and name in values and text:
            values[name].append(DCValue(text, _inherited_language(child)))
    return DCRecord(**{name: tuple(found) for name, found in values.items()})


def _inherited_language(element: etree._Element) -> str | None:
    for node in (element, *element.iterancestors()):
        language = node.get(_XML_LANG)
        if language is not None:
            return language.strip() or None
    return None


def write_oai_dc(record: DCRecord) -> bytes:
    """Encode `record` as a self-contained `<oai_dc:dc>` fragment: UTF-8, no XML declaration.

    The catalogue renders these bytes once per stored record and the provider splices them into
    OAI-PMH envelopes unchanged, so they declare their own namespaces and are deterministic (DCMES
    order, fixed prefixes, no indentation). This runs on the write path of every record, thousands a
    second, so it joins strings: building an lxml tree to serialise it cost four times as much, and
    xmlschema is tens of times slower still. The flat, fixed shape leaves nothing to get wrong but
    escaping, which `_element` does as libxml2 does (the bytes are those lxml wrote), and the tests
    validate the output against the official schema across the corpus.

    Text XML cannot carry (control characters, U+FFFE/U+FFFF, lone surrogates) and an `xml:lang`
    that is not a language tag raise `EncodeError` instead of being dropped: stripping would change a
    stored record silently, whereas `xmlsafe.strip_illegal_characters` is the explicit recovery step
    that reports what it removed.
    """
    return write_oai_dc_values(
        (name, value.text, value.language) for name in ELEMENTS for value in getattr(record, name)
    )


def write_oai_dc_values(values: Iterable[tuple[str, str, str | None]]) -> bytes:
    """`write_oai_dc` of values given as (element name, text, `xml:lang` or None) in DCMES order,
    for a writer that has no use for a `DCRecord` (the crosswalk, for every record stored)."""
    values = list(values)
    if not values:
        return _EMPTY
    data = "".join([_OPEN, *map(_element, values), "</oai_dc:dc>"]).encode("utf-8", "surrogatepass")
    if not _writable(data, values):
        for name, text, language in values:  # find the first value at fault, to name it
            xml_text(text, f"dc:{name}")
            if language is not None:
                _checked_language(name, language)
    return data


def _element(value: tuple[str, str, str | None]) -> str:
    """One `dc:` element, its text escaped as libxml2 escapes it (`escape_text`)."""
    name, text, language = value
    text = escape_text(text)
    if language is None:
        return f"<dc:{name}>{text}</dc:{name}>"
    return f'<dc:{name} xml:lang="{language}">{text}</dc:{name}>'


def escape_text(text: str) -> str:
    """`text` escaped as libxml2 escapes element text: markup characters as entities, CR as a
    reference (a raw CR would be read back as LF). Writers that build XML as text use it, so their
    bytes equal lxml's."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _writable(data: bytes, values: list[tuple[str, str, str | None]]) -> bool:
    """Whether XML can carry the encoded fragment and each `xml:lang` is a language tag.

    Checked on the bytes, where C finds what a regular expression over the text took 7 us per record
    to find: C0 controls but tab, LF and CR; U+FFFE and U+FFFF; lone surrogates, which the
    "surrogatepass" encoding writes as ED A0-BF.
    """
    return (
        len(data.translate(None, _C0_CONTROLS)) == len(data)
        and not (b"\xef\xbf" in data and _NONCHARACTER_BYTES.search(data))
        and not (b"\xed" in data and _SURROGATE_BYTES.search(data))
        and all(_is_language_tag(language) for _, _, language in values if language is not None)
    )


@cached(maxsize=1024)
def _is_language_tag(language: str) -> bool:
    return _LANGUAGE_TAG.match(language) is not None


def xml_text(text: str, where: str) -> str:
    """`text` unchanged if XML can carry it, else `EncodeError` naming `where` and the character."""
    illegal = _NOT_XML_CHAR.search(text)
    if illegal is not None:
        raise EncodeError(
            f"{where} contains U+{ord(illegal.group()):04X} at offset {illegal.start()}, which XML cannot "
            "carry; remove it before storing (xmlsafe.strip_illegal_characters reports what it removes)"
        )
    return text


@cached(maxsize=1024)
def language_tag(value: str | None) -> str | None:
    """`value` as an `xml:lang` language tag, or None when it cannot be one.

    ScoLOMFR 2 writes languages as Library of Congress URIs
    (`http://id.loc.gov/vocabulary/iso639-2/fre`); their last segment is the tag. Cached: a
    catalogue uses a handful of languages, and the crosswalk asks for one per string it maps.
    """
    if value is None:
        return None
    candidate = value.strip().rstrip("/").rsplit("/", 1)[-1] if "://" in value else value.strip()
    return candidate if _LANGUAGE_TAG.match(candidate) else None


def _checked_language(name: str, language: str) -> str:
    if not _LANGUAGE_TAG.match(language):
        raise EncodeError(
            f"dc:{name} has xml:lang {language!r}, which is not a language tag such as 'en' or 'fr-CA'"
        )
    return language
