"""`harvester.timetable`: intervals and five-field cron expressions, in UTC."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from harvester.timetable import first_due, next_due, parse_cron, parse_interval

MONDAY = datetime(2025, 1, 6, 0, 0)


@pytest.mark.parametrize("text,seconds", [("90s", 90), ("30m", 1800), ("6h", 21600), ("1d12h", 129600),
                                          ("2w", 1209600), ("3600", 3600)])
def test_intervals_are_read_in_seconds(text: str, seconds: int) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["6 hours", "h6", "0", "-5m", ""])
def test_an_unreadable_interval_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_interval(text)


@pytest.mark.parametrize("expression,after,expected", [
    ("30 2 * * 1-5", datetime(2025, 1, 3, 3, 0), datetime(2025, 1, 6, 2, 30)),  # Friday after 02:30 → Monday
    ("*/15 * * * *", datetime(2025, 1, 1, 0, 7, 30), datetime(2025, 1, 1, 0, 15)),
    ("0 0 1,15 * mon", datetime(2025, 1, 1, 0, 0), datetime(2025, 1, 6, 0, 0)),  # either day field
    ("0 0 * feb *", datetime(2025, 3, 1), datetime(2026, 2, 1)),
    ("0 12 29 2 *", datetime(2025, 3, 1), datetime(2028, 2, 29, 12, 0)),
    ("0 0 * * 7", MONDAY, datetime(2025, 1, 12, 0, 0)),  # 7 is Sunday too
    ("5-10/5 * * * *", datetime(2025, 1, 1, 0, 5), datetime(2025, 1, 1, 0, 10)),
    ("@daily", MONDAY, datetime(2025, 1, 7, 0, 0)),
])
def test_cron_gives_the_first_due_minute_strictly_after(expression: str, after: datetime, expected: datetime) -> None:
    assert parse_cron(expression).next_after(after) == expected


@pytest.mark.parametrize("expression,complaint", [
    ("* * * *", "five fields"), ("61 * * * *", "minute"), ("* 24 * * *", "hour"), ("* * * 13 *", "month"),
    ("*/0 * * * *", "step"), ("* * * * funday", "funday"), ("0 0 31 2 *", "never due"),
])
def test_a_bad_cron_expression_says_what_is_wrong(expression: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        parse_cron(expression)


def test_an_interval_keeps_its_rhythm_and_skips_missed_slots() -> None:
    previous = datetime(2025, 1, 1, 3, 0)
    assert next_due(3600, None, after=datetime(2025, 1, 1, 3, 0, 40), previous=previous) == datetime(2025, 1, 1, 4, 0)
    assert next_due(3600, None, after=datetime(2025, 1, 1, 5, 30), previous=previous) == datetime(2025, 1, 1, 6, 0)


def test_a_run_before_the_due_time_keeps_the_due_time() -> None:
    due = datetime(2025, 1, 1, 12, 0)
    assert next_due(3600, None, after=datetime(2025, 1, 1, 10, 0), previous=due) == due


def test_a_source_without_schedule_is_never_due() -> None:
    assert next_due(None, None, after=MONDAY) is None and first_due(None, None, now=MONDAY) is None


def test_a_new_interval_source_is_due_at_once_and_a_cron_source_at_its_next_match() -> None:
    assert first_due(60, None, now=MONDAY) == MONDAY
    assert first_due(None, "0 3 * * *", now=MONDAY) == MONDAY + timedelta(hours=3)
