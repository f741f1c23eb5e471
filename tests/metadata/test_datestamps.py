"""metadata/datestamps.py: formatting in both OAI-PMH granularities."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from metadata.datestamps import DAY, format_datestamp, parse_datestamp


def test_format_datestamp_writes_seconds_granularity_without_fractions() -> None:
    assert format_datestamp(datetime(2025, 3, 1, 9, 5, 7, 999_999)) == "2025-03-01T09:05:07Z"


def test_format_datestamp_writes_day_granularity() -> None:
    assert format_datestamp(datetime(2025, 3, 1, 23, 59, 59), DAY) == "2025-03-01"


def test_format_datestamp_pads_a_year_below_1000_to_four_digits() -> None:
    assert format_datestamp(datetime(999, 1, 2, 3, 4, 5)) == "0999-01-02T03:04:05Z"
    assert format_datestamp(datetime(99, 1, 2), DAY) == "0099-01-02"


def test_format_datestamp_converts_an_aware_time_to_utc() -> None:
    moment = datetime(2025, 3, 1, 1, 30, tzinfo=timezone(timedelta(hours=2)))
    assert format_datestamp(moment) == "2025-02-28T23:30:00Z"


def test_formatted_datestamp_parses_back_to_the_same_moment() -> None:
    moment = datetime(2025, 12, 31, 23, 59, 58)
    assert parse_datestamp(format_datestamp(moment)) == moment
