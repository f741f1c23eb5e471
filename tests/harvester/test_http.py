"""harvester.http: retries, waits and bounds, against the fault peer over real HTTP on loopback."""
from __future__ import annotations

import logging
import socket
import time
from email.utils import formatdate

import pytest

from harvester.errors import PageTooLarge, RetryLater, TransportError
from harvester.http import Fetcher, default_user_agent, request_url, retry_after_seconds
from tests.support.oai import assert_oai_valid
from tests.support.peers import Drip, Drop, FaultPeer, Html, Redirect, Stall, Status, sample_records

NOW = 1_700_000_000.0
LIST = {"verb": "ListRecords", "metadataPrefix": "lom"}


class Sleeps(list):
    """Records the waits instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def peer() -> FaultPeer:
    with FaultPeer(sample_records(12)) as running:
        yield running


def _fetcher(sleeps: Sleeps, **options: object) -> Fetcher:
    settings = {"max_retries": 3, "backoff_base": 1.0, "backoff_cap": 60.0, "read_timeout": 5.0, **options}
    return Fetcher("Lectern/test (+http://lectern.example)", "admin@lectern.example", sleep=sleeps,
                   random=lambda: 0.5, clock=lambda: NOW, **settings)


def _fetch(fetcher: Fetcher, peer: FaultPeer, params: dict[str, str] = LIST, method: str = "GET") -> bytes:
    with fetcher, fetcher.fetch(peer.url, params, method) as page:
        assert page.status == 200
        return page.body.read()


def test_page_carries_the_request_url_status_and_body(peer: FaultPeer) -> None:
    with Fetcher() as fetcher, fetcher.fetch(peer.url, LIST) as page:
        assert page.url == f"{peer.url}?verb=ListRecords&metadataPrefix=lom"
        assert page.status == 200 and page.headers["Content-Type"].startswith("text/xml")
        body = page.body.read()
        assert page.size == len(body) and page.elapsed > 0
    assert_oai_valid(body)


def test_user_agent_and_from_identify_the_harvester(peer: FaultPeer) -> None:
    _fetch(_fetcher(Sleeps()), peer, {"verb": "Identify"})
    headers = peer.received[0].headers
    assert headers["User-Agent"] == "Lectern/test (+http://lectern.example)"
    assert headers["From"] == "admin@lectern.example"


def test_default_user_agent_names_lectern_and_its_version() -> None:
    assert default_user_agent().startswith("Lectern/")
    assert default_user_agent("https://oer.example").endswith(" (+https://oer.example)")


@pytest.mark.parametrize("accept", ["gzip", "deflate"])
def test_compressed_bodies_are_decoded(accept: str) -> None:
    with FaultPeer(sample_records(12), compress=True) as peer, Fetcher() as fetcher:
        fetcher.session.headers["Accept-Encoding"] = accept
        with fetcher.fetch(peer.url, LIST) as page:
            assert page.headers["Content-Encoding"] == accept
            assert_oai_valid(page.body.read())


def test_post_sends_the_arguments_in_the_body(peer: FaultPeer) -> None:
    assert_oai_valid(_fetch(_fetcher(Sleeps()), peer, {"verb": "Identify"}, "POST"))
    assert peer.received[0].method == "POST" and peer.received[0].params == {"verb": ["Identify"]}


def test_repeated_arguments_are_sent_as_given(peer: FaultPeer) -> None:
    _fetch(_fetcher(Sleeps()), peer, [("verb", "Identify"), ("verb", "Identify")])
    assert peer.received[0].params == {"verb": ["Identify", "Identify"]}


def test_503_with_retry_after_in_seconds_is_waited_exactly(peer: FaultPeer) -> None:
    sleeps = Sleeps()
    peer.inject(Status(503, "7"), request=1)
    assert_oai_valid(_fetch(_fetcher(sleeps), peer))
    assert sleeps == [7.0] and len(peer.received) == 2


def test_503_with_retry_after_as_http_date_is_waited_until_then(peer: FaultPeer) -> None:
    sleeps = Sleeps()
    peer.inject(Status(503, formatdate(NOW + 42, usegmt=True)), request=1)
    _fetch(_fetcher(sleeps), peer)
    assert sleeps == [42.0]


def test_429_with_retry_after_is_honoured(peer: FaultPeer) -> None:
    sleeps = Sleeps()
    peer.inject(Status(429, "3"), request=1)
    _fetch(_fetcher(sleeps), peer)
    assert sleeps == [3.0]


def test_retry_after_longer_than_the_bound_asks_to_reschedule(peer: FaultPeer) -> None:
    sleeps = Sleeps()
    peer.inject(Status(503, "7200"), request=1)
    with pytest.raises(RetryLater) as raised:
        _fetch(_fetcher(sleeps, max_retry_after=600), peer)
    assert raised.value.seconds == 7200 and raised.value.url.startswith(peer.url)
    assert sleeps == [] and len(peer.received) == 1


def test_http_date_past_the_bound_asks_to_reschedule(peer: FaultPeer) -> None:
    peer.inject(Status(503, formatdate(NOW + 86_400, usegmt=True)), request=1)
    with pytest.raises(RetryLater) as raised:
        _fetch(_fetcher(Sleeps(), max_retry_after=600), peer)
    assert raised.value.seconds == 86_400


def test_server_errors_back_off_exponentially_with_full_jitter(peer: FaultPeer) -> None:
    sleeps = Sleeps()
    for number in (1, 2, 3):
        peer.inject(Status(500 if number != 2 else 502), request=number)
    _fetch(_fetcher(sleeps), peer)
    assert sleeps == [0.5, 1.0, 2.0]  # random() = 0.5 of 1, 2, 4 seconds


def test_backoff_never_exceeds_its_cap(peer: FaultPeer) -> None:
    sleeps = Sleeps()
    peer.inject(Status(504), request=None, page=1, times=3)
    _fetch(_fetcher(sleeps, backoff_cap=1.5), peer)
    assert sleeps == [0.5, 0.75, 0.75]


def test_503_without_retry_after_backs_off_like_any_failure(peer: FaultPeer) -> None:
    sleeps = Sleeps()
    peer.inject(Status(503), request=1)
    _fetch(_fetcher(sleeps), peer)
    assert sleeps == [0.5]


def test_exhausted_retries_raise_transport_error_with_status(peer: FaultPeer) -> None:
    sleeps = Sleeps()
    peer.inject(Status(500), page=1, times=None)
    with pytest.raises(TransportError, match="HTTP 500 after 3 attempts") as raised:
        _fetch(_fetcher(sleeps, max_retries=2), peer)
    assert raised.value.status == 500 and raised.value.url.startswith(peer.url)
    assert len(peer.received) == 3 and len(sleeps) == 2


def test_connection_dropped_mid_body_is_retried(peer: FaultPeer) -> None:
    sleeps = Sleeps()
    peer.inject(Drop(after=300), request=1)
    assert_oai_valid(_fetch(_fetcher(sleeps), peer))
    assert len(peer.received) == 2 and sleeps == [0.5]


def test_response_stalled_mid_body_times_out_and_is_retried(peer: FaultPeer) -> None:
    sleeps = Sleeps()
    peer.inject(Stall(3.0, after=500), request=1)
    start = time.monotonic()
    assert_oai_valid(_fetch(_fetcher(sleeps, read_timeout=0.3), peer))
    assert time.monotonic() - start < 2.5 and len(peer.received) == 2


def test_response_stalled_before_its_headers_times_out_and_is_retried(peer: FaultPeer) -> None:
    peer.inject(Stall(3.0, after=None), request=1)
    assert_oai_valid(_fetch(_fetcher(Sleeps(), read_timeout=0.3), peer))
    assert len(peer.received) == 2


def test_slow_drip_is_cut_off_by_the_page_time_bound(peer: FaultPeer) -> None:
    peer.inject(Drip(interval=0.02, size=64), page=1, times=None)
    start = time.monotonic()
    with pytest.raises(TransportError, match="longer than 0.4 s"):
        _fetch(_fetcher(Sleeps(), max_retries=1, max_page_seconds=0.4), peer)
    assert time.monotonic() - start < 3  # two attempts of 0.4 s, though each drip lasts seconds


def test_page_larger_than_the_bound_is_refused(peer: FaultPeer) -> None:
    with pytest.raises(PageTooLarge) as raised:
        _fetch(_fetcher(Sleeps(), max_page_bytes=10_000), peer)
    assert raised.value.limit == 10_000 and len(peer.received) == 1


def test_size_bound_counts_decompressed_bytes() -> None:
    with FaultPeer(sample_records(12), compress=True) as peer:
        with pytest.raises(PageTooLarge):
            _fetch(_fetcher(Sleeps(), max_page_bytes=30_000), peer)  # gzip makes it ~15 KB on the wire


def test_redirect_to_a_file_url_is_refused_without_retry(peer: FaultPeer) -> None:
    sleeps = Sleeps()
    peer.inject(Redirect("file:///etc/passwd"), request=1)
    with pytest.raises(TransportError, match="redirect to a file URL"):
        _fetch(_fetcher(sleeps), peer)
    assert sleeps == [] and len(peer.received) == 1


def test_redirect_to_http_is_followed(peer: FaultPeer) -> None:
    peer.inject(Redirect(f"{peer.url}?verb=Identify"), request=1)
    assert_oai_valid(_fetch(_fetcher(Sleeps()), peer, {"verb": "Identify"}))
    assert [received.params for received in peer.received] == [{"verb": ["Identify"]}] * 2


def test_other_statuses_return_the_page_for_the_parser(peer: FaultPeer) -> None:
    peer.inject(Html(status=404), request=1)
    with _fetcher(Sleeps()) as fetcher, fetcher.fetch(peer.url, LIST) as page:
        assert page.status == 404 and page.body.read().startswith(b"<!DOCTYPE html>")
    assert len(peer.received) == 1


def test_refused_connection_is_retried_then_reported() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps = Sleeps()
    with pytest.raises(TransportError, match="ConnectionError") as raised:
        _fetcher(sleeps, max_retries=2).fetch(f"http://127.0.0.1:{port}/oai", LIST)
    assert len(sleeps) == 2 and raised.value.url == f"http://127.0.0.1:{port}/oai?verb=ListRecords&metadataPrefix=lom"


def test_retry_log_lines_carry_the_request_url(peer: FaultPeer, caplog: pytest.LogCaptureFixture) -> None:
    peer.inject(Status(503, "1"), request=1)
    with caplog.at_level(logging.WARNING, logger="harvester.http"):
        _fetch(_fetcher(Sleeps()), peer)
    (line,) = caplog.messages
    assert f"{peer.url}?verb=ListRecords&metadataPrefix=lom" in line and "HTTP 503" in line


@pytest.mark.parametrize("value,seconds", [
    ("120", 120.0), (" 0 ", 0.0), (formatdate(NOW + 90, usegmt=True), 90.0), (formatdate(NOW + 90), 90.0),
    (formatdate(NOW - 90, usegmt=True), 0.0), ("Wed, 21 Oct 2015 07:28:00 -0000", 0.0),
    ("soon", None), ("-5", None), ("", None), (None, None),
])
def test_retry_after_is_read_in_both_forms(value: str | None, seconds: float | None) -> None:
    assert retry_after_seconds(value, NOW) == seconds


def test_request_url_lists_arguments_in_order() -> None:
    assert request_url("http://p.example/oai", {"verb": "ListRecords", "from": "2024-01-01T00:00:00Z"}) == \
        "http://p.example/oai?verb=ListRecords&from=2024-01-01T00%3A00%3A00Z"
