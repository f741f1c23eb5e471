"""Memoising functions of record values without letting a hostile partner fill memory.

The values worth remembering repeat across records (languages, roles, licences, the vCards of the
same publishers) and are short. A plain `functools.lru_cache` would also keep whatever long strings
a partner sends, up to its size in entries: a few thousand megabyte-long attributes in a harvest
would stay in memory for the life of the process.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

LONGEST = 512
"""Longest string argument a cached call remembers (characters)."""


def cached(maxsize: int, longest: int = LONGEST) -> Callable[[F], F]:
    """`functools.lru_cache(maxsize)` for calls whose string arguments are at most `longest`
    characters; other calls are computed each time. At most `maxsize` × `longest` characters kept."""
    def decorate(function: F) -> F:
        remembered = functools.lru_cache(maxsize=maxsize)(function)

        @functools.wraps(function)
        def call(*args: Any) -> Any:
            if all(len(arg) <= longest for arg in args if isinstance(arg, str)):
                return remembered(*args)
            return function(*args)

        call.cache_info = remembered.cache_info  # type: ignore[attr-defined]
        call.cache_clear = remembered.cache_clear  # type: ignore[attr-defined]
        return call  # type: ignore[return-value]
    return decorate
