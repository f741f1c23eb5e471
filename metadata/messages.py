"""Schema errors turned into sentences a librarian can act on.

xmlschema explains a failure in a programmer's terms ("value doesn't match any pattern of
['[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*']", Clark names, absolute paths with prefixes). The people who
fix records need to hear which element, on which line, what is wrong with it in the standard's words,
and what to do instead. `explain` classifies an error into a kind (the table `_KINDS`, first match
wins) and writes the sentence for that kind; `explain_log_entry` does the same, more coarsely, for
the rare failure only libxml2 reports.

Paths are relative to the record: local names, with a 1-based position only where a name repeats
among its siblings (`lom/general/title/string[2]`), so a path reads the same in a standalone file, an
OAI-PMH response or a content package.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree
from xmlschema import XMLSchemaChildrenValidationError, XMLSchemaValidationError

from . import namespaces as ns
from .formats import FORMATS, language_fault, quoted

NAMESPACE_NAMES = {
    ns.LOM: "IEEE LOM",
    ns.LOMFR: "LOM-FR",
    ns.SCOLOMFR: "ScoLOMFR",
    ns.LOMES: "LOM-ES",
    ns.IMSMD_V1P2: "IMS Meta-data 1.2",
    ns.IMSMD_ROOT_V1P2P1: "IMS Meta-data 1.2.1",
    ns.IMSCP: "IMS Content Packaging",
    ns.DC: "Dublin Core",
    ns.OAI_DC: "oai_dc",
    ns.OAI_PMH: "OAI-PMH",
}
"""Names people know namespaces by; an unlisted namespace is shown as its URI."""

_FLAVOUR_HINTS = {
    ("lom-strict", "extension"): (
        "; the strict LOM profile allows no extensions — use the lom-loose profile or remove it"
    ),
    ("lom-strict", "vocabulary-source"): (
        "; strict LOM accepts only LOMv1.0 values (the lom-loose profile accepts other vocabularies)"
    ),
}
_VALUE_EXPECTATIONS = {
    "dateTime": FORMATS["iso8601-datetime"].expected,
    "duration": FORMATS["iso8601-duration"].expected,
    "size": "a whole number of bytes (e.g. 1048576)",
}
_ATTRIBUTE_REASON = re.compile(r"attribute (?P<name>[\w:.-]+)=")
_UNWANTED_ATTRIBUTE = re.compile(r"'(?P<name>[^']+)' attribute not allowed")
_CLARK = re.compile(r"\{[^}]*\}")


@dataclass(frozen=True)
class Explanation:
    """Where a schema error is and what it means: `kind` is the bucket (`language`, `extension`...)."""

    line: int | None
    path: str
    kind: str
    text: str


def namespace_name(namespace: str) -> str:
    """The name people know `namespace` by (`LOM-FR`), or the URI itself."""
    return NAMESPACE_NAMES.get(namespace, namespace or "no namespace")


def local_name(element: etree._Element) -> str:
    """The element's name without its namespace."""
    return etree.QName(element).localname


def element_path(element: etree._Element, record: etree._Element) -> str:
    """`lom/general/title/string[2]`: local names from `record` down to `element`."""
    steps = []
    node: etree._Element | None = element
    while node is not None:
        step = local_name(node)
        parent = node.getparent()
        if node is not record and parent is not None:
            same = list(parent.iterchildren(node.tag))
            if len(same) > 1:
                step += f"[{same.index(node) + 1}]"
        steps.append(step)
        node = None if node is record else parent
    return "/".join(reversed(steps))


def explain(error: XMLSchemaValidationError, record: etree._Element, schema: str) -> Explanation:
    """The librarian's sentence for one xmlschema error about `record`, validated with `schema`.

    An element the content model rejects is pointed at itself (its line, its path), not at the
    parent whose content failed, because that is where the librarian has to act.
    """
    element = _rejected_child(error)
    if element is None:
        element = error.elem if isinstance(error.elem, etree._Element) else record
    for kind, describe in _KINDS:
        text = describe(error, element)
        if text is not None:
            break
    else:
        kind, text = "other", _other(error, element)
    text += _FLAVOUR_HINTS.get((schema, kind), "")
    return Explanation(element.sourceline, element_path(element, record), kind, text)


def explain_log_entry(entry: etree._LogEntry, record: etree._Element) -> Explanation:
    """A libxml2 error explained as well as its text allows: used only where xmlschema is silent."""
    element = next((node for node in record.iter() if node.sourceline == entry.line), record)
    text = re.sub(r"^Element '[^']*'(, attribute '[^']*')?: ", "", entry.message)
    text = _CLARK.sub("", text).rstrip(".")
    return Explanation(entry.line, element_path(element, record), "schema", _sentence(text))


def condense(explanations: list[Explanation]) -> list[Explanation]:
    """Drop repeats (lax validation can report one fault twice) and consequences: a vocabulary value
    is not also wrong for a vocabulary whose source was already rejected."""
    distinct = list(dict.fromkeys(explanations))
    rejected = {item.path.rpartition("/")[0] for item in distinct if item.kind == "vocabulary-source"}
    return [
        item
        for item in distinct
        if not (item.kind == "vocabulary" and item.path.rpartition("/")[0] in rejected)
    ]


