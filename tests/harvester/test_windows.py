"""harvester.windows: the from/until of an incremental harvest."""
from __future__ import annotations

import pytest

from harvester.windows import Window, granularity_for, next_window
from metadata.datestamps import DAY, SECONDS


def test_first_harvest_asks_for_everything_without_from() -> None:
    assert next_window(None, SECONDS, "2001-01-01T00:00:00Z") == Window(None, None)


def test_seconds_granularity_starts_at_the_last_response_date() -> None:
    assert next_window("2024-03-05T10:11:12Z", SECONDS, "2001-01-01T00:00:00Z") == Window("2024-03-05T10:11:12Z", None)


def test_day_granularity_starts_at_the_day_of_the_last_response_date() -> None:
    assert next_window("2024-03-05T23:59:59Z", DAY, "2001-01-01") == Window("2024-03-05", None)


def test_from_is_never_before_a_later_earliest_datestamp() -> None:
    assert next_window("2020-01-01T00:00:00Z", SECONDS, "2023-06-01T08:00:00Z") == Window("2023-06-01T08:00:00Z", None)
    assert next_window("2020-01-01T00:00:00Z", DAY, "2023-06-01") == Window("2023-06-01", None)


def test_an_unreadable_earliest_datestamp_is_ignored() -> None:
    assert next_window("2024-03-05T10:11:12Z", SECONDS, "sometime") == Window("2024-03-05T10:11:12Z", None)


@pytest.mark.parametrize("stored,expected", [
    ("2024-03-05T10:11:12.345Z", "2024-03-05T10:11:12Z"),
    ("2024-03-05T12:11:12+02:00", "2024-03-05T10:11:12Z"),
    ("2024-03-05", "2024-03-05T00:00:00Z"),
])
def test_looser_response_dates_are_normalised_to_utc_seconds(stored: str, expected: str) -> None:
    assert next_window(stored, SECONDS, None).from_date == expected


def test_a_stored_value_that_is_no_date_is_an_error() -> None:
    with pytest.raises(ValueError, match="not a date"):
        next_window("yesterday", SECONDS, None)


@pytest.mark.parametrize("claimed,granularity", [
    ("YYYY-MM-DDThh:mm:ssZ", SECONDS), (" YYYY-MM-DDThh:mm:ssZ\n", SECONDS), ("YYYY-MM-DDThh:mm:ss.sZ", SECONDS),
    ("YYYY-MM-DD", DAY), ("", DAY), ("seconds", DAY),
])
def test_only_a_clear_claim_to_seconds_gets_seconds(claimed: str, granularity: str) -> None:
    assert granularity_for(claimed) == granularity


def test_a_loose_claim_to_seconds_gives_a_seconds_window() -> None:
    assert next_window("2024-03-05T10:11:12Z", "YYYY-MM-DDThh:mm:ss.sZ", None) == Window("2024-03-05T10:11:12Z", None)
