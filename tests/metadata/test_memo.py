"""`metadata.memo.cached`: short values remembered, long ones never kept."""
from __future__ import annotations

from metadata.memo import LONGEST, cached
from metadata.vcard import display_name


def _counting() -> tuple[list[str], object]:
    calls: list[str] = []

    @cached(maxsize=8)
    def shout(value: str) -> str:
        calls.append(value)
        return value.upper()

    return calls, shout


def test_a_short_value_is_computed_once() -> None:
    calls, shout = _counting()
    assert [shout("nl"), shout("nl"), shout("nl")] == ["NL"] * 3
    assert calls == ["nl"]


def test_a_long_value_is_computed_every_time_and_never_kept() -> None:
    calls, shout = _counting()
    long = "x" * (LONGEST + 1)
    assert shout(long) == shout(long) == long.upper()
    assert calls == [long, long]
    assert shout.cache_info().currsize == 0


def test_what_a_cache_keeps_is_bounded_whatever_a_harvest_sends() -> None:
    display_name.cache_clear()
    for number in range(10_000):
        display_name(f"BEGIN:VCARD\nFN:Author {number}\nEND:VCARD")
        display_name(f"BEGIN:VCARD\nFN:{'Long name ' * 100}{number}\nEND:VCARD")
    info = display_name.cache_info()
    assert info.currsize == info.maxsize == 4096
    assert display_name(f"BEGIN:VCARD\nFN:{'Long name ' * 100}1\nEND:VCARD") == f"{'Long name ' * 100}1".strip()
