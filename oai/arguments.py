"""Turn the request's multi-dict of arguments into a typed `Request`, or the spec's error.

The checks run in the order the spec's error conditions imply: the verb first (badVerb), then
illegal, repeated, exclusive and missing arguments, then the syntax of each value (badArgument).
Only a request that passes all of them is echoed in the response's `<request>` element, and only
with values the OAI-PMH schema accepts there, so an error response is itself always schema-valid.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from metadata.datestamps import granularity_of, parse_datestamp

from .envelope import XML_ILLEGAL
from .errors import BadArgument, BadVerb
from .protocol import RULES

WIRE_NAMES = {
    "identifier": "identifier",
    "metadataPrefix": "metadata_prefix",
    "from": "from_date",
    "until": "until_date",
    "set": "set_spec",
    "resumptionToken": "resumption_token",
}
"""OAI-PMH argument name → `Request` field."""

_PREFIX = re.compile(r"[A-Za-z0-9\-_.!~*'()]+\Z")
_SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*\Z")
# An `oai:` URI of unreserved and reserved characters (no `#`, `[`, `]`; `%` only as an escape):
# what the schema's anyURI accepts in every validator, so an identifier like this can be echoed.
_ECHOABLE_IDENTIFIER = re.compile(
    r"oai:[A-Za-z0-9\-_.!~*'();?:@&=+$,](?:[A-Za-z0-9\-_.!~*'();/?:@&=+$,]|%[0-9A-Fa-f]{2})*\Z"
)


@dataclass(frozen=True)
class Request:
    """A syntactically valid OAI-PMH request."""

    verb: str
    identifier: str | None = None
    metadata_prefix: str | None = None
    from_date: datetime | None = None
    until_date: datetime | None = None
    """Inclusive; a day-granularity `until` already points at the day's last second."""
    set_spec: str | None = None
    resumption_token: str | None = None
    echo: tuple[tuple[str, str], ...] = ()
    """(wire name, value) pairs for the `<request>` element, verb first."""


def _text(name: str, value: str) -> str:
    return value


def _pattern(pattern: re.Pattern[str], what: str) -> Callable[[str, str], str]:
    def check(name: str, value: str) -> str:
        if not pattern.match(value):
            raise BadArgument(f"{name} {value!r} is not a legal {what}")
        return value
    return check


def _datestamp(end_of_day: bool) -> Callable[[str, str], datetime]:
    def parse(name: str, value: str) -> datetime:
        try:
            return parse_datestamp(value, end_of_day=end_of_day)
        except ValueError as err:
            raise BadArgument(f"{name} {value!r} is not a date of the form YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ") from err
    return parse


_VALUE_PARSERS: dict[str, Callable[[str, str], object]] = {
    "identifier": _text,
    "metadataPrefix": _pattern(_PREFIX, "metadataPrefix"),
    "from": _datestamp(end_of_day=False),
    "until": _datestamp(end_of_day=True),
    "set": _pattern(_SET_SPEC, "setSpec"),
    "resumptionToken": _text,
}


def _verb(params: Mapping[str, Sequence[str]]) -> str:
    values = params.get("verb", ())
    if len(values) != 1:
        raise BadVerb("the verb argument is missing" if not values else "the verb argument is repeated")
    if values[0] not in RULES:
        raise BadVerb(f"{values[0]!r} is not an OAI-PMH verb; use one of: {', '.join(RULES)}")
    return values[0]


def _check_names(verb: str, given: Mapping[str, Sequence[str]]) -> None:
    """Illegal, repeated, non-exclusive and missing arguments."""
    rule = RULES[verb]
    illegal = sorted(name for name in given if WIRE_NAMES.get(name) not in rule.accepted)
    if illegal:
        raise BadArgument(f"{verb} does not take the argument(s) {', '.join(illegal)}")
    repeated = sorted(name for name, values in given.items() if len(values) > 1)
    if repeated:
        raise BadArgument(f"repeated argument(s): {', '.join(repeated)}")
    fields = {WIRE_NAMES[name] for name in given}
    if rule.exclusive in fields:
        if len(fields) > 1:
            raise BadArgument("resumptionToken is an exclusive argument: send it with the verb alone")
        return
    missing = sorted(wire for wire, field in WIRE_NAMES.items() if field in rule.required - fields)
    if missing:
        raise BadArgument(f"{verb} needs the argument(s) {', '.join(missing)}")


def _check_dates(given: Mapping[str, str], values: Mapping[str, object]) -> None:
    if "from" in given and "until" in given:
        if granularity_of(given["from"]) != granularity_of(given["until"]):
            raise BadArgument("from and until must have the same granularity")
        if values["from_date"] > values["until_date"]:  # type: ignore[operator]
            raise BadArgument("from must not be later than until")


def parse_arguments(params: Mapping[str, Sequence[str]]) -> Request:
    """The request `params` (argument name → every value given) stands for, or BadVerb/BadArgument."""
    present = {name: list(values) for name, values in params.items() if values}
    verb = _verb(present)
    given_lists = {name: values for name, values in present.items() if name != "verb"}
    _check_names(verb, given_lists)
    given = {name: values[0] for name, values in given_lists.items()}
    for name, value in given.items():
        if XML_ILLEGAL.search(value):
            raise BadArgument(f"the {name} argument contains characters that cannot appear in XML")
    values = {WIRE_NAMES[name]: _VALUE_PARSERS[name](name, value) for name, value in given.items()}
    _check_dates(given, values)
    echo = (("verb", verb),) + tuple(
        (name, value) for name, value in given.items()
        if name != "identifier" or _ECHOABLE_IDENTIFIER.match(value)
    )
    return Request(verb=verb, echo=echo, **values)  # type: ignore[arg-type]
