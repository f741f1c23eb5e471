"""Legacy LOM variants: recognise them, and normalise them to IEEE LOM with a note for every change.

Much LOM in the wild predates the IEEE XML binding or bends it: IMS Meta-data 1.2 (SCORM 1.2 and
NL-LOM packages, lower-case names, `<langstring xml:lang>`, vocabularies wrapped in langstrings,
`<centity><vcard>`), IMS Common Cartridge's copies of LOM in their own namespaces, HS-OER-LOM, and
application profiles that write IEEE LOM with quirks (LOM-ES, ScoLOMFR 2 language URIs).

Normalising is driven by our loose schema rather than by a second table of LOM: each element is
renamed to the LOM child its parent's content model admits (exactly, ignoring case, or by a known
legacy alias), and the schema says whether that child holds text (so a wrapping `<langstring>` or
`<vcard>` is unwrapped) or elements (so bare text is wrapped in `<string>` or `<entry>`). Elements
with no LOM counterpart stay, in their own namespace, as extension elements; LOM-namespace elements
LOM does not define cannot stay and are dropped. Every change is counted into a plain-language note,
because an importer must be able to tell a librarian what was altered.
"""
from __future__ import annotations

import copy
import functools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree
from xmlschema.validators import XsdElement

from . import schemas
from .errors import UnknownFormatError
from .namespaces import (
    HSOERLOM,
    IMSCC_LOM_PREFIX,
    IMSMD_ROOT_V1P2_IMSPROJECT,
    IMSMD_ROOT_V1P2P1,
    IMSMD_ROOT_V1P2P1_IMSPROJECT,
    IMSMD_V1P2,
    LOM,
    LOMES,
    XML,
    XSI,
    clark,
    split_clark,
)

_LOM_ROOT = clark(LOM, "lom")
_XML_LANG = clark(XML, "lang")

_VARIANTS = {
    IMSMD_V1P2: "IMS Meta-data 1.2",
    IMSMD_ROOT_V1P2P1: "IMS Meta-data 1.2.1",
    IMSMD_ROOT_V1P2P1_IMSPROJECT: "IMS Meta-data 1.2.1 (imsproject.org namespace)",
    IMSMD_ROOT_V1P2_IMSPROJECT: "IMS Meta-data 1.2 (imsproject.org namespace)",
    HSOERLOM: "HS-OER-LOM",
    LOMES: "LOM-ES (own namespace)",
}
_COMMON_CARTRIDGE = re.compile(re.escape(IMSCC_LOM_PREFIX) + r"(?:v(\d+)p(\d+))?/LOM(?:/\w+)?")

# Legacy element names whose LOM counterpart is not the same word: the first candidate the parent's
# content model admits wins (IMS `datetime` is `dateTime` in a date, `duration` in a duration).
_ALIASES = {
    "catalogentry": ("identifier",),
    "centity": ("entity",),
    "person": ("entity",),
    "metadatascheme": ("metadataSchema",),
    "langstring": ("string",),
    "datetime": ("dateTime", "duration"),
}
# Where bare text sits in an element that LOM gives element content, it belongs in one of these.
_TEXT_HOLDERS = ("string", "entry")
_LANGUAGE_URI = re.compile(r"https?://id\.loc\.gov/vocabulary/iso639-[12]/([A-Za-z]{2,3})/?")

Notes = Counter


@dataclass(frozen=True)
class Normalised:
    """A record rewritten as IEEE LOM, and what was changed to get there (empty when nothing was)."""

    lom: etree._Element
    notes: tuple[str, ...]


def variant_of(element: etree._Element) -> str | None:
    """The legacy variant a `lom` root element is written in; None for IEEE LOM and for non-LOM."""
    if not isinstance(element.tag, str):
        return None
    namespace, local = split_clark(element.tag)
    if local != "lom" or namespace == LOM:
        return None
    if namespace in _VARIANTS:
        return _VARIANTS[namespace]
    cartridge = _COMMON_CARTRIDGE.fullmatch(namespace)
    if cartridge is None:
        return None
    version = ".".join(cartridge.groups()) if cartridge.group(1) else "1.0"
    return f"IMS Common Cartridge {version} LOM"


