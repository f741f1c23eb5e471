"""Error conditions (spec 3.6): each bad request must get its error code, with HTTP 200.

The requests are built from what the endpoint has shown of itself (a format it offers, an
identifier it listed, its granularity and earliest datestamp, whether it has sets), so each one is
wrong in exactly one way. HTTP status and schema validity of the answers are checked by the probe
like every other answer's.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from metadata.datestamps import DAY, format_datestamp, parse_datestamp

from .identify import Repository
from .probe import Arguments, Probe

UNKNOWN_PREFIX = "lectern-no-such-format"
UNKNOWN_IDENTIFIER = "oai:lectern-check.invalid:no-such-record"
UNKNOWN_SET = "lectern-no-such-set"
GARBAGE_TOKEN = "lectern-not-a-token-0000"


@dataclass(frozen=True)
class Condition:
    """A request wrong in one way, and the error code the spec gives it."""

    check: str
    arguments: Arguments
    code: str


@dataclass(frozen=True)
class Known:
    """What the battery learnt of the endpoint that the bad requests are built from."""

    repository: Repository
    prefix: str
    identifier: str | None
    sets: tuple[str, ...] | None


def check(probe: Probe, known: Known) -> None:
    """Send every bad request and check the error code that comes back."""
    for condition in conditions(known):
        exchange = probe.ask(condition.arguments)
        probe.findings.add(condition.check, condition.code in exchange.codes, exchange.url,
                           f"error {condition.code}", exchange.failure or "no error")


def conditions(known: Known) -> Iterator[Condition]:
    """The bad requests for this endpoint."""
    prefix = ("metadataPrefix", known.prefix)
    yield Condition("errors.no-verb", (), "badVerb")
    yield Condition("errors.bad-verb", (("verb", "NoSuchVerb"),), "badVerb")
    yield Condition("errors.repeated-verb", (("verb", "Identify"), ("verb", "Identify")), "badVerb")
    yield Condition("errors.illegal-argument", (("verb", "Identify"), ("metadataPrefix", known.prefix)), "badArgument")
    yield Condition("errors.illegal-argument", (("verb", "ListIdentifiers"), prefix, ("lectern", "1")), "badArgument")
    yield Condition("errors.missing-argument", (("verb", "ListRecords"),), "badArgument")
    yield Condition("errors.missing-argument", (("verb", "ListIdentifiers"),), "badArgument")
    yield Condition("errors.missing-argument", (("verb", "GetRecord"), prefix), "badArgument")
    yield Condition("errors.repeated-argument", (("verb", "ListIdentifiers"), prefix, prefix), "badArgument")
    yield Condition("errors.exclusive-token", (("verb", "ListIdentifiers"), prefix, ("resumptionToken", GARBAGE_TOKEN)),
                    "badArgument")
    yield from _date_conditions(known)
    for verb in ("ListIdentifiers", "ListRecords") + (("ListSets",) if known.sets is not None else ()):
        yield Condition("errors.bad-token", (("verb", verb), ("resumptionToken", GARBAGE_TOKEN)), "badResumptionToken")
    for verb in ("ListIdentifiers", "ListRecords"):
        yield Condition("errors.unknown-prefix", (("verb", verb), ("metadataPrefix", UNKNOWN_PREFIX)),
                        "cannotDisseminateFormat")
    if known.identifier is not None:
        yield Condition("errors.unknown-prefix", (("verb", "GetRecord"), ("identifier", known.identifier),
                                                  ("metadataPrefix", UNKNOWN_PREFIX)), "cannotDisseminateFormat")
        yield Condition("errors.missing-argument", (("verb", "GetRecord"), ("identifier", known.identifier)),
                        "badArgument")
    yield Condition("errors.unknown-identifier", (("verb", "GetRecord"), ("identifier", UNKNOWN_IDENTIFIER), prefix),
                    "idDoesNotExist")
    yield Condition("errors.unknown-identifier", (("verb", "ListMetadataFormats"), ("identifier", UNKNOWN_IDENTIFIER)),
                    "idDoesNotExist")
    yield from _set_conditions(known)


def _date_conditions(known: Known) -> Iterator[Condition]:
    verb, prefix = ("verb", "ListIdentifiers"), ("metadataPrefix", known.prefix)
    yield Condition("errors.bad-date", (verb, prefix, ("from", "not-a-date")), "badArgument")
    yield Condition("errors.bad-date", (verb, prefix, ("until", "2001-02-30")), "badArgument")
    yield Condition("errors.mixed-granularity",
                    (verb, prefix, ("from", "2001-01-01"), ("until", "2030-01-01T00:00:00Z")), "badArgument")
    if known.repository.granularity == DAY:
        yield Condition("errors.unsupported-granularity", (verb, prefix, ("from", "2001-01-01T00:00:00Z")),
                        "badArgument")
    day_before = _day_before(known.repository.earliest)
    if day_before is not None:
        yield Condition("errors.no-records", (verb, prefix, ("until", day_before)), "noRecordsMatch")


def _day_before(earliest: str | None) -> str | None:
    """The day before earliestDatestamp, when there is one."""
    try:
        moment = parse_datestamp(earliest or "")
    except ValueError:
        return None
    return format_datestamp(moment - timedelta(days=1), DAY) if moment.year > 1 else None


def _set_conditions(known: Known) -> Iterator[Condition]:
    verb, prefix = ("verb", "ListIdentifiers"), ("metadataPrefix", known.prefix)
    if known.sets is None:
        yield Condition("errors.no-set-hierarchy", (("verb", "ListSets"),), "noSetHierarchy")
        yield Condition("errors.no-set-hierarchy", (verb, prefix, ("set", UNKNOWN_SET)), "noSetHierarchy")
    else:
        yield Condition("errors.unknown-set", (verb, prefix, ("set", UNKNOWN_SET)), "noRecordsMatch")
