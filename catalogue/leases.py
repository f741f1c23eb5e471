"""Cross-process locks on sources, so no source is ever harvested twice at the same time.

On PostgreSQL a lease is a session-level advisory lock (`pg_try_advisory_lock`) held on a connection
of its own for the whole run: any number of schedulers on any number of machines can try it, only
one gets it, and the server drops it the moment the holder's connection dies (a killed process
leaves nothing behind to clean up).

SQLite lives on one machine, so a lease is a row in `leases` written in a `BEGIN IMMEDIATE`
transaction (writers queue, the check and the write cannot interleave): the holder (host, process
id, random tag) and an expiry, renewed with every page. A lease may be taken over once expired, or
at once when its holder was a process of this host that no longer exists, so a harvest killed with
SIGKILL can be resumed without waiting for the expiry.
"""
from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, select, update
from sqlalchemy.orm import Session

from metadata.datestamps import utcnow

from .db import Database, is_sqlite
from .models import Lease as LeaseRow

ADVISORY_CLASS = 0x4C43
"""First key of Lectern's advisory locks (the second is the source id), apart from other apps' locks."""
DEFAULT_TTL = timedelta(minutes=10)


class Lease:
    """A held lease on one source; release it with `release` (or hold it with `held`)."""

    def __init__(self, source_id: int, holder: str, connection: Connection | None, ttl: timedelta) -> None:
        self.source_id = source_id
        self.holder = holder
        self.ttl = ttl
        self._connection = connection

    def renew(self, session: Session, now: datetime | None = None) -> None:
        """Push the expiry on, in the caller's (page) transaction; advisory locks need no renewal."""
        if self._connection is None:
            session.execute(update(LeaseRow).where(
                LeaseRow.source_id == self.source_id, LeaseRow.holder == self.holder
            ).values(expires=(now or utcnow()) + self.ttl))


def new_holder() -> str:
    """This process's name for itself in lease rows: host, process id and a random tag."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _gone(holder: str) -> bool:
    """Whether the holder was a process of this host that has exited."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another user
        return False
    return False


def acquire(database: Database, source_id: int, *, ttl: timedelta = DEFAULT_TTL,
            now: datetime | None = None) -> Lease | None:
    """Take the source's lease without waiting; None when someone else holds it."""
    holder = new_holder()
    if not is_sqlite(database.engine):
        return _advisory(database, source_id, holder, ttl)
    now = now or utcnow()
    with database.writing() as session:
        row = session.get(LeaseRow, source_id, populate_existing=True)
        if row is not None and row.expires > now and not _gone(row.holder):
            return None
        if row is None:
            row = LeaseRow(source_id=source_id)
            session.add(row)
        row.holder, row.expires = holder, now + ttl
    return Lease(source_id, holder, None, ttl)


def _advisory(database: Database, source_id: int, holder: str, ttl: timedelta) -> Lease | None:
    connection = database.engine.connect()
    try:
        got = connection.execute(select(func.pg_try_advisory_lock(ADVISORY_CLASS, source_id))).scalar_one()
        connection.commit()
    except BaseException:
        connection.close()
        raise
    if not got:
        connection.close()
        return None
    return Lease(source_id, holder, connection, ttl)


def release(database: Database, lease: Lease) -> None:
    """Give the lease back (closing its connection on PostgreSQL)."""
    connection = lease._connection
    if connection is None:
        with database.writing() as session:
            row = session.get(LeaseRow, lease.source_id, populate_existing=True)
            if row is not None and row.holder == lease.holder:
                session.delete(row)
        return
    try:
        connection.execute(select(func.pg_advisory_unlock(ADVISORY_CLASS, lease.source_id)))
        connection.commit()
    except BaseException:
        connection.invalidate()  # never pool a connection that may still hold the lock
        raise
    finally:
        connection.close()


@contextmanager
def held(database: Database, source_id: int, *, ttl: timedelta = DEFAULT_TTL,
         now: datetime | None = None) -> Iterator[Lease | None]:
    """The source's lease for the block, or None when another process holds it."""
    lease = acquire(database, source_id, ttl=ttl, now=now)
    try:
        yield lease
    finally:
        if lease is not None:
            release(database, lease)
