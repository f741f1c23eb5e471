"""`harvester.ahead`: the token read from a page's last bytes, and the thread fetching pages ahead.

`token_at_end` may only ever name the token a full reading of the page would find, or nothing: a
wrong guess costs a request, so when in doubt it must say None. `Ahead` is driven here by an
in-memory list whose fetch function records what it was asked, so the tests see exactly which
requests were made ahead of the walker and which pages were handed back unused.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pytest

from catalogue.runs import Position
from harvester.ahead import TAIL_BYTES, Ahead, token_at_end
from metadata.namespaces import OAI_PMH

START = Position("ListRecords:", "lom", "2025-01-01", None, None)
SETTLE = 0.4
"""How long a thread that could still fetch is given to do so (several of its poll intervals)."""
WAIT = 5.0
"""The most a test waits for something the thread should do at once."""


def _page(token: str, *, verb: str = "ListRecords", prefix: str = "", attributes: str = ' cursor="0"',
          after: str = "\n") -> bytes:
    """A small list page whose last element is `token` exactly as given (already escaped)."""
    p = f"{prefix}:" if prefix else ""
    namespace = f"xmlns:{prefix}" if prefix else "xmlns"
    item = "<header><identifier>oai:x:1</identifier><datestamp>2025-01-01</datestamp></header>"
    if verb == "ListRecords":
        item = f"<{p}record>{item}<metadata><lom/></metadata></{p}record>"
    elif verb == "ListSets":
        item = f"<{p}set><{p}setSpec>a</{p}setSpec><{p}setName>A</{p}setName></{p}set>"
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}OAI-PMH {namespace}="{OAI_PMH}">'
            f"<{p}responseDate>2025-01-01T00:00:00Z</{p}responseDate><{p}request>http://x/oai</{p}request>"
            f"<{p}{verb}>{item}<{p}resumptionToken{attributes}>{token}</{p}resumptionToken></{p}{verb}>"
            f"</{p}OAI-PMH>{after}").encode()


# -- token_at_end -----------------------------------------------------------------------------------


@pytest.mark.parametrize("verb", ["ListRecords", "ListIdentifiers", "ListSets"])
def test_the_token_ending_each_list_verb_is_read(verb: str) -> None:
    assert token_at_end(_page("next-42", verb=verb)) == "next-42"


def test_prefixed_element_names_and_attributes_do_not_hide_the_token() -> None:
    attributes = ' completeListSize="900" cursor="100" expirationDate="2025-01-02T00:00:00Z"'
    assert token_at_end(_page("abc", prefix="oai", attributes=attributes)) == "abc"


@pytest.mark.parametrize(("written", "meant"), [
    ("a&amp;b", "a&b"),
    ("&lt;&gt;&quot;&apos;", "<>\"'"),
    ("set&#61;x&#x26;from&#x3D;", "set=x&from="),
    ("caf&#xE9;&#233;", "caféé"),
])
def test_references_are_decoded_as_the_parser_would(written: str, meant: str) -> None:
    assert token_at_end(_page(written)) == meant


def test_whitespace_around_the_token_is_stripped() -> None:
    assert token_at_end(_page("\n   tok 1  \t\n")) == "tok 1"


@pytest.mark.parametrize("after", ["", "\n", "  \r\n\t\n\n"])
def test_whitespace_after_the_document_end_is_allowed(after: str) -> None:
    assert token_at_end(_page("t", after=after)) == "t"


@pytest.mark.parametrize("token", ["", "   \n  "])
def test_an_empty_token_means_the_list_is_complete(token: str) -> None:
    assert token_at_end(_page(token)) is None


def test_a_self_closing_token_means_the_list_is_complete() -> None:
    page = _page("").replace(b' cursor="0"></resumptionToken>', b' cursor="0"/>')
    assert token_at_end(page) is None


@pytest.mark.parametrize("token", [
    "<![CDATA[abc]]>",
    "a&nbsp;b",
    "a&unknown;b",
    "a & b",
    "a&amp",
    "ab<!-- c -->",
    "&#1114112;",
    "&#X3d;",
    "&#99999999999999999999999;",
])
def test_a_token_spelled_in_a_way_not_worth_guessing_at_is_none(token: str) -> None:
    assert token_at_end(_page(token)) is None


@pytest.mark.parametrize("ending", [
    b"<!-- served by x -->\n",
    b"<OAI-PMH>",
    b"trailing text",
])
def test_a_token_that_is_not_at_the_very_end_is_none(ending: bytes) -> None:
    assert token_at_end(_page("t", after="") + ending) is None


def test_a_token_inside_a_record_is_not_the_lists_token() -> None:
    page = _page("").replace(b"<lom/>", b"<resumptionToken>inner</resumptionToken>")
    assert token_at_end(page) is None


def test_a_page_without_a_token_or_not_ending_the_document_is_none() -> None:
    whole = _page("t")
    assert token_at_end(whole.replace(b'<resumptionToken cursor="0">t</resumptionToken>', b"")) is None
    assert token_at_end(whole[:-30]) is None


def test_only_the_tail_is_needed() -> None:
    page = _page("deep").replace(b"<lom/>", b"<lom>" + b"x" * 50_000 + b"</lom>")
    assert token_at_end(page[-TAIL_BYTES:]) == "deep"


def test_invalid_utf8_in_the_token_is_none() -> None:
    assert token_at_end(_page("t").replace(b">t<", b">t\xff<")) is None


# -- Ahead ------------------------------------------------------------------------------------------


def _at(token: str, pages: int = 0) -> Position:
    """The walker's position whose next request carries `token` (`pages` as the walker counts them)."""
    return replace(START, token=token, pages=pages)


