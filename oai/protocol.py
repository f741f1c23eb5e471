"""The one table of OAI-PMH verbs: which arguments each takes and which function answers it.

The argument parser (`arguments.py`) and the dispatcher (`provider.py`) both read `RULES`, so the
rules they apply cannot drift apart. Argument names here are the snake_case names of `Request`
fields; `arguments.py` alone knows their wire spelling. The harvester shares the vocabulary too
(`RULES` keys are the verbs, `ERRORS` maps wire error codes to our classes).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING

from catalogue.db import Session

from . import errors, verbs
from .settings import ProviderSettings

if TYPE_CHECKING:
    from .arguments import Request

Handler = Callable[["Request", Session, ProviderSettings, datetime], Iterator[bytes]]
"""Answers one verb: raises every OAI error before returning, then the iterator only yields bytes."""


@dataclass(frozen=True)
class Rule:
    """The arguments a verb accepts (besides `verb`) and the function that answers it."""

    handler: Handler
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    exclusive: str | None = None
    """An argument that must come alone (resumption_token), and then replaces the required ones."""

    @property
    def accepted(self) -> frozenset[str]:
        """Every argument name the verb allows."""
        return self.required | self.optional | ({self.exclusive} if self.exclusive else set())


_SELECTIVE = frozenset({"from_date", "until_date", "set_spec"})

RULES: Mapping[str, Rule] = MappingProxyType({
    "Identify": Rule(verbs.identify),
    "ListMetadataFormats": Rule(verbs.list_metadata_formats, optional=frozenset({"identifier"})),
    "ListSets": Rule(verbs.list_sets, exclusive="resumption_token"),
    "GetRecord": Rule(verbs.get_record, required=frozenset({"identifier", "metadata_prefix"})),
    "ListIdentifiers": Rule(verbs.list_identifiers, required=frozenset({"metadata_prefix"}),
                            optional=_SELECTIVE, exclusive="resumption_token"),
    "ListRecords": Rule(verbs.list_records, required=frozenset({"metadata_prefix"}),
                        optional=_SELECTIVE, exclusive="resumption_token"),
})

ERRORS: Mapping[str, type[errors.OAIError]] = MappingProxyType({
    cls.code: cls
    for cls in (
        errors.BadArgument, errors.BadResumptionToken, errors.BadVerb, errors.CannotDisseminateFormat,
        errors.IdDoesNotExist, errors.NoRecordsMatch, errors.NoMetadataFormats, errors.NoSetHierarchy,
    )
})
"""Wire error code → class, for turning a partner's `<error code=...>` into an exception."""
