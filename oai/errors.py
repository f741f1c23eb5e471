"""The OAI-PMH error conditions (spec §3.6), one class each.

Each class carries the wire `code` and a default `description` as class attributes, Werkzeug style,
so `oai/provider.py` can turn any of them into an `<error>` element in one place, always with HTTP
200. The message given when raising says what was wrong with this request; the description is the
fallback. Leaves also inherit the fitting built-in so callers outside `oai/` can catch them broadly.
"""
from __future__ import annotations


class OAIError(Exception):
    """Root of every OAI-PMH error condition."""

    code = ""
    description = ""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.description)

    @property
    def message(self) -> str:
        """What the `<error>` element says."""
        return str(self)


class BadArgument(OAIError, ValueError):
    """Illegal, missing or repeated argument, or an argument value of illegal syntax."""

    code = "badArgument"
    description = "An argument is not allowed for this verb, missing, repeated, or not of the expected form."


class BadResumptionToken(OAIError, ValueError):
    """A resumption token that we did not issue, that was altered, or that has expired."""

    code = "badResumptionToken"
    description = "This resumptionToken was not issued by this repository, was altered, or has expired."


class BadVerb(OAIError, ValueError):
    """No verb, a repeated verb, or a verb OAI-PMH does not define."""

    code = "badVerb"
    description = "The verb is missing, given more than once, or not one of the six OAI-PMH verbs."


class CannotDisseminateFormat(OAIError, LookupError):
    """A metadataPrefix this repository (or this record) does not offer."""

    code = "cannotDisseminateFormat"
    description = "This repository, or this record, is not available in the requested metadata format."


class IdDoesNotExist(OAIError, LookupError):
    """An identifier that is unknown here or not of this repository's `oai:` form."""

    code = "idDoesNotExist"
    description = "No record here has this identifier."


class NoRecordsMatch(OAIError, LookupError):
    """A list request whose selection is empty."""

    code = "noRecordsMatch"
    description = "No record matches the requested format, set and dates."


class NoMetadataFormats(OAIError, LookupError):
    """An item that exists but offers no format at all."""

    code = "noMetadataFormats"
    description = "This record is not available in any metadata format."


class NoSetHierarchy(OAIError, LookupError):
    """A set-related request to a repository that has no sets."""

    code = "noSetHierarchy"
    description = "This repository has no sets."
