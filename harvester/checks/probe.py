"""Asking the endpoint: one `Exchange` per request, with the checks every response gets.

Each request goes to the base URL under test and nowhere else, one at a time, through a
`Transport` (in production the harvester's `http.Fetcher`, which retries politely and honours
Retry-After). Every answer is checked on the way in: HTTP status 200 (errors included, spec
3.1.2.2), an OAI-PMH XML document, schema validity, responseDate and the request echo. Checks
of particular verbs then read the parsed `Exchange`.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from lxml import etree

from metadata import xmlsafe
from metadata.errors import NotWellFormedError, UnsafeXMLError
from metadata.namespaces import OAI_PMH, clark

from .envelope import NS, request_echo_problems, response_date_problem, schema_verdict
from .findings import Findings

Arguments = Sequence[tuple[str, str]]
"""Request arguments in order; a name may repeat (some error conditions need that)."""

_ROOT = clark(OAI_PMH, "OAI-PMH")
_SHOWN_ERRORS = 5


@dataclass(frozen=True)
class Answer:
    """What came back over HTTP: status, content type and the (decoded) body."""

    status: int
    content_type: str
    body: bytes


class TransportFailure(Exception):
    """No HTTP answer at all (connection refused, timeouts, retries exhausted); the message says why."""


Transport = Callable[[str, Arguments, str], Answer]
"""(base URL, arguments, "GET" or "POST") → the answer; raises `TransportFailure`."""


@dataclass(frozen=True)
class Header:
    identifier: str
    datestamp: str
    set_specs: tuple[str, ...]
    deleted: bool


@dataclass(frozen=True)
class Token:
    value: str
    complete_list_size: str | None
    cursor: str | None
    expiration: str | None


@dataclass(frozen=True)
class Exchange:
    """One request and its parsed answer; `root` is None when the answer was not OAI-PMH."""

    url: str
    arguments: tuple[tuple[str, str], ...]
    status: int | None
    root: etree._Element | None

    @property
    def codes(self) -> tuple[str, ...]:
        """The OAI-PMH error codes of the answer."""
        if self.root is None:
            return ()
        return tuple(error.get("code", "") for error in self.root.iterfind("oai:error", namespaces=NS))

    @property
    def failure(self) -> str:
        """Why this is not an answer, for a report: no OAI-PMH document, or its error codes."""
        if self.root is None:
            return "no OAI-PMH answer"
        return f"error {', '.join(self.codes)}" if self.codes else ""

    @property
    def answered(self) -> bool:
        """An OAI-PMH answer without errors."""
        return self.root is not None and not self.codes

    def find(self, path: str) -> etree._Element | None:
        return None if self.root is None else self.root.find(path, namespaces=NS)

    def findall(self, path: str) -> list[etree._Element]:
        return [] if self.root is None else self.root.findall(path, namespaces=NS)

    def text(self, path: str) -> str | None:
        found = self.find(path)
        return None if found is None else (found.text or "").strip()

    def headers(self) -> list[Header]:
        """Every record header of the answer, in order."""
        elements = self.findall("oai:*/oai:header") + self.findall("oai:*/oai:record/oai:header")
        return [_header(element) for element in elements]

    def token(self) -> Token | None:
        element = self.find("oai:*/oai:resumptionToken")
        if element is None:
            return None
        return Token((element.text or "").strip(), element.get("completeListSize"), element.get("cursor"),
                     element.get("expirationDate"))


def _header(element: etree._Element) -> Header:
    return Header(
        (element.findtext("oai:identifier", namespaces=NS) or "").strip(),
        (element.findtext("oai:datestamp", namespaces=NS) or "").strip(),
        tuple((spec.text or "").strip() for spec in element.iterfind("oai:setSpec", namespaces=NS)),
        element.get("status") == "deleted",
    )


def request_url(base_url: str, arguments: Arguments, method: str = "GET") -> str:
    """How the report names a request: the GET URL, or the POST target and its form body."""
    query = urlencode(list(arguments))
    if method == "POST":
        return f"POST {base_url} with body {query}"
    return f"{base_url}?{query}" if query else base_url


class Probe:
    """Sends requests to one base URL and checks each answer's envelope into `findings`."""

    def __init__(self, base_url: str, transport: Transport, findings: Findings) -> None:
        self.base_url = base_url
        self.findings = findings
        self._transport = transport
        self._noted: set[str] = set()

    def ask(self, arguments: Arguments, method: str = "GET") -> Exchange:
        """Send one request and check its answer; an unusable answer gives an Exchange without root."""
        url = request_url(self.base_url, arguments, method)
        try:
            answer = self._transport(self.base_url, arguments, method)
        except TransportFailure as failure:
            self.findings.add("http.answer", False, url, "an HTTP answer", str(failure))
            return Exchange(url, tuple(arguments), None, None)
        self.findings.add("http.status", answer.status == 200, url, "HTTP status 200 (OAI-PMH errors included)",
                          f"HTTP status {answer.status}")
        root, problem = _oai_root(answer)
        if not self.findings.add("http.oai", root is not None, url, "an OAI-PMH XML document", problem):
            return Exchange(url, tuple(arguments), answer.status, None)
        self._check_envelope(root, url, arguments)
        return Exchange(url, tuple(arguments), answer.status, root)

    def _check_envelope(self, root: etree._Element, url: str, arguments: Arguments) -> None:
        verdict = schema_verdict(root)
        more = len(verdict.errors) - _SHOWN_ERRORS
        shown = "; ".join(verdict.errors[:_SHOWN_ERRORS]) + (f"; and {more} more" if more > 0 else "")
        self.findings.add("schema.valid", not verdict.errors, url, "valid against the OAI-PMH schema", shown)
        for namespace in sorted(verdict.unchecked - self._noted):
            self._noted.add(namespace)
            self.findings.skip("schema.payload", f"no schema for namespace {namespace} here; "
                               "payloads in it are not checked", url)
        problem = response_date_problem(root)
        self.findings.add("response.date", problem is None, url, "responseDate in UTC as YYYY-MM-DDThh:mm:ssZ",
                          problem or "")
        echo = "; ".join(request_echo_problems(root, self.base_url, arguments))
        self.findings.add("response.request", not echo, url,
                          "request element: the base URL, the arguments as attributes (none after "
                          "badVerb/badArgument)", echo)


def _oai_root(answer: Answer) -> tuple[etree._Element | None, str]:
    """The OAI-PMH root element of the answer, or None and why there is none."""
    try:
        root = xmlsafe.fromstring(answer.body)
    except NotWellFormedError as error:
        kind = "an HTML page" if "html" in answer.content_type.lower() else "not well-formed XML"
        return None, f"{kind} ({error}; content type {answer.content_type or 'not given'})"
    except UnsafeXMLError as error:
        return None, f"XML refused as unsafe: {error}"
    if root.tag != _ROOT:
        kind = "an HTML page" if etree.QName(root).localname.lower() == "html" else "another document"
        return None, f"{kind} (root element {root.tag}; content type {answer.content_type or 'not given'})"
    return root, ""
