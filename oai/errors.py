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
    description = (
        "The request includes illegal arguments, is missing required arguments, includes a repeated "
        "argument, or values for arguments have an illegal syntax."
    )


class BadResumptionToken(OAIError, ValueError):
    """A resumption token that we did not issue, that was altered, or that has expired."""

    code = "badResumptionToken"
    description = "The value of the resumptionToken argument is invalid or expired."


class BadVerb(OAIError, ValueError):
    """No verb, a repeated verb, or a verb OAI-PMH does not define."""

    code = "badVerb"
    description = "Value of the verb argument is not a legal OAI-PMH verb, the verb argument is missing, or the verb argument is repeated."


class CannotDisseminateFormat(OAIError, LookupError):
    """A metadataPrefix this repository (or this record) does not offer."""

    code = "cannotDisseminateFormat"
    description = "The metadata format identified by the value given for the metadataPrefix argument is not supported by the item or by the repository."


class IdDoesNotExist(OAIError, LookupError):
    """An identifier that is unknown here or not of this repository's `oai:` form."""

    code = "idDoesNotExist"
    description = "The value of the identifier argument is unknown or illegal in this repository."


class NoRecordsMatch(OAIError, LookupError):
    """A list request whose selection is empty."""

    code = "noRecordsMatch"
    description = "The combination of the values of the from, until, set and metadataPrefix arguments results in an empty list."


class NoMetadataFormats(OAIError, LookupError):
    """An item that exists but offers no format at all."""

    code = "noMetadataFormats"
    description = "There are no metadata formats available for the specified item."


class NoSetHierarchy(OAIError, LookupError):
    """A set-related request to a repository that has no sets."""

    code = "noSetHierarchy"
    description = "The repository does not support sets."
