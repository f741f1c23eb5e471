"""UTC datestamps and their two OAI-PMH granularities.

The catalogue, the provider and the harvester all compare datestamps; keeping parsing and formatting
in one place is what makes `from`/`until` selective harvesting agree end to end.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

DAY = "YYYY-MM-DD"
SECONDS = "YYYY-MM-DDThh:mm:ssZ"

_DAY_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECONDS_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def utcnow() -> datetime:
    """The current time as a naive UTC datetime truncated to whole seconds (how we store them)."""
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def granularity_of(text: str) -> str | None:
    """`DAY` or `SECONDS` for a well-formed OAI datestamp, None for anything else."""
    if _DAY_PATTERN.match(text):
        return DAY
    if _SECONDS_PATTERN.match(text):
        return SECONDS
    return None


def parse_datestamp(text: str, *, end_of_day: bool = False) -> datetime:
    """Parse an OAI datestamp of either granularity into a naive UTC datetime.

    A day-granularity `until` covers the whole day, hence `end_of_day`. Raises ValueError for
    anything that is not a real date in one of the two forms.
    """
    kind = granularity_of(text)
    if kind == DAY:
        day = date.fromisoformat(text)
        start = datetime(day.year, day.month, day.day)
        return start + timedelta(days=1, seconds=-1) if end_of_day else start
    if kind == SECONDS:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    raise ValueError(f"{text!r} is not an OAI-PMH datestamp (YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ)")


def format_datestamp(moment: datetime, granularity: str = SECONDS) -> str:
    """Format a naive-UTC (or aware) datetime in the given granularity.

    `isoformat` rather than `strftime`: it always writes the four-digit year a datestamp needs
    (`%Y` does not below year 1000), and it costs a fifth as much, which counts because every
    record header of every list page is formatted here.
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    if granularity == DAY:
        return moment.date().isoformat()
    return moment.isoformat(timespec="seconds") + "Z"