def _sentence(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _value(error: XMLSchemaValidationError) -> str | None:
    return error.obj if isinstance(error.obj, str) else None


def _rejected_child(error: XMLSchemaValidationError) -> etree._Element | None:
    """The child the content model rejected, for 'unexpected child' errors."""
    if isinstance(error, XMLSchemaChildrenValidationError):
        child = getattr(error, "invalid_child", None)
        return child if isinstance(child, etree._Element) else None
    return None


def _language(error: XMLSchemaValidationError, element: etree._Element) -> str | None:
    value = _value(error)
    attribute = _ATTRIBUTE_REASON.match(error.reason or "")
    named = attribute.group("name") if attribute else local_name(element)
    if value is None or named != "language":
        return None
    return language_fault(value) or f"the language {quoted(value)} is not allowed here"


def _repeated(error: XMLSchemaValidationError, element: etree._Element) -> str | None:
    """LOM's "at most once" is an identity constraint in our XSDs, as in the IEEE binding."""
    if "duplicated value" not in (error.reason or ""):
        return None
    return f"element '{local_name(element)}' may appear only once{_in_parent(element)}"


def _extension(error: XMLSchemaValidationError, element: etree._Element) -> str | None:
    parent = element.getparent()
    if _rejected_child(error) is None or parent is None:
        return None
    namespace = etree.QName(element).namespace
    if namespace == etree.QName(parent).namespace:
        return None
    name = namespace_name(namespace or "")
    return f"element '{local_name(element)}' (namespace {name}) is not allowed here"


def _unexpected(error: XMLSchemaValidationError, element: etree._Element) -> str | None:
    if _rejected_child(error) is None:
        return None
    allowed = sorted({etree.QName(name).localname for name in _allowed_children(error)})
    text = f"element '{local_name(element)}' is not allowed{_in_parent(element)}"
    close = difflib.get_close_matches(local_name(element), allowed, n=1)
    if close:
        return f"{text}; did you mean '{close[0]}'?"
    return f"{text} (allowed: {', '.join(allowed)})" if allowed else text


def _in_parent(element: etree._Element) -> str:
    parent = element.getparent()
    return f" in '{local_name(parent)}'" if parent is not None else ""


def _allowed_children(error: XMLSchemaValidationError) -> list[str]:
    """Names the content model would have taken; wildcards (name None) name nothing."""
    iter_elements = getattr(error.validator, "iter_elements", None)
    names = [component.name for component in iter_elements()] if iter_elements else []
    return [name for name in names if name]


def _vocabulary_source(error: XMLSchemaValidationError, element: etree._Element) -> str | None:
    enumeration = getattr(error.validator, "enumeration", None)
    value = _value(error)
    if enumeration is None or value is None or local_name(element) != "source":
        return None
    return f"{quoted(value)} is not a {' or '.join(map(str, enumeration))} vocabulary source"


def _vocabulary(error: XMLSchemaValidationError, element: etree._Element) -> str | None:
    enumeration = getattr(error.validator, "enumeration", None)
    value = _value(error)
    if enumeration is None or value is None:
        return None
    return f"value {quoted(value)} is not one of: {', '.join(map(str, enumeration))}"


def _text_not_allowed(error: XMLSchemaValidationError, element: etree._Element) -> str | None:
    if "character data" not in (error.reason or "").lower():
        return None
    return f"'{local_name(element)}' holds text between its elements; only child elements belong there"


def _attribute(error: XMLSchemaValidationError, element: etree._Element) -> str | None:
    unwanted = _UNWANTED_ATTRIBUTE.match(error.reason or "")
    if unwanted is None:
        return None
    name = _CLARK.sub("", unwanted.group("name"))
    return f"attribute '{name}' is not allowed on '{local_name(element)}'"


def _value_format(error: XMLSchemaValidationError, element: etree._Element) -> str | None:
    value = _value(error)
    if value is None:
        return None
    expected = _VALUE_EXPECTATIONS.get(local_name(element))
    if expected is None:
        return f"{quoted(value)} is not a valid value for '{local_name(element)}'"
    return f"{quoted(value)} is not {expected}"


def _other(error: XMLSchemaValidationError, element: etree._Element) -> str:
    reason = _CLARK.sub("", error.reason or "the schema rejects this element").rstrip(".")
    return f"'{local_name(element)}': {_sentence(reason)}"


_KINDS: tuple[tuple[str, Callable[[XMLSchemaValidationError, etree._Element], str | None]], ...] = (
    ("language", _language),
    ("repeated", _repeated),
    ("extension", _extension),
    ("unexpected", _unexpected),
    ("vocabulary-source", _vocabulary_source),
    ("vocabulary", _vocabulary),
    ("text-not-allowed", _text_not_allowed),
    ("attribute", _attribute),
    ("value", _value_format),
)
"""Error kinds in the order they are tried; `other` takes whatever none of them describes."""
