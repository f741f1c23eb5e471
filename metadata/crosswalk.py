"""LOM ↔ Simple DC, as two tables with one row per mapping.

`lom_to_dc` renders the `oai_dc` every record is served in, so it follows the mapping published with
IEEE 1484.12.1 (its informative mapping of LOM to unqualified DC), with the additions noted in the
rows. `dc_to_lom` is the best effort for partners that offer only `oai_dc`: the LOM it builds is valid
under our loose schema and, because it uses only LOMv1.0 vocabulary values, under the strict one too.
Each row says where the values go and why, so a mapping decision is read and changed in one place.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import repeat, starmap
from operator import attrgetter

from lxml import etree
from lxml.builder import ElementMaker

from .crosswalk_inputs import Inputs, String, Taxon, read_inputs
from .dc import DCRecord, DCValue, language_tag, write_oai_dc_values, xml_text
from .lomtree import urls
from .memo import cached
from .namespaces import LOM
from .vcard import display_name, vcard_for_name

Value = tuple[str, str | None]
"""A DC value as (text, `xml:lang` or None): what a `DCValue` holds, without building one."""
Reader = Callable[[Inputs], Iterable[Value]]
"""Reads the values of one DC element out of what the crosswalk read from a LOM record."""
Placed = tuple[str, etree._Element]
"""A LOM element and the category it goes in ("" for a top-level `relation`)."""
Builder = Callable[[DCRecord], Iterable[Placed]]
"""Builds the LOM elements for one row of `DC_TO_LOM`."""

# ---------------------------------------------------------------------------------------------
# LOM → DC


@dataclass(frozen=True)
class LomToDC:
    """One DC element, the LOM elements it is read from (IEEE numbering, and why), and how."""

    element: str
    source: str
    read: Reader


def _values(strings: Iterable[String]) -> Iterator[Value]:
    return ((text, language_tag(language)) for text, language in strings)


def _plain(texts: Iterable[str]) -> Iterator[Value]:
    """Values without a language."""
    return zip(texts, repeat(None))


def _langstrings(field: Callable[[Inputs], tuple[String, ...]]) -> Reader:
    return lambda inputs: _values(field(inputs))


def _texts(field: Callable[[Inputs], tuple[str, ...]]) -> Reader:
    return lambda inputs: _plain(field(inputs))


@cached(maxsize=1024)
def _term(value: str | None) -> str | None:
    """A vocabulary value compared the way LOM producers write it (case and spacing vary).

    Cached: records repeat a few dozen values, and every record asks for several."""
    return " ".join(value.lower().split()) if value is not None else None


def _names(wanted: Callable[[str | None], bool]) -> Reader:
    """Display names of the life-cycle entities whose role passes `wanted`."""

    def read(inputs: Inputs) -> Iterator[Value]:
        for contribution in inputs.contributions:
            if wanted(_term(contribution.role)):
                yield from _plain(filter(None, map(display_name, contribution.entities)))

    return read


def _read_dates(inputs: Inputs) -> Iterator[Value]:
    contributions = inputs.contributions
    published = [c.date for c in contributions if _term(c.role) == "publisher" and c.date]
    return _plain(published or [c.date for c in contributions if c.date])


_SUBJECT_PURPOSES = frozenset({"discipline", "idea"})


def _taxon_subjects(taxon: Taxon) -> Iterable[Value]:
    if taxon.entry:
        return _values(taxon.entry)
    return [(taxon.id, None)] if taxon.id else []


def _read_subjects(inputs: Inputs) -> Iterator[Value]:
    yield from _values(inputs.keywords)
    subjects = [found for found in inputs.classifications if _term(found.purpose) in _SUBJECT_PURPOSES]
    for classification in subjects:
        for taxon in classification.taxa:
            yield from _taxon_subjects(taxon)
    for classification in subjects:
        yield from _values(classification.keywords)


def _read_languages(inputs: Inputs) -> Iterator[Value]:
    return _plain(code for code in inputs.languages if code.lower() != "none")


_RIGHTS_SENTENCES = {
    ("cost", "yes"): "Use of this resource requires payment.",
    ("cost", "no"): "Use of this resource is free of charge.",
    ("copyright", "yes"): "Copyright or other restrictions apply.",
    ("copyright", "no"): "No copyright or other restrictions apply.",
}


def _read_rights(inputs: Inputs) -> list[Value]:
    licences = dict.fromkeys(urls(text for text, _ in inputs.rights))
    described = [*_values(inputs.rights), *_plain(licences)]
    if described:
        return described
    stated = (("cost", inputs.costs), ("copyright", inputs.copyrights))
    terms = ((name, _term(values[0] if values else None)) for name, values in stated)
    return [(_RIGHTS_SENTENCES[term], "en") for term in terms if term in _RIGHTS_SENTENCES]


def _related(sources: bool) -> Reader:
    """Resources of `isbasedon` relations (`sources`) or of every other relation."""

    def read(inputs: Inputs) -> Iterator[Value]:
        for relation in inputs.relations:
            if (_term(relation.kind) == "isbasedon") == sources:
                if relation.identifiers:
                    yield from _plain(relation.identifiers)
                else:
                    yield from _values(relation.descriptions)

    return read


def _read_identifiers(inputs: Inputs) -> Iterator[Value]:
    yield from _plain(inputs.identifiers)
    yield from _plain(inputs.locations)


def _is_author(role: str | None) -> bool:
    return role == "author"


def _is_publisher(role: str | None) -> bool:
    return role == "publisher"


def _is_other_role(role: str | None) -> bool:
    return role not in ("author", "publisher")


LOM_TO_DC: tuple[LomToDC, ...] = (
    LomToDC("title", "1.2 general.title", _langstrings(attrgetter("titles"))),
    LomToDC("creator", "2.3.2 entity where 2.3.1 role is author; the vCard's FN, else N as 'Family, "
            "Given', else ORG", _names(_is_author)),
    LomToDC("subject", "1.5 general.keyword; 9.2.2.2 taxon entries (the 9.2.2.1 id when a taxon has "
            "no entry, as Dewey codes often do) and 9.4 keywords of classifications whose 9.1 purpose "
            "is discipline or idea; every taxon of a path, since producers often list siblings as one "
            "path", _read_subjects),
    LomToDC("description", "1.4 general.description", _langstrings(attrgetter("descriptions"))),
    LomToDC("publisher", "2.3.2 entity where 2.3.1 role is publisher", _names(_is_publisher)),
    LomToDC("contributor", "2.3.2 entity of every other life-cycle role, or of none (3.2 meta-metadata "
            "contributions describe the record, not the resource)", _names(_is_other_role)),
    LomToDC("date", "2.3.3 dateTime of the publisher's contributions, else of every life-cycle "
            "contribution", _read_dates),
    LomToDC("type", "5.2 learningResourceType value, whatever its vocabulary", _texts(attrgetter("types"))),
    LomToDC("format", "4.1 technical.format", _texts(attrgetter("formats"))),
    LomToDC("identifier", "1.1.2 general.identifier entry (without the catalog), then 4.3 "
            "technical.location", _read_identifiers),
    LomToDC("source", "7.2 resource where 7.1 kind is isbasedon: its identifier entries, else its "
            "descriptions", _related(sources=True)),
    LomToDC("language", "1.3 general.language, except 'none' (no linguistic content)", _read_languages),
    LomToDC("relation", "7.2 resource of every other relation (any kind or none): identifier entries, "
            "else descriptions", _related(sources=False)),
    LomToDC("coverage", "1.6 general.coverage", _langstrings(attrgetter("coverages"))),
    LomToDC("rights", "6.3 rights.description and the licence URLs in it; without a description, an "
            "English sentence for each LOMv1.0 yes/no of 6.1 cost and 6.2 "
            "copyrightAndOtherRestrictions", _read_rights),
)


def lom_to_dc(record: etree._Element) -> DCRecord:
    """The Simple DC view of a LOM record; identical values (text and language) appear once."""
    return DCRecord(**{element: tuple(starmap(DCValue, values)) for element, values in _dc_values(record)})


def render_oai_dc(record: etree._Element) -> bytes:
    """The stored `oai_dc` bytes of a LOM record: `dc.write_oai_dc(lom_to_dc(record))`, written
    without building the `DCRecord`, since this runs for every record stored."""
    return write_oai_dc_values(
        (element, text, language) for element, values in _dc_values(record) for text, language in values
    )


def _dc_values(record: etree._Element) -> Iterator[tuple[str, Iterable[Value]]]:
    """Each DC element in DCMES order with its values, identical ones once."""
    inputs = read_inputs(record)
    return ((row.element, dict.fromkeys(row.read(inputs))) for row in LOM_TO_DC)


# ---------------------------------------------------------------------------------------------
# DC → LOM

_E = ElementMaker(namespace=LOM, nsmap={None: LOM})

# Categories in LOM order, each with its children in LOM order: the output reads like the standard.
_LAYOUT = {
    "general": ("identifier", "title", "language", "description", "keyword", "coverage"),
    "lifeCycle": ("contribute",),
    "technical": ("format", "location"),
    "educational": ("learningResourceType",),
    "rights": ("copyrightAndOtherRestrictions", "description"),
}
_LEARNING_RESOURCE_TYPES = frozenset({
    "exercise", "simulation", "questionnaire", "diagram", "figure", "graph", "index", "slide", "table",
    "narrative text", "exam", "experiment", "problem statement", "self assessment", "lecture",
})
# RFC 3986 scheme followed by at least one non-space character, with no whitespace anywhere.
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+\Z")
_WEB_ADDRESS = re.compile(r"https?://\S+\Z", re.I)
_MIME_TYPE = re.compile(r"(?:[A-Za-z0-9][\w.+-]*/[A-Za-z0-9][\w.+-]*|non-digital)\Z")
# The DateTime pattern of the official IEEE 1484.12.3 binding, which is stricter than ours about
# time zones: the LOM built here must validate under both.
_LOM_DATETIME = re.compile(
    r"([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
    r"(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01])(T([01][0-9]|2[0-3])"
    r"(:[0-5][0-9](:[0-5][0-9](\.[0-9]+(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?)?)?)?)?)?)?\Z"
)


@dataclass(frozen=True)
class DCToLom:
    """DC elements, where their values go in LOM and why, and the builder that puts them there."""

    elements: tuple[str, ...]
    target: str
    build: Builder


def _langstring(tag: str, values: Iterable[DCValue]) -> etree._Element:
    strings = []
    for value in values:
        language = language_tag(value.language)
        string = _E.string(value.text)
        if language is not None:
            string.set("language", language)
        strings.append(string)
    return _E(tag, *strings)


def _vocab(tag: str, value: str) -> etree._Element:
    return _E(tag, _E.source("LOMv1.0"), _E.value(value))


def _each(category: str, tag: str, name: str) -> Builder:
    """One LangString element per value of the DC element `name`."""
    return lambda record: ((category, _langstring(tag, [value])) for value in getattr(record, name))


def _build_titles(record: DCRecord) -> Iterator[Placed]:
    if record.title:
        yield "general", _langstring("title", record.title)


def _build_identifiers(record: DCRecord) -> Iterator[Placed]:
    for value in record.identifier:
        catalog = [_E.catalog("URI")] if _URI.match(value.text) else []
        yield "general", _E.identifier(*catalog, _E.entry(value.text))
        if _WEB_ADDRESS.match(value.text):
            yield "technical", _E.location(value.text)


def _build_languages(record: DCRecord) -> Iterator[Placed]:
    codes = (language_tag(value.text) for value in record.language)
    return (("general", _E.language(code)) for code in codes if code is not None)


def _build_types(record: DCRecord) -> Iterator[Placed]:
    for value in record.type:
        term = " ".join(value.text.lower().split())
        if term in _LEARNING_RESOURCE_TYPES:
            yield "educational", _vocab("learningResourceType", term)
        else:
            yield "general", _langstring("keyword", [value])


def _contribute(role: str, name: DCValue | None, date: DCValue | None = None) -> etree._Element:
    contribute = _E.contribute(_vocab("role", role))
    if name is not None:
        contribute.append(_E.entity(vcard_for_name(name.text, organisation=role == "publisher")))
    if date is not None and _LOM_DATETIME.match(date.text):
        contribute.append(_E.date(_E.dateTime(date.text)))
    elif date is not None:
        contribute.append(_E.date(_langstring("description", [date])))
    return contribute


def _people(name: str, role: str) -> Builder:
    return lambda record: (("lifeCycle", _contribute(role, value)) for value in getattr(record, name))


def _build_publications(record: DCRecord) -> Iterator[Placed]:
    publishers, dates = record.publisher, record.date
    for index in range(max(len(publishers), len(dates))):
        publisher = publishers[index] if index < len(publishers) else None
        date = dates[index] if index < len(dates) else None
        yield "lifeCycle", _contribute("publisher", publisher, date)


def _build_formats(record: DCRecord) -> Iterator[Placed]:
    formats = (value.text for value in record.format if _MIME_TYPE.match(value.text))
    return (("technical", _E.format(text)) for text in formats)


def _build_rights(record: DCRecord) -> Iterator[Placed]:
    if record.rights:
        yield "rights", _vocab("copyrightAndOtherRestrictions", "yes")
        yield "rights", _langstring("description", record.rights)


def _resource(value: DCValue) -> etree._Element:
    if _URI.match(value.text):
        return _E.resource(_E.identifier(_E.catalog("URI"), _E.entry(value.text)))
    return _E.resource(_langstring("description", [value]))


def _relations(name: str, kind: str | None) -> Builder:
    def build(record: DCRecord) -> Iterator[Placed]:
        for value in getattr(record, name):
            relation = _E.relation(_resource(value))
            if kind is not None:
                relation.insert(0, _vocab("kind", kind))
            yield "", relation

    return build


DC_TO_LOM: tuple[DCToLom, ...] = (
    DCToLom(("identifier",), "1.1 general.identifier, catalog 'URI' when the value is a URI (else none: "
            "DC does not name the scheme); an http(s) address is also 4.3 technical.location",
            _build_identifiers),
    DCToLom(("title",), "1.2 general.title: LOM has one title, so every DC title is a string of it",
            _build_titles),
    DCToLom(("language",), "1.3 general.language when the value is a language tag; other values are "
            "dropped, LOM having no other place for a language", _build_languages),
    DCToLom(("description",), "1.4 general.description, one per value",
            _each("general", "description", "description")),
    DCToLom(("subject",), "1.5 general.keyword, one per value", _each("general", "keyword", "subject")),
    DCToLom(("type",), "5.2 learningResourceType (LOMv1.0) when the value is a LOMv1.0 term; any other "
            "value (DCMI types such as 'Text') is kept as a 1.5 keyword, which keeps the record "
            "strict-valid", _build_types),
    DCToLom(("coverage",), "1.6 general.coverage, one per value",
            _each("general", "coverage", "coverage")),
    DCToLom(("creator",), "2.3 contribute, role author, entity a vCard with FN and N",
            _people("creator", "author")),
    DCToLom(("publisher", "date"), "2.3 contribute, role publisher, entity a vCard with ORG. LOM's "
            "mapping takes DC date from the publisher's contribution, so dates go there: the n-th date "
            "with the n-th publisher, extra dates in contributions of their own. A date the official "
            "LOM DateTime pattern refuses becomes the date's description", _build_publications),
    DCToLom(("contributor",), "2.3 contribute, role unknown: DC does not say what the contribution was",
            _people("contributor", "unknown")),
    DCToLom(("format",), "4.1 technical.format when the value is a MIME type or 'non-digital'; extents "
            "and physical descriptions ('1 map') have no LOM element and are dropped", _build_formats),
    DCToLom(("rights",), "6.2 copyrightAndOtherRestrictions yes (a rights statement means conditions "
            "apply) and 6.3 rights.description, every value a string of it", _build_rights),
    DCToLom(("source",), "7 relation, kind isbasedon, the resource identified (catalog 'URI') or else "
            "described", _relations("source", "isbasedon")),
    DCToLom(("relation",), "7 relation without a kind (DC does not say which), the resource identified "
            "or else described", _relations("relation", None)),
)


def dc_to_lom(record: DCRecord) -> etree._Element:
    """A LOM record holding what `record` says, for partners that offer only `oai_dc`.

    Raises `EncodeError` when a value holds a character XML cannot carry (only a hand-built record
    can: parsed ones never do).
    """
    for name, values in _values_by_element(record):
        for value in values:
            xml_text(value.text, f"dc:{name}")
    categories: dict[str, list[etree._Element]] = {category: [] for category in _LAYOUT}
    relations: list[etree._Element] = []
    for row in DC_TO_LOM:
        for category, element in row.build(record):
            (categories[category] if category else relations).append(element)
    root = _E.lom()
    for category, children in categories.items():
        if children:
            order = _LAYOUT[category]
            children.sort(key=lambda child: order.index(etree.QName(child).localname))
            root.append(_E(category, *children))
    root.extend(relations)
    return root


def _values_by_element(record: DCRecord) -> Iterator[tuple[str, tuple[DCValue, ...]]]:
    return ((name, getattr(record, name)) for row in DC_TO_LOM for name in row.elements)