@dataclass(eq=False)
class Value:
    """What the fake fetch returns for one page: its body, and who has it."""

    body: bytes
    taken: threading.Event = field(default_factory=threading.Event)


@dataclass
class FakeList:
    """A list held in memory: position → page body (or an exception to raise), the positions counting
    no pages, as the request does not; it records every fetch and every page handed back unused."""

    pages: dict[Position, bytes | Exception]
    fetched: list[Position] = field(default_factory=list)
    discarded: list[Value] = field(default_factory=list)
    gate: threading.Condition = field(default_factory=threading.Condition)

    def fetch(self, position: Position) -> Value:
        with self.gate:
            self.fetched.append(position)
            self.gate.notify_all()
        page = self.pages[replace(position, pages=0, done=False)]  # what the request asks
        if isinstance(page, Exception):
            raise page
        return Value(page)

    def tokens(self) -> list[str]:
        with self.gate:
            return [position.token for position in self.fetched]

    def wait_for(self, count: int) -> None:
        """Until at least `count` pages were fetched (fails after `WAIT`)."""
        with self.gate:
            assert self.gate.wait_for(lambda: len(self.fetched) >= count, WAIT), self.fetched

    def settled(self) -> int:
        """The number of fetches once the thread has had time to make any it still would."""
        time.sleep(SETTLE)
        return len(self.tokens())


def _chain(*tokens: str) -> dict[Position, bytes | Exception]:
    """START then one page per token; each page's end names the next page's token, the last none."""
    following = [*tokens, ""]
    return {_at(token): _page(following[index]) for index, token in enumerate(["", *tokens])}


def _ahead(fake: FakeList, depth: int = 2, tail: Callable[[Value], bytes] | None = None) -> Ahead[Value]:
    return Ahead(fake.fetch, tail or (lambda value: value.body[-TAIL_BYTES:]), fake.discarded.append, depth=depth)


def _taken(ahead: Ahead[Value], position: Position) -> Value:
    value = ahead.take(position)
    value.taken.set()
    return value


def _fetching_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "fetch-ahead"]


def test_pages_are_fetched_on_the_token_at_their_end_and_taken_in_order() -> None:
    fake = FakeList(_chain("t1", "t2", "t3"))
    with _ahead(fake) as ahead:
        bodies = [_taken(ahead, _at(token, pages)).body for pages, token in enumerate(["", "t1", "t2", "t3"])]
    assert bodies == [fake.pages[_at(token)] for token in ["", "t1", "t2", "t3"]]
    assert fake.tokens() == ["", "t1", "t2", "t3"]
    assert fake.discarded == []


def test_nothing_is_fetched_before_the_first_page_is_asked_for() -> None:
    fake = FakeList(_chain("t1"))
    with _ahead(fake):
        assert fake.settled() == 0


def test_a_wrong_guess_is_dropped_and_the_list_goes_on_from_the_walkers_token() -> None:
    pages = {START: _page("guessed"), _at("guessed"): _page(""), _at("right"): _page("")}
    fake = FakeList(pages)
    with _ahead(fake) as ahead:
        _taken(ahead, START)
        fake.wait_for(2)
        second = _taken(ahead, _at("right", 1))
    assert second.body is pages[_at("right")]
    assert fake.tokens() == ["", "guessed", "right"]
    assert [value.body for value in fake.discarded] == [pages[_at("guessed")]]


def test_a_page_whose_end_does_not_read_plainly_is_not_followed_until_the_walker_says_where() -> None:
    pages = {START: _page("<![CDATA[next]]>"), _at("next"): _page("")}
    fake = FakeList(pages)
    with _ahead(fake) as ahead:
        _taken(ahead, START)
        assert fake.settled() == 1
        assert _taken(ahead, _at("next", 1)).body is pages[_at("next")]
    assert fake.tokens() == ["", "next"] and fake.discarded == []


