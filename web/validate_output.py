"""`lectern validate`: validate documents and report in text, JSON or JUnit XML.

Text is for people: one line per problem, `file:line: path: message [rule]`, then a summary. JSON is
for scripts and keeps one shape (documented in docs/validation.md):

    {"summary": {"profile", "files", "records", "valid", "invalid", "problems", "warnings",
                 "unreadable", "without_records", "exit_code"},
     "files": [{"file", "readable", "problems": [...],
                "records": [{"index", "kind", "profile", "line", "valid", "problems": [...]}]}]}

where each problem is `{"line", "path", "rule", "message", "severity"}` and a file's own `problems`
say why it holds no record or could not be read. JUnit XML is for CI systems: a test suite per file,
a test case per record, failures carrying the messages.

Exit codes: 0 every record valid; 1 some record invalid, or a file holds no LOM or DC record;
2 some input could not be used (unreadable, not well-formed, refused as unsafe).
"""
from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import IO, TextIO

import click
from lxml import etree

from metadata.documents import Document, find_documents
from metadata.validation import (
    DOCUMENT_ERRORS,
    UNREADABLE_RULES,
    Problem,
    RecordResult,
    check,
    document_problem,
)

PROGRESS_FROM = 20
"""Fewer documents than this finish too fast for a progress bar to help."""


@dataclass(frozen=True)
class FileReport:
    """The records found in one document, or the document's own problem (`problem`)."""

    file: str
    records: tuple[RecordResult, ...]
    problem: Problem | None = None

    @property
    def readable(self) -> bool:
        return self.problem is None or self.problem.rule not in UNREADABLE_RULES


@dataclass
class Tally:
    """Counts for the summary line and the exit code, kept as reports go by."""

    profile: str
    files: int = 0
    records: int = 0
    valid: int = 0
    problems: int = 0
    warnings: int = 0
    unreadable: int = 0
    without_records: int = 0

    def add(self, report: FileReport) -> FileReport:
        self.files += 1
        self.records += len(report.records)
        self.valid += sum(record.valid for record in report.records)
        found = [problem for record in report.records for problem in record.problems]
        found += [report.problem] if report.problem else []
        self.warnings += sum(problem.severity == "warning" for problem in found)
        self.problems += sum(problem.severity != "warning" for problem in found)
        self.unreadable += not report.readable
        self.without_records += report.readable and report.problem is not None
        return report

    @property
    def invalid(self) -> int:
        return self.records - self.valid

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return 2
        return 1 if self.invalid or self.without_records else 0

    def summary(self) -> dict[str, int | str]:
        return {
            "profile": self.profile,
            "files": self.files,
            "records": self.records,
            "valid": self.valid,
            "invalid": self.invalid,
            "problems": self.problems,
            "warnings": self.warnings,
            "unreadable": self.unreadable,
            "without_records": self.without_records,
            "exit_code": self.exit_code,
        }


def run(
    paths: tuple[str, ...],
    profile: str,
    output_format: str,
    stdin: IO[bytes],
    out: TextIO,
    show_progress: bool,
) -> int:
    """Validate every document `paths` name, write the report to `out`, return the exit code."""
    documents = list(find_documents(paths, stdin))
    if not documents:
        raise click.UsageError(
            f"no XML files or zip packages found in {', '.join(paths)}; name the files to check."
        )
    tally = Tally(profile)
    with _progress(documents, show_progress) as shown:
        reports = (tally.add(report_on(document, profile)) for document in shown)
        _RENDERERS[output_format](reports, tally, out)
    return tally.exit_code


def report_on(document: Document, profile: str) -> FileReport:
    """Every record of one document judged, or the problem that kept the document from being read."""
    records: list[RecordResult] = []
    try:
        with document.open() as stream:
            records.extend(check(stream, profile, document.name))
    except DOCUMENT_ERRORS as error:
        return FileReport(document.name, tuple(records), document_problem(document.name, error))
    return FileReport(document.name, tuple(records))


def _progress(documents: list[Document], show: bool) -> AbstractContextManager[Iterable[Document]]:
    """A progress bar on stderr for long runs on a terminal; otherwise the documents unchanged."""
    if show and len(documents) >= PROGRESS_FROM:
        return click.progressbar(documents, label="validating", file=sys.stderr)
    return contextlib.nullcontext(documents)


