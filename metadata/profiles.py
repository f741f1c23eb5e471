"""Profiles: a schema flavour plus rules, kept as data in `schemas/profiles/<name>.toml`.

A profile answers "is this record good enough for us?", which differs between a partner that only
promises IEEE LOM and a catalogue that needs a title, a licence and an audience. Keeping the rules in
TOML lets an operator read and change them without reading Python; the engine below stays small: four
checks (`require`, `any_of`, `format`, `vocabulary`) over paths of local names, evaluated with
compiled lxml XPath so that checking a valid record costs microseconds, not a schema pass.

A profile file holds `title`, `description`, `kind` (`lom` or `dc`: which records it judges),
`schema` (a key of `metadata.schemas`) and arrays of tables, one per rule:

    [[require]]                      # the element must be there with some text
    path = "general/title"
    [[any_of]]                       # at least one of them must be there
    paths = ["educational/context", "educational/typicalAgeRange"]
    [[format]]                       # every value found must have the format (see metadata.formats)
    paths = ["general/language"]
    format = "language-tag-or-none"
    [[vocabulary]]                   # values (of the given LOM vocabulary source) must be listed
    path = "educational/context"
    source = "LOMv1.0"
    values = ["school", "higher education", "training", "other"]

Every rule may add `severity` ("error", the default, or "warning": reported but the record stays
valid) and `message` (the sentence shown instead of the generated one).
"""
from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from . import schemas
from .errors import UnknownProfileError
from .formats import FORMATS, quoted
from .memo import cached
from .namespaces import DC, LOM

KINDS = {"lom": LOM, "dc": DC}
"""Record kind → the namespace of the elements a profile's paths name."""

SEVERITIES = ("error", "warning")
_PROFILE_KEYS = {"title", "description", "kind", "schema", "require", "any_of", "format", "vocabulary"}
_RULE_KEYS = {
    "require": {"path", "paths", "severity", "message"},
    "any_of": {"paths", "severity", "message"},
    "format": {"path", "paths", "format", "severity", "message"},
    "vocabulary": {"path", "paths", "source", "values", "severity", "message"},
}


@dataclass(frozen=True)
class Rule:
    """One rule of a profile file; `check` names its kind (`require`, `any_of`, ...)."""

    check: str
    paths: tuple[str, ...]
    severity: str = "error"
    message: str | None = None
    format: str | None = None
    source: str | None = None
    values: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """The name a report shows in brackets: `require:general/title`, `format:vcard`."""
        return f"{self.check}:{self.format or self.paths[0]}"


@dataclass(frozen=True)
class Violation:
    """A rule a record breaks, anchored at the element that holds (or should hold) the fault."""

    element: etree._Element
    rule: Rule
    message: str


@dataclass(frozen=True)
class Profile:
    """A schema flavour plus rules; built by `Profile.load(name)` from the profile files."""

    name: str
    title: str
    description: str
    kind: str
    schema: str
    rules: tuple[Rule, ...]

    @staticmethod
    def names() -> tuple[str, ...]:
        """The profiles shipped in `schemas/profiles/`, sorted."""
        return _names()

    @staticmethod
    def load(name: str) -> Profile:
        """The profile called `name`, read once per process; `UnknownProfileError` lists the names."""
        return _load(name)

    @staticmethod
    def from_toml(name: str, text: str) -> Profile:
        """A profile from the text of a profile file; `ValueError` says what in it is wrong."""
        try:
            return _build(name, tomllib.loads(text))
        except (LookupError, TypeError, ValueError) as err:  # TOMLDecodeError is a ValueError
            raise ValueError(f"profile {name!r} is broken: {err}") from err

    def violations(self, record: etree._Element) -> Iterator[Violation]:
        """The rules `record` (its root element: `lom` or `oai_dc:dc`) breaks, rule by rule."""
        namespace = KINDS[self.kind]
        for rule in self.rules:
            yield from _CHECKS[rule.check](rule, record, namespace)


@functools.cache
def _names() -> tuple[str, ...]:
    folder = schemas.schemas_root() / "profiles"
    return tuple(sorted(path.stem for path in folder.glob("*.toml")))


@functools.cache
def _load(name: str) -> Profile:
    if name not in _names():
        raise UnknownProfileError(f"no profile named {name!r}; known profiles: {', '.join(_names())}")
    path = schemas.schemas_root() / "profiles" / f"{name}.toml"
    return Profile.from_toml(name, path.read_text(encoding="utf-8"))


def _build(name: str, data: dict[str, Any]) -> Profile:
    unknown = set(data) - _PROFILE_KEYS
    if unknown:
        raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
    kind = data["kind"]
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    schemas.schema_file(data["schema"])  # an unknown schema key fails here, at load time
    rules = tuple(_rule(check, table) for check in _RULE_KEYS for table in data.get(check, ()))
    for rule in rules:  # a path XPath cannot read fails here, at load time, not on some record
        try:
            _xpath(rule.paths, KINDS[kind])
        except etree.XPathSyntaxError as err:
            raise ValueError(f"{rule.id}: the paths {', '.join(rule.paths)} cannot be read") from err
    return Profile(name, data["title"], data["description"], kind, data["schema"], rules)


