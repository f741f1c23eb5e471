"""Logging, configured once for the command line and the web application.

Library modules only ask for `logging.getLogger(__name__)`; this module decides where lines go and
what they look like. People at a terminal read text; a service manager or log shipper gets one JSON
object per line, which survives multi-line messages and needs no parsing rules.
"""
from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone
from typing import IO

FORMATS = ("auto", "text", "json")
_HANDLER_NAME = "lectern"
_STANDARD_FIELDS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JSONLineFormatter(logging.Formatter):
    """One JSON object per record, carrying any `extra=` fields (source, run_id, url) as keys."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({key: value for key, value in vars(record).items() if key not in _STANDARD_FIELDS})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def _formatter(log_format: str, stream: IO[str]) -> logging.Formatter:
    if log_format not in FORMATS:
        raise ValueError(f"log format must be one of {', '.join(FORMATS)}, not {log_format!r}")
    if log_format == "json" or (log_format == "auto" and not stream.isatty()):
        return JSONLineFormatter()
    return logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the moment of each record.

    A handler that kept the stream it was created with would write into a closed buffer once click's
    test runner (or a daemoniser) swaps stderr back.
    """

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> IO[str]:
        return sys.stderr

    @stream.setter
    def stream(self, _value: IO[str]) -> None:
        pass


def _ours() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if h.get_name() == _HANDLER_NAME]


def configured() -> bool:
    """True once `configure` has run in this process (the app then leaves the CLI's choice alone)."""
    return bool(_ours())


def configure(log_format: str = "auto", level: int = logging.INFO) -> None:
    """Send log records to stderr in the chosen format.

    Calling it again replaces Lectern's handler instead of adding a second one, so a CLI command
    that creates the web application does not print each line twice.
    """
    root = logging.getLogger()
    for handler in _ours():
        root.removeHandler(handler)
    handler = _StderrHandler()
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(_formatter(log_format, sys.stderr))
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic").setLevel(max(level, logging.WARNING))  # its INFO lines narrate every connect
