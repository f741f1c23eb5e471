"""`lectern validate --oai`: the conformance report in text, JSON or JUnit XML.

Text is for people: one block per kind of check, each failure naming the request, what was expected
and what came, then what could not be checked and why, then the counts. JSON keeps one shape for
scripts:

    {"summary": {"base_url", "checks", "passed", "failed", "skipped", "exit_code", "unusable"},
     "kinds": {kind: {"title", "passed", "failed", "skipped"}},
     "findings": [{"check", "kind", "outcome", "url", "expected", "found"}]}

JUnit XML has a test suite per kind and a test case per finding, for CI systems.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass, replace
from collections.abc import Callable, Iterable
from typing import Any, TextIO
from urllib.parse import urlsplit

import click
from lxml import etree

from harvester.checks.findings import FAIL, KINDS, SKIP, Finding, counts
from harvester.checks.transport import default_fetcher, fetcher_transport
from harvester.conformance import DEFAULT_MAX_RECORDS, Options, Report, check_endpoint


@dataclass(frozen=True)
class Battery:
    """The endpoint `--oai` names and how to check it."""

    base_url: str
    options: Options


def endpoint_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add `--oai URL` and the options that only go with it; call the command with `battery=`
    a `Battery`, or None without `--oai`."""

    @click.option("--oai", "base_url", metavar="URL", default=None,
                  help="Check this OAI-PMH endpoint (its base URL) instead of files: the conformance battery.")
    @click.option("--prefix", metavar="PREFIX", default=None,
                  help="With --oai: the metadataPrefix to harvest; default: LOM if offered, else oai_dc.")
    @click.option("--set", "set_spec", metavar="SPEC", default=None, help="With --oai: harvest only this set.")
    @click.option("--max-records", metavar="N", default=None, type=click.IntRange(min=1),
                  help=f"With --oai: records to judge, and items to follow per list [default: {DEFAULT_MAX_RECORDS}].")
    @functools.wraps(command)
    def wrapper(*args: Any, base_url: str | None, prefix: str | None, set_spec: str | None,
                max_records: int | None, **kwargs: Any) -> Any:
        if base_url is None:
            if (prefix, set_spec, max_records) != (None, None, None):
                raise click.UsageError("--prefix, --set and --max-records go with --oai URL.")
            return command(*args, battery=None, **kwargs)
        if urlsplit(base_url).scheme not in ("http", "https") or not urlsplit(base_url).netloc:
            raise click.BadParameter(f"{base_url!r} is not an http:// or https:// base URL.", param_hint="--oai")
        options = Options(prefix, set_spec, max_records or DEFAULT_MAX_RECORDS)
        return command(*args, battery=Battery(base_url, options), **kwargs)

    return wrapper


def run(battery: Battery, profile: str, output_format: str, out: TextIO) -> int:
    """Run the battery, judging records by `profile`; write the report to `out`; return the exit code."""
    with default_fetcher() as fetcher:
        report = check_endpoint(battery.base_url, fetcher_transport(fetcher), replace(battery.options, profile=profile))
    _RENDERERS[output_format](report, out)
    return report.exit_code


def _by_kind(findings: Iterable[Finding]) -> dict[str, list[Finding]]:
    grouped: dict[str, list[Finding]] = {kind: [] for kind in KINDS}
    for finding in findings:
        grouped[finding.kind].append(finding)
    return {kind: found for kind, found in grouped.items() if found}


def _tally(findings: Iterable[Finding]) -> str:
    numbers = counts(tuple(findings))
    return f"{numbers['passed']} passed, {numbers['failed']} failed, {numbers['skipped']} skipped"


def _text(report: Report, out: TextIO) -> None:
    out.write(f"OAI-PMH conformance of {report.base_url}\n")
    for kind, findings in _by_kind(report.findings).items():
        out.write(f"{kind}: {_tally(findings)} ({KINDS[kind]})\n")
        for finding in findings:
            if finding.outcome == FAIL:
                out.write(f"  FAIL {finding.check}: {finding.url or report.base_url}\n"
                          f"       expected {finding.expected}\n       got {finding.found}\n")
            elif finding.outcome == SKIP:
                out.write(f"  skipped {finding.check}: {finding.found}\n")
    if report.unusable:
        out.write(f"\nendpoint unusable: {report.unusable}\n")
    numbers = report.counts
    out.write(f"\n{sum(numbers.values())} checks: {_tally(report.findings)}\n")


def _json(report: Report, out: TextIO) -> None:
    numbers = report.counts
    document = {
        "summary": {"base_url": report.base_url, "checks": sum(numbers.values()), **numbers,
                    "exit_code": report.exit_code, "unusable": report.unusable},
        "kinds": {kind: {"title": KINDS[kind], **counts(tuple(findings))}
                  for kind, findings in _by_kind(report.findings).items()},
        "findings": [{"check": finding.check, "kind": finding.kind, "outcome": finding.outcome, "url": finding.url,
                      "expected": finding.expected, "found": finding.found} for finding in report.findings],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _junit(report: Report, out: TextIO) -> None:
    root = etree.Element("testsuites", name=f"lectern validate --oai {report.base_url}")
    for kind, findings in _by_kind(report.findings).items():
        suite = etree.SubElement(root, "testsuite", name=f"{kind}: {KINDS[kind]}")
        for finding in findings:
            case = etree.SubElement(suite, "testcase", classname=finding.check, name=finding.url or report.base_url)
            if finding.outcome == FAIL:
                failure = etree.SubElement(case, "failure", type=finding.check, message=f"expected {finding.expected}")
                failure.text = f"expected {finding.expected}\ngot {finding.found}"
            elif finding.outcome == SKIP:
                etree.SubElement(case, "skipped", message=finding.found)
        _count_cases(suite)
    if report.unusable:
        suite = etree.SubElement(root, "testsuite", name="endpoint")
        case = etree.SubElement(suite, "testcase", classname="endpoint", name=report.base_url)
        etree.SubElement(case, "error", message=report.unusable)
        _count_cases(suite)
    _count_cases(root)
    out.write(etree.tostring(root, encoding="unicode", pretty_print=True))


def _count_cases(element: etree._Element) -> None:
    for name, tag in (("tests", "testcase"), ("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
        element.set(name, str(sum(1 for _ in element.iter(tag))))


_RENDERERS: dict[str, Callable[[Report, TextIO], None]] = {"text": _text, "json": _json, "junit": _junit}
FORMATS = tuple(_RENDERERS)
