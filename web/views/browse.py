"""The web root: what the repository holds, its newest records, and a search over titles."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from catalogue import summaries

from .. import state

blueprint = Blueprint("browse", __name__)

LATEST = 50
"""Records listed on the front page (newest first); a search shows as many matches."""


@blueprint.app_context_processor
def _repository() -> dict[str, str]:
    return {"repository_name": state.setting("repository_name")}


@blueprint.get("/")
def index() -> str:
    """Record count and the latest records, or the titles matching `?q=`."""
    query = " ".join(request.args.get("q", "").split())
    with state.catalogue().reading() as session:
        total = summaries.count_live(session)
        shown = summaries.latest(session, LATEST, title_contains=query or None)
    return render_template("browse.html", total=total, records=shown, query=query)