def is_lom_root(element: etree._Element) -> bool:
    """True for an IEEE LOM `lom` element and for the root of every variant `normalise` handles."""
    return element.tag == _LOM_ROOT or variant_of(element) is not None


def normalise(element: etree._Element) -> Normalised:
    """Rewrite a LOM root element of any recognised variant as a new IEEE LOM element.

    IEEE LOM records go through the same steps, which repair the quirks of some producers; a record
    that needs nothing comes back as an equal copy with no notes. The input is never modified.
    """
    variant = variant_of(element)
    if variant is None and element.tag != _LOM_ROOT:
        raise UnknownFormatError(f"{element.tag} is not a LOM record in any variant Lectern knows")
    notes: Notes = Counter()
    if variant:
        notes[f"converted from {variant} to IEEE LOM"] += 1
    source = copy.deepcopy(element)
    for fix in _SHAPE_FIXES:
        fix(source, notes)
    lom = _new_root(source, variant is not None, notes)
    _convert(lom, _root_declaration(), split_clark(element.tag)[0], notes)
    etree.cleanup_namespaces(lom)
    return Normalised(lom, tuple(f"{note} (×{n})" if n > 1 else note for note, n in notes.items()))


# -- the content model, read from the loose schema ---------------------------------------------------


def _root_declaration() -> XsdElement:
    return schemas.xsd("lom-loose").elements["lom"]


@functools.cache
def _model(declaration: XsdElement) -> dict[str, XsdElement]:
    """Child declarations of an element declaration, by local name (wildcards left out)."""
    if _holds_text(declaration):
        return {}
    return {child.local_name: child for child in declaration.type.content.iter_elements() if child.name}


@functools.cache
def _by_lower_case(declaration: XsdElement) -> dict[str, str]:
    return {name.lower(): name for name in _model(declaration)}


def _lom_name(local: str, parent: XsdElement) -> str | None:
    """The LOM name a legacy child called `local` takes inside `parent`, or None when it has none."""
    model = _model(parent)
    if local in model:
        return local
    found = _by_lower_case(parent).get(local.lower())
    if found:
        return found
    return next((name for name in _ALIASES.get(local.lower(), ()) if name in model), None)


def _holds_text(declaration: XsdElement) -> bool:
    return declaration.type.is_simple() or declaration.type.has_simple_content()


def _accepts(declaration: XsdElement, text: str) -> bool:
    simple = declaration.type if declaration.type.is_simple() else declaration.type.content
    return simple.text_is_valid(text)


# -- rewriting ------------------------------------------------------------------------------------


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _new_root(source: etree._Element, legacy: bool, notes: Notes) -> etree._Element:
    nsmap = {prefix: uri for prefix, uri in source.nsmap.items() if prefix and uri != LOM}
    lom = etree.Element(_LOM_ROOT, nsmap={None: LOM, **nsmap})
    for name, value in source.attrib.items():
        if legacy and name == clark(XSI, "schemaLocation"):
            notes["dropped xsi:schemaLocation, which named the legacy schema"] += 1
        else:
            lom.set(name, value)
    lom.text = source.text
    lom.extend(list(source))
    return lom


