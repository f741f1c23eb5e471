"""Editorial collections: sets an editor curates by hand, beside the sets derived from metadata.

Putting a record into a collection or taking it out changes what a harvester of that set must hold,
so both give the record a new datestamp and change number; a record taken out keeps an inactive
membership and is reported as deleted to harvesters of the collection.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from metadata.datestamps import utcnow

from .errors import Conflict, NotFound
from .models import Item, Membership, SetInfo
from .records import find, memberships, refresh_set_specs, touch
from .sets import EDITORIAL_PREFIX, is_editorial, spec_part


def collection_spec(name: str) -> str:
    """The set spec of the collection `name` (`Climate week` → `collection:climate-week`)."""
    if is_editorial(name):
        name = name.split(":", 1)[1]
    return ":".join([EDITORIAL_PREFIX, *(spec_part(part) for part in name.split(":"))])


def define(session: Session, spec: str, name: str, description: str | None = None) -> SetInfo:
    """Create or rename the collection `spec` with the setName and setDescription harvesters see."""
    if not is_editorial(spec):
        raise Conflict(f"{spec!r} is not a collection spec; collections live under '{EDITORIAL_PREFIX}:'")
    info = session.get(SetInfo, spec) or SetInfo(spec=spec, editorial=True)
    info.name, info.description = name, description
    session.add(info)
    return info


def put(session: Session, spec: str, local_id: str, *, now: datetime | None = None) -> bool:
    """Put the record into the collection; False when it was already there."""
    item, current = _item_and_memberships(session, spec, local_id)
    if item.deleted:
        raise Conflict(f"record {local_id!r} is deleted; a collection holds live records only")
    membership = current.get(spec)
    if membership is not None and membership.active:
        return False
    if membership is None:
        current[spec] = Membership(item_id=item.id, spec=spec, active=True)
        session.add(current[spec])
    current[spec].active = True
    _changed(session, item, current, now)
    return True


def take_out(session: Session, spec: str, local_id: str, *, now: datetime | None = None) -> bool:
    """Take the record out of the collection; False when it was not in it."""
    item, current = _item_and_memberships(session, spec, local_id)
    membership = current.get(spec)
    if membership is None or not membership.active:
        return False
    membership.active = False
    _changed(session, item, current, now)
    return True


def _item_and_memberships(session: Session, spec: str, local_id: str) -> tuple[Item, dict[str, Membership]]:
    if session.get(SetInfo, spec) is None:
        known = session.execute(select(SetInfo.spec).where(SetInfo.editorial.is_(True))).scalars().all()
        raise NotFound(f"no collection {spec!r}; known: {', '.join(known) or 'none yet'}")
    item = find(session, local_id)
    return item, memberships(session, item)


def _changed(session: Session, item: Item, current: dict[str, Membership], now: datetime | None) -> None:
    refresh_set_specs(item, current)
    touch(session, item, now or utcnow())