def test_a_list_restarted_from_its_window_is_fetched_again_from_the_start() -> None:
    fake = FakeList(_chain("t1", "t2"))
    with _ahead(fake) as ahead:
        _taken(ahead, START)
        _taken(ahead, _at("t1", 1))
        again = _taken(ahead, replace(START, pages=2))
    assert again.body is fake.pages[START]
    assert fake.tokens()[:3] == ["", "t1", "t2"] and fake.tokens()[3] == ""


def test_a_fetch_error_is_raised_when_its_page_is_taken_and_not_before() -> None:
    pages = {**_chain("t1", "t2"), _at("t2"): ConnectionError("peer went away")}
    fake = FakeList(pages)
    with _ahead(fake) as ahead:
        _taken(ahead, START)
        fake.wait_for(3)
        assert _taken(ahead, _at("t1", 1)).body is pages[_at("t1")]
        with pytest.raises(ConnectionError, match="peer went away"):
            ahead.take(_at("t2", 2))


def test_a_fetch_error_on_a_wrong_guess_is_never_raised() -> None:
    pages = {START: _page("guessed"), _at("guessed"): ConnectionError("not this one"), _at("right"): _page("")}
    fake = FakeList(pages)
    with _ahead(fake) as ahead:
        _taken(ahead, START)
        fake.wait_for(2)
        assert _taken(ahead, _at("right", 1)).body is pages[_at("right")]


def test_a_page_whose_fetch_failed_can_be_asked_for_again() -> None:
    pages = {START: _page("t1"), _at("t1"): _page("")}
    failures = [ConnectionError("once")]

    def flaky(position: Position) -> Value:
        if position.token == "t1" and failures:
            raise failures.pop()
        return Value(pages[_at(position.token) if position.token else START])  # type: ignore[arg-type]

    ahead: Ahead[Value] = Ahead(flaky, lambda value: value.body, lambda value: None, depth=2)
    _taken(ahead, START)
    with pytest.raises(ConnectionError):
        ahead.take(_at("t1", 1))
    retried: list[Value] = []
    taker = threading.Thread(target=lambda: retried.append(ahead.take(_at("t1", 1))), daemon=True)
    taker.start()
    taker.join(1.0)
    assert retried and retried[0].body is pages[_at("t1")]
    ahead.close()


def test_close_hands_back_every_page_not_taken_and_ends_the_thread() -> None:
    fake = FakeList(_chain(*[f"t{n}" for n in range(1, 20)]))
    ahead = _ahead(fake, depth=3)
    taken = [_taken(ahead, START)]
    fake.wait_for(4)
    ahead.close()
    assert _fetching_threads() == []
    fetched = len(fake.tokens())
    assert fetched >= 4 and len(taken) + len(fake.discarded) == fetched
    assert {value.body for value in fake.discarded} == {fake.pages[p] for p in fake.fetched[1:]}
    assert fake.settled() == fetched


def test_leaving_the_context_ends_a_thread_blocked_in_a_slow_fetch() -> None:
    release = threading.Event()
    fake = FakeList(_chain("t1", "t2"))

    def slow(position: Position) -> Value:
        if position.token:
            release.wait(WAIT)
        return fake.fetch(position)

    ahead = Ahead(slow, lambda value: value.body, fake.discarded.append, depth=2)
    with ahead:
        _taken(ahead, START)
        threading.Timer(0.2, release.set).start()
    assert _fetching_threads() == []
    assert [value.body for value in fake.discarded] == [fake.pages[_at("t1")]]


def test_fetching_ahead_stops_and_moves_on_one_page_per_page_taken() -> None:
    fake = FakeList(_chain(*[f"t{n}" for n in range(1, 30)]))
    with _ahead(fake, depth=2) as ahead:
        _taken(ahead, START)
        fake.wait_for(3)
        before = fake.settled()
        _taken(ahead, _at("t1", 1))
        after = fake.settled()
    assert before <= 1 + 3 and after == before + 1


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_no_more_than_depth_pages_are_fetched_ahead_of_the_walker(depth: int) -> None:
    fake = FakeList(_chain(*[f"t{n}" for n in range(1, 30)]))
    with _ahead(fake, depth=depth) as ahead:
        _taken(ahead, START)
        fake.wait_for(1 + depth)
        ahead_of_walker = fake.settled() - 1
    assert ahead_of_walker <= depth


def test_the_thread_never_reads_a_page_the_walker_has_taken() -> None:
    fake = FakeList(_chain("t1", "t2"))
    read_after_taking: list[bool] = []

    def tail(value: Value) -> bytes:
        value.taken.wait(SETTLE)  # a thread descheduled here lets the walker take the page first
        read_after_taking.append(value.taken.is_set())
        return value.body[-TAIL_BYTES:]

    with _ahead(fake, tail=tail) as ahead:
        for pages, token in enumerate(["", "t1", "t2"]):
            _taken(ahead, _at(token, pages))
    assert read_after_taking and not any(read_after_taking)
