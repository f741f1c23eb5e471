"""`lectern collection ...`: editorial collections, published as OAI-PMH sets under `collection:`."""
from __future__ import annotations

from collections.abc import Callable

import click

from catalogue import collections
from catalogue.db import Session
from catalogue.errors import CatalogueError

from . import identifiers
from .cli_options import Instance, instance


@click.group()
def collection() -> None:
    """Curate editorial collections (OAI-PMH sets under collection:)."""


@collection.command("create")
@click.argument("name")
@click.option("--description", default=None, help="setDescription shown to harvesters.")
@instance
def create(instance: Instance, name: str, description: str | None) -> None:
    """Create a collection, or rename it; prints its set spec.

    \b
    Example:
      lectern collection create "Climate week" --description "Picked by the editors for 2026"
    """
    spec = collections.collection_spec(name)
    _write(instance, lambda session: collections.define(session, spec, name, description))
    click.echo(spec)


@collection.command("add")
@click.argument("spec")
@click.argument("identifiers_", metavar="ID...", nargs=-1, required=True)
@instance
def add(instance: Instance, spec: str, identifiers_: tuple[str, ...]) -> None:
    """Put records into a collection (harvesters of the set see them).

    \b
    Example:
      lectern collection add collection:climate-week lectern-demo-000007 lectern-demo-000042
    """
    _each(instance, spec, identifiers_, collections.put, "added", "already in")


@collection.command("remove")
@click.argument("spec")
@click.argument("identifiers_", metavar="ID...", nargs=-1, required=True)
@instance
def remove(instance: Instance, spec: str, identifiers_: tuple[str, ...]) -> None:
    """Take records out of a collection (its harvesters are told they are deleted from it).

    \b
    Example:
      lectern collection remove collection:climate-week lectern-demo-000007
    """
    _each(instance, spec, identifiers_, collections.take_out, "removed", "not in")


def _each(instance: Instance, spec: str, given: tuple[str, ...], change: Callable[..., bool],
          done: str, unchanged: str) -> None:
    """Apply `change` to every record in one transaction; TSV `identifier<TAB>outcome` on stdout."""
    repository = instance.values()["repository_identifier"]
    local_ids = [identifiers.local_id(repository, identifier) for identifier in given]
    outcomes = _write(instance, lambda session: [change(session, spec, local_id) for local_id in local_ids])
    for local_id, changed in zip(local_ids, outcomes):
        click.echo(f"{local_id}\t{done if changed else unchanged}")


def _write(instance: Instance, work: Callable[[Session], object]) -> object:
    try:
        with instance.database() as database, database.writing() as session:
            return work(session)
    except CatalogueError as err:
        raise click.ClickException(f"{err}. Nothing was changed.") from err