def _convert(element: etree._Element, declaration: XsdElement, namespace: str, notes: Notes) -> None:
    """Rename the children of `element` (already LOM) into LOM, fit their content, and recurse."""
    for child in list(element):
        if not isinstance(child.tag, str) or split_clark(child.tag)[0] not in (LOM, namespace):
            continue  # comments, and extension elements of other namespaces, stay as they are
        name = _lom_name(_local(child), declaration)
        if name is None:
            _no_counterpart(child, _local(element), notes)
            continue
        _rename(child, name, notes)
        child_declaration = _model(declaration)[name]
        _fit_content(child, child_declaration, notes)
        _fit_attributes(child, child_declaration, notes)
        _fix_languages(child, notes)
        if _holds_text(child_declaration) and not _accepts(child_declaration, child.text or ""):
            value = child.text or ""
            notes[f"dropped {_local(element)}/{name}, whose value {value!r} LOM does not allow"] += 1
            _remove(child)
            continue
        _convert(child, child_declaration, namespace, notes)
        _fix_vocabulary_case(child, child_declaration, notes)


def _no_counterpart(child: etree._Element, parent: str, notes: Notes) -> None:
    if split_clark(child.tag)[0] == LOM:
        notes[f"dropped {parent}/{_local(child)}, which LOM does not define"] += 1
        _remove(child)
    else:
        notes[f"kept {_local(child)} in {parent} as an extension element (no LOM counterpart)"] += 1


def _rename(child: etree._Element, name: str, notes: Notes) -> None:
    new_tag = clark(LOM, name)
    if child.tag == new_tag:
        return
    if _local(child) != name:
        notes[f"renamed {_local(child)} to {name}"] += 1
    else:
        notes[f"moved {split_clark(child.tag)[0]} elements into the LOM namespace"] += 1
    child.tag = new_tag


def _fit_content(child: etree._Element, declaration: XsdElement, notes: Notes) -> None:
    """Unwrap text LOM holds directly; wrap bare text LOM holds in a child element."""
    if _holds_text(declaration):
        _unwrap(child, notes)
        return
    text = (child.text or "").strip()
    if not text:
        return
    name = _local(child)
    child.text = child.text[: len(child.text) - len(child.text.lstrip())]
    holder = next((holder for holder in _TEXT_HOLDERS if holder in _model(declaration)), None)
    if holder is None:
        notes[f"dropped text directly inside {name}"] += 1
        return
    wrapper = etree.Element(clark(LOM, holder))
    wrapper.text = text
    child.insert(0, wrapper)
    notes[f"wrapped the text of {name} in {holder}"] += 1


def _unwrap(child: etree._Element, notes: Notes) -> None:
    """Replace the wrappers (`<langstring>`, `<vcard>`) in a text-only LOM element by their text."""
    inner = [node for node in child if isinstance(node.tag, str)]
    if not inner:
        return
    name = _local(child)
    texts = [text for text in ((node.text or "").strip() for node in inner) if text]
    notes[f"unwrapped {_local(inner[0])} in {name}"] += 1
    if len(texts) > 1:
        notes[f"kept the first of {len(texts)} values in {name}"] += 1
    for node in list(child):
        child.remove(node)
    child.text = texts[0] if texts else ""


def _fit_attributes(child: etree._Element, declaration: XsdElement, notes: Notes) -> None:
    allowed = {} if declaration.type.is_simple() else declaration.type.attributes
    for attribute, value in list(child.attrib.items()):
        if attribute == _XML_LANG and "language" in allowed:
            del child.attrib[attribute]
            child.set("language", value)
            notes[f"renamed xml:lang to language on {_local(child)}"] += 1
        elif attribute in allowed and allowed[attribute].fixed in (None, value):
            continue
        elif split_clark(attribute)[0] != XSI:
            del child.attrib[attribute]
            notes[f"dropped attribute {attribute} of {_local(child)}"] += 1


def _remove(element: etree._Element) -> None:
    """Remove an element, keeping its tail text (lxml's remove would take the tail along)."""
    parent = element.getparent()
    previous = element.getprevious()
    if element.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


# -- fixes of shape, run on the record as written (names compared case-insensitively) -----------


def _named(root: etree._Element, name: str) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str) and _local(e).lower() == name]


