"""`lectern harvest ...`: partner sources, harvest runs, their reports, and the scheduler.

Exit codes follow the rest of `lectern`: 0 every run succeeded and every record was stored; 1 a run
did not succeed, a record was quarantined or failed, or the source is being harvested by another
process; 2 bad usage (unknown source, unusable setting).
"""
from __future__ import annotations

import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from typing import Any

import click

from catalogue import harvested, migrate, runs, sources
from catalogue.db import Database, Session
from catalogue.errors import CatalogueError, NotFound
from catalogue.runs import RunInfo
from harvester import report, schedule, timetable
from harvester.http import Fetcher, default_user_agent
from harvester.run import Options, harvest as harvest_source
from metadata.datestamps import format_datestamp, utcnow
from metadata.errors import UnknownProfileError

from .cli_options import Instance, instance, output_format


@click.group()
def harvest() -> None:
    """Harvest partner OAI-PMH repositories into the catalogue."""


@contextmanager
def _catalogue(instance: Instance) -> Iterator[Database]:
    """The instance's catalogue, its tables brought up to date first."""
    with instance.database() as database:
        migrate.upgrade(database)
        yield database


def _usage(work: Callable[[Session], Any], instance: Instance, hint: str) -> Any:
    try:
        with _catalogue(instance) as database, database.writing() as session:
            return work(session)
    except (CatalogueError, UnknownProfileError, ValueError) as err:
        raise click.UsageError(f"{err}. {hint}") from err


@harvest.command("add")
@click.argument("name")
@click.argument("url")
@click.option("--prefix", type=click.Choice(sources.PREFIXES), default="auto", show_default=True,
              help="Format to harvest: auto picks IEEE LOM, else legacy LOM, else oai_dc.")
@click.option("--set", "set_specs", metavar="SPEC", multiple=True, help="Harvest only this set (repeatable).")
@click.option("--every", metavar="INTERVAL", default=None, help="Run every INTERVAL (90s, 30m, 6h, 1d).")
@click.option("--cron", metavar="EXPR", default=None, help="Run at the times of a 5-field cron expression (UTC).")
@click.option("--policy", type=click.Choice(sources.POLICIES), default="publish", show_default=True,
              help="publish valid records at once, or store them for moderation.")
@click.option("--profile", default=sources.DEFAULT_PROFILE, show_default=True,
              help="Profile every harvested record must pass (lom-loose, lom-strict, lectern).")
@instance
def add(instance: Instance, name: str, url: str, prefix: str, set_specs: tuple[str, ...], every: str | None,
        cron: str | None, policy: str, profile: str) -> None:
    """Add a partner repository to harvest.

    NAME is short (lower-case letters, digits, . _ -): it prefixes the local identifiers of the
    source's records and names their set source:NAME. Without --every or --cron the source is
    harvested only by `lectern harvest run`. Prints the source's next due time.

    \b
    Example:
      lectern harvest add edurep https://oai.edurep.nl/oai --set vo --every 6h --policy moderate
    """
    def work(session: Session) -> sources.SourceConfig:
        seconds = timetable.parse_interval(every) if every is not None else None
        if cron is not None:
            timetable.parse_cron(cron)
        now = utcnow()
        return sources.add(session, name, url, prefix=prefix, set_specs=set_specs, every_seconds=seconds,
                           cron=cron, policy=policy, profile=profile,
                           next_due=timetable.first_due(seconds, cron, now=now), now=now)

    added = _usage(work, instance, "Nothing was added; `lectern harvest add --help` shows the settings.")
    click.echo(f"{added.name}\t{_due(added)}")


def _due(source: sources.SourceConfig) -> str:
    return format_datestamp(source.next_due) if source.next_due else "by hand"


def _schedule(source: sources.SourceConfig) -> str:
    if source.cron:
        return f"cron {source.cron}"
    return f"every {source.every_seconds}s" if source.every_seconds else "by hand"


@harvest.command("list")
@instance
def list_sources(instance: Instance) -> None:
    """List the sources as TSV.

    Columns: name, base URL, prefix, sets (comma-separated), schedule, policy, profile, next due.

    \b
    Example:
      lectern harvest list | cut -f1,5
    """
    click.echo("#name\tbase_url\tprefix\tsets\tschedule\tpolicy\tprofile\tnext_due")
    with _catalogue(instance) as database, database.reading() as session:
        for source in sources.every_source(session):
            click.echo("\t".join([source.name, source.base_url, source.prefix, ",".join(source.set_specs),
                                  _schedule(source), source.policy, source.profile, _due(source)]))


@harvest.command("remove")
@click.argument("name")
@instance
def remove(instance: Instance, name: str) -> None:
    """Remove a source; its records become tombstones.

    Its runs, checkpoints and quarantine go too. Prints how many records were tombstoned.

    \b
    Example:
      lectern harvest remove edurep
    """
    gone = _usage(lambda session: sources.remove(session, name), instance,
                  "`lectern harvest list` names the sources.")
    click.echo(f"{name}\tremoved\t{gone} records tombstoned")


def _fetcher(values: dict[str, Any]) -> Fetcher:
    """The HTTP client of harvests: polite (User-Agent naming our site, From naming our admin) and bounded."""
    return Fetcher(default_user_agent(values["base_url"] or None), values["admin_email"].split()[0],
                   read_timeout=values["harvest_timeout_seconds"], max_retries=values["harvest_retries"],
                   max_retry_after=values["harvest_max_retry_after_seconds"],
                   max_page_bytes=values["harvest_max_page_bytes"])


