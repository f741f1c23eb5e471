"""Named stop rules for providers that would otherwise keep a harvest going forever.

Seen in the wild: a token handed back unchanged (or a cycle of them), pages that are empty but carry
a new token each time, and lists that never end. Each rule raises `Stalled` with its name so the run
report says which one fired; the run keeps what it stored before.
"""
from __future__ import annotations

from .errors import Stalled

REPEATED_TOKEN = "repeated-token"
EMPTY_PAGES = "empty-pages"
PAGE_CAP = "page-cap"


class Guards:
    """The rules for one list: call `observe` after each page, with that page's token ("" at the end)."""

    def __init__(self, max_pages: int, max_empty_pages: int) -> None:
        self.max_pages = max_pages
        self.max_empty_pages = max_empty_pages
        self._tokens: set[str] = set()
        self._empty_streak = 0

    def observe(self, page_number: int, token: str, record_count: int) -> None:
        """Raise `Stalled` if page `page_number` (from 1), whose token is `token` and which held
        `record_count` items, shows the list cannot be trusted to end."""
        if not token:
            return  # the list is complete, whatever came before
        if token in self._tokens:
            raise Stalled(REPEATED_TOKEN, f"page {page_number} returned a resumption token already used: {token!r}")
        self._tokens.add(token)
        self._empty_streak = 0 if record_count else self._empty_streak + 1
        if self._empty_streak >= self.max_empty_pages:
            raise Stalled(EMPTY_PAGES, f"{self._empty_streak} pages in a row without records, each with a new token")
        if page_number >= self.max_pages:
            raise Stalled(PAGE_CAP, f"the list is longer than {self.max_pages} pages")
