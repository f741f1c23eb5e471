"""Validation: every record of a document judged against a profile, problems a librarian can fix.

The verdict on a record comes from libxml2 (our XSD compiled by lxml), which is fast enough for bulk
imports and harvests. Only a record libxml2 finds invalid is read again by xmlschema, whose rich
errors `metadata.messages` turns into sentences; should xmlschema find nothing there, libxml2's own
log is translated instead, so no failure goes unexplained. Profile rules run on every record, valid
or not, but a value rule does not repeat what the schema already said about the same element.

`check` yields one `RecordResult` per record and raises for a document that cannot be read at all;
`validate` flattens that into `Problem`s, the document's own trouble included, for callers that only
want the list.
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from os import PathLike, fspath

from lxml import etree

from . import messages, schemas
from .detect import MAX_DOCUMENT_BYTES, Found, find_records
from .errors import NotWellFormedError, UnknownFormatError, UnsafeXMLError
from .profiles import Profile
from .xmlsafe import Source

AUTO = "auto"
"""Not a profile but a choice: each record gets the profile for its kind (`AUTO_PROFILES`)."""

AUTO_PROFILES = {"lom": "lom-strict", "dc": "dc"}

KIND_NAMES = {"lom": "IEEE LOM", "dc": "Dublin Core"}

UNREADABLE_RULES = frozenset({"well-formed", "safe-xml", "readable"})
"""Rules of document problems that mean the input could not be used at all (not just invalid)."""

_DOCUMENT_RULES: tuple[tuple[type[BaseException], str, str], ...] = (
    (UnknownFormatError, "has-record", "{error}"),
    (NotWellFormedError, "well-formed", "not well-formed XML: {error}"),
    (UnsafeXMLError, "safe-xml", "refused: {error}"),
    (OSError, "readable", "cannot be read: {error}"),
)
DOCUMENT_ERRORS = tuple(kind for kind, _, _ in _DOCUMENT_RULES)
"""What `check` raises for a document as a whole; `document_problem` turns each into a `Problem`."""
_VALUE_CHECKS = frozenset({"format", "vocabulary"})


@dataclass(frozen=True)
class Problem:
    """One thing to fix. `record` counts records in the file from 1 (None: about the whole file);
    `severity` is "error" (the record is invalid) or "warning" (worth fixing, still valid)."""

    file: str
    line: int | None
    path: str
    rule: str
    message: str
    record: int | None = None
    severity: str = "error"


@dataclass(frozen=True)
class RecordResult:
    """The verdict on one record: `kind` is `lom` or `dc`, `profile` the profile that judged it."""

    file: str
    index: int
    kind: str
    profile: str
    line: int | None
    problems: tuple[Problem, ...]

    @property
    def valid(self) -> bool:
        """Warnings do not make a record invalid."""
        return all(problem.severity != "error" for problem in self.problems)


def check(
    source: Source,
    profile: str | Profile = AUTO,
    name: str | None = None,
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> Iterator[RecordResult]:
    """Judge each record of `source` (bytes, a path or a binary stream) against `profile`.

    `profile` is a profile, its name, or `AUTO`; `name` is what problems call the file (the path by
    default). Raises `UnknownProfileError` at once; while iterating, one of `DOCUMENT_ERRORS` when
    the document is unreadable, broken, hostile or holds no record (records before the fault of a
    broken document have been yielded by then).
    """
    choose = _chooser(profile)
    file = name if name is not None else _name_of(source)
    return _results(find_records(source, max_bytes), choose, file)


def _results(
    records: Iterator[Found], choose: Callable[[str], Profile], file: str
) -> Iterator[RecordResult]:
    for found in records:
        yield judge(found, choose(found.kind), file)


def judge(found: Found, profile: Profile, file: str) -> RecordResult:
    """The verdict on one record already found in a document (importers, harvesters)."""
    problems = tuple(_problems(found, profile, file))
    return RecordResult(file, found.index, found.kind, profile.name, found.element.sourceline, problems)


def validate(
    source: Source, profile: str | Profile = AUTO, name: str | None = None
) -> Iterator[Problem]:
    """Every problem in `source`, records in document order; an unusable document is one problem."""
    file = name if name is not None else _name_of(source)
    results = check(source, profile, file)
    try:
        for result in results:
            yield from result.problems
    except DOCUMENT_ERRORS as error:
        yield document_problem(file, error)


def document_problem(file: str, error: BaseException) -> Problem:
    """The problem that stands for a whole document: no record in it, broken, hostile or unreadable.

    `error` is one of `DOCUMENT_ERRORS`, as raised while reading the document with `check`.
    """
    for kind, rule, template in _DOCUMENT_RULES:
        if isinstance(error, kind):
            line = getattr(error, "line", None)
            return Problem(file, line, "", rule, template.format(error=error))
    raise TypeError(f"{type(error).__name__} is not a document error") from error


def _chooser(profile: str | Profile) -> Callable[[str], Profile]:
    """Record kind → profile. Loading every profile up front makes a bad name fail before any I/O."""
    if isinstance(profile, Profile):
        return lambda kind: profile
    if profile == AUTO:
        chosen = {kind: Profile.load(name) for kind, name in AUTO_PROFILES.items()}
        return chosen.__getitem__
    loaded = Profile.load(profile)
    return lambda kind: loaded


def _name_of(source: Source) -> str:
    if isinstance(source, (str, PathLike)):
        return fspath(source)
    return str(getattr(source, "name", "<bytes>" if isinstance(source, bytes) else "<stream>"))


def _problems(found: Found, profile: Profile, file: str) -> Iterator[Problem]:
    record = found.element
    if found.variant is not None and profile.kind == "lom":
        yield _legacy_problem(found, file)
        return
    if profile.kind != found.kind:
        yield _kind_problem(found, profile, file)
        return
    reported = set()
    for explanation in _schema_explanations(record, profile.schema):
        reported.add(explanation.path)
        rule = f"xsd:{explanation.kind}"
        yield Problem(file, explanation.line, explanation.path, rule, explanation.text, found.index)
    for violation in profile.violations(record):
        path = messages.element_path(violation.element, record)
        if violation.rule.check in _VALUE_CHECKS and path in reported:
            continue
        yield Problem(
            file,
            violation.element.sourceline,
            path,
            violation.rule.id,
            violation.message,
            found.index,
            violation.rule.severity,
        )


def _schema_explanations(record: etree._Element, schema: str) -> list[messages.Explanation]:
    """Nothing for a valid record (libxml2's verdict); otherwise each distinct error explained."""
    validator = schemas.lxml_schema(schema)
    # A whole document validates faster than an element, which lxml first wraps in a fake document.
    if validator.validate(record.getroottree() if record.getparent() is None else record):
        return []
    # xmlschema counts a comment inside a text-only element as a child element, which XSD does
    # not; it reads a copy without comments (line numbers survive the copy).
    bare = copy.deepcopy(record)
    etree.strip_tags(bare, etree.Comment, etree.ProcessingInstruction)
    errors = schemas.xsd(schema).iter_errors(bare, use_location_hints=False)
    explained = [messages.explain(error, bare, schema) for error in errors]
    if not explained:
        explained = [messages.explain_log_entry(entry, record) for entry in validator.error_log]
    return messages.condense(explained)


def _legacy_problem(found: Found, file: str) -> Problem:
    namespace = etree.QName(found.element).namespace or "no namespace"
    message = (
        f"this record is {found.variant} (namespace {namespace}), not IEEE LOM XML, so no LOM profile "
        "can accept it; Lectern's import converts it to IEEE LOM"
    )
    path = messages.local_name(found.element)
    return Problem(file, found.element.sourceline, path, "ieee-lom-namespace", message, found.index)


def _kind_problem(found: Found, profile: Profile, file: str) -> Problem:
    message = (
        f"this is a {KIND_NAMES[found.kind]} record, but the {profile.name} profile judges "
        f"{KIND_NAMES[profile.kind]} records; choose the '{AUTO}' profile or one for "
        f"{KIND_NAMES[found.kind]} ({AUTO_PROFILES[found.kind]})"
    )
    path = messages.local_name(found.element)
    return Problem(file, found.element.sourceline, path, "record-kind", message, found.index)
