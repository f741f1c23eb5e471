"""The catalogue's tables: one migration history for records, sets, provenance and (later) harvests.

An `Item` is one resource as the OAI provider exposes it. Its metadata is stored as rendered bytes
per format, written once when the record changes and served as they are, so a harvest never
re-renders a record. `seq` is the change sequence: it strictly increases with every write and is the
key resumption tokens page on (a datestamp has one-second resolution and cannot order two writes in
the same second).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every Lectern table."""


class Counter(Base):
    """Named counters. `changes` hands out `Item.seq`.

    Incrementing the row takes its lock until commit, so sequence numbers are handed out in commit
    order: a reader that has seen number n will never later find a committed n-1.
    """

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class Source(Base):
    """A partner OAI-PMH endpoint whose records are harvested into the catalogue.

    Besides what the operator configured, the row keeps what the harvester learnt (Identify's
    granularity, deletedRecord and earliestDatestamp) and where the next incremental harvest starts:
    `last_response_date`, the responseDate of the first request of the last successful harvest, as
    the partner wrote it.
    """

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    base_url: Mapped[str] = mapped_column(Text)
    prefix: Mapped[str] = mapped_column(String(20), default="auto")
    set_specs: Mapped[str] = mapped_column(Text, default="")
    every_seconds: Mapped[int | None] = mapped_column(Integer)
    cron: Mapped[str | None] = mapped_column(String(100))
    policy: Mapped[str] = mapped_column(String(20), default="publish")
    profile: Mapped[str] = mapped_column(String(100), default="lom-loose")
    granularity: Mapped[str | None] = mapped_column(String(40))
    deleted_record: Mapped[str | None] = mapped_column(String(20))
    earliest_datestamp: Mapped[str | None] = mapped_column(String(40))
    last_response_date: Mapped[str | None] = mapped_column(String(40))
    last_full_refresh: Mapped[datetime | None] = mapped_column(DateTime)
    next_due: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    created: Mapped[datetime | None] = mapped_column(DateTime)


class Run(Base):
    """One harvest of one source: when, how it ended, what it did, and every error with its URL.

    Counters are added in the transaction that stores each page, so they stay true when the process
    is killed; a run that was killed is continued by the next one (`resumed` counts how often).
    """

    __tablename__ = "runs"
    __table_args__ = (Index("ix_runs_source_started", "source_id", "started"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    started: Mapped[datetime] = mapped_column(DateTime)
    finished: Mapped[datetime | None] = mapped_column(DateTime)
    due: Mapped[datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default="running")
    metadata_prefix: Mapped[str | None] = mapped_column(String(100))
    response_date: Mapped[str | None] = mapped_column(String(40))
    pages: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[int] = mapped_column(Integer, default=0)
    quarantined: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    resumed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[str] = mapped_column(Text, default="[]")
    alterations: Mapped[str] = mapped_column(Text, default="{}")
    """What normalising changed in this run's records: note → number of records."""
    next_due: Mapped[datetime | None] = mapped_column(DateTime)


class Checkpoint(Base):
    """Where one list of a harvest stands: written with the records of the page it follows.

    `list_key` names the list (`ListRecords:` plus the set spec, or `ListIdentifiers:...` for a full
    refresh); `began` is the responseDate of the request that started the list, which bounds the
    next incremental harvest; `token` is empty before the first page and once the list is `done`.
    """

    __tablename__ = "checkpoints"
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    list_key: Mapped[str] = mapped_column(String(300), primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"))
    metadata_prefix: Mapped[str] = mapped_column(String(100))
    from_date: Mapped[str | None] = mapped_column(String(40))
    until_date: Mapped[str | None] = mapped_column(String(40))
    began: Mapped[str | None] = mapped_column(String(40))
    token: Mapped[str] = mapped_column(Text, default="")
    pages: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    updated: Mapped[datetime] = mapped_column(DateTime)


class Quarantined(Base):
    """A harvested record that failed its source's profile: kept as received, with the reasons,
    never published. A valid later version, or a deletion at the source, takes it out."""

    __tablename__ = "quarantine"
    __table_args__ = (UniqueConstraint("source_id", "original_identifier", name="uq_quarantine_origin"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    original_identifier: Mapped[str] = mapped_column(Text)
    original_datestamp: Mapped[str | None] = mapped_column(String(40))
    received: Mapped[datetime] = mapped_column(DateTime)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)
    reasons: Mapped[str] = mapped_column(Text, default="[]")


class Seen(Base):
    """An identifier a source listed during a full refresh (sources that keep no deletions).

    Written with each page, so a refresh killed halfway resumes without forgetting what it saw;
    once every list is done, the source's records missing here become tombstones.
    """

    __tablename__ = "refresh_seen"
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    original_identifier: Mapped[str] = mapped_column(Text, primary_key=True)


class Lease(Base):
    """Who may harvest a source right now, and until when (SQLite; PostgreSQL uses advisory locks).

    A holder renews its lease with every page; a lease past `expires`, or held by a process that no
    longer exists on this host, may be taken over.
    """

    __tablename__ = "leases"
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires: Mapped[datetime] = mapped_column(DateTime)


class Item(Base):
    """One resource with its stored renderings, status and provenance."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("source_id", "original_identifier", name="uq_items_origin"),
        Index("ix_items_datestamp_seq", "datestamp", "seq"),
        # completeListSize counts a list from this index alone; without it the count reads every
        # row, a whole stored record each (seconds on a million records).
        Index("ix_items_exposed_seq", "exposed", "seq"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    local_id: Mapped[str] = mapped_column(String(255), unique=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    datestamp: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), index=True)
    exposed: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text, default="")
    set_specs: Mapped[str] = mapped_column(Text, default="")
    lom: Mapped[bytes | None] = mapped_column(LargeBinary)
    oai_dc: Mapped[bytes | None] = mapped_column(LargeBinary)
    about: Mapped[bytes | None] = mapped_column(LargeBinary)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    original_identifier: Mapped[str | None] = mapped_column(Text)
    original_datestamp: Mapped[str | None] = mapped_column(String(40))
    harvested: Mapped[datetime | None] = mapped_column(DateTime)
    """When the current version (`original_datestamp`) was first harvested: provenance's harvestDate."""
    created: Mapped[datetime] = mapped_column(DateTime)


class SetInfo(Base):
    """A set's name and description; specs derived from metadata get theirs from `sets.py`."""

    __tablename__ = "sets"
    spec: Mapped[str] = mapped_column(String(255), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    editorial: Mapped[bool] = mapped_column(Boolean, default=False)


class Membership(Base):
    """An item's membership of a set. A left set keeps its row with `active` false, so a selective
    harvester of that set is told the record is deleted instead of keeping a stale copy."""

    __tablename__ = "memberships"
    __table_args__ = (Index("ix_memberships_spec_item", "spec", "item_id"),)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    spec: Mapped[str] = mapped_column(String(255), primary_key=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
