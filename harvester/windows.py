"""The from/until window of an incremental harvest, computed from the last success and Identify.

The OAI-PMH guidelines for harvesters ask for the `responseDate` of the previous harvest's first
request as the next `from`, in the provider's own clock, so that no clock skew between us and the
provider can open a gap. `from` is inclusive: a record changed in the very granule of that
responseDate is harvested again, which is harmless because storing a record is idempotent. No
further overlap is added. With day granularity the whole day is harvested again.

A full harvest sends no `from` at all rather than `earliestDatestamp`, which some providers state
wrongly; an incremental `from` is never earlier than a well-formed `earliestDatestamp`, because a
few providers answer badArgument to a `from` that precedes it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from metadata.datestamps import DAY, SECONDS, format_datestamp


@dataclass(frozen=True)
class Window:
    """`from` and `until` of a list request, already in the provider's granularity (None: omitted)."""

    from_date: str | None
    until_date: str | None


def granularity_for(identify_granularity: str) -> str:
    """`SECONDS` if the provider says it supports seconds, else `DAY`, which every provider must.

    Providers write the granularity loosely (`YYYY-MM-DDThh:mm:ss.sZ`, surrounding spaces, nothing);
    only a clear claim to seconds gets seconds.
    """
    return SECONDS if identify_granularity.strip().startswith("YYYY-MM-DDThh:mm:ss") else DAY


def next_window(last_success_response_date: str | None, granularity: str, earliest: str | None) -> Window:
    """The window of the next harvest: everything after the last successful one, or everything.

    Raises ValueError if `last_success_response_date` is not a date and time (it is what the run
    stored from a provider's `responseDate`, so it always should be).
    """
    if last_success_response_date is None:
        return Window(None, None)
    start = _moment(last_success_response_date)
    if start is None:
        raise ValueError(f"the last responseDate {last_success_response_date!r} is not a date and time")
    floor = _moment(earliest) if earliest else None
    if floor is not None and floor > start:
        start = floor
    return Window(format_datestamp(start, granularity_for(granularity)), None)


def _moment(text: str) -> datetime | None:
    """A naive UTC datetime from an OAI datestamp or a looser ISO 8601 form (fractions, offsets)."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.replace(microsecond=0)
