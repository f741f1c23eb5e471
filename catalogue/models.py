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
    """A partner OAI-PMH endpoint whose records are harvested into the catalogue."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    base_url: Mapped[str] = mapped_column(Text)


class Item(Base):
    """One resource with its stored renderings, status and provenance."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("source_id", "original_identifier", name="uq_items_origin"),
        Index("ix_items_datestamp_seq", "datestamp", "seq"),
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
