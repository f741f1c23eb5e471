"""What the provider needs to know about its repository, as one frozen value.

`web/` builds it from its settings table; `oai/` never reads configuration itself. The checks below
run once, at start-up, because a repository identifier or admin address the OAI-PMH schema rejects
would otherwise only show up as an invalid Identify response in some partner's harvest log.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_PAGE_SIZE = 200
"""Records per list response: ~1 MB of 5 KB LOM records, small enough to build eagerly (every error
is known before the first byte) and large enough that per-request overhead stays a few percent."""

DEFAULT_TOKEN_LIFETIME = timedelta(days=7)
"""Tokens are stateless and keyset-based, so an old token costs nothing and still resumes exactly;
a week covers a slow harvester pausing over a weekend, and expiry only bounds how long a leaked or
logged token stays usable."""

DEFAULT_EARLIEST_FALLBACK = datetime(2000, 1, 1)
"""Identify's earliestDatestamp while the catalogue is empty: fixed, so it never moves backwards."""

_REPOSITORY_IDENTIFIER = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+\Z")
_EMAIL = re.compile(r"\S+@(\S+\.)+\S+\Z")


@dataclass(frozen=True, kw_only=True)
class ProviderSettings:
    """The repository as Identify describes it, plus paging and token parameters."""

    repository_name: str
    base_url: str
    admin_emails: tuple[str, ...]
    repository_identifier: str
    """The `oai-identifier` namespace part, a domain name (`lectern.example.org`)."""
    token_secret: str
    """Key of the HMAC that signs resumption tokens; changing it invalidates outstanding tokens."""
    page_size: int = DEFAULT_PAGE_SIZE
    token_lifetime: timedelta = DEFAULT_TOKEN_LIFETIME
    earliest_fallback: datetime = DEFAULT_EARLIEST_FALLBACK
    friends: tuple[str, ...] = ()
    """Base URLs of partner providers, announced in Identify's `friends` description."""
    stylesheet_url: str | None = None
    """URL of the XSLT a browser uses to show responses as a page; None sends no stylesheet."""

    def __post_init__(self) -> None:
        if not _REPOSITORY_IDENTIFIER.match(self.repository_identifier):
            raise ValueError(f"repository identifier {self.repository_identifier!r} must be a domain name "
                             "such as lectern.example.org")
        if not self.admin_emails or not all(_EMAIL.match(email) for email in self.admin_emails):
            raise ValueError("at least one admin e-mail address is needed, each like name@example.org: "
                             f"{self.admin_emails!r}")
        if self.page_size < 1:
            raise ValueError(f"page size must be at least 1, not {self.page_size}")
        if not self.token_secret:
            raise ValueError("a token secret is needed to sign resumption tokens")
        if self.token_lifetime <= timedelta(0):
            raise ValueError(f"token lifetime must be positive, not {self.token_lifetime}")
