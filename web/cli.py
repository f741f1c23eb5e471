"""The `lectern` command line: each command is a thin call into a library function.

Output meant for scripts (TSV) goes to stdout; progress and logs go to stderr. Exit codes: 0 ok,
1 problems found (rejected records, unknown identifier), 2 unusable input or bad usage.
"""
from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import click

from catalogue import harvested, importer, migrate, records, summaries
from catalogue.db import Session
from catalogue.errors import NotFound
from metadata import samples
from metadata.datestamps import format_datestamp
from metadata.errors import UnknownProfileError

from . import conformance_output, create_app, identifiers, validate_output
from .cli_collections import collection
from .cli_harvest import harvest
from .cli_options import Instance, instance, profile_option, report_format


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="lectern")
def main() -> None:
    """Lectern: a metadata repository, OAI-PMH provider and harvester for OER."""


@main.command()
@instance
def init(instance: Instance) -> None:
    """Create or upgrade the catalogue's tables.

    Safe to run again: an up-to-date catalogue is left as it is.

    \b
    Example:
      lectern init --database postgresql+psycopg://lectern@localhost/lectern
    """
    with instance.database() as database:
        revision = migrate.upgrade(database)
    click.echo(f"catalogue ready at schema revision {revision}", err=True)


@main.command("settings")
@instance
def show_settings(instance: Instance) -> None:
    """Show each setting's value and its origin.

    TSV on stdout: name, effective value, where it came from; the secret key is masked.

    \b
    Example:
      LECTERN_PAGE_SIZE=100 lectern settings
    """
    values = instance.values()
    click.echo("#name\tvalue\torigin")
    for name, loaded in instance.origins().items():
        origin = loaded.origin if values[name] == loaded.value else "derived from the instance folder"
        value = "********" if name == "secret_key" else values[name]
        click.echo(f"{name}\t{value}\t{origin}")


@main.command("records")
@click.option("--source", metavar="NAME", default=None,
              help="Only records harvested from this source, named by the source's own identifiers.")
@instance
def list_records(instance: Instance, source: str | None) -> None:
    """List every record as TSV, for scripts.

    One record per line after a header line starting with #. Columns: OAI identifier, datestamp (ISO 8601 UTC), deleted (true/false), title, sets
    (comma-separated). With --source NAME: the records harvested from that source (awaiting
    moderation too), with the source's own OAI identifier and header datestamp in the first two
    columns, ordered by that identifier.

    \b
    Example:
      lectern records | grep -c 'lang:nl'
      lectern records --source edurep | cut -f1,2,3
    """
    prefix = identifiers.prefix(instance.values()["repository_identifier"])
    click.echo("#identifier\tdatestamp\tdeleted\ttitle\tsets")
    with instance.database() as database, database.reading() as session:
        for identifier, datestamp, deleted, title, specs in _record_lines(session, source, prefix):
            click.echo(f"{identifier}\t{datestamp}\t{str(deleted).lower()}\t{' '.join(title.split())}\t"
                       f"{','.join(specs)}")


def _record_lines(session: Session, source: str | None,
                  prefix: str) -> Iterator[tuple[str, str, bool, str, tuple[str, ...]]]:
    """The rows of `lectern records`: our identifiers, or a source's own (see its help)."""
    if source is not None:
        for line in harvested.every_from(session, source):
            yield line.identifier, line.datestamp, line.deleted, line.title, line.set_specs
        return
    for line in summaries.every(session):
        yield prefix + line.local_id, format_datestamp(line.datestamp), line.deleted, line.title, line.set_specs


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--profile", default=importer.DEFAULT_PROFILE, show_default=True,
              help="Profile every record must pass (lectern, lom-loose, lom-strict).")
@instance
def import_records(instance: Instance, paths: tuple[Path, ...], profile: str) -> None:
    """Import LOM records from files, folders and zips.

    Valid records are published at once; legacy LOM bindings are converted to IEEE LOM first.
    Rejected records are listed on stderr with file, line, path and why. stdout gets one TSV line
    of counts: new, updated, unchanged, rejected. Exit 1 if anything was rejected.

    \b
    Example:
      lectern import exports/ package.zip --profile lom-loose
    """
    counts = Counter({"new": 0, "updated": 0, "unchanged": 0, importer.REJECTED: 0})
    try:
        with instance.database() as database:
            for outcome in importer.import_paths(database, paths, profile):
                counts[outcome.change] += 1
                _report_outcome(outcome)
    except (UnknownProfileError, importer.ImportInputError) as err:
        raise click.UsageError(f"{err}. Nothing was imported.") from err
    click.echo("#" + "\t".join(counts) + "\n" + "\t".join(map(str, counts.values())))
    if counts[importer.REJECTED]:
        sys.exit(1)


def _report_outcome(outcome: importer.Outcome) -> None:
    """Tell the operator on stderr why a record was rejected and what conversion changed."""
    for problem in outcome.problems:
        where = ":".join(str(part) for part in (problem.file, problem.line) if part is not None)
        click.echo(f"{where}: {problem.severity}: {problem.path or 'document'}: {problem.message}", err=True)
    for note in outcome.notes:
        click.echo(f"{outcome.file}: note: record {outcome.index}: {note}", err=True)