def _options(values: dict[str, Any], full: bool = False) -> Options:
    try:
        return Options(full=full, refresh_every=timedelta(days=values["harvest_refresh_days"]),
                       max_record_bytes=values["harvest_max_record_bytes"], workers=values["harvest_workers"])
    except ValueError as err:
        raise click.UsageError(f"{err}. Fix the setting and try again.") from err


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """An event set by SIGTERM or SIGINT, so runs end after their current page instead of mid-way."""
    stop = threading.Event()
    previous = {number: signal.signal(number, lambda *_: stop.set()) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _names(database: Database, name: str | None, every: bool, due: bool) -> list[str]:
    with database.reading() as session:
        if every:
            return [source.name for source in sources.every_source(session)]
        if due:
            return [source.name for source in sources.due(session, utcnow())]
        sources.get(session, name or "")
        return [name or ""]


@harvest.command("run")
@click.argument("name", required=False)
@click.option("--all", "every", is_flag=True, help="Harvest every source, due or not.")
@click.option("--due", is_flag=True, help="Harvest the sources that are due now.")
@click.option("--full", is_flag=True, help="Harvest everything again, not only what changed since the last run.")
@output_format
@instance
def run(instance: Instance, name: str | None, every: bool, due: bool, full: bool, output_format: str) -> None:
    """Harvest a source now (or all, or the due ones) and print the report.

    A killed run is resumed where its last stored page ended. The report gives the counters, what
    normalising changed, every error with its request URL and the quarantined records; --format
    json prints a JSON list of reports. Exit 1 if a run did not succeed or a record was refused.

    \b
    Example:
      lectern harvest run edurep
      lectern harvest run --due --format json
    """
    if (name is not None) + every + due != 1:
        raise click.UsageError("give a source NAME, --all or --due (one of them).")
    values = instance.values()
    reports, trouble = [], False
    with _catalogue(instance) as database, _stop_on_signals() as stop, ExitStack() as stack:
        try:
            names = _names(database, name, every, due)
        except NotFound as err:
            raise click.UsageError(f"{err}; `lectern harvest list` names the sources.") from err
        fetcher, options = _fetcher(values), _options(values, full)
        stack.callback(fetcher.close)
        for chosen in names:
            info = _run_one(database, chosen, fetcher, options, stop)
            trouble |= info is None or not _clean(info)
            if info is not None:
                reports.append(_report(database, info, output_format))
    _print_reports(reports, output_format)
    if trouble:
        sys.exit(1)


def _run_one(database: Database, name: str, fetcher: Fetcher, options: Options,
             stop: threading.Event) -> RunInfo | None:
    progress = report.Progress(sys.stderr, name) if sys.stderr.isatty() else None
    info = harvest_source(database, name, fetcher, options, stop=stop,
                          on_page=progress.advance if progress else None)
    if progress is not None:
        progress.close()
    if info is None:
        click.echo(f"{name}: another process is harvesting this source; nothing was done.", err=True)
    return info


def _clean(info: RunInfo) -> bool:
    return info.status == runs.SUCCEEDED and not info.counts["quarantined"] and not info.counts["failed"]


def _report(database: Database, info: RunInfo, output_format: str) -> Any:
    with database.reading() as session:
        quarantined = harvested.quarantined(session, info.source, run_id=info.id)
    return report.as_json(info, quarantined) if output_format == "json" else report.as_text(info, quarantined)


def _print_reports(reports: list[Any], output_format: str) -> None:
    if output_format == "json":
        click.echo(json.dumps(reports, indent=2, ensure_ascii=False))
    else:
        click.echo("\n\n".join(reports))


@harvest.command("status")
@click.argument("name", required=False)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="How many runs to show.")
@click.option("--report", "full_report", is_flag=True, help="Print the latest run's full report instead.")
@output_format
@instance
def status(instance: Instance, name: str | None, limit: int, full_report: bool, output_format: str) -> None:
    """Show the harvest history, of every source or of one.

    TSV, newest first: run, source, started, finished, status, pages, new, updated, unchanged,
    deleted, quarantined, failed, errors. --report prints the latest run's report as `lectern
    harvest run` does; --format json prints reports as JSON.

    \b
    Example:
      lectern harvest status edurep --limit 5
      lectern harvest status edurep --report
    """
    with _catalogue(instance) as database:
        with database.reading() as session:
            if name is not None and not any(s.name == name for s in sources.every_source(session)):
                raise click.UsageError(f"no source named {name!r}; `lectern harvest list` names the sources.")
            history = runs.history(session, name, 1 if full_report else limit)
        if output_format == "json" or full_report:
            _print_reports([_report(database, info, output_format) for info in history], output_format)
            return
    click.echo(report.HISTORY_HEADER)
    for info in history:
        click.echo(report.history_line(info))


@harvest.command("schedule")
@click.option("--poll", "poll_seconds", default=None, type=click.FloatRange(min=0.01),
              help="Seconds between looks for due sources; default: the harvest_poll_seconds setting.")
@instance
def run_schedule(instance: Instance, poll_seconds: float | None) -> None:
    """Run due sources until stopped (SIGTERM or Ctrl-C).

    Several schedulers may share one catalogue, on one machine or several: each due source runs
    once per due time, never twice at once. A run in progress when the scheduler is stopped ends
    after its current page and is resumed later.

    \b
    Example:
      lectern harvest schedule --database postgresql+psycopg://lectern@db/lectern
    """
    values = instance.values()
    with _catalogue(instance) as database, _stop_on_signals() as stop, _fetcher(values) as fetcher:
        schedule.serve(database, fetcher, _options(values), stop=stop,
                       poll_seconds=poll_seconds or values["harvest_poll_seconds"])
