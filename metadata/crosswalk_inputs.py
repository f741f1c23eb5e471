"""What the LOM → DC crosswalk reads from a record, gathered in one walk of its tree.

`crosswalk.render_oai_dc` runs for every record stored. Read through the `lom` accessors, a record
cost a compiled XPath evaluation per accessor, one walk per accessor, and a frozen value for every
string, vocabulary, taxon and contribution that the crosswalk then turned into DC values. Here one
walk visits each element the mapping needs once, dispatching on its path, and keeps plain tuples.

The values are those the accessors give, by the rules in `metadata.lomtree` that both share; the
tests check that both agree on every corpus record.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Union

from lxml import etree

from . import lomtree as tree
from .namespaces import LOM, clark

String = tuple[str, str | None]
"""One string of a LangString: its text and its language (None when the record gives none)."""


@dataclass(frozen=True)
class Contribution:
    """A 2.3 life-cycle contribution: its role's value, its entities (vCards) and its date."""

    role: str | None
    entities: tuple[str, ...]
    date: str | None


@dataclass(frozen=True)
class Taxon:
    """A 9.2.2 taxon: its id and the strings of its entry."""

    id: str | None
    entry: tuple[String, ...]


@dataclass(frozen=True)
class Classification:
    """A 9 classification: its purpose's value, the taxa of all its paths in order, its keywords."""

    purpose: str | None
    taxa: tuple[Taxon, ...]
    keywords: tuple[String, ...]


@dataclass(frozen=True)
class Relation:
    """A 7 relation: its kind's value and the resource's identifier entries and descriptions."""

    kind: str | None
    identifiers: tuple[str, ...]
    descriptions: tuple[String, ...]


@dataclass(frozen=True)
class Inputs:
    """Every LOM value the crosswalk maps, in document order."""

    titles: tuple[String, ...]
    descriptions: tuple[String, ...]
    keywords: tuple[String, ...]
    coverages: tuple[String, ...]
    languages: tuple[str, ...]
    identifiers: tuple[str, ...]
    contributions: tuple[Contribution, ...]
    formats: tuple[str, ...]
    locations: tuple[str, ...]
    types: tuple[str, ...]
    rights: tuple[String, ...]
    costs: tuple[str, ...]
    copyrights: tuple[str, ...]
    relations: tuple[Relation, ...]
    classifications: tuple[Classification, ...]


Reader = Callable[[etree._Element], Iterable[Any]]
"""The values one element gives (none, one or several)."""


def _strings(element: etree._Element) -> list[String]:
    return tree.strings((element,))


def _text(element: etree._Element) -> tuple[str, ...]:
    value = tree.text(element)
    return (value,) if value else ()


def _entry(element: etree._Element) -> tuple[str, ...]:
    found = tree.identifier(element)
    return (found[1],) if found else ()


def _value(element: etree._Element) -> tuple[str, ...]:
    found = tree.vocabulary(element)
    return (found[1],) if found else ()


def _first_value(elements: Iterable[etree._Element]) -> str | None:
    found = tree.first_vocabulary(elements)
    return found[1] if found else None


def _contribution(element: etree._Element) -> tuple[Contribution]:
    children = tree.children(element)
    date = tree.first_text(tree.named(children["date"], "dateTime"))
    return (Contribution(_first_value(children["role"]), tree.texts(children["entity"]), date),)


def _classification(element: etree._Element) -> tuple[Classification]:
    children = tree.children(element)
    taxa = tuple(map(_taxon, tree.named(children["taxonPath"], "taxon")))
    keywords = tuple(tree.strings(children["keyword"]))
    return (Classification(_first_value(children["purpose"]), taxa, keywords),)


def _taxon(element: etree._Element) -> Taxon:
    children = tree.children(element)
    return Taxon(tree.first_text(children["id"]), tuple(tree.strings(children["entry"])))


def _relation(element: etree._Element) -> tuple[Relation]:
    children = tree.children(element)
    resources = children["resource"]
    entries = map(tree.identifier, tree.named(resources, "identifier"))
    identifiers = tuple(found[1] for found in entries if found)
    descriptions = tuple(tree.strings(tree.named(resources, "description")))
    return (Relation(_first_value(children["kind"]), identifiers, descriptions),)


_READS: dict[str, tuple[str, Reader]] = {
    "general/title": ("titles", _strings),
    "general/description": ("descriptions", _strings),
    "general/keyword": ("keywords", _strings),
    "general/coverage": ("coverages", _strings),
    "general/language": ("languages", _text),
    "general/identifier": ("identifiers", _entry),
    "lifeCycle/contribute": ("contributions", _contribution),
    "technical/format": ("formats", _text),
    "technical/location": ("locations", _text),
    "educational/learningResourceType": ("types", _value),
    "rights/description": ("rights", _strings),
    "rights/cost": ("costs", _value),
    "rights/copyrightAndOtherRestrictions": ("copyrights", _value),
    "relation": ("relations", _relation),
    "classification": ("classifications", _classification),
}
"""Where each input is read from (a path below `lom`), into which field, and how."""

_Plan = dict[str, Union[tuple[str, Reader], "_Plan"]]


def _plan(reads: dict[str, tuple[str, Reader]]) -> _Plan:
    """The paths as nested tables of child tags, so the walk looks each child up once."""
    plan: _Plan = {}
    for path, step in reads.items():
        *parents, last = [clark(LOM, name) for name in path.split("/")]
        level = plan
        for tag in parents:
            level = level.setdefault(tag, {})  # type: ignore[assignment]
        level[last] = step
    return plan


_PLAN = _plan(_READS)


def read_inputs(record: etree._Element) -> Inputs:
    """The crosswalk's inputs from a `{http://ltsc.ieee.org/xsd/LOM}lom` element."""
    found: defaultdict[str, list[Any]] = defaultdict(list)
    _walk(record, _PLAN, found)
    return Inputs(**{field: tuple(found[field]) for field, _ in _READS.values()})


def _walk(element: etree._Element, plan: _Plan, found: defaultdict[str, list[Any]]) -> None:
    for child in element[:]:  # a list lxml makes in C: see `lomtree`
        step = plan.get(child.tag)
        if step is None:
            continue
        if isinstance(step, dict):
            _walk(child, step, found)
        else:
            field, read = step
            found[field].extend(read(child))
