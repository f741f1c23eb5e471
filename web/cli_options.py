"""Option decorators shared by several `lectern` commands, so each flag means one thing everywhere."""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from catalogue.db import Database
from metadata.errors import UnknownProfileError
from metadata.profiles import Profile
from metadata.validation import AUTO, AUTO_PROFILES, KIND_NAMES

from . import logs, settings, validate_output

output_format = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts.",
)


@dataclass(frozen=True)
class Instance:
    """The instance folder a command runs against, with the flags that override its settings."""

    folder: Path
    overrides: Mapping[str, Any] = field(default_factory=dict)

    def values(self) -> dict[str, Any]:
        """Effective settings (see `web.settings.values`)."""
        return settings.values(self.folder, self.overrides)

    def origins(self) -> dict[str, settings.Effective]:
        """Every setting with where its value came from (see `web.settings.load`)."""
        return settings.load(self.folder, self.overrides)

    @contextmanager
    def database(self) -> Iterator[Database]:
        """The catalogue these settings name, closed when the command is done with it.

        The embedded SQLite file's folder is created if needed.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        database = Database(self.values()["database_url"])
        try:
            yield database
        finally:
            database.dispose()


def instance(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add `--instance DIR` and `--database URL`; call the command with `instance=Instance(...)`.

    Settings are read and logging configured here, once, so a bad setting fails every command the
    same way (exit 2 with the setting's name) before the command does any work.
    """

    @click.option("--database", "database_url", metavar="URL", default=None,
                  help="Catalogue URL (sqlite:///path or postgresql+psycopg://...); "
                       "default: LECTERN_DATABASE_URL, else <instance>/lectern.sqlite.")
    @click.option("--instance", "instance_folder", metavar="DIR", default=None,
                  type=click.Path(file_okay=False, path_type=Path),
                  help="Instance folder (settings file, SQLite file, secret); default: LECTERN_INSTANCE, else ./instance.")
    @functools.wraps(command)
    def wrapper(*args: Any, database_url: str | None, instance_folder: Path | None, **kwargs: Any) -> Any:
        chosen = Instance(settings.instance_path(instance_folder), {"database_url": database_url})
        try:
            logs.configure(chosen.origins()["log_format"].value)
        except (ValueError, OSError) as err:
            raise click.UsageError(f"{err}. Fix the setting or the instance folder and try again.") from err
        return command(*args, instance=chosen, **kwargs)

    return wrapper


def _known_profile(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Fail with the list of profiles before any work when `--profile` names none of them."""
    if value != AUTO:
        try:
            Profile.load(value)
        except UnknownProfileError as err:
            raise click.BadParameter(f"{err}, or {AUTO}.") from err
    return value


profile_option = click.option(
    "--profile",
    metavar="NAME",
    default=AUTO,
    show_default=True,
    callback=_known_profile,
    help=f"Profile to judge records by: {', '.join(Profile.names())}; {AUTO} picks "
    + ", ".join(f"{name} for {KIND_NAMES[kind]}" for kind, name in AUTO_PROFILES.items())
    + ".",
)

report_format = click.option(
    "--format",
    "output_format",
    type=click.Choice(validate_output.FORMATS),
    default="text",
    show_default=True,
    help="text for people, json for scripts, junit for CI systems.",
)