def _rule(check: str, table: dict[str, Any]) -> Rule:
    unknown = set(table) - _RULE_KEYS[check]
    if unknown:
        raise ValueError(f"[[{check}]] has unknown keys: {', '.join(sorted(unknown))}")
    paths = tuple(table["paths"]) if "paths" in table else (table["path"],)
    rule = Rule(
        check,
        paths,
        table.get("severity", "error"),
        table.get("message"),
        table.get("format"),
        table.get("source"),
        tuple(table.get("values", ())),
    )
    if rule.severity not in SEVERITIES:
        raise ValueError(f"severity {rule.severity!r} is not one of {', '.join(SEVERITIES)}")
    if check == "format" and rule.format not in FORMATS:
        raise ValueError(f"format {rule.format!r} is not one of {', '.join(FORMATS)}")
    if check == "vocabulary" and not rule.values:
        raise ValueError("[[vocabulary]] needs a list of values")
    return rule


@functools.cache
def _xpath(paths: tuple[str, ...], namespace: str, present: bool = False) -> etree.XPath:
    """Compile paths into one XPath: `general/title` becomes `p:general/p:title`, `@x` stays
    unqualified, a leading `//` means "at any depth" (`//string/@language`: every LangString).
    Several paths make one union, evaluated in a single pass over the record.

    `present` compiles the test "some node there has non-blank text" instead of the node list.
    """
    steps = [_steps(path) + ("[normalize-space()]" if present else "") for path in paths]
    expression = " | ".join(steps)
    return etree.XPath(f"boolean({expression})" if present else expression, namespaces={"p": namespace})


def _steps(path: str) -> str:
    names = path.lstrip("/").split("/")
    steps = "/".join(name if name.startswith("@") else f"p:{name}" for name in names)
    return f".//{steps}" if path.startswith("//") else steps


@cached(maxsize=4096)
def _fault(format_name: str, value: str) -> str | None:
    """Format checks memoised: languages, roles and licences repeat across a batch of records."""
    return FORMATS[format_name].fault(value)


def _is_present(record: etree._Element, paths: tuple[str, ...], namespace: str) -> bool:
    return bool(_xpath(paths, namespace, present=True)(record))


def _nearest(record: etree._Element, path: str, namespace: str) -> etree._Element:
    """The deepest element on `path` that exists: where a missing element should have been."""
    if path.startswith("//"):
        return record
    steps = [step for step in path.split("/")[:-1] if not step.startswith("@")]
    for end in range(len(steps), 0, -1):
        found = _xpath(("/".join(steps[:end]),), namespace)(record)
        if found:
            return found[0]
    return record


def _require(rule: Rule, record: etree._Element, namespace: str) -> Iterator[Violation]:
    for path in rule.paths:
        if not _is_present(record, (path,), namespace):
            *parent, last = path.split("/")
            where = "/".join(parent) or etree.QName(record).localname
            message = rule.message or f"missing required element '{last}' in '{where}'"
            yield Violation(_nearest(record, path, namespace), rule, message)


def _any_of(rule: Rule, record: etree._Element, namespace: str) -> Iterator[Violation]:
    if not _is_present(record, rule.paths, namespace):
        message = rule.message or f"needs at least one of: {', '.join(rule.paths)}"
        yield Violation(_nearest(record, rule.paths[0], namespace), rule, message)


def _format(rule: Rule, record: etree._Element, namespace: str) -> Iterator[Violation]:
    format_name = rule.format or ""
    for node in _xpath(rule.paths, namespace)(record):
        attribute = isinstance(node, str)
        value = node.strip() if attribute else (node.text or "").strip()
        fault = _fault(format_name, value) if value else None
        if fault is not None:
            yield Violation(node.getparent() if attribute else node, rule, rule.message or fault)


def _vocabulary(rule: Rule, record: etree._Element, namespace: str) -> Iterator[Violation]:
    source_tag, value_tag = f"{{{namespace}}}source", f"{{{namespace}}}value"
    for node in _xpath(rule.paths, namespace)(record):
        if rule.source is not None and (node.findtext(source_tag) or "").strip() != rule.source:
            continue
        value_element = node.find(value_tag)
        holder = node if value_element is None else value_element
        value = (holder.text or "").strip()
        if value and value not in rule.values:
            vocabulary = f"{rule.source} " if rule.source else ""
            message = rule.message or (
                f"value {quoted(value)} is not one of the {vocabulary}values: "
                + ", ".join(rule.values)
            )
            yield Violation(holder, rule, message)


_CHECKS: dict[str, Callable[[Rule, etree._Element, str], Iterator[Violation]]] = {
    "require": _require,
    "any_of": _any_of,
    "format": _format,
    "vocabulary": _vocabulary,
}
