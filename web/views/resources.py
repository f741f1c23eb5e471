"""One record's page: what a person wants to know before following the link to the resource.

The page is drawn from the stored LOM bytes, the same bytes `/oai` serves, so what a visitor reads
is what a harvester gets.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, abort, render_template

from catalogue import listing
from metadata import lom, xmlsafe

from .. import identifiers, state

blueprint = Blueprint("resources", __name__)


@dataclass(frozen=True)
class Page:
    """The facts a record page shows."""

    local_id: str
    oai_identifier: str
    datestamp: datetime
    deleted: bool
    title: str
    descriptions: tuple[lom.LangString, ...] = ()
    keywords: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    licences: tuple[str, ...] = ()
    rights: tuple[str, ...] = ()
    set_specs: tuple[str, ...] = ()


def _page(row: listing.Row, oai_identifier: str) -> Page:
    if row.deleted or row.metadata is None:
        return Page(row.local_id, oai_identifier, row.datestamp, True, row.local_id)
    record = xmlsafe.fromstring(row.metadata)
    titles = lom.titles(record)
    return Page(
        row.local_id, oai_identifier, row.datestamp, False,
        title=titles[0].text if titles else row.local_id,
        descriptions=lom.descriptions(record),
        keywords=tuple(dict.fromkeys(keyword.text for keyword in lom.keywords(record))),
        languages=lom.languages(record),
        locations=lom.locations(record),
        licences=lom.licence_urls(record),
        rights=tuple(text.text for text in lom.rights_descriptions(record)),
        set_specs=row.set_specs,
    )


@blueprint.get("/records/<path:local_id>")
def record(local_id: str) -> tuple[str, int]:
    """A record's page; a deleted record answers 410 Gone with a short notice."""
    with state.catalogue().reading() as session:
        row = listing.get(session, local_id, "lom")
    if row is None:
        abort(404, description=f"There is no record {local_id!r} in this repository.")
    oai_identifier = identifiers.prefix(state.setting("repository_identifier")) + local_id
    page = _page(row, oai_identifier)
    return render_template("record.html", page=page), 410 if page.deleted else 200
