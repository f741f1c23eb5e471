"""Errors raised by the metadata core.

Leaves also inherit the fitting built-in, so callers that only know Python's vocabulary
(`except ValueError`) still catch them.
"""
from __future__ import annotations


class MetadataError(Exception):
    """Root of every error raised by `metadata`."""


class UnsafeXMLError(MetadataError, ValueError):
    """The document tried something a hostile file does: a DTD, an entity, excessive size or depth."""


class NotWellFormedError(MetadataError, ValueError):
    """The bytes are not well-formed XML; `line` says where the parser gave up."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class UnknownFormatError(MetadataError, ValueError):
    """The document holds neither LOM nor Dublin Core in a namespace we recognise."""


class UnknownProfileError(MetadataError, LookupError):
    """No profile of that name exists."""


class EncodeError(MetadataError, ValueError):
    """A decoded record could not be written back as schema-valid XML."""


class DecodeError(MetadataError, ValueError):
    """A record is not valid under the schema it was read with, so it cannot be turned into data."""
