"""POST as well as GET (spec 3.1.1.2): the same request by either method gets the same answer.

Answers are compared after removing what may rightly differ between two requests: responseDate,
and a resumption token's value and expiry (stateless tokens often carry the time they were issued).
"""
from __future__ import annotations

import copy
import difflib
from collections.abc import Sequence

from lxml import etree

from .envelope import NS
from .probe import Arguments, Exchange, Probe


def check(probe: Probe, requests: Sequence[Arguments]) -> None:
    """Ask each request by GET and by POST and compare the answers."""
    for arguments in requests:
        by_get, by_post = probe.ask(arguments), probe.ask(arguments, method="POST")
        if by_get.root is None or by_post.root is None:
            probe.findings.skip("post.same", "GET or POST gave no OAI-PMH answer to compare", by_post.url)
            continue
        expected, found = _comparable(by_get), _comparable(by_post)
        probe.findings.add("post.same", expected == found, by_post.url, "the answer GET gets",
                           _first_difference(expected, found))


def _comparable(exchange: Exchange) -> list[str]:
    """The answer's canonical XML as lines, without what may differ between two requests."""
    root = copy.deepcopy(exchange.root)
    for date in root.iterfind("oai:responseDate", namespaces=NS):
        date.text = ""
    for token in root.iterfind("oai:*/oai:resumptionToken", namespaces=NS):
        token.text = ""
        token.attrib.pop("expirationDate", None)
    text = etree.tostring(root, method="c14n").decode("utf-8")
    return text.replace("><", ">\n<").splitlines()


def _first_difference(expected: list[str], found: list[str]) -> str:
    for line in difflib.unified_diff(expected, found, lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            return f"a different answer, e.g. {line[1:][:200]}"
    return "a different answer (lines missing)"
