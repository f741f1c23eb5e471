"""`metadata.memo.cached`: short values remembered, long ones never kept."""
from __future__ import annotations

from collections.abc import Callable

from metadata.memo import LONGEST, cached
from metadata.vcard import display_name


def _counting() -> tuple[list[str], Callable[[str], str]]:
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


def test_display_names_keep_no_long_vcard_a_partner_sends() -> None:
    display_name.cache_clear()
    padded = "Long name " * 100
    names = [display_name(f"BEGIN:VCARD\nFN:{padded}{number}\nEND:VCARD") for number in range(100)]
    assert names == [f"{padded}{number}" for number in range(100)]
    assert display_name.cache_info().currsize == 0
    display_name("BEGIN:VCARD\nFN:Jane Doe\nEND:VCARD")
    assert display_name.cache_info().currsize == 1
