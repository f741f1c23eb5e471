"""Harvest sources: the partners an operator configured, and what the harvester learnt about them.

A source's name is short and plain (`[a-z0-9][a-z0-9._-]*`) because it is written into every
record harvested from it: the local identifier `<name>:<original identifier>` and the set
`source:<name>` (see `catalogue.harvested`). The schedule is either `every_seconds` or a five-field
`cron` expression; `next_due` is computed by the harvester's scheduler and only stored here.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete as delete_rows
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from metadata.datestamps import utcnow
from metadata.profiles import Profile

from . import records
from .errors import CatalogueError, Conflict, NotFound
from .models import Item, Source

PREFIXES = ("auto", "lom", "oai_dc")
"""`auto` picks IEEE LOM, else a legacy LOM binding, else `oai_dc` from ListMetadataFormats."""
POLICIES = ("publish", "moderate")
"""`publish` exposes valid records at once; `moderate` stores them as submitted for an editor."""
DEFAULT_PROFILE = "lom-loose"
MAX_NAME = 64
_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")
_SET_SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*\Z")


class SourceError(CatalogueError, ValueError):
    """A source setting that cannot work (bad name, unknown prefix or policy, two schedules)."""


@dataclass(frozen=True)
class SourceConfig:
    """One source as configured, with the harvest state the harvester keeps on it."""

    id: int
    name: str
    base_url: str
    prefix: str
    set_specs: tuple[str, ...]
    every_seconds: int | None
    cron: str | None
    policy: str
    profile: str
    granularity: str | None
    deleted_record: str | None
    earliest_datestamp: str | None
    last_response_date: str | None
    last_full_refresh: datetime | None
    next_due: datetime | None

    @property
    def scheduled(self) -> bool:
        """Whether the scheduler runs this source (otherwise only `lectern harvest run` does)."""
        return self.every_seconds is not None or self.cron is not None


def _config(row: Source) -> SourceConfig:
    return SourceConfig(
        row.id, row.name, row.base_url, row.prefix, tuple(row.set_specs.split()), row.every_seconds,
        row.cron, row.policy, row.profile, row.granularity, row.deleted_record, row.earliest_datestamp,
        row.last_response_date, row.last_full_refresh, row.next_due,
    )


def check_settings(name: str, base_url: str, prefix: str, set_specs: Iterable[str], policy: str,
                   profile: str, schedules: int) -> None:
    """Raise `SourceError` naming the first setting that cannot work."""
    if len(name) > MAX_NAME or not _NAME.match(name):
        raise SourceError(f"source name {name!r} must be lower-case letters, digits, '.', '_' or '-' "
                          f"(at most {MAX_NAME}), starting with a letter or digit")
    if not re.match(r"https?://[^\s/]+", base_url):
        raise SourceError(f"base URL {base_url!r} is not an http(s) URL")
    for label, value, allowed in (("prefix", prefix, PREFIXES), ("policy", policy, POLICIES)):
        if value not in allowed:
            raise SourceError(f"{label} {value!r} is not one of {', '.join(allowed)}")
    for spec in set_specs:
        if not _SET_SPEC.match(spec):
            raise SourceError(f"{spec!r} is not an OAI-PMH set spec")
    if schedules > 1:
        raise SourceError("give either an interval or a cron expression, not both")
    Profile.load(profile)


def add(session: Session, name: str, base_url: str, *, prefix: str = "auto", set_specs: Iterable[str] = (),
        every_seconds: int | None = None, cron: str | None = None, policy: str = "publish",
        profile: str = DEFAULT_PROFILE, next_due: datetime | None = None,
        now: datetime | None = None) -> SourceConfig:
    """Configure a new source; `Conflict` if the name is taken, `SourceError` for a bad setting.

    `next_due` is when the scheduler first runs it (the caller computes it from the schedule).
    """
    specs = tuple(dict.fromkeys(set_specs))
    check_settings(name, base_url, prefix, specs, policy, profile,
                   (every_seconds is not None) + (cron is not None))
    if session.execute(select(Source.id).where(Source.name == name)).first() is not None:
        raise Conflict(f"a source named {name!r} exists already")
    row = Source(name=name, base_url=base_url, prefix=prefix, set_specs=" ".join(specs),
                 every_seconds=every_seconds, cron=cron, policy=policy, profile=profile,
                 next_due=next_due, created=now or utcnow())
    session.add(row)
    session.flush()
    return _config(row)


def _row(session: Session, name: str) -> Source:
    row = session.execute(select(Source).where(Source.name == name)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"no source named {name!r}")
    return row


def get(session: Session, name: str) -> SourceConfig:
    """The source called `name`, or `NotFound`."""
    return _config(_row(session, name))


def by_id(session: Session, source_id: int) -> SourceConfig:
    """The source with this id (read fresh, e.g. after taking its lease), or `NotFound`."""
    row = session.get(Source, source_id, populate_existing=True)
    if row is None:
        raise NotFound(f"no source with id {source_id}")
    return _config(row)


def every_source(session: Session) -> list[SourceConfig]:
    """Every configured source, by name."""
    return [_config(row) for row in session.execute(select(Source).order_by(Source.name)).scalars()]


def due(session: Session, now: datetime) -> list[SourceConfig]:
    """Sources whose next due time has come, the longest waiting first."""
    query = select(Source).where(Source.next_due.is_not(None), Source.next_due <= now)
    return [_config(row) for row in session.execute(query.order_by(Source.next_due, Source.name)).scalars()]


def remove(session: Session, name: str, *, now: datetime | None = None) -> int:
    """Forget a source with its runs, checkpoints and quarantine; returns how many records it tombstoned.

    Its records become tombstones (so our own harvesters learn they are gone) and are detached from
    it; adding a source of the same name later revives them as it harvests them again.
    """
    row = _row(session, name)
    live = session.execute(
        select(Item.local_id).where(Item.source_id == row.id, Item.deleted.is_(False))
    ).scalars().all()
    for local_id in live:
        records.delete(session, local_id, now=now)
    session.execute(update(Item).where(Item.source_id == row.id).values(source_id=None))
    session.execute(delete_rows(Source).where(Source.id == row.id))
    return len(live)


def learn(session: Session, source_id: int, *, granularity: str, deleted_record: str,
          earliest_datestamp: str) -> None:
    """Keep what the source's Identify said; the window and the refresh rule depend on it."""
    session.execute(update(Source).where(Source.id == source_id).values(
        granularity=granularity, deleted_record=deleted_record, earliest_datestamp=earliest_datestamp))


def succeeded(session: Session, source_id: int, response_date: str | None,
              full_refresh: datetime | None = None) -> None:
    """Move the start of the next incremental harvest; note a completed full refresh."""
    values: dict[str, object] = {"last_response_date": response_date}
    if full_refresh is not None:
        values["last_full_refresh"] = full_refresh
    session.execute(update(Source).where(Source.id == source_id).values(**values))


def schedule(session: Session, source_id: int, next_due: datetime | None) -> None:
    """Set when the scheduler runs the source next (None: only by hand)."""
    session.execute(update(Source).where(Source.id == source_id).values(next_due=next_due))
