"""How values are read out of LOM elements in an lxml tree: the rules every LOM reader shares.

`metadata.lom`'s accessors and the crosswalk's one-pass reader (`metadata.crosswalk_inputs`) build
different values, but from the same readings: text is trimmed and empty text counts as absent, a
LangString is its non-empty `string` children, a vocabulary is the first `value` (and `source`) of
an element whose `value` says something. Keeping those rules here keeps the two readers agreeing.

They work from one pass over an element's children rather than an XPath per child name: these
elements are small, and an XPath evaluation costs microseconds however little it finds. The loops
run over `element[:]`, a list of the children that lxml builds in C: iterating the element itself
makes lxml set up a tag matcher first, which costs more than reading two or three children.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator

from lxml import etree

from .namespaces import LOM, clark

NAMES = {clark(LOM, name): name for name in (
    "source", "value", "string", "catalog", "entry", "id", "role", "entity", "date", "dateTime",
    "description", "kind", "resource", "identifier", "purpose", "taxonPath", "taxon", "keyword", "type",
    "name", "minimumVersion", "maximumVersion",
)}
"""The LOM element names readers pick children by, keyed by Clark notation."""

_URL = re.compile(r"https?://[^\s<>\"'{}|\\^`]+", re.IGNORECASE)


def children(element: etree._Element) -> defaultdict[str, list[etree._Element]]:
    """The children of `element` with a name in `NAMES`, by name, in document order."""
    found = defaultdict(list)
    for child in element[:]:
        name = NAMES.get(child.tag)
        if name is not None:
            found[name].append(child)
    return found


def named(elements: Iterable[etree._Element], name: str) -> list[etree._Element]:
    """The children called `name` of each of `elements`: one step of a path."""
    return [child for element in elements for child in element[:] if NAMES.get(child.tag) == name]


def text(element: etree._Element) -> str | None:
    """The trimmed text of an element; None when it is empty, so callers can skip it."""
    return (element.text or "").strip() or None


def first_text(elements: list[etree._Element]) -> str | None:
    """The text of the first element (None if it is empty, even when a later one is not)."""
    return text(elements[0]) if elements else None


def texts(elements: Iterable[etree._Element]) -> tuple[str, ...]:
    return tuple(filter(None, map(text, elements)))


def strings(containers: Iterable[etree._Element]) -> list[tuple[str, str | None]]:
    """(text, language) of the non-empty strings of LangString elements; a blank language is None."""
    found = []
    for container in containers:
        for string in container[:]:
            if NAMES.get(string.tag) == "string":
                value = (string.text or "").strip()  # `text`, inline: this runs for every string
                if value:
                    found.append((value, (string.get("language") or "").strip() or None))
    return found


def vocabulary(element: etree._Element) -> tuple[str | None, str] | None:
    """(source, value) of a vocabulary element, or None when its first `value` is empty."""
    source = value = None
    for child in element[:]:  # `children`, inline: a record has a dozen vocabularies of two children
        name = NAMES.get(child.tag)
        if name == "value" and value is None:
            value = child
        elif name == "source" and source is None:
            source = child
    found = text(value) if value is not None else None
    return (text(source) if source is not None else None, found) if found else None


def first_vocabulary(elements: Iterable[etree._Element]) -> tuple[str | None, str] | None:
    """The first of `elements` that has a vocabulary value: LOM allows most of them once."""
    return next(filter(None, map(vocabulary, elements)), None)


def identifier(element: etree._Element) -> tuple[str | None, str] | None:
    """(catalog, entry) of an identifier, or None when its first `entry` is empty."""
    found = children(element)
    entry = first_text(found["entry"])
    return (first_text(found["catalog"]), entry) if entry else None


def urls(prose: Iterable[str]) -> Iterator[str]:
    """The http(s) URLs in prose, in order; trailing sentence punctuation is not part of a URL."""
    return (match.group().rstrip(".,;:!?)]") for value in prose for match in _URL.finditer(value))
