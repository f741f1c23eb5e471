"""IEEE LOM records: small accessors over an lxml `lom` element, and decode/encode through our XSD.

The accessors sit on hot paths (set derivation at write time, search indexing, every page of the
UI), so each is one compiled XPath from the record, read by a value-shape reader from one table,
rather than a decoded dictionary: reading one title must not cost a schema pass. Inside the small
elements they find (vocabularies, contributions, taxa) the readers take children in one pass, by the
rules in `metadata.lomtree`, which the crosswalk's one-walk reader shares. Every accessor takes the
`{http://ltsc.ieee.org/xsd/LOM}lom` element (legacy variants are normalised by `metadata.legacy`
first), trims whitespace, skips empty values and returns frozen values in document order.

`read_lom` and `write_lom` turn a record into data and back through the loose schema. The data is
JsonML (`["lom", {attributes}, ["general", ...], ...]`, see jsonml.org), not a dict of lists: LOM's
content models are repeated choices, so the order of different siblings is part of the record, and a
dict keyed by element name cannot say that an extension element sat between two others.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import starmap
from typing import Any, TypeVar

import xmlschema
from lxml import etree
from xmlschema.aliases import BaseXsdType
from xmlschema.converters.base import ElementData, stackable
from xmlschema.validators import XsdElement

from . import lomtree as tree
from . import schemas, xmlsafe
from .errors import DecodeError, EncodeError, UnknownFormatError
from .namespaces import LOM, clark

_NAMESPACES = {"lom": LOM}
_T = TypeVar("_T")


@dataclass(frozen=True)
class LangString:
    """One `string` of a LOM LangString; `language` is None when the record gives none."""

    text: str
    language: str | None


@dataclass(frozen=True)
class Vocab:
    """A LOM vocabulary value with the vocabulary (`source`) it claims to come from."""

    source: str | None
    value: str


@dataclass(frozen=True)
class Identifier:
    """A catalogue entry: `entry` is unique within `catalog` (e.g. `URI`, `ISBN`, a repository name)."""

    catalog: str | None
    entry: str


@dataclass(frozen=True)
class Contribution:
    """A `contribute` element; `section` is 'lifeCycle' or 'metaMetadata', `entities` are vCard texts."""

    section: str
    role: Vocab | None
    entities: tuple[str, ...]
    date: str | None


@dataclass(frozen=True)
class Taxon:
    """One step of a classification path, e.g. id '3.4' with entry 'Fourth year'."""

    id: str | None
    entry: tuple[LangString, ...]


@dataclass(frozen=True)
class TaxonPath:
    """A path in a taxonomy (`source`), carrying the `purpose` of the classification it sits in."""

    purpose: Vocab | None
    source: tuple[LangString, ...]
    taxa: tuple[Taxon, ...]


@dataclass(frozen=True)
class KeywordClassification:
    """The 9.4 keywords of one classification with its 9.1 `purpose` (DC subject takes only some)."""

    purpose: Vocab | None
    keywords: tuple[LangString, ...]


@dataclass(frozen=True)
class Relation:
    """A link to another resource: the kind of link and how the other resource is identified."""

    kind: Vocab | None
    identifiers: tuple[Identifier, ...]
    descriptions: tuple[LangString, ...]


@dataclass(frozen=True)
class Annotation:
    """A comment on the educational use of the resource, by `entity` (a vCard) on `date`."""

    entity: str | None
    date: str | None
    descriptions: tuple[LangString, ...]


@dataclass(frozen=True)
class Requirement:
    """One alternative (`orComposite`) of a technical requirement, e.g. browser 'any' from version 9."""

    type: Vocab | None
    name: Vocab | None
    minimum_version: str | None
    maximum_version: str | None


@functools.cache
def _compiled(path: str) -> etree.XPath:
    """XPath over LOM element names written without prefixes (`general/title`), compiled once."""
    steps = "/".join(f"lom:{step}" for step in path.split("/"))
    return etree.XPath(steps, namespaces=_NAMESPACES)


def _at(lom: etree._Element, path: str) -> list[etree._Element]:
    return _compiled(path)(lom)


def _langstrings(containers: Iterable[etree._Element]) -> tuple[LangString, ...]:
    return tuple(starmap(LangString, tree.strings(containers)))


def _vocab(element: etree._Element) -> Vocab | None:
    found = tree.vocabulary(element)
    return Vocab(*found) if found else None


def _vocabs(elements: Iterable[etree._Element]) -> tuple[Vocab, ...]:
    return tuple(starmap(Vocab, filter(None, map(tree.vocabulary, elements))))


def _first_vocab(elements: Iterable[etree._Element]) -> Vocab | None:
    found = tree.first_vocabulary(elements)
    return Vocab(*found) if found else None


def _identifiers(elements: Iterable[etree._Element]) -> tuple[Identifier, ...]:
    return tuple(starmap(Identifier, filter(None, map(tree.identifier, elements))))


def _contribution(element: etree._Element) -> Contribution:
    children = tree.children(element)
    return Contribution(
        section=etree.QName(element.getparent()).localname,
        role=_first_vocab(children["role"]),
        entities=tree.texts(children["entity"]),
        date=tree.first_text(tree.named(children["date"], "dateTime")),
    )


def _taxon_path(element: etree._Element) -> TaxonPath:
    children = tree.children(element)
    return TaxonPath(
        purpose=_first_vocab(tree.named([element.getparent()], "purpose")),
        source=_langstrings(children["source"]),
        taxa=tuple(map(_taxon, children["taxon"])),
    )


def _taxon(element: etree._Element) -> Taxon:
    children = tree.children(element)
    return Taxon(tree.first_text(children["id"]), _langstrings(children["entry"]))


def _keyword_classification(element: etree._Element) -> KeywordClassification:
    children = tree.children(element)
    return KeywordClassification(_first_vocab(children["purpose"]), _langstrings(children["keyword"]))


def _relation(element: etree._Element) -> Relation:
    children = tree.children(element)
    return Relation(
        kind=_first_vocab(children["kind"]),
        identifiers=_identifiers(tree.named(children["resource"], "identifier")),
        descriptions=_langstrings(tree.named(children["resource"], "description")),
    )


def _annotation(element: etree._Element) -> Annotation:
    children = tree.children(element)
    return Annotation(
        entity=tree.first_text(children["entity"]),
        date=tree.first_text(tree.named(children["date"], "dateTime")),
        descriptions=_langstrings(children["description"]),
    )


def _requirement(element: etree._Element) -> Requirement:
    children = tree.children(element)
    return Requirement(
        type=_first_vocab(children["type"]),
        name=_first_vocab(children["name"]),
        minimum_version=tree.first_text(children["minimumVersion"]),
        maximum_version=tree.first_text(children["maximumVersion"]),
    )


def _bind(
    read: Callable[[list[etree._Element]], _T], path: str, name: str
) -> Callable[[etree._Element], _T]:
    """Tie one value-shape reader to one LOM path, so each public accessor below is one table row."""

    def accessor(lom: etree._Element) -> _T:
        return read(_at(lom, path))

    accessor.__name__ = accessor.__qualname__ = name
    accessor.__doc__ = f"Read `{path}` of a LOM record with `{read.__name__.lstrip('_')}`."
    return accessor


def _each(
    build: Callable[[etree._Element], _T]
) -> Callable[[list[etree._Element]], tuple[_T, ...]]:
    """A reader that builds one value per element found at the path."""

    def each(elements: list[etree._Element]) -> tuple[_T, ...]:
        return tuple(map(build, elements))

    each.__name__ = build.__name__ + "s"
    return each


# 1 General
titles = _bind(_langstrings, "general/title", "titles")
languages = _bind(tree.texts, "general/language", "languages")
descriptions = _bind(_langstrings, "general/description", "descriptions")
keywords = _bind(_langstrings, "general/keyword", "keywords")
coverages = _bind(_langstrings, "general/coverage", "coverages")
identifiers = _bind(_identifiers, "general/identifier", "identifiers")
structure = _bind(_first_vocab, "general/structure", "structure")
aggregation_level = _bind(_first_vocab, "general/aggregationLevel", "aggregation_level")
# 2 Life cycle (contributors: see below)
version = _bind(_langstrings, "lifeCycle/version", "version")
status = _bind(_first_vocab, "lifeCycle/status", "status")
# 3 Meta-metadata
metadata_identifiers = _bind(_identifiers, "metaMetadata/identifier", "metadata_identifiers")
metadata_schemas = _bind(tree.texts, "metaMetadata/metadataSchema", "metadata_schemas")
metadata_languages = _bind(tree.texts, "metaMetadata/language", "metadata_languages")
# 4 Technical
formats = _bind(tree.texts, "technical/format", "formats")
size = _bind(tree.first_text, "technical/size", "size")
locations = _bind(tree.texts, "technical/location", "locations")
requirements = _bind(_each(_requirement), "technical/requirement/orComposite", "requirements")
installation_remarks = _bind(
    _langstrings, "technical/installationRemarks", "installation_remarks"
)
other_platform_requirements = _bind(
    _langstrings, "technical/otherPlatformRequirements", "other_platform_requirements"
)
durations = _bind(tree.texts, "technical/duration/duration", "durations")
# 5 Educational: every educational element merged in document order, hence tuples even for the
# elements LOM allows once per educational element.
interactivity_type = _bind(_vocabs, "educational/interactivityType", "interactivity_type")
learning_resource_types = _bind(
    _vocabs, "educational/learningResourceType", "learning_resource_types"
)
interactivity_level = _bind(_vocabs, "educational/interactivityLevel", "interactivity_level")
semantic_density = _bind(_vocabs, "educational/semanticDensity", "semantic_density")
intended_end_user_roles = _bind(
    _vocabs, "educational/intendedEndUserRole", "intended_end_user_roles"
)
contexts = _bind(_vocabs, "educational/context", "contexts")
typical_age_ranges = _bind(_langstrings, "educational/typicalAgeRange", "typical_age_ranges")
difficulty = _bind(_vocabs, "educational/difficulty", "difficulty")
typical_learning_times = _bind(
    tree.texts, "educational/typicalLearningTime/duration", "typical_learning_times"
)
educational_descriptions = _bind(
    _langstrings, "educational/description", "educational_descriptions"
)
educational_languages = _bind(tree.texts, "educational/language", "educational_languages")
# 6 Rights (licence_urls: see below)
cost = _bind(_first_vocab, "rights/cost", "cost")
copyright = _bind(_first_vocab, "rights/copyrightAndOtherRestrictions", "copyright")
rights_descriptions = _bind(_langstrings, "rights/description", "rights_descriptions")
# 7 Relation, 8 Annotation, 9 Classification
relations = _bind(_each(_relation), "relation", "relations")
annotations = _bind(_each(_annotation), "annotation", "annotations")
taxon_paths = _bind(_each(_taxon_path), "classification/taxonPath", "taxon_paths")
classification_descriptions = _bind(
    _langstrings, "classification/description", "classification_descriptions"
)
classification_keywords = _bind(
    _langstrings, "classification/keyword", "classification_keywords"
)
keyword_classifications = _bind(
    _each(_keyword_classification), "classification", "keyword_classifications"
)


def contributors(lom: etree._Element) -> tuple[Contribution, ...]:
    """2.3 and 3.2 contributions: life-cycle ones first, then those about the record itself."""
    found = _at(lom, "lifeCycle/contribute") + _at(lom, "metaMetadata/contribute")
    return tuple(map(_contribution, found))


def lifecycle_dates(lom: etree._Element) -> tuple[str, ...]:
    """Dates of life-cycle contributions (creation, publication, ...): DC `date` and date facets."""
    return tree.texts(_at(lom, "lifeCycle/contribute/date/dateTime"))


def licence_urls(lom: etree._Element) -> tuple[str, ...]:
    """http(s) URLs in the rights descriptions, in order, without repeats.

    Licences (Creative Commons above all) are usually given as prose plus a URL in 6.3, because LOM
    has no licence element.
    """
    return tuple(dict.fromkeys(tree.urls(string.text for string in rights_descriptions(lom))))


JsonML = list
"""A decoded record: `[tag, {attributes}?, *children]`, text as a string child (jsonml.org)."""

_SCHEMA_KEY = "lom-loose"
_PREFIXES = {"": LOM}
# The binding marks at-most-once elements with a fixed attribute that xmlschema adds to every such
# element on decode and encode; its value is the element's own name, so it carries nothing.
_MARKER = "uniqueElementName"


class _Converter(xmlschema.JsonMLConverter):
    """JsonML without the uniqueness marker, so data says only what the record says."""

    __slots__ = ()

    @stackable
    def element_decode(
        self,
        data: ElementData,
        xsd_element: XsdElement,
        xsd_type: BaseXsdType | None = None,
        level: int = 0,
    ) -> Any:
        if data.attributes and data.tag.startswith(f"{{{LOM}}}"):
            data = data._replace(attributes=[(k, v) for k, v in data.attributes if k != _MARKER])
        return super().element_decode(data, xsd_element, xsd_type, level)


def _lom_root(source: xmlsafe.Source | etree._Element) -> etree._Element:
    element = source if isinstance(source, etree._Element) else xmlsafe.parse(source).getroot()
    if element.tag != clark(LOM, "lom"):
        raise UnknownFormatError(
            f"expected an IEEE LOM <lom> element in {LOM}, found {element.tag}; "
            "legacy records (IMS Meta-data, Common Cartridge) go through metadata.legacy.normalise"
        )
    return element


def _where(error: xmlschema.XMLSchemaValidationError) -> str:
    place = f" at {error.path}" if error.path else ""
    return place + (f", line {error.sourceline}" if error.sourceline else "")


def read_lom(source: xmlsafe.Source | etree._Element) -> JsonML:
    """Decode a LOM record (bytes, a path or an lxml `lom` element) into JsonML data.

    Decoding is strict under the loose schema: data is only ever made from a valid record, so what
    comes back can always be written again. Raises `DecodeError` when the record is invalid.
    """
    element = _lom_root(source)
    try:
        return schemas.xsd(_SCHEMA_KEY).decode(
            element, converter=_Converter, namespaces=_PREFIXES, use_defaults=False,
            validation="strict",
        )
    except xmlschema.XMLSchemaValidationError as err:
        raise DecodeError(f"not a valid LOM record{_where(err)}: {err.reason}") from err


def write_lom(data: JsonML) -> bytes:
    """Encode JsonML data as a self-contained `<lom xmlns="http://ltsc.ieee.org/xsd/LOM">` document.

    The output is UTF-8 with an XML declaration and is valid under the loose schema; data the schema
    rejects raises `EncodeError` naming the element and the reason.
    """
    try:
        lom = schemas.xsd(_SCHEMA_KEY).encode(
            data, converter=_Converter, namespaces=_PREFIXES, use_defaults=False,
            validation="strict", etree_element_class=etree.Element,
        )
    except xmlschema.XMLSchemaValidationError as err:
        raise EncodeError(f"cannot write this data as LOM{_where(err)}: {err.reason}") from err
    except xmlschema.XMLSchemaException as err:
        raise EncodeError(f"cannot write this data as LOM: {err}") from err
    for element in lom.iter(clark(LOM, "*")):
        element.attrib.pop(_MARKER, None)
    # xmlschema does not check identity constraints while encoding, so a repeated at-most-once
    # element would slip through; libxml2 checks the finished document in microseconds.
    validator = schemas.lxml_schema(_SCHEMA_KEY)
    if not validator.validate(lom):
        raise EncodeError(f"cannot write this data as LOM: {validator.error_log.last_error.message}")
    return etree.tostring(lom, xml_declaration=True, encoding="UTF-8")