def _text(reports: Iterator[FileReport], tally: Tally, out: TextIO) -> None:
    for report in reports:
        for problem in _problems_of(report):
            out.write(text_line(problem) + "\n")
    out.write(_summary_line(tally) + "\n")


def text_line(problem: Problem) -> str:
    """`file:line: path: message [rule]`, leaving out what is unknown; warnings say so."""
    where = problem.file if problem.line is None else f"{problem.file}:{problem.line}"
    parts = [where, problem.path, "warning" if problem.severity == "warning" else ""]
    return ": ".join(part for part in parts if part) + f": {problem.message} [{problem.rule}]"


def _summary_line(tally: Tally) -> str:
    text = (
        f"{_count(tally.files, 'file')}, {_count(tally.records, 'record')}: "
        f"{tally.valid} valid, {tally.invalid} invalid; "
        f"{_count(tally.problems, 'problem')}, {_count(tally.warnings, 'warning')}"
    )
    if tally.without_records:
        text += f"; {_count(tally.without_records, 'file')} without records"
    if tally.unreadable:
        text += f"; {_count(tally.unreadable, 'file')} unreadable"
    return text + f" (profile {tally.profile})"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _problems_of(report: FileReport) -> Iterator[Problem]:
    """The records' problems, then the document's own (for a document that broke after some records,
    the fault comes where it happened: last)."""
    for record in report.records:
        yield from record.problems
    if report.problem is not None:
        yield report.problem


def _problem_json(problem: Problem) -> dict[str, object]:
    return {
        "line": problem.line,
        "path": problem.path,
        "rule": problem.rule,
        "message": problem.message,
        "severity": problem.severity,
    }


def _json(reports: Iterator[FileReport], tally: Tally, out: TextIO) -> None:
    files = [
        {
            "file": report.file,
            "readable": report.readable,
            "problems": [_problem_json(report.problem)] if report.problem else [],
            "records": [
                {
                    "index": record.index,
                    "kind": record.kind,
                    "profile": record.profile,
                    "line": record.line,
                    "valid": record.valid,
                    "problems": [_problem_json(problem) for problem in record.problems],
                }
                for record in report.records
            ],
        }
        for report in reports
    ]
    json.dump({"summary": tally.summary(), "files": files}, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _junit(reports: Iterator[FileReport], tally: Tally, out: TextIO) -> None:
    root = etree.Element("testsuites", name="lectern validate")
    for report in reports:
        suite = etree.SubElement(root, "testsuite", name=report.file)
        for record in report.records:
            _testcase(suite, report.file, f"record {record.index} (line {record.line})", record.problems)
        if report.problem is not None:
            _testcase(suite, report.file, "document", (report.problem,), error=not report.readable)
        _count_cases(suite)
    _count_cases(root)
    out.write(etree.tostring(root, encoding="unicode", pretty_print=True, xml_declaration=False))


def _testcase(
    suite: etree._Element, file: str, name: str, problems: Iterable[Problem], error: bool = False
) -> None:
    case = etree.SubElement(suite, "testcase", classname=file, name=name)
    errors = [problem for problem in problems if problem.severity != "warning"]
    warnings = [problem for problem in problems if problem.severity == "warning"]
    if errors:
        outcome = etree.SubElement(case, "error" if error else "failure")
        outcome.set("message", errors[0].message)
        outcome.set("type", errors[0].rule)
        outcome.text = "\n".join(text_line(problem) for problem in errors)
    if warnings:
        etree.SubElement(case, "system-out").text = "\n".join(map(text_line, warnings))


def _count_cases(element: etree._Element) -> None:
    element.set("tests", str(sum(1 for _ in element.iter("testcase"))))
    element.set("failures", str(sum(1 for _ in element.iter("failure"))))
    element.set("errors", str(sum(1 for _ in element.iter("error"))))


_RENDERERS: dict[str, Callable[[Iterator[FileReport], Tally, TextIO], None]] = {
    "text": _text,
    "json": _json,
    "junit": _junit,
}
FORMATS = tuple(_RENDERERS)
"""The report formats `run` can write."""
