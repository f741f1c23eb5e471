"""Errors raised by the catalogue."""
from __future__ import annotations


class CatalogueError(Exception):
    """Root of every error raised by `catalogue`."""


class NotFound(CatalogueError, LookupError):
    """No record, set or source with that identifier."""


class Conflict(CatalogueError, ValueError):
    """The change contradicts what is stored (a duplicate name, a forbidden status transition)."""


class RecordRejected(CatalogueError, ValueError):
    """A record failed its profile and was not stored; `problems` says why."""

    def __init__(self, message: str, problems: tuple = ()) -> None:
        super().__init__(message)
        self.problems = problems
