"""What national networks are known to send that IEEE LOM spells otherwise, put right with a note each.

Harvested records are rewritten only where the meaning is not in doubt, and every rewrite is
counted into a note, so the record's provenance can say it was altered and the report can say how:

- a vocabulary source named after a national profile (`LOMnlv1.0`, `LOM-FRv1.0`, `LOMFRv1.0`, ...)
  or left empty, with a value that is a LOMv1.0 term of that element, becomes `LOMv1.0` (a term of
  the profile's own vocabulary keeps its source);
- a language given as an id.loc.gov URI (ScoLOMFR 2) becomes its ISO 639 code
  (`metadata.legacy.language_code`);
- a string's `language` attribute `none`, `x-none`, `mul` or empty ("no single language") is
  dropped, as LOM asks for a string in no particular language; a `language` element saying `x-none`
  becomes LOM's `none` in general (the resource has no language) and is dropped elsewhere, as is
  `none` outside general (metadata and users always have a language);
- a date-time without a time zone is read as UTC and gets `Z`.
"""
from __future__ import annotations

import functools
import re
from collections import Counter

from lxml import etree
from xmlschema.validators import XsdElement

from metadata import schemas
from metadata.legacy import language_code
from metadata.namespaces import LOM, clark, split_clark

LOM_SOURCE = "LOMv1.0"
_NATIONAL_SOURCE = re.compile(r"\s*(LOM-?[A-Za-z]{2,3}v1\.0)?\s*\Z")
_NO_LANGUAGE = frozenset({"", "none", "x-none", "mul"})
_LOCAL_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?\Z")
_SOURCE, _VALUE, _STRING = clark(LOM, "source"), clark(LOM, "value"), clark(LOM, "string")
_LANGUAGE, _DATE_TIME, _GENERAL = clark(LOM, "language"), clark(LOM, "dateTime"), clark(LOM, "general")


@functools.cache
def lom_terms() -> dict[str, frozenset[str]]:
    """LOMv1.0 terms by vocabulary element name, read from our loose schema (`role` unites the
    life-cycle and meta-metadata roles; a value's fit is then the schema's and profile's to judge)."""
    schema = schemas.xsd("lom-loose")
    found: dict[str, set[str]] = {}
    pending: list[XsdElement] = [schema.elements["lom"]]
    visited: set[int] = set()
    while pending:
        declaration = pending.pop()
        if id(declaration) in visited:
            continue
        visited.add(id(declaration))
        kind = declaration.type
        name = split_clark(kind.name or "")[1]
        if name.endswith("Vocabulary"):
            terms = schema.types[name.removesuffix("Vocabulary") + "Terms"]
            found.setdefault(declaration.local_name, set()).update(terms.enumeration or ())
        if not (kind.is_simple() or kind.has_simple_content()):
            pending.extend(child for child in kind.content.iter_elements() if child.name)
    return {name: frozenset(terms) for name, terms in found.items()}


def normalise(record: etree._Element) -> tuple[str, ...]:
    """Put the known quirks of `record` (an IEEE LOM root, changed in place) right; one note per kind."""
    notes: Counter[str] = Counter()
    _fix_sources(record, notes)
    _fix_languages(record, notes)
    _fix_dates(record, notes)
    return tuple(f"{note} (×{count})" if count > 1 else note for note, count in notes.items())


def _fix_sources(record: etree._Element, notes: Counter[str]) -> None:
    terms = lom_terms()
    for source in record.iter(_SOURCE):
        written = source.text or ""
        if written == LOM_SOURCE or not _NATIONAL_SOURCE.match(written):
            continue  # nearly every source: LOMv1.0, or a vocabulary of its own
        vocabulary = source.getparent()
        value = vocabulary.find(_VALUE)
        if value is not None and (value.text or "").strip() in terms.get(etree.QName(vocabulary).localname, ()):
            source.text = LOM_SOURCE
            notes[f"vocabulary source {written.strip() or '(empty)'!r} of a LOMv1.0 term written as LOMv1.0"] += 1


def _fix_languages(record: etree._Element, notes: Counter[str]) -> None:
    for string in record.iter(_STRING):
        value = string.get("language")
        if value is None:
            continue
        if _may_be_uri(value) and language_code(value):
            string.set("language", language_code(value))
            notes["replaced language URIs by their language codes"] += 1
        elif value.strip().lower() in _NO_LANGUAGE:
            del string.attrib["language"]
            notes[f"dropped language {value.strip()!r} of a string (no single language)"] += 1
    for language in list(record.iter(_LANGUAGE)):
        if _may_be_uri(language.text or "") and language_code(language.text or ""):
            language.text = language_code(language.text or "")
            notes["replaced language URIs by their language codes"] += 1
        value = (language.text or "").strip().lower()
        parent = language.getparent()
        if value == "x-none" and parent.tag == _GENERAL:
            language.text = "none"
            notes["general/language 'x-none' written as LOM's 'none'"] += 1
        elif value in ("x-none", "none") and parent.tag != _GENERAL:
            _remove(language)
            notes[f"dropped {etree.QName(parent).localname}/language {value!r} (not a language)"] += 1


def _may_be_uri(value: str) -> bool:
    """A cheap first look: codes (`nl`, `en-GB`) are most languages and are no URI."""
    return ":" in value


def _fix_dates(record: etree._Element, notes: Counter[str]) -> None:
    for moment in record.iter(_DATE_TIME):
        if _LOCAL_TIME.match((moment.text or "").strip()):
            moment.text = moment.text.strip() + "Z"
            notes["read a date-time without time zone as UTC"] += 1


def _remove(element: etree._Element) -> None:
    """Remove an element without losing the whitespace that followed it."""
    parent = element.getparent()
    previous = element.getprevious()
    if element.tail and previous is not None:
        previous.tail = element.tail
    parent.remove(element)
