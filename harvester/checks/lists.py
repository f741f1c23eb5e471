"""Following a list to its end: resumption tokens, cursor, completeListSize, the empty final token.

Spec 3.5: every page of an incomplete list but the last carries a token; the last carries an empty
`<resumptionToken/>`; `cursor` counts the items served before the page; `completeListSize` is the
size of the whole list. A walk stops at `limit` items, so a huge endpoint does not take hours; the
end-of-list checks are then skipped and say so.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from metadata.datestamps import SECONDS, granularity_of

from .probe import Arguments, Exchange, Header, Probe

MAX_EMPTY_PAGES = 3
"""Consecutive pages without items, each with a new token, after which the list is judged stuck."""

NO_MATCH = "noRecordsMatch"
_SHOWN = 5


@dataclass(frozen=True)
class Walk:
    """What a walk saw. `complete`: it reached the end of the list; `codes`: the error codes of the
    first page (an empty list answers noRecordsMatch); `usable`: the first page was OAI-PMH at all;
    `url`: the first request."""

    url: str
    items: tuple[str, ...]
    headers: tuple[Header, ...]
    complete: bool
    codes: tuple[str, ...] = ()
    usable: bool = True

    @property
    def answered(self) -> bool:
        """The list was given (possibly empty, as noRecordsMatch)."""
        return self.usable and (not self.codes or self.codes == (NO_MATCH,))

    @property
    def failure(self) -> str:
        """Why the list was not given, for a report."""
        return f"error {', '.join(self.codes)}" if self.usable else "no OAI-PMH answer"


@dataclass
class _State:
    """Progress of a walk between pages."""

    items: list[str] = field(default_factory=list)
    headers: list[Header] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    sizes: set[str] = field(default_factory=set)
    empty_streak: int = 0


def walk(probe: Probe, verb: str, arguments: Arguments, limit: int,
         on_page: Callable[[Exchange], None] = lambda exchange: None) -> Walk:
    """Ask `verb` with `arguments`, then follow resumption tokens; check paging along the way.

    Items are identifiers (ListIdentifiers, ListRecords) or set specs (ListSets). `on_page` sees
    every answered page before the next is asked for.
    """
    first = probe.ask([("verb", verb), *arguments])
    if not first.answered:
        return Walk(first.url, (), (), first.codes == (NO_MATCH,), first.codes, first.root is not None)
    state, exchange = _State(), first
    while True:
        on_page(exchange)
        _take(probe, state, exchange, verb)
        token = exchange.token()
        if token is None or not token.value:
            _check_end(probe, state, exchange, token is not None)
            return Walk(first.url, tuple(state.items), tuple(state.headers), True)
        if not _check_token(probe, state, exchange, token.value) or len(state.items) >= limit:
            _check_unique(probe, state, exchange)
            _skip_end(probe, first.url, f"stopped after {len(state.items)} items (the limit is {limit})"
                      if len(state.items) >= limit else "the list did not progress")
            return Walk(first.url, tuple(state.items), tuple(state.headers), False)
        exchange = probe.ask([("verb", verb), ("resumptionToken", token.value)])
        if not probe.findings.add("paging.resume", exchange.answered, exchange.url,
                                  "the next page for a token the endpoint issued",
                                  exchange.failure):
            _check_unique(probe, state, exchange)
            _skip_end(probe, first.url, "a page of the list could not be had")
            return Walk(first.url, tuple(state.items), tuple(state.headers), False)


def _take(probe: Probe, state: _State, exchange: Exchange, verb: str) -> None:
    """Add the page's items and check its cursor, completeListSize and expirationDate."""
    before = len(state.items)
    if verb == "ListSets":
        page = [(element.text or "").strip() for element in exchange.findall("oai:ListSets/oai:set/oai:setSpec")]
    else:
        headers = exchange.headers()
        state.headers.extend(headers)
        page = [header.identifier for header in headers]
    state.items.extend(page)
    state.empty_streak = 0 if page else state.empty_streak + 1
    token = exchange.token()
    if token is None:
        return
    add, url = probe.findings.add, exchange.url
    if token.cursor is not None:
        add("paging.cursor", token.cursor == str(before), url,
            f"cursor {before} (the items served before this page)", f"cursor {token.cursor}")
    if token.complete_list_size is not None:
        state.sizes.add(token.complete_list_size)
        add("paging.list-size", len(state.sizes) == 1, url, "the same completeListSize on every page",
            f"completeListSize {' then '.join(sorted(state.sizes))}")
    if token.expiration is not None:
        add("paging.expiration", granularity_of(token.expiration) == SECONDS, url,
            "expirationDate in UTC as YYYY-MM-DDThh:mm:ssZ", f"expirationDate {token.expiration!r}")


def _check_token(probe: Probe, state: _State, exchange: Exchange, value: str) -> bool:
    """A new token that moves the list on; False when the walk must stop."""
    repeated = value in state.tokens
    state.tokens.append(value)
    if repeated:
        probe.findings.add("paging.progress", False, exchange.url, "a new resumptionToken on every page",
                           f"the token {value!r} again")
        return False
    if state.empty_streak >= MAX_EMPTY_PAGES:
        probe.findings.add("paging.progress", False, exchange.url, "items on the pages of a list",
                           f"{state.empty_streak} pages in a row without items, each with a new token")
        return False
    return True


def _check_end(probe: Probe, state: _State, last: Exchange, empty_token: bool) -> None:
    """The end of a list: the empty final token, no repeated items, completeListSize = items."""
    add, url = probe.findings.add, last.url
    if state.tokens:
        add("paging.final-token", empty_token, url,
            "an empty resumptionToken on the last page of an incomplete list", "no resumptionToken element")
    _check_unique(probe, state, last)
    if state.sizes:
        add("paging.list-size", state.sizes == {str(len(state.items))}, url,
            f"completeListSize {len(state.items)} (the items in the whole list)",
            f"completeListSize {', '.join(sorted(state.sizes))}")


def _check_unique(probe: Probe, state: _State, last: Exchange) -> None:
    repeated = [item for item, number in Counter(state.items).items() if number > 1]
    probe.findings.add("paging.unique", not repeated, last.url, "every item once in the whole list",
                       f"{len(repeated)} repeated across pages, e.g. {', '.join(repeated[:_SHOWN])}")


def _skip_end(probe: Probe, url: str, why: str) -> None:
    """The checks only the end of a list can settle, skipped for a walk that stopped early."""
    for check in ("paging.final-token", "paging.list-size"):
        probe.findings.skip(check, why, url)
