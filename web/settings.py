"""The settings table and where each value comes from.

One table, `SETTINGS`, names every setting with its default and help. Values are layered: defaults,
then the instance file (`<instance>/lectern.toml`, lower snake case keys), then `LECTERN_*`
environment variables, then explicit overrides (CLI flags, tests). This is the only module that reads
the environment.
"""
from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harvester.workers import default_count as default_workers


@dataclass(frozen=True)
class Setting:
    """One setting: its name (lower snake case), default and a sentence of help."""

    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("database_url", "", "SQLAlchemy URL of the catalogue; empty means the SQLite file <instance>/lectern.sqlite."),
    Setting("repository_name", "Lectern OER repository", "Name shown in Identify and on the web pages."),
    Setting("repository_identifier", "lectern.local", "Domain-like name in every OAI identifier: oai:<this>:<id>."),
    Setting("base_url", "", "Public URL of the OAI-PMH endpoint; empty means derived from each request."),
    Setting("admin_email", "admin@lectern.local", "Contact address(es) for Identify, separated by spaces."),
    Setting("page_size", 200, "Records per ListRecords/ListIdentifiers page."),
    Setting("token_lifetime_hours", 168, "How long a resumption token stays valid."),
    Setting("max_concurrent_harvests", 8, "List requests served at once per worker before answering 503."),
    Setting("retry_after_seconds", 10, "Retry-After sent with a 503 when too many harvests run at once."),
    Setting("friends", "", "Base URLs of partner OAI-PMH endpoints for Identify's friends description."),
    Setting("secret_key", "", "Signs resumption tokens and sessions; empty means generated into <instance>/secret_key."),
    Setting("log_format", "auto", "auto (text on a terminal, JSON lines otherwise), text or json."),
    Setting("harvest_timeout_seconds", 60, "How long a harvest waits for a partner's response to go on before retrying."),
    Setting("harvest_retries", 5, "Retries of a failing harvest request (backoff with jitter) before the run fails."),
    Setting("harvest_max_retry_after_seconds", 300,
            "Longest Retry-After a harvest sleeps through; a partner asking for longer reschedules the run."),
    Setting("harvest_max_page_bytes", 256 * 1024 * 1024, "Largest harvested response body (after decompression)."),
    Setting("harvest_max_record_bytes", 4 * 1024 * 1024, "Largest harvested record; a larger one is skipped and reported."),
    Setting("harvest_refresh_days", 7,
            "Days between full refreshes of sources that keep no deletions (identifier sets compared)."),
    Setting("harvest_workers", default_workers(),
            "Worker processes checking harvested pages beside the process storing them (0: none); "
            "one per core, at most 4."),
    Setting("harvest_poll_seconds", 60, "How often `lectern harvest schedule` looks for due sources."),
)

ENV_PREFIX = "LECTERN_"
INSTANCE_ENV = "LECTERN_INSTANCE"
INSTANCE_FILE = "lectern.toml"


@dataclass(frozen=True)
class Effective:
    """A setting's value and where it came from (`default`, `instance file`, `environment`, `override`)."""

    value: Any
    origin: str


def instance_path(explicit: str | os.PathLike | None = None) -> Path:
    """The instance folder: an explicit path, else `LECTERN_INSTANCE`, else `./instance`."""
    return Path(explicit or os.environ.get(INSTANCE_ENV) or "instance").resolve()


def _coerce(setting: Setting, raw: Any) -> Any:
    if isinstance(setting.default, int) and not isinstance(raw, int):
        try:
            return int(raw)
        except ValueError as err:
            raise ValueError(f"setting {setting.name} must be a whole number, not {raw!r}") from err
    return raw


def _instance_values(instance: Path) -> Mapping[str, Any]:
    path = instance / INSTANCE_FILE
    if not path.is_file():
        return {}
    with open(path, "rb") as handle:
        return tomllib.load(handle)


def load(instance: Path, overrides: Mapping[str, Any] | None = None) -> dict[str, Effective]:
    """Every setting's effective value with its origin, layered as the module docstring says."""
    layers = (
        ("instance file", _instance_values(instance)),
        ("environment", {s.name: os.environ[ENV_PREFIX + s.name.upper()] for s in SETTINGS if ENV_PREFIX + s.name.upper() in os.environ}),
        ("override", {k: v for k, v in (overrides or {}).items() if v is not None}),
    )
    known = {s.name: s for s in SETTINGS}
    result = {s.name: Effective(s.default, "default") for s in SETTINGS}
    for origin, values in layers:
        for name, raw in values.items():
            if name not in known:
                raise ValueError(f"unknown setting {name!r} (from the {origin}); see `lectern settings`")
            result[name] = Effective(_coerce(known[name], raw), origin)
    return result


def values(instance: Path, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Effective values only, with derived defaults filled in (database URL, secret key)."""
    result = {name: eff.value for name, eff in load(instance, overrides).items()}
    if not result["database_url"]:
        result["database_url"] = f"sqlite:///{instance / 'lectern.sqlite'}"
    if not result["secret_key"]:
        result["secret_key"] = _instance_secret(instance)
    return result


def _instance_secret(instance: Path) -> str:
    """The instance's generated secret, created on first use with owner-only permissions.

    Written to a private temporary file and linked into place, so concurrent first starts of several
    workers agree on one secret and none reads a half-written file.
    """
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        temporary = instance / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another worker won the race; use its secret
        finally:
            temporary.unlink()
    return path.read_text().strip()
