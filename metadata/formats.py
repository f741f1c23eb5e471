"""Value formats a profile can demand, keyed by the names profile files use.

The XSDs check what a schema language can: vocabularies, element order, coarse patterns. A librarian
needs more than that (a "language" of `french` passes the LOM pattern but no system can use it; month
13 passes a date pattern), so these checkers read the value the way the standard the element cites
defines it: BCP 47 for languages, ISO 8601 for dates and durations, RFC 3986 for URLs, RFC 2426 for
vCards, and the URL scheme Creative Commons publishes its licences under.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Format:
    """A named format: `fault(value)` says in words what is wrong with a value (None when it is well
    formed), quoting only the part that matters: the bad URL inside a long rights text, not the text;
    `expected` says what would be accepted."""

    fault: Callable[[str], str | None]
    expected: str


_MAX_QUOTED = 80


def quoted(value: str) -> str:
    """A value as messages quote it: on one line, in single quotes, long ones cut short."""
    value = " ".join(value.split())
    if len(value) > _MAX_QUOTED:
        value = value[: _MAX_QUOTED - 1] + "…"
    return f"'{value}'"


def _whole(accepts: Callable[[str], bool], expected: str) -> Format:
    """A format that judges the value as one piece and quotes all of it."""

    def fault(value: str) -> str | None:
        return None if accepts(value) else f"{quoted(value)} is not {expected}"

    return Format(fault, expected)


# BCP 47 (RFC 5646) langtag: language[-extlang][-script][-region][-variant]*[-extension]*[-privateuse],
# or a private-use tag, or one of the grandfathered "i-" tags. The language subtag is an ISO 639
# code of two or three letters: BCP 47 reserves longer ones, and no registered tag uses them, so a
# longer word ("french") is a name, not a code.
_LANGUAGE_TAG = re.compile(
    r"(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}"
    r"(?:-[a-z]{4})?"
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?"
    r"|x(?:-[a-z0-9]{1,8})+"
    r"|i-[a-z]{3,8})",
    re.IGNORECASE,
)
_DATE_TIME = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?"
    r"(?:Z|[+-](?P<zone_hour>\d{2})(?::?(?P<zone_minute>\d{2}))?)?)?)?)?"
)
_DURATION = re.compile(
    r"P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?"
)
_CC_URL = re.compile(r"https?://(?:www\.)?creativecommons\.org/[^\s<>\"')\]]*", re.IGNORECASE)
_CC_LICENCE = re.compile(
    r"https?://(?:www\.)?creativecommons\.org/"
    r"(?:licen[sc]es/(?:by|by-sa|by-nd|by-nc|by-nc-sa|by-nc-nd)/(?:1\.0|2\.0|2\.1|2\.5|3\.0|4\.0)"
    r"(?:/[a-z]{2}(?:-[a-z]{2})?)?(?:/(?:(?:legalcode|deed)(?:\.[a-z-]+)?)?)?"
    r"|publicdomain/(?:zero|mark)/1\.0(?:/(?:(?:legalcode|deed)(?:\.[a-z-]+)?)?)?)",
    re.IGNORECASE,
)
_URL_SCHEMES = frozenset({"http", "https", "ftp"})


def language_fault(value: str, none_allowed: bool = False) -> str | None:
    """What is wrong with a language value, with the fix when the value hides a usable code.

    ScoLOMFR 2 writes languages as id.loc.gov URIs; their last segment is the ISO 639 code. LOM 1.3
    lets a resource's language be "none" (a picture, a piece of music): `none_allowed`.
    """
    value = value.strip()
    if _LANGUAGE_TAG.fullmatch(value) is not None or (none_allowed and value == "none"):
        return None
    text = f"the language {quoted(value)} is not a language code"
    code = value.rstrip("/").rsplit("/", 1)[-1]
    if "/" in value and re.fullmatch(r"[a-zA-Z]{2,3}", code):
        return f"{text} (use the ISO 639 code itself: '{code}')"
    return f"{text} (use an ISO 639 code such as 'fr', or 'fr-CA' with a region)"


def _is_date_time(value: str) -> bool:
    match = _DATE_TIME.fullmatch(value)
    if match is None:
        return False
    parts = {name: int(text) for name, text in match.groupdict().items() if text is not None}
    try:
        datetime.date(parts["year"], parts.get("month", 1), parts.get("day", 1))
    except ValueError:
        return False
    # 24:00 and leap second 60 are ISO 8601; anything larger is a typo.
    return (
        parts.get("hour", 0) <= 24
        and parts.get("minute", 0) <= 59
        and parts.get("second", 0) <= 60
        and parts.get("zone_hour", 0) <= 14
        and parts.get("zone_minute", 0) <= 59
    )


def _is_duration(value: str) -> bool:
    return _DURATION.fullmatch(value) is not None


def _is_url(value: str) -> bool:
    if any(character.isspace() for character in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return False
    return parts.scheme.lower() in _URL_SCHEMES and bool(parts.hostname)


def _vcard_fault(value: str) -> str | None:
    """BEGIN and END lines around a card that names its VERSION and a formatted name (FN).

    RFC 2426 makes VERSION and FN mandatory; N is mandatory too, but organisations routinely omit it
    and every reader copes, so it is not demanded here.
    """
    lines = [line.strip() for line in value.strip().splitlines()]
    if len(lines) < 2 or lines[0].upper() != "BEGIN:VCARD" or lines[-1].upper() != "END:VCARD":
        return f"{quoted(value)} is not a vCard: it must start with BEGIN:VCARD and end with END:VCARD"
    names = {re.split(r"[;:]", line, maxsplit=1)[0].upper() for line in lines[1:-1]}
    missing = [name for name in ("VERSION", "FN") if name not in names]
    if missing:
        return f"the vCard has no {' or '.join(missing)} line (vCard 3.0 requires VERSION and FN, the name to show)"
    return None


def _cc_licence_fault(value: str) -> str | None:
    """The first creativecommons.org address in the text that is not a licence or public-domain URL.

    LOM has no licence element, so licences travel as a URL inside the rights description; text
    that cites no Creative Commons address at all is not this check's business.
    """
    for url in _CC_URL.findall(value):
        url = url.rstrip(".,;:!?")
        if _CC_LICENCE.fullmatch(url) is None:
            return f"{quoted(url)} is not {_CC_EXPECTED}"
    return None


_CC_EXPECTED = "a Creative Commons licence URL (e.g. https://creativecommons.org/licenses/by/4.0/)"
_LANGUAGE_EXPECTED = "a language code (ISO 639, e.g. 'fr' or 'en-GB')"

FORMATS: dict[str, Format] = {
    "language-tag": Format(language_fault, _LANGUAGE_EXPECTED),
    "language-tag-or-none": Format(
        lambda value: language_fault(value, none_allowed=True), f"{_LANGUAGE_EXPECTED} or 'none'"
    ),
    "iso8601-datetime": _whole(
        _is_date_time, "an ISO 8601 date or date-time (e.g. 2019-01-07 or 2019-01-07T08:00:00Z)"
    ),
    "iso8601-duration": _whole(_is_duration, "an ISO 8601 duration (e.g. PT1H30M or P2D)"),
    "url": _whole(_is_url, "an absolute http, https or ftp URL (spaces written as %20)"),
    "vcard": Format(_vcard_fault, "a vCard with BEGIN:VCARD, VERSION, FN and END:VCARD lines"),
    "cc-licence-url": Format(_cc_licence_fault, _CC_EXPECTED),
}
"""Every format a profile may name; profile loading rejects any other name."""
