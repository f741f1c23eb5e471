"""When a source is due: an interval (`6h`, `90m`, `1d12h`) or a five-field cron expression, in UTC.

Cron is the classic five fields, minute hour day-of-month month day-of-week, each `*`, a number, a
range `a-b`, a step `*/n` or `a-b/n`, or a comma list of these; months and weekdays may be named
(`jan`, `mon`), Sunday is 0 or 7, and the shorthands `@hourly`, `@daily`, `@weekly`, `@monthly` and
`@yearly` are accepted. As in Vixie cron, when both day fields are restricted a day matching either
one is due. Written here rather than depended on: fifty lines, and no third-party clock semantics.

Interval sources keep a fixed rhythm: the next due time is the previous one plus the interval,
skipping slots missed while nothing ran, so a slow harvest does not make the schedule drift.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_INTERVAL = re.compile(r"(?:\d+[smhdw])+\Z")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
_SHORTHANDS = {"@hourly": "0 * * * *", "@daily": "0 0 * * *", "@weekly": "0 0 * * 0",
               "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *"}
_FIELDS = (("minute", 0, 59, ()), ("hour", 0, 23, ()), ("day of month", 1, 31, ()),
           ("month", 1, 12, _MONTHS), ("day of week", 0, 7, _DAYS))
SEARCH_YEARS = 5
"""An expression with no due time this many years ahead (`0 0 31 2 *`) is refused."""


def parse_interval(text: str) -> int:
    """Seconds in an interval such as `6h`, `90m`, `1d12h` or plain seconds (`3600`); ValueError if not one."""
    text = text.strip().lower()
    if text.isdigit():
        seconds = int(text)
    elif _INTERVAL.match(text):
        seconds = sum(int(number) * _UNITS[unit] for number, unit in re.findall(r"(\d+)([smhdw])", text))
    else:
        raise ValueError(f"{text!r} is not an interval (e.g. 90s, 30m, 6h, 1d, 1d12h)")
    if seconds < 1:
        raise ValueError("the interval must be at least one second")
    return seconds


@dataclass(frozen=True)
class Cron:
    """A parsed cron expression: the allowed values of each field."""

    expression: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    any_day: bool
    any_weekday: bool

    def _day_matches(self, moment: datetime) -> bool:
        day = moment.day in self.days
        weekday = (moment.isoweekday() % 7) in self.weekdays
        if self.any_day or self.any_weekday:
            return day and weekday
        return day or weekday

    def next_after(self, moment: datetime) -> datetime:
        """The first due minute strictly after `moment`."""
        candidate = moment.replace(second=0, microsecond=0) + timedelta(minutes=1)
        limit = moment + timedelta(days=366 * SEARCH_YEARS)
        while candidate <= limit:
            if candidate.month not in self.months:
                candidate = (candidate.replace(day=1, hour=0, minute=0) + timedelta(days=32)).replace(day=1)
            elif not self._day_matches(candidate):
                candidate = candidate.replace(hour=0, minute=0) + timedelta(days=1)
            elif candidate.hour not in self.hours:
                candidate = candidate.replace(minute=0) + timedelta(hours=1)
            elif candidate.minute not in self.minutes:
                candidate += timedelta(minutes=1)
            else:
                return candidate
        raise ValueError(f"cron expression {self.expression!r} is never due")


def _value(text: str, low: int, names: tuple[str, ...]) -> int:
    lowered = text.lower()
    if lowered in names:
        return names.index(lowered) + low
    if not text.isdigit():
        raise ValueError(f"{text!r} is not a number" + (f" or one of {', '.join(names)}" if names else ""))
    return int(text)


def _field(text: str, name: str, low: int, high: int, names: tuple[str, ...]) -> frozenset[int]:
    values: set[int] = set()
    for part in text.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            raise ValueError(f"{name}: step {step_text!r} must be a positive number")
        if span == "*":
            first, last = low, high
        else:
            start, _, end = span.partition("-")
            first = _value(start, low, names)
            last = _value(end, low, names) if end else (high if step else first)
        if not low <= first <= last <= high:
            raise ValueError(f"{name}: {part!r} is outside {low}-{high}")
        values.update(range(first, last + 1, step or 1))
    return frozenset(values)


def parse_cron(expression: str) -> Cron:
    """A `Cron` for a five-field expression or a shorthand; ValueError saying which field is wrong."""
    text = _SHORTHANDS.get(expression.strip().lower(), expression)
    fields = text.split()
    if len(fields) != 5:
        raise ValueError(f"cron expression {expression!r} must have five fields: minute hour day month weekday")
    minutes, hours, days, months, weekdays = (_field(field, *spec) for field, spec in zip(fields, _FIELDS))
    cron = Cron(expression, minutes, hours, days, months, frozenset(day % 7 for day in weekdays),
                fields[2] == "*", fields[4] == "*")
    cron.next_after(datetime(2000, 1, 1))
    return cron


def next_due(every_seconds: int | None, cron: str | None, *, after: datetime,
             previous: datetime | None = None) -> datetime | None:
    """The first due time after `after`; None for a source that runs only by hand."""
    if cron is not None:
        return parse_cron(cron).next_after(after)
    if every_seconds is None:
        return None
    if previous is None or previous > after:
        return previous or after + timedelta(seconds=every_seconds)
    missed = int((after - previous).total_seconds() // every_seconds) + 1
    return previous + timedelta(seconds=every_seconds * missed)


def first_due(every_seconds: int | None, cron: str | None, *, now: datetime) -> datetime | None:
    """When a newly added source is first due: at once for an interval, the next match for cron."""
    if cron is not None:
        return parse_cron(cron).next_after(now)
    return now if every_seconds is not None else None
