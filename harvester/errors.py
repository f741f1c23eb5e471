"""Errors raised while harvesting a partner's OAI-PMH endpoint.

Each says what the run should do next, which is why there are several leaves instead of one message:
`RetryLater` reschedules the run, `TransportError` and `NotOAIResponse` fail it with the request URL
in the report, `RecordTooLarge` and `MalformedRecord` cost one record (they reach the run inside a
`SkippedRecord` event, so the rest of the page is still harvested), `Stalled` stops a provider that
would otherwise loop forever. Leaves also inherit the fitting built-in, as in `metadata.errors`.
"""
from __future__ import annotations


class HarvestError(Exception):
    """Root of every error raised by `harvester`."""


class RemoteOAIError(HarvestError):
    """The provider answered with an OAI-PMH `<error>` (any code but noRecordsMatch, an empty result)."""

    def __init__(self, code: str, message: str, url: str) -> None:
        super().__init__(f"{code}: {message} ({url})" if message else f"{code} ({url})")
        self.code = code
        self.message = message
        self.url = url


class NotOAIResponse(HarvestError, ValueError):
    """The body is not an OAI-PMH 2.0 response: an HTML page, another root element, not XML at all."""

    def __init__(self, reason: str, url: str | None = None) -> None:
        super().__init__(f"not an OAI-PMH response: {reason}" + (f" ({url})" if url else ""))
        self.reason = reason
        self.url = url


class TransportError(HarvestError):
    """The provider could not be reached or kept failing (connection, timeout, 5xx) after every retry."""

    def __init__(self, message: str, url: str, status: int | None = None) -> None:
        super().__init__(f"{message} ({url})")
        self.url = url
        self.status = status


class RetryLater(HarvestError):
    """The provider asked us to come back after `seconds`, longer than we are willing to sleep."""

    def __init__(self, seconds: float, url: str) -> None:
        super().__init__(f"the provider asked to retry after {seconds:.0f} s ({url})")
        self.seconds = seconds
        self.url = url


class Stalled(HarvestError):
    """A stop rule for broken providers fired; `rule` names it (see `harvester.guards`)."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"{rule}: {message}")
        self.rule = rule


class PageTooLarge(HarvestError, ValueError):
    """A response body (after decompression) grew past the page size bound."""

    def __init__(self, limit: int, url: str) -> None:
        super().__init__(f"response larger than {limit} bytes ({url})")
        self.limit = limit
        self.url = url


class RecordTooLarge(HarvestError, ValueError):
    """One record grew past the record size bound; the rest of its page is still usable."""

    def __init__(self, identifier: str, size: int, limit: int) -> None:
        super().__init__(f"record {identifier} is larger than {limit} bytes (at least {size})")
        self.identifier = identifier
        self.size = size
        self.limit = limit


class MalformedRecord(HarvestError, ValueError):
    """A header without identifier or datestamp: the record cannot be stored or even named."""

    def __init__(self, identifier: str, reason: str) -> None:
        super().__init__(f"record {identifier or '(no identifier)'}: {reason}")
        self.identifier = identifier
        self.reason = reason
