"""What a conformance check found: one `Finding` per verdict, kept by a `Findings` log.

A finding is one assertion about one request (or about the endpoint as a whole), so the summary's
pass/fail counts say how much was checked, and a failure names the request, what the protocol
expects and what came back. Checks are named `kind.name`; the kind groups the report.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

PASS, FAIL, SKIP = "pass", "fail", "skip"

KINDS = {
    "http": "HTTP status 200 and an OAI-PMH document for every request",
    "schema": "schema validity of every response: the envelope, and the payloads we have schemas for",
    "response": "responseDate and the request element of every response",
    "identify": "Identify",
    "verbs": "every verb answers",
    "formats": "metadata formats",
    "errors": "error conditions",
    "dates": "datestamps and selective harvesting by date",
    "sets": "sets and selective harvesting by set",
    "paging": "resumption tokens, cursor and completeListSize",
    "records": "headers, formats, identifiers, and every harvested record against the profile",
    "post": "POST answers as GET does",
}
"""Report groups, in the order the report shows them."""


@dataclass(frozen=True)
class Finding:
    """One verdict. `url` is the request it is about (None: the endpoint as a whole); a failure
    says what was `expected` and what was `found`; a skipped check says why in `found`."""

    check: str
    outcome: str
    url: str | None = None
    expected: str = ""
    found: str = ""

    @property
    def kind(self) -> str:
        return self.check.split(".", 1)[0]


class Findings:
    """The findings of one run, in the order they were made."""

    def __init__(self) -> None:
        self._all: list[Finding] = []

    def add(self, check: str, ok: bool, url: str | None, expected: str, found: str = "") -> bool:
        """Record a pass when `ok`, else a failure; return `ok` so callers can stop early."""
        if check.split(".", 1)[0] not in KINDS:
            raise ValueError(f"check {check!r} is not of a known kind")
        self._all.append(Finding(check, PASS if ok else FAIL, url, expected, "" if ok else found))
        return ok

    def skip(self, check: str, why: str, url: str | None = None) -> None:
        """Record that `check` could not be made against this endpoint, and why."""
        self._all.append(Finding(check, SKIP, url, found=why))

    def all(self) -> tuple[Finding, ...]:
        return tuple(self._all)


def counts(findings: tuple[Finding, ...]) -> dict[str, int]:
    """Passed, failed and skipped findings."""
    tally = Counter(finding.outcome for finding in findings)
    return {"passed": tally[PASS], "failed": tally[FAIL], "skipped": tally[SKIP]}
