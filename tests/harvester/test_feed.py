"""harvester.feed: the bytes between a page and the parser — sniffed, counted, cleaned on request."""
from __future__ import annotations

import io

import pytest

from harvester.errors import NotOAIResponse
from harvester.feed import HEAD_SIZE, MARK, Feed


class Trickle(io.RawIOBase):
    """A source that hands out at most `step` bytes per read, as a slow socket would."""

    def __init__(self, data: bytes, step: int) -> None:
        self.data, self.step = data, step

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        piece, self.data = self.data[: min(size, self.step)], self.data[min(size, self.step):]
        return piece


def _drain(feed: Feed) -> bytes:
    chunks = []
    while chunk := feed.read(32768):
        chunks.append(chunk)
    return b"".join(chunks)


def _feed(source: bytes | io.RawIOBase, *, strip: bool = False, limit: int = 10**9, on_over_limit=lambda: None) -> Feed:
    return Feed(source, limit=limit, on_over_limit=on_over_limit, strip_illegal=strip)


def test_bytes_pass_through_unchanged_and_counted() -> None:
    data = b"<a>" + b"x" * 200_000 + b"</a>"
    feed = _feed(data)
    assert _drain(feed) == data and feed.consumed == len(data)


@pytest.mark.parametrize("body,reason", [
    (b"", "empty"), (b"\n\t ", "empty"), (b"Internal error", "not XML"),
    (b"<!doctype HTML><p>down", "HTML"), (b"<!-- proxy --><html><body/></html>", "HTML"),
])
def test_impostors_are_named_before_parsing(body: bytes, reason: str) -> None:
    with pytest.raises(NotOAIResponse, match=reason):
        _feed(body).sniff("http://peer.example/oai")


@pytest.mark.parametrize("body", [b"<OAI-PMH/>", b"\xef\xbb\xbf<OAI-PMH/>", "<a/>".encode("utf-16")])
def test_markup_passes_the_sniff(body: bytes) -> None:
    _feed(body).sniff(None)


def test_whitespace_before_the_xml_declaration_is_dropped_and_nothing_else() -> None:
    assert _drain(_feed(b'\n  <?xml version="1.0"?><a/>')) == b'<?xml version="1.0"?><a/>'
    assert _drain(_feed(b"\n  <a/>")) == b"\n  <a/>"


def test_illegal_characters_become_marks_even_when_cut_between_reads() -> None:
    data = b"<a>" + b"x" * (HEAD_SIZE - 5) + b"&#x0B;\x01\xef\xbf\xbe&amp;&#233;</a>"
    for step in (1, 2, 3, 7, 4096):
        feed = _feed(Trickle(data, step), strip=True)
        cleaned = _drain(feed).decode("utf-8")
        assert feed.replaced == 3
        assert cleaned.endswith("&#xE000;&#xE000;&#xE000;&amp;&#233;</a>"), step


def test_without_stripping_illegal_characters_are_left_to_the_parser() -> None:
    data = b"<a>\x0b</a>"
    feed = _feed(data)
    assert _drain(feed) == data and feed.replaced == 0


def test_the_over_limit_hook_fires_once_the_open_element_has_grown_past_the_limit() -> None:
    calls = []
    feed = _feed(b"<a>" + b"x" * 300_000 + b"</a>", limit=100_000, on_over_limit=lambda: calls.append(feed.consumed))
    feed.read(32768)
    assert calls == []
    feed.mark = feed.consumed  # an event was handled here
    _drain(feed)
    assert calls and all(consumed - HEAD_SIZE > 100_000 for consumed in calls)


def test_the_mark_is_a_private_use_character() -> None:
    assert MARK == "\ue000"