def _flatten_taxa(root: etree._Element, notes: Notes) -> None:
    """IMS Meta-data nests each taxon in the one above it; LOM lists them in order in the taxonPath."""
    for taxon in _named(root, "taxon"):
        parent = taxon.getparent()
        if parent is not None and _local(parent).lower() == "taxon":
            parent.addnext(taxon)
            notes["moved nested taxon up into its taxonPath"] += 1


def _wrap_alternatives(root: etree._Element, notes: Notes) -> None:
    """IMS Meta-data puts a requirement's parts directly in it; LOM groups them in `orComposite`."""
    parts = {"type", "name", "minimumversion", "maximumversion"}
    for requirement in _named(root, "requirement"):
        loose = [n for n in requirement if isinstance(n.tag, str) and _local(n).lower() in parts]
        if loose:
            namespace = split_clark(requirement.tag)[0]
            alternative = etree.SubElement(requirement, clark(namespace, "orComposite"))
            alternative.extend(loose)
            notes["grouped the parts of requirement in orComposite"] += 1


def _regroup_stray_entries(root: etree._Element, notes: Notes) -> None:
    """Some producers write `<identifier>URI</identifier><entry>...</entry>` side by side."""
    for identifier in _named(root, "identifier"):
        stray = identifier.getnext()
        text = (identifier.text or "").strip()
        if text and len(identifier) == 0 and stray is not None and isinstance(stray.tag, str) \
                and _local(stray).lower() == "entry":
            namespace = split_clark(identifier.tag)[0]
            etree.SubElement(identifier, clark(namespace, "catalog")).text = text
            identifier.text = None
            identifier.append(stray)
            notes["moved the entry written beside identifier into it, with the text as catalog"] += 1


_SHAPE_FIXES: tuple[Callable[[etree._Element, Notes], None], ...] = (
    _flatten_taxa,
    _wrap_alternatives,
    _regroup_stray_entries,
)


# -- language values ---------------------------------------------------------------------------------


def language_code(value: str) -> str | None:
    """The code inside a language URI (ScoLOMFR 2 writes id.loc.gov URIs), or None for anything else."""
    uri = _LANGUAGE_URI.fullmatch(value.strip())
    return uri.group(1).lower() if uri else None


def _fix_languages(element: etree._Element, notes: Notes) -> None:
    """Language URIs become their codes; an empty or `x-none` ("no language") attribute goes."""
    if _local(element) == "language" and language_code(element.text or ""):
        element.text = language_code(element.text or "")
        notes["replaced language URIs by their language codes"] += 1
    value = element.get("language")
    if value is None:
        return
    if language_code(value):
        element.set("language", language_code(value))
        notes["replaced language URIs by their language codes"] += 1
    elif value.strip().lower() in ("", "x-none"):
        del element.attrib["language"]
        notes[f"removed language {value.strip()!r} (no language) from {_local(element)}"] += 1


# -- vocabulary values ------------------------------------------------------------------------------


@functools.cache
def _terms(declaration: XsdElement) -> frozenset[str]:
    """The LOMv1.0 terms of a vocabulary element (`FooVocabulary` has its terms in `FooTerms`)."""
    name = split_clark(declaration.type.name or "")[1]
    if not name.endswith("Vocabulary"):
        return frozenset()
    terms = schemas.xsd("lom-loose").types.get(name.removesuffix("Vocabulary") + "Terms")
    return frozenset(terms.enumeration or ()) if terms is not None else frozenset()


def _fix_vocabulary_case(element: etree._Element, declaration: XsdElement, notes: Notes) -> None:
    """IMS Meta-data capitalises LOMv1.0 terms ("Final", "Educational Objective"); LOM does not."""
    source, value = element.find(clark(LOM, "source")), element.find(clark(LOM, "value"))
    if source is None or value is None or (source.text or "").strip() != "LOMv1.0":
        return
    written = value.text or ""
    term = " ".join(written.split()).lower()
    if written not in _terms(declaration) and term in _terms(declaration):
        value.text = term
        notes[f"wrote LOMv1.0 {_local(element)} {written.strip()!r} as {term!r}"] += 1