@main.command()
@click.argument("identifier")
@instance
def delete(instance: Instance, identifier: str) -> None:
    """Delete a record, leaving a tombstone.

    Harvesters are told the record is gone (OAI-PMH persistent deletion).

    IDENTIFIER is the local identifier or the full OAI identifier (oai:<repository>:<id>).

    \b
    Example:
      lectern delete oai:lectern.local:lectern-demo-000042
    """
    local_id = identifiers.local_id(instance.values()["repository_identifier"], identifier)
    try:
        with instance.database() as database, database.writing() as session:
            stored = records.delete(session, local_id)
    except NotFound as err:
        raise click.ClickException(f"{err}; `lectern records` lists the identifiers in the catalogue.") from err
    click.echo(f"{stored.local_id}\t{stored.change}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(0, 65535),
              help="TCP port (0 picks a free one).")
@instance
def serve(instance: Instance, host: str, port: int) -> None:
    """Serve the web pages and /oai (development server).

    Flask's threaded development server. For production run the same application under gunicorn, e.g.
    gunicorn -w 4 'web:create_app()' (settings come from LECTERN_* variables or the instance file).

    \b
    Example:
      lectern serve --host 0.0.0.0 --port 8080
    """
    app = create_app({"database_url": instance.overrides.get("database_url")}, instance=instance.folder)
    app.run(host=host, port=port, threaded=True, use_reloader=False)


@main.command()
@click.option("--out", metavar="DIR", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the records into; default: <instance>/demo.")
@click.option("--count", metavar="N", default=200, show_default=True, type=click.IntRange(min=0),
              help="How many records to write.")
@instance
def demo(instance: Instance, out: Path | None, count: int) -> None:
    """Write N seeded sample LOM records as files and publish them in the catalogue.

    The records are valid under the strict LOM schema and carry what the lectern profile asks
    for; the same bytes on every run. Demo files left from an earlier, larger --count are removed;
    other files are left alone. The catalogue is created if needed and the files are imported, so
    `lectern serve` shows them at once. Prints the folder on stdout.

    \b
    Example:
      lectern demo --count 50 --out /tmp/lom
      lectern validate /tmp/lom --profile lectern
    """
    folder = out or instance.folder / "demo"
    try:
        written = samples.write_demo(folder, count)
    except OSError as err:
        raise click.BadParameter(f"cannot write there ({err}); choose a folder you can write to.",
                                 param_hint="--out") from err
    names = f": {written[0].name} ... {written[-1].name}" if written else ""
    click.echo(f"wrote {len(written)} demo LOM records into {folder}{names}", err=True)
    with instance.database() as database:
        counts = importer.publish(database, written)
    click.echo("catalogue: " + ", ".join(f"{number} {change}" for change, number in sorted(counts.items())), err=True)
    if counts[importer.REJECTED]:
        raise click.ClickException("some demo records were rejected; run `lectern import` on the folder to see why.")
    click.echo(str(folder))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, allow_dash=True))
@conformance_output.endpoint_options
@profile_option
@report_format
def validate(paths: tuple[str, ...], battery: conformance_output.Battery | None, profile: str,
             output_format: str) -> None:
    """Check LOM and Dublin Core records against a profile.

    PATHS are XML files, folders (searched for .xml files and .zip/.imscc packages), packages
    (members read in place, named package.zip!/member.xml) or - for standard input. Records are
    found by namespace: alone, in OAI-PMH responses, in IMS content-package manifests. Text output
    prints each problem as file:line: path: message [rule], then a summary; --format json is
    described in docs/validation.md, junit suits CI systems.

    With --oai URL instead of PATHS, the endpoint gets the OAI-PMH conformance battery (every verb and
    error condition, selectivity, paging, POST, schema validity) and every record it harvests is
    judged against the profile; nothing is stored. See docs/conformance.md.

    Exit status: 0 every record valid (every check passed); 1 some record invalid, or a file holds no
    LOM or DC record (some check failed); 2 bad usage, or input that could not be used (unreadable,
    not well-formed, refused as unsafe; an endpoint without a usable Identify answer).

    \b
    Example:
      lectern validate records/ course.imscc
      lectern validate --profile lectern --format json export.xml
      curl -s "$OAI?verb=ListRecords&metadataPrefix=lom" | lectern validate -
      lectern validate --oai https://oer.example.org/oai --set lang:nl --max-records 200
    """
    if battery is not None:
        if paths:
            raise click.UsageError("check files or an endpoint (--oai), not both at once.")
        sys.exit(conformance_output.run(battery, profile, output_format, sys.stdout))
    if not paths:
        raise click.UsageError("name the files to check, or an OAI-PMH endpoint with --oai URL.")
    show_progress = sys.stderr.isatty()
    sys.exit(validate_output.run(paths, profile, output_format, sys.stdin.buffer, sys.stdout, show_progress))


main.add_command(collection)
main.add_command(harvest)
