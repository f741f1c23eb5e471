"""harvester.guards: the stop rules for providers whose lists would never end."""
from __future__ import annotations

import pytest

from harvester.errors import Stalled
from harvester.guards import EMPTY_PAGES, PAGE_CAP, REPEATED_TOKEN, Guards


def test_a_normal_list_passes() -> None:
    guards = Guards(max_pages=10, max_empty_pages=3)
    for page, token in enumerate(["a", "b", "c", ""], start=1):
        guards.observe(page, token, 100)


def test_the_same_token_returned_again_stops_the_list() -> None:
    guards = Guards(max_pages=10, max_empty_pages=3)
    guards.observe(1, "t1", 100)
    with pytest.raises(Stalled) as raised:
        guards.observe(2, "t1", 100)
    assert raised.value.rule == REPEATED_TOKEN and "t1" in str(raised.value)


def test_a_cycle_of_tokens_stops_the_list() -> None:
    guards = Guards(max_pages=10, max_empty_pages=3)
    guards.observe(1, "a", 10)
    guards.observe(2, "b", 10)
    with pytest.raises(Stalled, match=REPEATED_TOKEN):
        guards.observe(3, "a", 10)


def test_a_run_of_empty_pages_with_tokens_stops_the_list() -> None:
    guards = Guards(max_pages=100, max_empty_pages=3)
    guards.observe(1, "a", 0)
    guards.observe(2, "b", 0)
    with pytest.raises(Stalled) as raised:
        guards.observe(3, "c", 0)
    assert raised.value.rule == EMPTY_PAGES


def test_a_page_with_records_ends_the_empty_run() -> None:
    guards = Guards(max_pages=100, max_empty_pages=3)
    for page, (token, count) in enumerate([("a", 0), ("b", 0), ("c", 5), ("d", 0), ("e", 0)], start=1):
        guards.observe(page, token, count)


def test_an_empty_last_page_is_the_end_not_a_stall() -> None:
    guards = Guards(max_pages=100, max_empty_pages=1)
    guards.observe(1, "a", 10)
    guards.observe(2, "", 0)


def test_the_page_cap_stops_a_list_that_goes_on() -> None:
    guards = Guards(max_pages=3, max_empty_pages=3)
    guards.observe(1, "a", 10)
    guards.observe(2, "b", 10)
    with pytest.raises(Stalled) as raised:
        guards.observe(3, "c", 10)
    assert raised.value.rule == PAGE_CAP and "3 pages" in str(raised.value)


def test_a_list_ending_exactly_at_the_cap_is_complete() -> None:
    guards = Guards(max_pages=3, max_empty_pages=3)
    for page, token in enumerate(["a", "b", ""], start=1):
        guards.observe(page, token, 10)
