"""The little of vCard that LOM needs: a display name out of an entity, and an entity for a name.

LOM carries every person and organisation as a vCard (RFC 2426) in a text node, and the vCards in
real records are rarely clean: pretty-printed with indentation that looks like RFC line folding,
flattened onto one line by an XML tool, version 2.1 quoted-printable, or not a vCard at all. Only the
name is needed (DC `creator`/`publisher`/`contributor`, search, display), so this reads names and
nothing else, and never fails: what cannot be read yields None.
"""
from __future__ import annotations

import quopri
import re

from .memo import cached

# Property names of vCard 2.1 and 3.0, used to tell a property line from a folded or flattened one.
_KNOWN = (
    r"(?:BEGIN|END|VERSION|FN|N|ORG|TITLE|ROLE|EMAIL|TEL|ADR|LABEL|URL|NOTE|UID|REV|NICKNAME|BDAY|GEO"
    r"|TZ|PHOTO|LOGO|SOUND|KEY|AGENT|CATEGORIES|CLASS|MAILER|NAME|PRODID|SORT-STRING|SOURCE|X-[A-Z0-9-]+)"
)
_KNOWN_PROPERTY = re.compile(rf"{_KNOWN}(?:;[^:\s]*)?:", re.I)
_FLATTENED_BOUNDARY = re.compile(rf"\s+(?={_KNOWN}(?:;[^:\s]*)?:)", re.I)
_PROPERTY = re.compile(
    r"(?:[A-Z0-9-]+\.)?(?P<name>[A-Z0-9-]+)(?P<params>(?:;[^:]*)?):(?P<value>.*)\Z", re.I | re.S
)
_COMPONENT = re.compile(r"((?:\\.|[^\\;])*)(?:;|\Z)", re.S)
_ESCAPE = re.compile(r"\\(.)", re.S)
_NAME_PROPERTIES = ("FN", "N", "ORG")
# A line that starts with whitespace: folded, indented or blank.
_INDENTED = re.compile(r"\n\s")
# The start of a line `_PROPERTY` reads as FN, with the same classes and flags.
_FN_LINE = re.compile(r"^(?:[A-Z0-9-]+\.)?FN(?:;[^:\n]*)?:", re.I | re.M)


@cached(maxsize=4096)
def display_name(entity: str) -> str | None:
    """The name to show for a LOM entity: FN, else N as "Family, Given", else ORG.

    Text that is not a vCard but reads like a name (some producers write just "Jane Doe") is
    returned with its whitespace collapsed; anything else unreadable gives None. Cached: a
    network's records name the same authors and publishers over and over, and the crosswalk asks
    for every entity of every record it stores.
    """
    formatted = _plain_formatted_name(entity)
    if formatted:
        return formatted
    properties = _properties(entity)
    for name, render in zip(_NAME_PROPERTIES, (_text, _structured_name, _organisation)):
        shown = render(properties.get(name, ""))
        if shown:
            return shown
    plain = " ".join(entity.split())
    return plain if re.search(r"\w", plain) and ":" not in plain else None


def _plain_formatted_name(card: str) -> str | None:
    """FN of a card written one property a line, as most are, found without parsing every line.

    When no line starts with whitespace (folded, indented or blank) and nothing is quoted-printable,
    every physical line is a logical line, so the first line that is an FN property is the one
    `_properties` would take. None for any other card, or an empty FN: the parser decides.
    """
    lines = card.strip().splitlines()
    text = "\n".join(lines)
    if len(lines) < 2 or _INDENTED.search(text) or "QUOTED-PRINTABLE" in text.upper():
        return None
    found = _FN_LINE.search(text)
    if found is None:
        return None
    end = text.find("\n", found.start())
    line = text[found.start():end if end >= 0 else len(text)].strip()
    return _text(_property(line)[1])  # type: ignore[index]  # the line starts like an FN property


def _properties(card: str) -> dict[str, str]:
    """The first value of each property, unfolded and decoded but still backslash-escaped."""
    found: dict[str, str] = {}
    for line in _logical_lines(card):
        name_value = _property(line)
        if name_value is not None:
            found.setdefault(*name_value)
    return found


def _property(line: str) -> tuple[str, str] | None:
    """The upper-case name and the decoded value of a logical line, None if it is no property."""
    match = _PROPERTY.match(line)
    if match is None:
        return None
    value, params = match.group("value"), match.group("params")
    if "QUOTED-PRINTABLE" in params.upper():
        value = _quoted_printable(value, params)
    return match.group("name").upper(), value


def _logical_lines(card: str) -> list[str]:
    physical = card.strip().splitlines()
    if len(physical) == 1:
        physical = _FLATTENED_BOUNDARY.split(physical[0])
    lines: list[str] = []
    for raw in physical:
        joined = _unfold(lines[-1], raw) if lines else None
        if joined is None:
            lines.append(raw.strip())
        else:
            lines[-1] = joined
    return lines


def _unfold(previous: str, raw: str) -> str | None:
    """`previous` continued by `raw`, or None when `raw` starts a property of its own.

    RFC 2426 folds by starting the continuation with one space or tab; but LOM records indent their
    vCards like XML, so an indented line that starts with a property name is a new property. vCard
    2.1 quoted-printable values continue after a trailing "=" instead.
    """
    if previous.endswith("=") and "QUOTED-PRINTABLE" in previous.upper():
        return previous[:-1] + raw.strip()
    if raw[:1] in (" ", "\t") and not _KNOWN_PROPERTY.match(raw.lstrip()):
        return previous + raw[1:]
    return None


def _quoted_printable(value: str, params: str) -> str:
    charset = re.search(r"CHARSET=([\w-]+)", params, re.I)
    data = quopri.decodestring(value.encode("ascii", errors="replace"))
    try:
        return data.decode(charset.group(1) if charset else "utf-8")
    except (LookupError, UnicodeDecodeError):
        return data.decode("latin-1")


def _text(value: str) -> str:
    unescaped = _ESCAPE.sub(lambda match: " " if match.group(1) in "nN" else match.group(1), value)
    return " ".join(unescaped.split())


def _components(value: str) -> list[str]:
    """The components of a structured value (N, ORG): split on unescaped semicolons, then unescaped."""
    return [_text(match.group(1)) for match in _COMPONENT.finditer(value)]


def _structured_name(value: str) -> str:
    family, given, additional = (_components(value) + ["", ""])[:3]
    forenames = " ".join(part for part in (given, additional) if part)
    return ", ".join(part for part in (family, forenames) if part)


def _organisation(value: str) -> str:
    return ", ".join(part for part in _components(value) if part)


def vcard_for_name(name: str, organisation: bool = False) -> str:
    """A minimal vCard 3.0 entity for a bare name, such as a DC creator or publisher.

    The card holds FN and the N that vCard 3.0 requires. "Family, Given", the library convention most
    DC records follow, fills N's first two components; an organisation gets ORG and an empty N, as
    RFC 2426 suggests for cards that name no person. Lines end with LF because XML parsers turn CRLF
    into LF anyway.
    """
    family, comma, given = name.partition(",")
    if organisation:
        structured, extra = ";;;;", [f"ORG:{_escape(name)}"]
    elif comma and "," not in given:
        structured, extra = f"{_escape(family)};{_escape(given)};;;", []
    else:
        structured, extra = f"{_escape(name)};;;;", []
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{_escape(name)}", f"N:{structured}", *extra, "END:VCARD"]
    return "\n".join(lines)


def _escape(text: str) -> str:
    return re.sub(r"([\\,;])", r"\\\1", " ".join(text.split()))
